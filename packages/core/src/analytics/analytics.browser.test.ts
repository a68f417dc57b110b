import { afterEach, describe, expect, it } from 'vitest';
import { cdp } from 'vitest/browser';
import { Player } from '../play/player.js';
import { StreamSession } from '../play/stream-session.js';
import { MediaNetwork } from '../play/test-network.js';
import { publishedStream } from '../publish/test-stream.js';
import { signedInClient } from '../transport/test-fixtures.js';
import { streamAnalytics } from './reports.js';
import { StreamAnalyticsStore } from './stream-analytics-store.js';
import { viewAnalyticsOf } from './view-analytics.js';

/*
 * View analytics end to end: a real publisher (Chromium's fake camera), the
 * real server and LL-HLS ladder, viewers playing through StreamSession as
 * the elements do (tracked by view analytics), and their stalls made real by holding media answers on
 * their way to hls.js. What the owner reads must match what the test saw.
 */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A viewer watching through StreamSession, with the test's hand on its media network. */
async function viewer(name: string, streamId: string) {
  const client = await signedInClient(name);
  const network = new MediaNetwork();
  const video = document.createElement('video');
  video.muted = true;
  document.body.append(video);
  const player = new Player(video, { hlsConfig: { fLoader: network.loader() } });
  // Measured apart from the SDK: from the Player's `loading` to the video's first `playing`.
  let loadingAt = 0;
  const off = player.subscribe((state) => {
    if (state.status === 'loading' && loadingAt === 0) loadingAt = Date.now();
  });
  const firstFrame = new Promise<number>((resolve) =>
    video.addEventListener('playing', () => resolve(Date.now() - loadingAt), { once: true }),
  );
  // Stalls as the video element shows them: waiting (not for a seek) after it played, to playing.
  const stalls = { count: 0, ms: 0, since: 0, played: false };
  // Watch time likewise: from playing to waiting or pause.
  const watch = { ms: 0, since: 0 };
  const stopWatch = () => {
    if (watch.since) watch.ms += Date.now() - watch.since;
    watch.since = 0;
  };
  video.addEventListener('playing', () => {
    if (stalls.since) stalls.ms += Date.now() - stalls.since;
    stalls.since = 0;
    stalls.played = true;
    watch.since = Date.now();
  });
  video.addEventListener('waiting', stopWatch);
  video.addEventListener('pause', stopWatch);
  video.addEventListener('waiting', () => {
    if (!stalls.played || video.seeking || stalls.since) return;
    stalls.count++;
    stalls.since = Date.now();
  });
  const loads: string[] = [];
  const offLoad = player.onLoad((load) => loads.push(load.sessionId));
  const session = new StreamSession(player, client, streamId, {
    analytics: viewAnalyticsOf(client),
  });
  // The session reports its view sessions, as <onair-player> and useLiveStream have it do.
  cleanups.push(
    () => video.remove(),
    () => player.destroy(),
    () => session.destroy(),
    off,
    offLoad,
  );
  await session.start();
  return {
    player,
    network,
    /** The playback ids the Player gave its loads. */
    loads,
    session,
    stalls,
    /** Ends the view session; returns the watch time the video showed. */
    leave() {
      stopWatch();
      session.destroy();
      player.destroy();
      return watch.ms;
    },
    startupMs: await firstFrame,
  };
}

