import type { RtpParameters } from '@onair/protocol';
import type { types as MediasoupTypes } from 'mediasoup-client';
import type { MediaSignalling } from '../transport/media-signalling.js';
import { kit } from './engine-kit.js';
import type { MediaSender, OutgoingTracks, TrackSender, VideoSending } from './sender.js';

/** The Device of a publisher's sessions, loaded once: the router's capabilities do not change. */
export function sfuDevice(
  signalling: MediaSignalling,
  streamId: string,
  handlerFactory: MediasoupTypes.HandlerFactory | undefined,
): () => Promise<MediasoupTypes.Device> {
  let loaded: MediasoupTypes.Device | undefined;
  return async () => {
    loaded ??= await kit.loadDevice(signalling, streamId, handlerFactory);
    return loaded;
  };
}

/** What an {@link SfuSender} needs. */
export interface SfuSenderOptions {
  signalling: MediaSignalling;
  streamId: string;
  device: () => Promise<MediasoupTypes.Device>;
  tracks: OutgoingTracks;
  sending: VideoSending;
  /** Told the send transport's id as soon as it exists (the server may close it). */
  onTransport(transportId: string): void;
}

const producerSender = (
  producer: MediasoupTypes.Producer,
  signalling: MediaSignalling,
): TrackSender => ({
  replace: async (track, source) => {
    await producer.replaceTrack({ track });
    if (source) await signalling.setSource?.(producer.id, source);
  },
  stats: () => producer.getStats(),
  setMaxBitrate: (maxBitrate) => producer.setRtpEncodingParameters({ maxBitrate }),
});

/** A publishing session over the SFU, in the mediasoup model: one send transport, a producer per track. */
export class SfuSender implements MediaSender {
  video: TrackSender | undefined;
  audio: TrackSender | undefined;
  #transport: MediasoupTypes.Transport | undefined;
  #closed = false;
  readonly #options: SfuSenderOptions;

  constructor(options: SfuSenderOptions) {
    this.#options = options;
  }

  async connect(onState: (state: RTCPeerConnectionState) => void): Promise<void> {
    const { signalling, streamId, tracks, sending } = this.#options;
    const device = await this.#options.device();
    const params = await signalling.createTransport(streamId, 'send');
    const transport = device.createSendTransport(kit.transportOptions(params));
    // Closed while the server made it: nothing may be sent on it.
    if (this.#closed) {
      transport.close();
      return;
    }
    this.#transport = transport;
    this.#options.onTransport(transport.id);
    kit.connectThrough(signalling, transport);
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      signalling
        .produce(transport.id, kind, rtpParameters as RtpParameters, appData)
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
    transport.on('connectionstatechange', onState);
    const video = tracks.video;
    if (video) {
      const codec = device.rtpCapabilities.codecs?.find((c) =>
        new RegExp(`^video/${sending.codec}$`, 'i').test(c.mimeType),
      );
      const producer = await transport.produce({
        track: video,
        encodings: kit.videoEncodings(
          sending.maxBitrate(),
          sending.simulcast,
          sending.maxFrameRate,
        ),
        codecOptions: { videoGoogleStartBitrate: 1000 },
        ...(codec ? { codec } : {}),
        // The track is ours to stop (devices switch under a live producer).
        stopTracks: false,
        disableTrackOnPause: false,
        appData: { source: tracks.source },
      });
      this.video = producerSender(producer, signalling);
    }
    const audio = tracks.audio;
    if (audio) {
      const producer = await transport.produce({
        track: audio,
        stopTracks: false,
        disableTrackOnPause: false,
      });
      this.audio = producerSender(producer, signalling);
    }
  }

  closeLocally(): void {
    this.#closed = true;
    this.#transport?.close();
  }

  async closeOnServer(): Promise<void> {
    if (this.#transport) await this.#options.signalling.closeTransport(this.#transport.id);
  }
}
