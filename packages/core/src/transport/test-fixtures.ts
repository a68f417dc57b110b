import type { ProducerInfo, Stream } from '@onair/protocol';
import { DevTokenResponseSchema } from '@onair/protocol';
import * as fakeParameters from 'mediasoup-client/fakeParameters';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import { OnAirClient, type OnAirClientOptions } from './client.js';
import type { MediaSignalling } from './media-signalling.js';
import type { RealtimeConnection } from './realtime.js';

/** Test-only: a valid Stream resource with overrides. */
export function streamFixture(overrides: Partial<Stream> = {}): Stream {
  return {
    id: 'str_1',
    owner: { id: 'usr_1', displayName: 'Ada' },
    title: 'Office hours',
    description: '',
    category: null,
    tags: [],
    thumbnailUrl: null,
    status: 'scheduled',
    privacy: 'public',
    qualityPreset: '720p',
    recording: false,
    viewerLimit: null,
    chat: { enabled: true, mode: 'open', slowModeSeconds: 0, emoteOnly: false },
    reactionsEnabled: true,
    qnaEnabled: false,
    scheduledAt: null,
    startedAt: null,
    endedAt: null,
    createdAt: '2026-11-22T10:00:00.000Z',
    updatedAt: '2026-11-22T10:00:00.000Z',
    hlsUrl: null,
    viewerCount: null,
    recordingUrl: null,
    ...overrides,
  };
}

/** Test-only (browser): a signed-in client against the browser project's real server, via the test proxy. */
export async function signedInClient(
  displayName: string,
  options: Omit<OnAirClientOptions, 'baseUrl' | 'token'> = {},
): Promise<OnAirClient> {
  const response = await fetch(`${location.origin}/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  const { token } = DevTokenResponseSchema.parse(await response.json());
  return new OnAirClient({ baseUrl: location.origin, token, ...options });
}

// Node has no MediaStream: the smallest one the SDK uses.
/** Test-only (node). */
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
/** Test-only: gives Node the MediaStream the SDK uses (call from `beforeAll`). */
export function installMediaStream(): void {
  (globalThis as { MediaStream?: unknown }).MediaStream ??= NodeMediaStream;
}

/** Test-only: mediasoup-client's FakeHandler, standing in for the browser's WebRTC. */
export const handlerFactory = FakeHandler.createFactory(fakeParameters);

/** A signalling double that answers like a mediasoup server and records every call. */
export function recordingSignalling() {
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
    produce: async (_transportId, kind, rtpParameters, appData) => {
      const screen = appData?.source === 'screen' ? ':screen' : '';
      calls.push(`produce:${kind}:${rtpParameters.encodings?.length ?? 0}${screen}`);
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
    setSource: async (producerId, source) => {
      calls.push(`setSource:${producerId}:${source}`);
    },
    closeTransport: async () => {
      calls.push('close');
    },
  };
  return { signalling, calls };
}

/** The realtime connection's room and events, for a stream whose producers the test decides. */
export function roomOf(producers: ProducerInfo[], ownerId = 'usr_owner') {
  const listeners = new Map<string, (payload: unknown) => void>();
  const realtime = {
    holdRoom: () => ({
      joined: Promise.resolve({ producers, stream: { owner: { id: ownerId } } }),
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