describe('view analytics in Chromium', () => {
  it('the owner sees the viewers, their startup time and a stall within 15 s', async () => {
    const { host, streamId } = await publishedStream('Analytics', cleanups);
    const ada = await viewer('Ada', streamId);
    const bob = await viewer('Bob', streamId);

    // Ada's network stops delivering media: a real stall, then it comes back.
    await sleep(3000);
    ada.network.hold();
    await expect
      .poll(() => ada.player.getSnapshot(), { timeout: 30_000 })
      .toMatchObject({ status: 'buffering', stalled: true });
    await sleep(2000);
    ada.network.release();
    await expect.poll(() => ada.player.getSnapshot().status, { timeout: 15_000 }).toBe('playing');
    const stallEnded = Date.now();

    await expect
      .poll(async () => (await streamAnalytics(host, streamId)).qoe, {
        timeout: 15_000,
        interval: 500,
      })
      .toMatchObject({ views: 2, startedViews: 2 });
    await expect
      .poll(
        async () => {
          const { timeline } = await streamAnalytics(host, streamId);
          return timeline.reduce((sum, minute) => sum + minute.rebufferCount, 0);
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBeGreaterThanOrEqual(1);
    const seenAfterMs = Date.now() - stallEnded;
    expect(seenAfterMs).toBeLessThan(15_000);

    const analytics = await streamAnalytics(host, streamId);
    expect(analytics.uniqueViewers).toBe(2);
    expect(analytics.peakViewers).toBe(2);
    expect(analytics.qoe.byEngine).toEqual({ hls: 2 });
    expect(analytics.qoe.rebufferPercent).toBeGreaterThan(0);
    // Startup as the server stores it, against the test's own measurement.
    const startups = [ada.startupMs, bob.startupMs].sort((a, b) => a - b);
    const median = (startups[0] ?? 0) + ((startups[1] ?? 0) - (startups[0] ?? 0)) / 2;
    expect(Math.abs((analytics.qoe.startupMsMedian ?? 0) - median)).toBeLessThan(100);
    console.log(
      `analytics: startup measured ${startups.join(' / ')} ms, reported median ${analytics.qoe.startupMsMedian} ms; ` +
        `a stall seen by the owner ${seenAfterMs} ms after it ended; score ${analytics.qoe.score}`,
    );

    // Leaving ends the sessions: their last beacons say so, and nobody exited before the start.
    const watchedMs = ada.leave() + bob.leave();
    // Every stall the video elements showed (Ada's, and any a busy machine added) is in the
    // report, with its time, once the last beacons are in.
    const measured = {
      count: ada.stalls.count + bob.stalls.count,
      ms: ada.stalls.ms + bob.stalls.ms,
    };
    expect(ada.stalls.count).toBeGreaterThanOrEqual(1);
    expect(ada.stalls.ms).toBeGreaterThan(1500);
    const stalled = async () => {
      const { timeline } = await streamAnalytics(host, streamId);
      return {
        count: timeline.reduce((sum, minute) => sum + minute.rebufferCount, 0),
        ms: timeline.reduce((sum, minute) => sum + minute.rebufferMs, 0),
      };
    };
    await expect
      .poll(async () => (await stalled()).count, { timeout: 10_000 })
      .toBe(measured.count);
    await expect
      .poll(async () => Math.abs((await stalled()).ms - measured.ms), { timeout: 10_000 })
      .toBeLessThan(100 * measured.count);
    // The last beacons carry the sessions' whole watch time, as the video elements showed it.
    await expect
      .poll(
        async () => Math.abs((await streamAnalytics(host, streamId)).totalWatchMs - watchedMs),
        {
          timeout: 10_000,
        },
      )
      .toBeLessThan(200);
    const after = await streamAnalytics(host, streamId);
    expect(after.qoe.exitBeforeStartPercent).toBe(0);
    expect(after.qoe.failurePercent).toBe(0);
    console.log(
      `analytics: stalls measured ${measured.count} / ${measured.ms} ms, reported ${JSON.stringify(await stalled())}; ` +
        `watched ${watchedMs} ms, reported ${after.totalWatchMs} ms`,
    );
  }, 180_000);

  it("a viewer throttled by the browser's network emulation stalls, and the owner's live report shows it within 15 s", async () => {
    const { host, streamId } = await publishedStream('Throttled', cleanups);
    // Resource timings show what URLs the viewer requests (the buffer holds 250 by default).
    performance.clearResourceTimings();
    performance.setResourceTimingBufferSize(5000);
    // The owner's dashboard data: fetched once, then pushed while live (every 5 s by default).
    const live = new StreamAnalyticsStore(host, streamId);
    const rebuffers = () =>
      live.getSnapshot().analytics?.timeline.reduce((sum, m) => sum + m.rebufferCount, 0) ?? 0;
    cleanups.push(live.subscribe(() => undefined));
    const ada = await viewer('Ada', streamId);
    await sleep(3000);
    await expect.poll(() => ada.player.getSnapshot().status, { timeout: 15_000 }).toBe('playing');
    // Every media playlist and media request carries CMCD under the playback's id (CTA-5004,
    // query form); hls.js asks for the multivariant playlist without it.
    expect(ada.loads).toHaveLength(1);
    const hlsRequests = performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .filter((url) => url.includes(`/hls/${streamId}/`) && !url.includes('master.m3u8'));
    expect(hlsRequests.length).toBeGreaterThan(3);
    for (const url of hlsRequests) {
      const cmcd = new URL(url).searchParams.get('CMCD') ?? '';
      expect(cmcd).toContain(`sid="${ada.loads[0]}"`);
    }

    // Chromium's own throttling (CDP), for this stream's HLS requests only: 32 kbit/s, far
    // under the lowest rendition, until the player has stalled for two seconds.
    // vitest types the session per provider; playwright's forwards any CDP method.
    const session = cdp() as unknown as {
      send(method: string, params: object): Promise<unknown>;
    };
    await session.send('Network.enable', {});
    const throttle = (conditions: object[]) =>
      session.send('Network.emulateNetworkConditionsByRule', {
        matchedNetworkConditions: conditions,
      });
    cleanups.push(() => throttle([]));
    await throttle([
      {
        urlPattern: `${location.origin}/hls/${streamId}/*`,
        latency: 100,
        downloadThroughput: 4000,
        uploadThroughput: -1,
      },
    ]);
    await expect
      .poll(() => ada.player.getSnapshot(), { timeout: 30_000 })
      .toMatchObject({ status: 'buffering', stalled: true });
    const stalledAt = Date.now();
    await sleep(2000);
    await throttle([]);

    // The live report (pushed, not fetched) carries the stall within 15 s of its start.
    await expect.poll(rebuffers, { timeout: 15_000, interval: 200 }).toBeGreaterThanOrEqual(1);
    const seenAfterMs = Date.now() - stalledAt;
    expect(seenAfterMs).toBeLessThan(15_000);
    expect(live.getSnapshot().analytics?.qoe.rebufferPercent).toBeGreaterThan(0);
    expect(live.getSnapshot().error).toBeNull();
    console.log(
      `analytics: a throttled viewer's stall was in the owner's live report ${seenAfterMs} ms after it began`,
    );
  }, 180_000);
});
