import { describe, expect, it } from 'vitest';
import type { OnAirPlayerElement } from '../player/player.component.js';
import {
  cleanedAfterEach,
  createStream,
  listenedStageStore,
  mount,
  publishing,
  signedInUser,
} from '../test-support.js';
import '../player/onair-player.js';

/*
 * The stage as an HLS viewer sees it, in Chromium against the real server:
 * the owner and a co-host publish (fake cameras, 640×360), and a plain
 * <onair-player> (hls.js) shows the server's composed picture. Pixel regions
 * of the playing video tell the layout: in the grid both people fill the
 * canvas, so its left edge shows a picture; in the speaker layout the strip
 * and the large tile leave the left edge to the dark background; with the
 * co-host gone, the owner fills the picture again.
 */

const cleanup = cleanedAfterEach();

/** Whether the points (fractions of the picture) of the video's current frame are the dark background. */
function dark(video: HTMLVideoElement, points: Array<[number, number]>): boolean[] {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  context.drawImage(video, 0, 0);
  return points.map(([x, y]) => {
    const [r = 0, g = 0, b = 0] = context.getImageData(
      Math.floor(x * canvas.width),
      Math.floor(y * canvas.height),
      1,
      1,
    ).data;
    return r < 40 && g < 40 && b < 48;
  });
}

/** Left edge, high (beside the speaker layout's large tile) and low (beside its strip). */
const EDGE: Array<[number, number]> = [
  [0.03, 0.4],
  [0.03, 0.9],
];

describe('the stage over HLS', () => {
  it('shows the composed picture, changing layout, to an hls.js viewer', async () => {
    const host = await signedInUser('Composed host');
    const cohost = await signedInUser('Cleo');
    const viewer = await signedInUser('Hal');
    const stream = await createStream(host.client, true);
    const hostStage = listenedStageStore(host.client, stream.id, host.userId, cleanup);
    await expect.poll(() => hostStage.getSnapshot().status).toBe('ready');
    await publishing(host.client, stream.id, cleanup);
    await cohost.client.realtime.connect();
    await hostStage.invite(cohost.userId, 'cohost');
    await publishing(cohost.client, stream.id, cleanup);

    const player = mount('<onair-player muted></onair-player>').querySelector(
      'onair-player',
    ) as OnAirPlayerElement;
    player.client = viewer.client;
    player.streamId = stream.id;
    const video = () => player.shadowRoot?.querySelector('video') as HTMLVideoElement;
    await expect
      .poll(() => video()?.readyState >= 2 && video().videoWidth > 0, { timeout: 30_000 })
      .toBe(true);
    // The host's 16:9 (whichever rendition hls.js starts with: the points are fractions).
    expect(video().videoWidth / video().videoHeight).toBeCloseTo(16 / 9, 1);

    // The grid: two people side by side, the left edge is the owner's picture.
    await expect.poll(() => dark(video(), EDGE), { timeout: 20_000 }).toEqual([false, false]);

    // The speaker layout, live: the left edge is background beside the large tile and the strip.
    await hostStage.setLayout('speaker');
    await expect.poll(() => dark(video(), EDGE), { timeout: 20_000 }).toEqual([true, true]);
    // The large tile's middle is a picture.
    expect(dark(video(), [[0.5, 0.4]])).toEqual([false]);

    // The co-host leaves the stage: the owner alone fills the picture.
    await hostStage.remove(cohost.userId);
    await expect.poll(() => dark(video(), EDGE), { timeout: 30_000 }).toEqual([false, false]);
  }, 120_000);
});
