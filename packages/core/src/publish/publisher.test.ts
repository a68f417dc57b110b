import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OnAirClient } from '../transport/client.js';
import {
  handlerFactory,
  installMediaStream,
  recordingSignalling,
  streamFixture,
} from '../transport/test-fixtures.js';
import { Publisher } from './publisher.js';

/*
 * The signalling flows of the Publisher, with
 * mediasoup-client's FakeHandler standing in for the browser's WebRTC (the
 * Chromium tests run the same flows against the real server).
 */

beforeAll(installMediaStream);

const open: Array<{ close?(): void; destroy?(): void }> = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close ? o.close() : o.destroy?.();
});

describe('Publisher signalling', () => {
  function devices() {
    const opened: string[] = [];
    const mediaDevices = {
      getUserMedia: async (constraints: MediaStreamConstraints) => {
        const tracks: MediaStreamTrack[] = [];
        if (constraints.video) {
          const id =
            (constraints.video as { deviceId?: { exact: string } }).deviceId?.exact ?? 'cam1';
          opened.push(id);
          tracks.push(new FakeMediaStreamTrack({ kind: 'video', label: id }) as never);
        }
        if (constraints.audio) tracks.push(new FakeMediaStreamTrack({ kind: 'audio' }) as never);
        return new MediaStream(tracks);
      },
      getDisplayMedia: async () =>
        new MediaStream([new FakeMediaStreamTrack({ kind: 'video', label: 'screen' }) as never]),
      enumerateDevices: async () => [
        { kind: 'videoinput', deviceId: 'cam1', label: 'Front', groupId: '' },
        { kind: 'videoinput', deviceId: 'cam2', label: 'Back', groupId: '' },
        { kind: 'audioinput', deviceId: 'mic1', label: 'Mic', groupId: '' },
      ],
    } as unknown as MediaDevices;
    return { mediaDevices, opened };
  }

  it('produces video (simulcast: three encodings) and audio, switches camera without producing again, and closes', async () => {
    const { signalling, calls } = recordingSignalling();
    const { mediaDevices, opened } = devices();
    const publisher = new Publisher({} as OnAirClient, {
      streamId: 'str_1',
      signalling,
      mediaDevices,
      handlerFactory,
      simulcast: true,
      codec: 'vp8',
    });
    open.push(publisher);
    await publisher.publish();
    expect(calls).toEqual([
      'capabilities',
      'createTransport:send',
      'connect',
      'produce:video:3',
      'produce:audio:1',
    ]);
    expect(publisher.getSnapshot()).toMatchObject({
      status: 'live',
      cameras: [
        { deviceId: 'cam1', label: 'Front' },
        { deviceId: 'cam2', label: 'Back' },
      ],
      microphones: [{ deviceId: 'mic1', label: 'Mic' }],
    });
    await publisher.setCamera('cam2');
    expect(opened).toEqual(['cam1', 'cam2']);
    expect(publisher.getSnapshot().mediaStream?.getVideoTracks()[0]?.label).toBe('cam2');
    expect(calls.filter((c) => c.startsWith('produce'))).toHaveLength(2); // no renegotiation
    publisher.setAudioMuted(true);
    expect(publisher.getSnapshot().mediaStream?.getAudioTracks()[0]?.enabled).toBe(false);
    await publisher.stop();
    expect(calls.at(-1)).toBe('close');
    expect(publisher.getSnapshot().status).toBe('ended');
  });

  it('tells the server when its video is a shared screen: at produce, and when sharing starts and stops', async () => {
    const { signalling, calls } = recordingSignalling();
    const { mediaDevices } = devices();
    const publisher = new Publisher({} as OnAirClient, {
      streamId: 'str_1',
      signalling,
      mediaDevices,
      handlerFactory,
      codec: 'vp8',
    });
    open.push(publisher);
    // Shared before going live: the video is produced as a screen.
    await publisher.preview();
    await publisher.startScreenShare();
    await publisher.publish();
    expect(calls.filter((c) => c.startsWith('produce'))).toEqual([
      'produce:video:1:screen',
      'produce:audio:1',
    ]);
    // Live: the track is replaced (no new producer) and the server told.
    await publisher.stopScreenShare();
    await publisher.startScreenShare();
    expect(calls.filter((c) => c.startsWith('produce') || c.startsWith('setSource'))).toEqual([
      'produce:video:1:screen',
      'produce:audio:1',
      'setSource:pr_1:camera',
      'setSource:pr_1:screen',
    ]);
    expect(publisher.getSnapshot().screenSharing).toBe(true);
  });

  it('takes mute and quality before its engine loads, and they apply to the tracks it opens', async () => {
    const { signalling, calls } = recordingSignalling();
    const { mediaDevices, opened } = devices();
    const publisher = new Publisher({} as OnAirClient, {
      streamId: 'str_1',
      signalling,
      mediaDevices,
      handlerFactory,
    });
    open.push(publisher);
    publisher.setAudioMuted(true);
    publisher.setVideoMuted(true);
    await publisher.setQuality('360p');
    expect(publisher.getSnapshot()).toMatchObject({
      status: 'idle',
      audioMuted: true,
      videoMuted: true,
      quality: '360p',
    });
    await expect(publisher.setQuality('8k' as never)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(opened).toEqual([]);
    const stream = await publisher.preview();
    expect(stream.getAudioTracks()[0]?.enabled).toBe(false);
    expect(stream.getVideoTracks()[0]?.enabled).toBe(false);
    expect(publisher.getSnapshot()).toMatchObject({ status: 'previewing', quality: '360p' });
    expect(calls).toEqual([]);
  });

  it("captures no more than the stream's quality preset: preview and setQuality are capped", async () => {
    const { mediaDevices } = devices();
    const asked: Array<MediaTrackConstraints | boolean | undefined> = [];
    const getUserMedia = mediaDevices.getUserMedia.bind(mediaDevices);
    mediaDevices.getUserMedia = (constraints) => {
      asked.push(constraints?.video);
      return getUserMedia(constraints);
    };
    const read: string[] = [];
    const client = {
      streams: {
        get: async (id: string) => {
          read.push(id);
          return streamFixture({ id, qualityPreset: '360p' });
        },
      },
    } as unknown as OnAirClient;
    const publisher = new Publisher(client, { streamId: 'str_1', mediaDevices, quality: '1080p' });
    open.push(publisher);
    // Nothing is known of the stream before capture opens.
    expect(publisher.getSnapshot().quality).toBe('1080p');
    await publisher.preview();
    expect(read).toEqual(['str_1']);
    expect(asked).toMatchObject([{ height: { ideal: 360 } }]);
    expect(publisher.getSnapshot()).toMatchObject({ quality: '360p', maxQuality: '360p' });
    const camera = publisher.getSnapshot().mediaStream?.getVideoTracks()[0] as FakeMediaStreamTrack;
    for (const quality of ['4k', '1080p'] as const) {
      await publisher.setQuality(quality);
      expect(camera.getConstraints()).toMatchObject({ height: { ideal: 360 } });
      expect(publisher.getSnapshot().quality).toBe('360p');
    }
    // Below the cap, as asked.
    await publisher.setQuality('360p');
    expect(publisher.getSnapshot().quality).toBe('360p');
    // A camera that refuses the new size: the browser's error, typed.
    camera.applyConstraints = () =>
      Promise.reject(new DOMException('Cannot satisfy', 'OverconstrainedError'));
    await expect(publisher.setQuality('360p')).rejects.toMatchObject({
      name: 'OnAirError',
      code: 'DEVICE_NOT_FOUND',
    });
  });

  it("caps a screen shared before any preview to the stream's preset, follows setQuality, and still opens the microphone", async () => {
    const { mediaDevices } = devices();
    const asked: Array<MediaTrackConstraints | boolean | undefined> = [];
    mediaDevices.getDisplayMedia = async (constraints) => {
      asked.push(constraints?.video);
      return new MediaStream([
        new FakeMediaStreamTrack({ kind: 'video', label: 'screen' }) as never,
      ]);
    };
    const client = {
      streams: { get: async (id: string) => streamFixture({ id, qualityPreset: '480p' }) },
    } as unknown as OnAirClient;
    const publisher = new Publisher(client, { streamId: 'str_1', mediaDevices, quality: '1080p' });
    open.push(publisher);
    await publisher.startScreenShare();
    // The picker opened as asked (the preset unread yet), then the screen was resized to it.
    expect(asked).toMatchObject([{ height: { max: 1080 } }]);
    expect(publisher.getSnapshot()).toMatchObject({ quality: '480p', maxQuality: '480p' });
    const screen = publisher.getSnapshot().mediaStream?.getVideoTracks()[0] as FakeMediaStreamTrack;
    expect(screen.label).toBe('screen');
    expect(screen.getConstraints()).toMatchObject({ width: { max: 854 }, height: { max: 480 } });
    await publisher.setQuality('360p');
    expect(screen.getConstraints()).toMatchObject({ width: { max: 640 }, height: { max: 360 } });
    await publisher.setQuality('4k');
    expect(screen.getConstraints()).toMatchObject({ height: { max: 480 } });
    // The screen is not a preview: camera and microphone open beside it, and the screen stays.
    const stream = await publisher.preview();
    expect(stream.getAudioTracks()).toHaveLength(1);
    expect(stream.getVideoTracks()[0]?.label).toBe('screen');
    expect(publisher.getSnapshot()).toMatchObject({ status: 'previewing', screenSharing: true });
  });

  it('opens the picker before the preset is read, lets go of a screen chosen after a stop, and previews a screen with no camera', async () => {
    const { mediaDevices } = devices();
    let choose: (stream: MediaStream) => void = () => {};
    const events: string[] = [];
    mediaDevices.getDisplayMedia = () => {
      events.push('picker');
      return new Promise((resolve) => {
        choose = resolve;
      });
    };
    // No camera here: only the microphone opens.
    const getUserMedia = mediaDevices.getUserMedia.bind(mediaDevices);
    mediaDevices.getUserMedia = (constraints) =>
      constraints?.video
        ? Promise.reject(new DOMException('No camera', 'NotFoundError'))
        : getUserMedia(constraints);
    let failRead = false;
    let answerRead: () => void = () => {};
    let readAnswered = new Promise<void>((resolve) => {
      answerRead = resolve;
    });
    const client = {
      streams: {
        get: async (id: string) => {
          events.push('read');
          await readAnswered;
          if (failRead) throw new Error('offline');
          return streamFixture({ id, qualityPreset: '480p' });
        },
      },
    } as unknown as OnAirClient;
    const publisher = new Publisher(client, { streamId: 'str_1', mediaDevices, quality: '1080p' });
    open.push(publisher);
    const screen = () => new FakeMediaStreamTrack({ kind: 'video', label: 'screen' });

    // Stopped while the user chooses: the screen chosen is stopped, and nothing is shared.
    const first = publisher.startScreenShare();
    await new Promise((resolve) => setTimeout(resolve));
    // The picker is open before the server answers.
    expect(events).toEqual(['read', 'picker']);
    await publisher.stop();
    const late = screen();
    choose(new MediaStream([late as never]));
    answerRead();
    await expect(first).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(late.readyState).toBe('ended');
    expect(publisher.getSnapshot()).toMatchObject({ status: 'ended', screenSharing: false });

    // Chosen, then ended from the browser's own controls before the preset came: not shared.
    readAnswered = new Promise<void>((resolve) => {
      answerRead = resolve;
    });
    const ended = publisher.startScreenShare();
    await new Promise((resolve) => setTimeout(resolve));
    const gone = screen();
    choose(new MediaStream([gone as never]));
    await new Promise((resolve) => setTimeout(resolve));
    gone.dispatchEvent(new Event('ended'));
    answerRead();
    await expect(ended).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(publisher.getSnapshot()).toMatchObject({ screenSharing: false, mediaStream: null });

    // Shared, then resized to the preset read meanwhile; a failed read later keeps that cap.
    readAnswered = Promise.resolve();
    const second = publisher.startScreenShare();
    await new Promise((resolve) => setTimeout(resolve));
    const shared = screen();
    choose(new MediaStream([shared as never]));
    await second;
    expect(shared.getConstraints()).toMatchObject({ height: { max: 480 } });
    expect(publisher.getSnapshot()).toMatchObject({ screenSharing: true, maxQuality: '480p' });
    failRead = true;
    await publisher.stopScreenShare();
    const third = publisher.startScreenShare();
    await new Promise((resolve) => setTimeout(resolve));
    choose(new MediaStream([screen() as never]));
    await third;
    expect(publisher.getSnapshot()).toMatchObject({ maxQuality: '480p', quality: '480p' });

    // No camera: the preview is the screen and the microphone, and the user is told why.
    const stream = await publisher.preview();
    expect(stream.getVideoTracks()[0]?.label).toBe('screen');
    expect(stream.getAudioTracks()).toHaveLength(1);
    expect(publisher.getSnapshot()).toMatchObject({
      status: 'previewing',
      error: {
        code: 'DEVICE_NOT_FOUND',
        message: expect.stringMatching(/^The camera did not open/),
      },
    });
  });

  it('opens one camera for two previews at once, and none when stopped while the preset is read', async () => {
    /** A client whose read of the stream waits for `release`. */
    function heldClient() {
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let reads = 0;
      const client = {
        streams: {
          get: async (id: string) => {
            reads++;
            await held;
            return streamFixture({ id, qualityPreset: '720p' });
          },
        },
      } as unknown as OnAirClient;
      return { client, release, reads: () => reads };
    }

    const both = heldClient();
    const { mediaDevices, opened } = devices();
    const publisher = new Publisher(both.client, { streamId: 'str_1', mediaDevices });
    open.push(publisher);
    const first = publisher.preview();
    const second = publisher.preview();
    await expect.poll(both.reads).toBe(1);
    both.release();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(opened).toEqual(['cam1']);
    expect(both.reads()).toBe(1);

    const stopped = heldClient();
    const later = devices();
    const stopping = new Publisher(stopped.client, {
      streamId: 'str_1',
      mediaDevices: later.mediaDevices,
    });
    open.push(stopping);
    const previewing = stopping.preview();
    await expect.poll(stopped.reads).toBe(1);
    await stopping.stop();
    expect(stopping.getSnapshot()).toMatchObject({ status: 'ended', mediaStream: null });
    // A preview asked after the stop does not share the stopped one's fate: it opens, once
    // the stopped one has let go.
    const again = stopping.preview();
    stopped.release();
    await expect(previewing).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(again).resolves.toBeInstanceOf(MediaStream);
    expect(later.opened).toEqual(['cam1']);
    expect(stopping.getSnapshot().status).toBe('previewing');
  });

  it('stops without loading its engine, and a destroy during the load opens no camera', async () => {
    const { signalling } = recordingSignalling();
    const { mediaDevices, opened } = devices();
    const options = { streamId: 'str_1', signalling, mediaDevices, handlerFactory };
    const idle = new Publisher({} as OnAirClient, options);
    await idle.stop();
    expect(idle.getSnapshot().status).toBe('ended');

    const publisher = new Publisher({} as OnAirClient, options);
    const previewing = publisher.preview();
    publisher.destroy();
    await expect(previewing).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(opened).toEqual([]);
    expect(publisher.getSnapshot().status).not.toBe('previewing');
  });

  it('fails with the typed error when the server refuses to produce', async () => {
    const { signalling } = recordingSignalling();
    signalling.produce = async () => {
      const { OnAirError } = await import('../errors.js');
      throw new OnAirError('FORBIDDEN', 'Only the stream owner may publish');
    };
    const publisher = new Publisher({} as OnAirClient, {
      streamId: 'str_1',
      signalling,
      mediaDevices: devices().mediaDevices,
      handlerFactory,
    });
    open.push(publisher);
    await expect(publisher.publish()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(publisher.getSnapshot().status).toBe('failed');
  });
});
