import { fileURLToPath } from 'node:url';
import type { OnAirServer } from '@onair/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLlHlsMedia, validateMaster } from '../../../scripts/validate-ll-hls.js';
import { type QuickstartHarness, startQuickstart } from './browser.js';

/*
 * The broadcast path end to end: a host publishes from Chromium through the
 * quickstart (fake camera, mediasoup-client → werift SFU), the server builds
 * the Low-Latency HLS ladder with ffmpeg, and every rendition is played by
 * hls.js in Chromium; after the end, the recording plays as VOD.
 */
const HLS_JS = fileURLToPath(
  new URL('../../../packages/core/node_modules/hls.js/dist/hls.min.js', import.meta.url),
);
let harness: QuickstartHarness;
let server: OnAirServer;
let browser: Browser;

beforeAll(async () => {
  // One real-time viewer per stream: the next one is refused and falls back to HLS.
  harness = await startQuickstart('broadcast', { maxRealtimeViewers: 1 });
  ({ server, browser } = harness);
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

interface Playback {
  time: number;
  width: number;
  height: number;
  duration: number;
  latency: number | null;
  error: string | null;
}

/** Opens a page that plays one HLS URL with hls.js (the Player's engine) and reports on it. */
async function play(url: string): Promise<{ page: Page; state: () => Promise<Playback> }> {
  const page = await browser.newPage();
  await page.goto(`${server.url}/healthz`);
  await page.addScriptTag({ path: HLS_JS });
  await page.evaluate((src) => {
    type HlsInstance = {
      on(
        event: string,
        listener: (event: unknown, data: { fatal: boolean; details: string }) => void,
      ): void;
      loadSource(url: string): void;
      attachMedia(media: HTMLMediaElement): void;
    };
    const w = window as unknown as {
      Hls: { new (config: object): HlsInstance; Events: { ERROR: string } };
      hls: HlsInstance;
      hlsError: string | null;
    };
    const video = document.createElement('video');
    video.muted = true;
    document.body.append(video);
    const hls = new w.Hls({ lowLatencyMode: true });
    w.hls = hls;
    w.hlsError = null;
    hls.on(w.Hls.Events.ERROR, (_e: unknown, data: { fatal: boolean; details: string }) => {
      if (data.fatal) w.hlsError = data.details;
    });
    hls.loadSource(src);
    hls.attachMedia(video);
    void video.play();
  }, url);
  const state = () =>
    page.evaluate(() => {
      const w = window as unknown as { hls: { latency?: number }; hlsError: string | null };
      const video = document.querySelector('video') as HTMLVideoElement;
      return {
        time: video.currentTime,
        width: video.videoWidth,
        height: video.videoHeight,
        duration: video.duration,
        latency: Number.isFinite(w.hls.latency) ? (w.hls.latency as number) : null,
        error: w.hlsError,
      };
    });
  return { page, state };
}

async function signIn(page: Page, name: string, query = '') {
  await page.goto(`${server.url}/${query}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
}

interface RealtimeVideo {
  status: string | undefined;
  realtime: boolean;
  kinds: string[];
  width: number;
  height: number;
  time: number;
  frames: number;
}

/** Opens the quickstart's real-time viewer link as a new signed-in viewer. */
async function watchRealtime(link: string) {
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL(link, server.url).toString());
  await page.getByLabel('Your name').fill('Realtime viewer');
  await page.getByRole('button', { name: 'Continue' }).click();
  const video = (): Promise<RealtimeVideo> =>
    page.locator('onair-player').evaluate((player) => {
      const element = player.shadowRoot?.querySelector('video') as HTMLVideoElement;
      const stream = element.srcObject as MediaStream | null;
      return {
        status: player.dataset.status,
        realtime: stream !== null,
        kinds:
          stream
            ?.getTracks()
            .map((t) => t.kind)
            .sort() ?? [],
        width: element.videoWidth,
        height: element.videoHeight,
        time: element.currentTime,
        frames: element.getVideoPlaybackQuality().totalVideoFrames,
      };
    });
  return { page, video, errors };
}

const text = async (path: string) => {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, body: await response.text() };
};

describe('broadcast path end to end (Chromium publish → LL-HLS ladder → hls.js)', () => {
  it('plays every rendition live, then the recording as VOD', async () => {
    const host = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    host.on('pageerror', (e) => errors.push(`host: ${e.message}`));
    await signIn(host, 'Host');
    const scheduler = host.locator('onair-scheduler');
    await scheduler.getByLabel('Title').fill('Ladder check');
    await scheduler.getByRole('button', { name: 'Create stream' }).click();
    // Keep a replay: recording is a stream setting.
    await host.locator('#settings-panel summary').click();
    const settings = host.locator('onair-stream-settings');
    await settings.getByLabel('Record the stream').check();
    await settings.getByRole('button', { name: 'Save' }).click();
    await host.locator('onair-broadcaster').getByRole('button', { name: 'Go live' }).click();
    await host.locator('onair-broadcaster[data-status="live"]').waitFor({ timeout: 30_000 });
    const streamId = new URL(
      (await host.locator('#watch-link').getAttribute('href')) ?? '',
      server.url,
    ).searchParams.get('watch');
    expect(streamId).toMatch(/^str_/);

    // The master playlist appears once every rendition has its first segment.
    await expect
      .poll(async () => (await text(`/hls/${streamId}/master.m3u8`)).status, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe(200);
    const master = validateMaster((await text(`/hls/${streamId}/master.m3u8`)).body);
    expect(master.variants.length).toBeGreaterThanOrEqual(2);

    const measured: string[] = [];
    for (const variant of master.variants) {
      // Strict LL-HLS on every rung, the copied one (the browser's own frame timing) included:
      // before and after it plays, so parts cut over some seconds of real frames are checked.
      const live = validateLlHlsMedia((await text(`/hls/${streamId}/${variant.uri}`)).body);
      expect(live.segments.length).toBeGreaterThan(0);
      const { page, state } = await play(`${server.url}/hls/${streamId}/${variant.uri}`);
      await expect.poll(async () => (await state()).height, { timeout: 20_000 }).toBeGreaterThan(0);
      const first = await state();
      await expect
        .poll(async () => (await state()).time, { timeout: 15_000 })
        .toBeGreaterThan(first.time + 1.5);
      const playing = await state();
      validateLlHlsMedia((await text(`/hls/${streamId}/${variant.uri}`)).body);
      expect(playing.error).toBeNull();
      expect(playing.height).toBe(variant.resolution?.height);
      measured.push(
        `${variant.uri}: ${playing.width}x${playing.height}, hls.js latency ${playing.latency?.toFixed(2)} s`,
      );
      await page.close();
    }
    console.info(`live renditions played:\n${measured.join('\n')}`);

    // The end: the recording becomes the replay, announced on the stream.
    await host.locator('onair-broadcaster').getByRole('button', { name: 'End stream' }).click();
    // Ending asks first, in the element's own dialog.
    await host
      .locator('onair-broadcaster')
      .getByRole('dialog')
      .getByRole('button', { name: 'End stream' })
      .click();
    await host.locator('onair-broadcaster[data-status="ended"]').waitFor({ timeout: 10_000 });
    await expect
      .poll(async () => JSON.parse((await text(`/v1/streams/${streamId}`)).body).recordingUrl, {
        timeout: 15_000,
      })
      .toBe(`/hls/${streamId}/master.m3u8`);
    const vodMaster = validateMaster((await text(`/hls/${streamId}/master.m3u8`)).body);
    for (const variant of vodMaster.variants) {
      const vod = validateLlHlsMedia((await text(`/hls/${streamId}/${variant.uri}`)).body, {
        live: false,
      });
      expect(vod.playlistType).toBe('VOD');
    }
    const { page, state } = await play(`${server.url}/hls/${streamId}/master.m3u8`);
    await expect.poll(async () => (await state()).time, { timeout: 20_000 }).toBeGreaterThan(1);
    const replay = await state();
    expect(replay.error).toBeNull();
    expect(replay.duration).toBeGreaterThan(5);
    await page.close();
    expect((await text(`/hls/${streamId}/poster.jpg`)).status).toBe(200);
    expect(errors).toEqual([]);
  }, 180_000);

  it('plays the stream in real time to a viewer (WebRTC consumers), then ends it there', async () => {
    const host = await (await browser.newContext()).newPage();
    // Simulcast: the viewer can be moved to a smaller layer.
    await signIn(host, 'Realtime host', '?simulcast');
    const scheduler = host.locator('onair-scheduler');
    await scheduler.getByLabel('Title').fill('Real-time check');
    await scheduler.getByRole('button', { name: 'Create stream' }).click();
    await host.locator('onair-broadcaster').getByRole('button', { name: 'Go live' }).click();
    await host.locator('onair-broadcaster[data-status="live"]').waitFor({ timeout: 30_000 });
    const realtimeLink = (await host.locator('#watch-realtime-link').getAttribute('href')) ?? '';
    expect(realtimeLink).toMatch(/[?&]realtime$/);

    // A viewer opens the real-time link: mediasoup-client consumers over the SFU.
    const opened = Date.now();
    const { page: viewer, video, errors } = await watchRealtime(realtimeLink);
    await expect.poll(async () => (await video()).width, { timeout: 20_000 }).toBeGreaterThan(0);
    const firstFrameMs = Date.now() - opened;
    const first = await video();
    expect(first.realtime).toBe(true); // not the HLS fallback
    expect(first.kinds).toEqual(['audio', 'video']);
    await expect
      .poll(async () => (await video()).frames, { timeout: 10_000 })
      .toBeGreaterThan(first.frames + 30);
    const playing = await video();
    expect(playing.status).toBe('playing');
    expect(playing.time).toBeGreaterThan(first.time);
    console.info(
      `real-time viewer: ${playing.width}px wide, first frame ${firstFrameMs} ms after opening the page (sign-in included)`,
    );
    // Three layers reach the SFU; the viewer gets the top one, then the lowest (a quarter
    // of the width) on request. (The player's quality menu is not there yet: call its Player.)
    expect(playing.width).toBe(1280);
    await viewer
      .locator('onair-player')
      .evaluate((player) =>
        (
          player as unknown as { player: { preferLayer(n: number): Promise<void> } }
        ).player.preferLayer(0),
      );
    await expect.poll(async () => (await video()).width, { timeout: 10_000 }).toBe(320);
    const low = await video();
    await expect
      .poll(async () => (await video()).frames, { timeout: 10_000 })
      .toBeGreaterThan(low.frames + 30);

    // The host ends the stream: the viewer's player ends too.
    await host.locator('onair-broadcaster').getByRole('button', { name: 'End stream' }).click();
    // Ending asks first, in the element's own dialog.
    await host
      .locator('onair-broadcaster')
      .getByRole('dialog')
      .getByRole('button', { name: 'End stream' })
      .click();
    await viewer.locator('onair-player[data-status="ended"]').waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await viewer.context().close();
    await host.context().close();
  }, 120_000);

  it('keeps viewers playing through a camera switch and a screen share; HLS quality by hand; DVR seek and back to live; a refused real-time viewer falls back to HLS', async () => {
    const host = await (await browser.newContext()).newPage();
    await signIn(host, 'Studio host');
    const scheduler = host.locator('onair-scheduler');
    await scheduler.getByLabel('Title').fill('Studio check');
    await scheduler.getByRole('button', { name: 'Create stream' }).click();
    const studio = host.locator('onair-broadcaster');
    await studio.getByRole('button', { name: 'Go live' }).click();
    await host.locator('onair-broadcaster[data-status="live"]').waitFor({ timeout: 30_000 });
    const realtimeLink = (await host.locator('#watch-realtime-link').getAttribute('href')) ?? '';
    const streamId = new URL(realtimeLink, server.url).searchParams.get('watch') as string;

    // The real-time seat, then a second real-time viewer who is refused (limit 1): HLS instead.
    const realtime = await watchRealtime(realtimeLink);
    await expect.poll(async () => (await realtime.video()).width, { timeout: 20_000 }).toBe(1280);
    const fallback = await watchRealtime(realtimeLink);
    await expect
      .poll(async () => (await fallback.video()).width, { timeout: 30_000 })
      .toBeGreaterThan(0);
    expect((await fallback.video()).realtime).toBe(false); // hls.js, not WebRTC
    const hlsPlayer = fallback.page.locator('onair-player');

    const progress = async () => ({
      realtime: (await realtime.video()).frames,
      hls: (await fallback.video()).time,
    });
    const keepsPlaying = async (what: string) => {
      const before = await progress();
      await expect
        .poll(async () => (await progress()).realtime - before.realtime, {
          timeout: 10_000,
          message: what,
        })
        .toBeGreaterThan(30);
      // HLS is seconds behind and, with the whole suite running, may rebuffer: a wider window.
      await expect
        .poll(async () => (await progress()).hls - before.hls, { timeout: 30_000, message: what })
        .toBeGreaterThan(1);
    };

    // The other camera, live (the devices fold behind their button on air): no renegotiation,
    // both viewers carry on.
    await studio.getByRole('button', { name: 'Devices', expanded: false }).click();
    await studio.getByRole('button', { name: /^Camera: / }).click();
    await studio.getByRole('button', { name: 'fake_device_2' }).click();
    await expect
      .poll(() =>
        studio.evaluate(
          (el) =>
            (
              (el.shadowRoot as ShadowRoot).querySelector('video')?.srcObject as
                | MediaStream
                | undefined
            )?.getVideoTracks()[0]?.label,
        ),
      )
      .toBe('fake_device_2');
    await keepsPlaying('after the camera switch');

    // The screen with the camera in the corner, then back.
    await studio.getByRole('button', { name: 'Share screen' }).click();
    await studio.getByRole('button', { name: 'Stop sharing' }).waitFor({ timeout: 10_000 });
    await keepsPlaying('while sharing the screen');
    await studio.getByRole('button', { name: 'Stop sharing' }).click();
    await keepsPlaying('after sharing');

    // The HLS viewer picks 240p by hand from the quality menu.
    const quality = hlsPlayer.getByRole('button', { name: /^Quality: / });
    await quality.click();
    await hlsPlayer.getByRole('button', { name: '240p', exact: true }).click();
    await expect.poll(async () => (await fallback.video()).height, { timeout: 20_000 }).toBe(240);
    await quality.click();
    await hlsPlayer.getByRole('button', { name: /^Auto/ }).click();

    // DVR: two steps back from the keyboard (10 s) in the server's window, then "Go to live".
    const seek = hlsPlayer.getByRole('slider', { name: 'Seek' });
    await seek.waitFor({ timeout: 10_000 });
    const snapshot = () =>
      hlsPlayer.evaluate((el) => {
        const s = (
          el as HTMLElement & {
            player?: {
              getSnapshot(): { latency: number | null; seekable: { start: number; end: number } };
            };
          }
        ).player?.getSnapshot();
        return { latency: s?.latency ?? null, window: s ? s.seekable.end - s.seekable.start : 0 };
      });
    const latency = async () => (await snapshot()).latency;
    // Room for 10 s back: the viewer's window grows as the stream goes on.
    await expect
      .poll(async () => (await snapshot()).window, { timeout: 60_000 })
      .toBeGreaterThan(16);
    const before = (await latency()) ?? 0;
    await hlsPlayer.getByRole('region', { name: 'Live video player' }).focus();
    for (let i = 0; i < 2; i++) await fallback.page.keyboard.press('ArrowLeft');
    await expect.poll(latency, { timeout: 15_000 }).toBeGreaterThan(before + 6);
    expect(await seek.getAttribute('aria-valuetext')).toMatch(/^\d+ s behind live$/);
    const behind = await progress();
    await expect // still playing back there
      .poll(async () => (await progress()).hls - behind.hls, { timeout: 20_000 })
      .toBeGreaterThan(1);
    await hlsPlayer.getByRole('button', { name: 'Go to live' }).click();
    await expect.poll(latency, { timeout: 15_000 }).toBeLessThan(before + 3);
    // The seek to live may rebuffer on a busy machine; catch-up brings it to the edge.
    await expect
      .poll(() => seek.getAttribute('aria-valuetext'), { timeout: 15_000 })
      .toBe('At the live edge');
    expect(realtime.errors).toEqual([]);
    expect(fallback.errors).toEqual([]);
    expect((await text(`/v1/streams/${streamId}`)).status).toBe(200);
    await realtime.page.context().close();
    await fallback.page.context().close();
    await studio.getByRole('button', { name: 'End stream' }).click();
    await studio.getByRole('dialog').getByRole('button', { name: 'End stream' }).click();
    await host.locator('onair-broadcaster[data-status="ended"]').waitFor({ timeout: 10_000 });
    await host.context().close();
  }, 240_000);

  it('takes a WHIP publish from a browser page, and refuses wrong keys, bad SDP and unknown codecs', async () => {
    const token = await server.issueToken('usr_whiphost', 'WHIP host');
    const created = await fetch(`${server.url}/v1/streams`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'From a WHIP page' }),
    });
    const { stream, streamKey } = (await created.json()) as {
      stream: { id: string };
      streamKey: string;
    };
    const whip = (body: string, key: string, type = 'application/sdp') =>
      fetch(`${server.url}/whip`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': type },
        body,
      });

    const page = await browser.newPage();
    await page.goto(`${server.url}/healthz`);
    const offerAndAnswer = await page.evaluate(async (key) => {
      const media = await navigator.mediaDevices.getUserMedia({
        video: { width: 640, height: 360 },
        audio: true,
      });
      const pc = new RTCPeerConnection();
      for (const track of media.getTracks()) pc.addTransceiver(track, { direction: 'sendonly' });
      await pc.setLocalDescription(await pc.createOffer());
      const response = await fetch('/whip', {
        method: 'POST',
        headers: { 'content-type': 'application/sdp', authorization: `Bearer ${key}` },
        body: pc.localDescription?.sdp ?? '',
      });
      const answer = await response.text();
      if (response.status === 201) await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      (window as unknown as { pc: RTCPeerConnection }).pc = pc;
      return {
        status: response.status,
        location: response.headers.get('location'),
        offer: pc.localDescription?.sdp ?? '',
        answer,
      };
    }, streamKey);
    expect(offerAndAnswer.status, offerAndAnswer.answer).toBe(201);
    expect(offerAndAnswer.location).toMatch(/^\/whip\/[\w-]+$/);
    expect(offerAndAnswer.answer).toContain('a=ice-lite');
    expect(offerAndAnswer.answer).toMatch(/a=rtpmap:\d+ H264\/90000/);
    expect(offerAndAnswer.answer).not.toContain('transport-cc');
    await expect
      .poll(
        () =>
          page.evaluate(() => (window as unknown as { pc: RTCPeerConnection }).pc.connectionState),
        { timeout: 15_000 },
      )
      .toBe('connected');
    // The stream went live on publish, and the ladder plays.
    await expect
      .poll(async () => (await text(`/hls/${stream.id}/master.m3u8`)).status, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe(200);
    const master = validateMaster((await text(`/hls/${stream.id}/master.m3u8`)).body);
    const top = master.variants.find((v) => v.resolution?.height === 360) ?? master.variants[0];
    const viewer = await play(`${server.url}/hls/${stream.id}/${top?.uri}`);
    await expect
      .poll(async () => (await viewer.state()).time, { timeout: 20_000 })
      .toBeGreaterThan(1);
    expect((await viewer.state()).error).toBeNull();
    await viewer.page.close();
    // Real-time viewers get the WHIP publisher's tracks too (its payload types mapped).
    const realtime = await watchRealtime(`/?watch=${stream.id}&realtime`);
    await expect.poll(async () => (await realtime.video()).width, { timeout: 20_000 }).toBe(640);
    expect(await realtime.video()).toMatchObject({ realtime: true, kinds: ['audio', 'video'] });
    expect(realtime.errors).toEqual([]);
    await realtime.page.context().close();

    // Refusals, each with its own status.
    expect((await whip(offerAndAnswer.offer, 'onair_sk_notthekeynotthekeynotthe')).status).toBe(
      401,
    );
    expect((await whip(offerAndAnswer.offer, streamKey, 'text/plain')).status).toBe(415);
    const garbage = await whip('hello', streamKey);
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ code: 'BAD_REQUEST' });
    const onlyH265 = offerAndAnswer.offer.replace(
      /a=rtpmap:(\d+) (VP8|VP9|H264|AV1|opus|red|rtx|ulpfec|flexfec-03|CN|telephone-event|G722|PCMU|PCMA|ISAC|ILBC)[^\r\n]*/gi,
      'a=rtpmap:$1 H265/90000',
    );
    const unknown = await whip(onlyH265, streamKey);
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).message).toMatch(/No common codec/);

    // DELETE ends the session, with the same key only.
    const location = `${server.url}${offerAndAnswer.location}`;
    expect(
      (await fetch(location, { method: 'DELETE', headers: { authorization: 'Bearer onair_sk_x' } }))
        .status,
    ).toBe(401);
    expect(
      (
        await fetch(location, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${streamKey}` },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await fetch(location, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${streamKey}` },
        })
      ).status,
    ).toBe(404);
    await page.close();
  }, 120_000);
});
