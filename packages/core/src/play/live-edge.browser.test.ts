import { afterEach, describe, expect, it } from 'vitest';
import { publishedStream } from '../publish/test-stream.js';
import { Player } from './player.js';
import type { PlayerOptions } from './player-options.js';
import { MediaNetwork } from './test-network.js';

/*
 * Skipping ahead to the live edge after a stall, against the real server: a
 * real publisher (Chromium's fake camera), the real LL-HLS ladder, real
 * hls.js. The stall is real too: media responses are held back on their way
 * to hls.js (the network is the boundary), so the buffer runs dry.
 */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Player playing `master`, once it plays at the live edge. */
async function playingAtLiveEdge(master: string, options: PlayerOptions) {
  const video = document.createElement('video');
  video.muted = true;
  document.body.append(video);
  const player = new Player(video, options);
  cleanups.push(
    () => video.remove(),
    () => player.destroy(),
  );
  await player.load(master);
  // A fresh stream stalls now and then at first: wait for 3 s of steady playback at the edge.
  let steadySince = performance.now();
  const unsubscribe = player.subscribe((s) => {
    if (s.status !== 'playing' || !s.atLiveEdge) steadySince = performance.now();
  });
  cleanups.push(unsubscribe);
  await expect
    .poll(
      () => {
        const s = player.getSnapshot();
        const steady = s.status === 'playing' && s.latency !== null && s.atLiveEdge;
        return steady && performance.now() - steadySince > 3000;
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  unsubscribe();
  return { player, video };
}

describe('Player: back to the live edge after a stall', () => {
  it('skips ahead to the live edge when playback resumes after a stall left it past maxLiveLatency', async () => {
    const network = new MediaNetwork();
    const { master } = await publishedStream('Stall', cleanups);
    // The default bound: 3 × the target latency, at least 6 s (9 s at most here, where the
    // target is 1 s plus hls.js's own allowance for stalls, one segment at most).
    const { player, video } = await playingAtLiveEdge(master, {
      hlsConfig: { fLoader: network.loader() },
    });
    // A fresh stream may already have stalled and skipped on a busy machine: what counts is a new skip.
    const warmUp = player.getSnapshot().skippedToLive;

    network.hold();
    await expect.poll(() => player.getSnapshot().status, { timeout: 15_000 }).toBe('buffering');
    const stalledAt = video.currentTime;
    await sleep(11_000);
    // Still stalled where the buffer ran dry, 11 s and more behind the live edge now.
    expect(player.getSnapshot().status).toBe('buffering');
    expect(video.currentTime - stalledAt).toBeLessThan(0.5);

    network.release();
    await expect
      .poll(() => player.getSnapshot().skippedToLive, { timeout: 10_000 })
      .not.toBe(warmUp);
    const skip = player.getSnapshot().skippedToLive;
    expect(skip?.seconds).toBeGreaterThan(6);
    expect(Math.abs((skip?.at ?? 0) - Date.now())).toBeLessThan(10_000);
    expect(video.currentTime).toBeGreaterThan(stalledAt + (skip?.seconds ?? 0) - 1);

    // Playing again, within the bound, and skipped once only.
    await expect
      .poll(
        () => {
          const s = player.getSnapshot();
          return s.status === 'playing' && s.latency !== null && s.latency < 6;
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await sleep(2000);
    expect(player.getSnapshot().skippedToLive).toBe(skip);
    expect(player.getSnapshot().latency).toBeLessThan(6);

    // A new load starts with no skip to report.
    player.stop();
    expect(player.getSnapshot().skippedToLive).toBe(null);
  }, 120_000);

  it('leaves a viewer who paused past the bound where they were, even when playback later stalls', async () => {
    const network = new MediaNetwork();
    const { master } = await publishedStream('Pause', cleanups);
    const { player, video } = await playingAtLiveEdge(master, {
      maxLiveLatency: 4,
      hlsConfig: { fLoader: network.loader() },
    });

    // A fresh stream may already have stalled past the bound and skipped, on a busy machine:
    // what counts is that pausing, resuming and stalling behind the edge skip no more.
    const warmUp = player.getSnapshot().skippedToLive;
    // Paused on purpose for longer than the bound: resuming plays on from there.
    player.pause();
    await expect.poll(() => player.getSnapshot().status).toBe('paused');
    const pausedAt = video.currentTime;
    await sleep(6000);
    await player.play();
    await expect.poll(() => player.getSnapshot().status, { timeout: 10_000 }).toBe('playing');
    await sleep(2000);
    expect(player.getSnapshot().skippedToLive).toBe(warmUp);
    expect(video.currentTime - pausedAt).toBeLessThan(4);
    expect(player.getSnapshot().latency).toBeGreaterThan(4);
    expect(player.getSnapshot().atLiveEdge).toBe(false);

    // Behind the live edge, a stall is not a reason to skip either: the viewer was not at the edge.
    network.hold();
    await expect.poll(() => player.getSnapshot().status, { timeout: 30_000 }).toBe('buffering');
    const stalledAt = video.currentTime;
    await sleep(2000);
    network.release();
    await expect.poll(() => player.getSnapshot().status, { timeout: 10_000 }).toBe('playing');
    await sleep(1500);
    expect(player.getSnapshot().skippedToLive).toBe(warmUp);
    expect(video.currentTime - stalledAt).toBeLessThan(4);
  }, 120_000);

  it('rejects a maxLiveLatency that is not 0 or more seconds', () => {
    const video = document.createElement('video');
    for (const maxLiveLatency of [-1, Number.NaN]) {
      expect(() => new Player(video, { maxLiveLatency })).toThrow(
        expect.objectContaining({ code: 'BAD_REQUEST' }),
      );
    }
    expect(() => new Player(video, { maxLiveLatency: 0 }).destroy()).not.toThrow();
    expect(() =>
      new Player(video, { maxLiveLatency: Number.POSITIVE_INFINITY }).destroy(),
    ).not.toThrow();
  });
});
