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

  it('opens the camera with the preview after a screen shared and stopped before it', async () => {
    const client = await signedInClient('Screen first');
    open.push(client);
    const { stream } = await client.streams.create({ title: 'Camera after all' });
    const publisher = new Publisher(client, { streamId: stream.id });
    open.push(publisher);
    await publisher.startScreenShare();
    await publisher.stopScreenShare();
    expect(publisher.getSnapshot().mediaStream).toBeNull();
    const [video] = (await publisher.preview()).getVideoTracks();
    expect(video?.getSettings().deviceId).toBeTruthy();
    expect(video?.getSettings().deviceId).toBe(publisher.getSnapshot().cameraId);
  });

  it('sends a black picture, not the last frame, when a screen shared without a camera stops', async () => {
    const client = await signedInClient('No camera');
    open.push(client);
    const { stream } = await client.streams.create({ title: 'Slides only', qualityPreset: '360p' });
    await client.streams.start(stream.id);
    // A machine without a camera: the microphone and the screen open, the camera never does.
    const real = navigator.mediaDevices;
    let plugged = false;
    const mediaDevices = {
      getUserMedia: (constraints?: MediaStreamConstraints) =>
        constraints?.video && !plugged
          ? Promise.reject(new DOMException('No camera', 'NotFoundError'))
          : real.getUserMedia(constraints),
      getDisplayMedia: (options?: DisplayMediaStreamOptions) => real.getDisplayMedia(options),
      enumerateDevices: () => real.enumerateDevices(),
    } as unknown as MediaDevices;
    const publisher = new Publisher(client, { streamId: stream.id, mediaDevices });
    open.push(publisher);
    /** The video bitrate sent over the last second, once it is above 0 (or 0 after 15 s). */
    const sending = async () => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const bitrate = publisher.getSnapshot().stats?.videoBitrate ?? 0;
        if (bitrate > 0 || Date.now() > deadline) return bitrate;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };

    // Shared, then previewed: the microphone alone, and why the camera did not open.
    await publisher.startScreenShare();
    await publisher.preview();
    expect(publisher.getSnapshot()).toMatchObject({
      status: 'previewing',
      error: { code: 'DEVICE_NOT_FOUND' },
    });
    // Stopped before going live: the black picture is the video, and it is sent.
    await publisher.stopScreenShare();
    expect(publisher.getSnapshot().mediaStream?.getVideoTracks()).toHaveLength(1);
    await publisher.publish();
    expect(publisher.getSnapshot()).toMatchObject({ status: 'live', error: null });
    expect(await sending()).toBeGreaterThan(0);

    // Shared again live (the screen replaces the black), then stopped.
    await publisher.startScreenShare();
    expect(publisher.getSnapshot().screenSharing).toBe(true);
    await publisher.stopScreenShare();
    const [video] = publisher.getSnapshot().mediaStream?.getVideoTracks() ?? [];
    expect(publisher.getSnapshot().screenSharing).toBe(false);
    expect(video?.readyState).toBe('live');
    // Frames go on (an ended track sends nothing more): stats of a second after the stop show video.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await sending()).toBeGreaterThan(0);
    // The picture is black.
    const element = document.createElement('video');
    element.muted = true;
    element.srcObject = new MediaStream([video as MediaStreamTrack]);
    await element.play();
    await new Promise((resolve) => element.requestVideoFrameCallback(resolve));
    const canvas = document.createElement('canvas');
    canvas.width = 16;
    canvas.height = 9;
    const context = canvas.getContext('2d') as CanvasRenderingContext2D;
    context.drawImage(element, 0, 0, 16, 9);
    const pixels = context.getImageData(0, 0, 16, 9).data;
    expect(Math.max(...pixels.filter((_, i) => i % 4 !== 3))).toBe(0);
    element.srcObject = null;

    // Sharing again replaces the black picture.
    await publisher.startScreenShare();
    expect(
      publisher.getSnapshot().mediaStream?.getVideoTracks()[0]?.getSettings().displaySurface,
    ).toBeDefined();
    expect(video?.readyState).toBe('ended');

    // A camera plugged in and chosen (the black picture again first, with the error while
    // previewing): it opens in place of the black.
    await publisher.stopScreenShare();
    plugged = true;
    const camera = (await real.enumerateDevices()).find((d) => d.kind === 'videoinput');
    await publisher.setCamera(camera?.deviceId as string);
    const [opened] = publisher.getSnapshot().mediaStream?.getVideoTracks() ?? [];
    expect(opened?.getSettings().deviceId).toBe(camera?.deviceId);
    expect(publisher.getSnapshot()).toMatchObject({ status: 'live', cameraId: camera?.deviceId });
  });

  it('draws the black picture again at a new quality, and keeps the picture before a share that fails midway', async () => {
    const client = await signedInClient('Black sizes');
    open.push(client);
    const { stream } = await client.streams.create({ title: 'Slides', qualityPreset: '720p' });
    const real = navigator.mediaDevices;
    let refuseResize = false;
    const screens: MediaStreamTrack[] = [];
    const mediaDevices = {
      getUserMedia: (constraints?: MediaStreamConstraints) =>
        constraints?.video
          ? Promise.reject(new DOMException('No camera', 'NotFoundError'))
          : real.getUserMedia(constraints),
      getDisplayMedia: async (options?: DisplayMediaStreamOptions) => {
        const shared = await real.getDisplayMedia(options);
        const [screen] = shared.getVideoTracks();
        if (screen) screens.push(screen);
        const resize = screen?.applyConstraints.bind(screen);
        if (screen && resize) {
          screen.applyConstraints = (constraints) =>
            refuseResize
              ? Promise.reject(new DOMException('No such size', 'OverconstrainedError'))
              : resize(constraints);
        }
        return shared;
      },
      enumerateDevices: () => real.enumerateDevices(),
    } as unknown as MediaDevices;
    const publisher = new Publisher(client, { streamId: stream.id, mediaDevices });
    open.push(publisher);
    const video = () => publisher.getSnapshot().mediaStream?.getVideoTracks()[0];

    await publisher.startScreenShare();
    await publisher.preview();
    await publisher.stopScreenShare();
    const black = video();
    expect(black?.getSettings()).toMatchObject({ width: 1280, height: 720 });
    // A lower quality: the black picture is drawn again at its size, the one before stops.
    await publisher.setQuality('480p');
    expect(video()?.getSettings()).toMatchObject({ width: 854, height: 480 });
    expect(black?.readyState).toBe('ended');
    await publisher.setQuality('720p');

    // A screen shared, then another chosen after the stream's preset was lowered: resized to
    // it, the new screen refuses. The screen shared before goes on.
    await publisher.startScreenShare();
    const first = video();
    expect(first?.getSettings().displaySurface).toBeDefined();
    await client.streams.update(stream.id, { qualityPreset: '480p' });
    refuseResize = true;
    await expect(publisher.startScreenShare()).rejects.toMatchObject({ code: 'DEVICE_NOT_FOUND' });
    expect(publisher.getSnapshot().screenSharing).toBe(true);
    expect(video()).toBe(first);
    expect(first?.readyState).toBe('live');
    // The refused screen is let go of.
    expect(screens.at(-1)?.readyState).toBe('ended');

    // Shared from the black picture, the same: the black picture goes on, drawn at the
    // lowered preset's size, rather than no video at all.
    await publisher.stopScreenShare();
    expect(first?.readyState).toBe('ended');
    await client.streams.update(stream.id, { qualityPreset: '360p' });
    await expect(publisher.startScreenShare()).rejects.toMatchObject({ code: 'DEVICE_NOT_FOUND' });
    expect(publisher.getSnapshot().screenSharing).toBe(false);
    expect(video()?.readyState).toBe('live');
    expect(video()?.getSettings()).toMatchObject({ width: 640, height: 360 });
    expect(video()?.getSettings().displaySurface).toBeUndefined();
    expect(screens.at(-1)?.readyState).toBe('ended');
  });
});
