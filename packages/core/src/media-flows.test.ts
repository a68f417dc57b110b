import type { ProducerInfo } from '@onair/protocol';
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import * as fakeParameters from 'mediasoup-client/fakeParameters';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OnAirClient } from './client.js';
import type { MediaSignalling } from './media-signalling.js';
import { Publisher } from './publisher.js';
import type { RealtimeConnection } from './realtime.js';
import { RealtimeViewer } from './realtime-viewer.js';

/*
 * The signalling flows of the Publisher and the RealtimeViewer, with
 * mediasoup-client's FakeHandler standing in for the browser's WebRTC (the
 * Chromium tests run the same flows against the real server).
 */

// Node has no MediaStream: the smallest one the SDK uses.
class NodeMediaStream {
  private readonly tracks: MediaStreamTrack[];
  constructor(tracks: MediaStreamTrack[] = []) {
    this.tracks = [...tracks];
  }
  addTrack(track: MediaStreamTrack) {
    this.tracks.push(track);
  }
  removeTrack(track: MediaStreamTrack) {
    this.tracks.splice(this.tracks.indexOf(track), 1);
  }
  getTracks() {
    return [...this.tracks];
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
}
beforeAll(() => {
  (globalThis as { MediaStream?: unknown }).MediaStream ??= NodeMediaStream;
});

const handlerFactory = FakeHandler.createFactory(fakeParameters);

/** A signalling double that answers like a mediasoup server and records every call. */
function recordingSignalling() {
  const calls: string[] = [];
  let produced = 0;
  const signalling: Required<MediaSignalling> = {
    getRouterCapabilities: async () => {
      calls.push('capabilities');
      return fakeParameters.generateRouterRtpCapabilities() as never;
    },
    createTransport: async (_streamId, direction) => {
      calls.push(`createTransport:${direction}`);
      return fakeParameters.generateTransportRemoteParameters() as never;
    },
    connectTransport: async () => {
      calls.push('connect');
    },
    produce: async (_transportId, kind, rtpParameters) => {
      calls.push(`produce:${kind}:${rtpParameters.encodings?.length ?? 0}`);
      return { producerId: `pr_${++produced}` };
    },
    consume: async (_transportId, producerId) => {
      calls.push(`consume:${producerId}`);
      const kind = producerId.includes('audio') ? 'audio' : 'video';
      const options = fakeParameters.generateConsumerRemoteParameters({
        codecMimeType: kind === 'audio' ? 'audio/opus' : 'video/VP8',
      });
      return { ...options, producerId, kind, spatialLayers: kind === 'video' ? 3 : 1 } as never;
    },
    resumeConsumer: async () => {
      calls.push('resume');
    },
    pauseConsumer: async () => {
      calls.push('pause');
    },
    preferLayer: async (_id, layer) => {
      calls.push(`preferLayer:${layer}`);
    },
    closeTransport: async () => {
      calls.push('close');
    },
  };
  return { signalling, calls };
}

/** The realtime connection's room and events, for a stream whose producers the test decides. */
function roomOf(producers: ProducerInfo[]) {
  const listeners = new Map<string, (payload: unknown) => void>();
  const realtime = {
    holdRoom: () => ({
      joined: Promise.resolve({ producers }),
      onRejoin: () => () => undefined,
      onRejoinError: () => () => undefined,
      release: () => undefined,
    }),
    on: (name: string, listener: (payload: unknown) => void) => {
      listeners.set(name, listener);
      return () => listeners.delete(name);
    },
    onReconnect: () => () => undefined,
  } as unknown as RealtimeConnection;
  const emit = (name: string, payload: unknown) => listeners.get(name)?.(payload);
  return { realtime, emit };
}

const open: Array<{ close?(): void; destroy?(): void }> = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close ? o.close() : o.destroy?.();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('RealtimeViewer signalling', () => {
  it('consumes every producer, resumes after the consumer exists, follows producers, prefers layers', async () => {
    const { signalling, calls } = recordingSignalling();
    const { realtime, emit } = roomOf([
      { streamId: 'str_1', producerId: 'pr_video1', kind: 'video' },
      { streamId: 'str_1', producerId: 'pr_audio1', kind: 'audio' },
    ]);
    const viewer = new RealtimeViewer({ realtime, streamId: 'str_1', signalling, handlerFactory });
    open.push(viewer);
    const stream = await viewer.start();
    expect(calls).toEqual([
      'capabilities',
      'createTransport:recv',
      'consume:pr_video1',
      'connect', // the transport connects with its first consumer
      'resume',
      'consume:pr_audio1',
      'resume',
    ]);
    expect(stream.getTracks().map((t) => t.kind)).toEqual(['video', 'audio']);
    expect(viewer.getSnapshot()).toMatchObject({ status: 'playing', spatialLayers: 3 });

    // The publisher leaves and comes back with new producers.
    emit('media:producerClosed', { streamId: 'str_1', producerId: 'pr_video1', kind: 'video' });
    await settle();
    expect(viewer.getSnapshot().status).toBe('waiting');
    emit('media:producer', { streamId: 'str_1', producerId: 'pr_video2', kind: 'video' });
    emit('media:producer', { streamId: 'str_other', producerId: 'pr_video9', kind: 'video' });
    await settle();
    expect(calls.slice(7)).toEqual(['consume:pr_video2', 'resume']);
    expect(viewer.getSnapshot().status).toBe('playing');
    expect(stream.getVideoTracks()).toHaveLength(1);

    await viewer.preferLayer(0);
    expect(calls.at(-1)).toBe('preferLayer:0');
    viewer.close();
    expect(calls.at(-1)).toBe('close');
    expect(viewer.getSnapshot().status).toBe('closed');
  });

  it('fails with the typed error of a refused transport', async () => {
    const { signalling } = recordingSignalling();
    signalling.createTransport = async () => {
      const { OnAirError } = await import('./errors.js');
      throw new OnAirError('STREAM_FULL', 'Real-time viewing of this stream is full');
    };
    const { realtime } = roomOf([{ streamId: 'str_1', producerId: 'pr_video1', kind: 'video' }]);
    const viewer = new RealtimeViewer({ realtime, streamId: 'str_1', signalling, handlerFactory });
    open.push(viewer);
    await expect(viewer.start()).rejects.toMatchObject({ code: 'STREAM_FULL' });
    expect(viewer.getSnapshot().status).toBe('failed');
  });
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

  it('fails with the typed error when the server refuses to produce', async () => {
    const { signalling } = recordingSignalling();
    signalling.produce = async () => {
      const { OnAirError } = await import('./errors.js');
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
