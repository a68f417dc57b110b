import { afterEach, describe, expect, it } from 'vitest';
import type { OnAirClient } from '../transport/client.js';
import { signedInClient } from '../transport/test-fixtures.js';
import { Publisher } from './publisher.js';

/* The Publisher against the real server (the browser project's proxy) and Chromium's fake camera. */
const open: Array<OnAirClient | Publisher> = [];
afterEach(() => {
  for (const o of open.splice(0)) o.destroy();
});

describe('Publisher', () => {
  it("captures no more than the stream's quality preset, whatever quality is asked for", async () => {
    const client = await signedInClient('Small screen');
    open.push(client);
    const { stream } = await client.streams.create({ title: 'Low-res', qualityPreset: '360p' });
    const publisher = new Publisher(client, { streamId: stream.id });
    open.push(publisher);
    const height = () =>
      publisher.getSnapshot().mediaStream?.getVideoTracks()[0]?.getSettings().height ?? 0;

    await publisher.preview();
    expect(height()).toBeGreaterThan(0);
    expect(height()).toBeLessThanOrEqual(360);
    expect(publisher.getSnapshot()).toMatchObject({ quality: '360p', maxQuality: '360p' });

    await publisher.setQuality('1080p');
    expect(height()).toBeLessThanOrEqual(360);
    expect(publisher.getSnapshot().quality).toBe('360p');
  });

  it("shares a screen no larger than the stream's preset, shared before any preview, and resizes it with the quality", async () => {
    const client = await signedInClient('Small share');
    open.push(client);
    const { stream } = await client.streams.create({ title: 'Slides', qualityPreset: '480p' });
    const publisher = new Publisher(client, { streamId: stream.id, quality: '1080p' });
    open.push(publisher);
    const screen = () => publisher.getSnapshot().mediaStream?.getVideoTracks()[0]?.getSettings();
    /** The size of the frames the track delivers now (a setting can change before the frames do). */
    const framed = async () => {
      const video = document.createElement('video');
      video.muted = true;
      video.srcObject = publisher.getSnapshot().mediaStream ?? null;
      await video.play();
      for (let i = 0; i < 10; i++)
        await new Promise((resolve) => video.requestVideoFrameCallback(resolve));
      const size = { width: video.videoWidth, height: video.videoHeight };
      video.srcObject = null;
      return size;
    };

    await publisher.startScreenShare();
    expect(publisher.getSnapshot()).toMatchObject({
      screenSharing: true,
      quality: '480p',
      maxQuality: '480p',
    });
    expect(screen()?.displaySurface).toBeDefined();
    expect(screen()?.height).toBeGreaterThan(0);
    expect(screen()?.height).toBeLessThanOrEqual(480);
    expect(screen()?.width).toBeLessThanOrEqual(854);

    await publisher.setQuality('360p');
    const size = await framed();
    expect(size.height).toBeGreaterThan(0);
    expect(size.height).toBeLessThanOrEqual(360);
    expect(size.width).toBeLessThanOrEqual(640);

    // The camera over the screen: its drawing follows the screen's new size too.
    await publisher.preview();
    await publisher.setQuality('480p');
    await publisher.setCameraOverScreen(true);
    expect(publisher.getSnapshot().cameraOverScreen).toBe(true);
    expect((await framed()).height).toBeGreaterThan(360);
    await publisher.setQuality('360p');
    const drawn = await framed();
    expect(drawn.height).toBeGreaterThan(0);
    expect(drawn.height).toBeLessThanOrEqual(360);
  });
});
