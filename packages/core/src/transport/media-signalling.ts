import type {
  ConsumerOptions,
  DtlsParameters,
  MediaKind,
  RtpCapabilities,
  RtpParameters,
  TransportOptions,
  VideoSource,
} from '@onair/protocol';
import type { types as MediasoupTypes } from 'mediasoup-client';
import type { RealtimeConnection } from './realtime.js';

/**
 * mediasoup-client transport options from a server's transport description
 * (candidates as mediasoup-client wants them; no ICE servers: the server is
 * ICE-lite and reachable).
 */
export function transportOptions(params: TransportOptions): MediasoupTypes.TransportOptions {
  return {
    id: params.id,
    iceParameters: params.iceParameters as MediasoupTypes.IceParameters,
    iceCandidates: params.iceCandidates.map(
      (c) => ({ ...c, ip: c.ip ?? c.address }) as MediasoupTypes.IceCandidate,
    ),
    dtlsParameters: params.dtlsParameters as MediasoupTypes.DtlsParameters,
    iceServers: [],
  };
}

/**
 * How the Publisher and Player talk to a media server, in the mediasoup
 * model. The default goes through OnAir's realtime connection; a host app
 * that runs its own mediasoup server implements this interface instead.
 */
export interface MediaSignalling {
  getRouterCapabilities(streamId: string): Promise<RtpCapabilities>;
  createTransport(streamId: string, direction: 'send' | 'recv'): Promise<TransportOptions>;
  connectTransport(transportId: string, dtlsParameters: DtlsParameters): Promise<void>;
  produce(
    transportId: string,
    kind: MediaKind,
    rtpParameters: RtpParameters,
    appData?: Record<string, unknown>,
  ): Promise<{ producerId: string }>;
  consume(
    transportId: string,
    producerId: string,
    rtpCapabilities: RtpCapabilities,
  ): Promise<ConsumerOptions>;
  resumeConsumer(consumerId: string): Promise<void>;
  /** Holds a consumer's media back (optional: not every server has it). */
  pauseConsumer?(consumerId: string): Promise<void>;
  /** Caps a consumer's simulcast layer, 0 = lowest (optional). */
  preferLayer?(consumerId: string, spatialLayer: number): Promise<void>;
  closeTransport(transportId: string): Promise<void>;
  /** Says what a video producer shows now, a camera or a screen (optional). */
  setSource?(producerId: string, source: VideoSource): Promise<void>;
}

/** {@link MediaSignalling} over the OnAir realtime connection. */
export function realtimeSignalling(realtime: RealtimeConnection): MediaSignalling {
  return {
    getRouterCapabilities: (streamId) => realtime.request('media:capabilities', { streamId }),
    createTransport: (streamId, direction) =>
      realtime.request('media:createTransport', { streamId, direction }),
    connectTransport: async (transportId, dtlsParameters) => {
      await realtime.request('media:connectTransport', { transportId, dtlsParameters });
    },
    produce: (transportId, kind, rtpParameters, appData) =>
      realtime.request('media:produce', {
        transportId,
        kind,
        rtpParameters,
        ...(appData ? { appData } : {}),
      }),
    consume: (transportId, producerId, rtpCapabilities) =>
      realtime.request('media:consume', { transportId, producerId, rtpCapabilities }),
    resumeConsumer: async (consumerId) => {
      await realtime.request('media:resume', { consumerId });
    },
    pauseConsumer: async (consumerId) => {
      await realtime.request('media:pause', { consumerId });
    },
    preferLayer: async (consumerId, spatialLayer) => {
      await realtime.request('media:preferLayer', {
        consumerId,
        spatialLayer: Math.max(0, Math.min(3, Math.floor(spatialLayer))),
      });
    },
    closeTransport: async (transportId) => {
      await realtime.request('media:close', { transportId });
    },
    setSource: async (producerId, source) => {
      await realtime.request('media:setSource', { producerId, source });
    },
  };
}

/**
 * Loads mediasoup-client (on first use, so pages that never publish or play
 * in real time do not pay for it) and a Device for the stream's router.
 */
export async function loadDevice(
  signalling: MediaSignalling,
  streamId: string,
  handlerFactory: MediasoupTypes.HandlerFactory | undefined,
): Promise<MediasoupTypes.Device> {
  const { Device } = await import('mediasoup-client');
  const device = new Device(handlerFactory ? { handlerFactory } : {});
  const routerRtpCapabilities = await signalling.getRouterCapabilities(streamId);
  await device.load({
    routerRtpCapabilities: routerRtpCapabilities as MediasoupTypes.RtpCapabilities,
  });
  return device;
}

/** Lets a mediasoup-client transport connect (DTLS) through `signalling` when it first needs to. */
export function connectThrough(
  signalling: MediaSignalling,
  transport: MediasoupTypes.Transport,
): void {
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    signalling.connectTransport(transport.id, dtlsParameters as never).then(callback, errback);
  });
}
