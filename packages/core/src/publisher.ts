import type { RtpParameters } from '@onair/protocol';
import type { types as MediasoupTypes } from 'mediasoup-client';
import type { OnAirClient } from './client.js';
import { OnAirError } from './errors.js';
import { type MediaSignalling, realtimeSignalling } from './media-signalling.js';
import { Subscribable } from './subscribable.js';

/** Lifecycle of a {@link Publisher}. */
export type PublisherStatus = 'idle' | 'previewing' | 'connecting' | 'live' | 'ended' | 'failed';

/** Snapshot of a {@link Publisher}. */
export interface PublisherState {
  status: PublisherStatus;
  /** The local camera/mic stream, for preview. */
  mediaStream: MediaStream | null;
  error: OnAirError | null;
}

/** Options of {@link Publisher}. */
export interface PublisherOptions {
  /** Stream to publish to (must be live: call `client.streams.start` first). */
  streamId: string;
  /** Camera constraints, or false for audio only. Default: 1280×720. */
  video?: boolean | MediaTrackConstraints;
  /** Microphone constraints, or false for video only. Default: true. */
  audio?: boolean | MediaTrackConstraints;
  /** Maximum video bitrate, bits/s. Default 2,500,000. */
  maxVideoBitrate?: number;
  /**
   * Send three simulcast layers (a quarter, half and full resolution) so
   * real-time viewers on slow links get a smaller one. Costs the publisher
   * about 30 % more upload and encoding. Default false.
   */
  simulcast?: boolean;
  /** Media signalling; default: the OnAir server over the client's realtime connection. */
  signalling?: MediaSignalling;
  /** `navigator.mediaDevices` stand-in (tests, embedded webviews). */
  mediaDevices?: MediaDevices;
}

const INITIAL: PublisherState = { status: 'idle', mediaStream: null, error: null };

/**
 * The video encodings to send: one, or three simulcast layers, lowest first
 * (the order mediasoup and the OnAir SFU expect), sharing the bitrate about
 * 1 : 3 : 12 like libwebrtc's own simulcast defaults.
 */
export function videoEncodings(maxBitrate: number, simulcast: boolean): RTCRtpEncodingParameters[] {
  if (!simulcast) return [{ maxBitrate }];
  return [
    { scaleResolutionDownBy: 4, maxBitrate: Math.round(maxBitrate / 16) },
    { scaleResolutionDownBy: 2, maxBitrate: Math.round(maxBitrate / 4) },
    { scaleResolutionDownBy: 1, maxBitrate },
  ];
}

/** Maps a getUserMedia / WebRTC failure to a typed error. */
export function mediaError(error: unknown): OnAirError {
  if (error instanceof OnAirError) return error;
  const name = (error as { name?: string } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  const opts = { cause: error };
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new OnAirError(
        'PERMISSION_DENIED',
        'Camera or microphone permission was denied',
        undefined,
        opts,
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new OnAirError('DEVICE_NOT_FOUND', 'No camera or microphone matches', undefined, opts);
    case 'NotReadableError':
    case 'AbortError':
      return new OnAirError('DEVICE_IN_USE', 'The camera or microphone is in use', undefined, opts);
    case 'UnsupportedError':
    case 'TypeError':
      return new OnAirError('NOT_SUPPORTED', message, undefined, opts);
    default:
      return OnAirError.from(error);
  }
}

/**
 * Captures camera and microphone and publishes them to a live stream with
 * mediasoup-client (loaded on first publish).
 *
 * @example
 * ```ts
 * const publisher = new Publisher(client, { streamId });
 * video.srcObject = await publisher.preview();
 * await publisher.publish();
 * ```
 */
export class Publisher extends Subscribable<PublisherState> {
  protected snapshot: PublisherState = INITIAL;
  private readonly signalling: MediaSignalling;
  private transport: MediasoupTypes.Transport | undefined;
  private destroyed = false;
  private offServerClose: (() => void) | undefined;

  constructor(
    private readonly client: OnAirClient,
    private readonly options: PublisherOptions,
  ) {
    super();
    this.signalling = options.signalling ?? realtimeSignalling(client.realtime);
  }

  // The server ends a session (key rotated, stream ended) by closing our transport.
  private watchServerClose(transportId: string): void {
    if (this.options.signalling) return;
    this.offServerClose?.();
    this.offServerClose = this.client.realtime.on('media:transportClosed', (closed) => {
      if (closed.transportId !== transportId) return;
      this.offServerClose?.();
      this.transport?.close();
      this.transport = undefined;
      for (const track of this.snapshot.mediaStream?.getTracks() ?? []) track.stop();
      if (closed.reason === 'stream-ended') {
        this.update({ status: 'ended', mediaStream: null });
      } else {
        const error =
          closed.reason === 'key-rotated'
            ? new OnAirError(
                'UNAUTHORIZED',
                'The stream key was rotated: this publishing session ended',
              )
            : new OnAirError('NETWORK', 'The media server closed the connection');
        this.update({ status: 'failed', mediaStream: null, error });
      }
    });
  }

  private get mediaDevices(): MediaDevices {
    const devices = this.options.mediaDevices ?? globalThis.navigator?.mediaDevices;
    if (!devices?.getUserMedia) {
      throw new OnAirError(
        'NOT_SUPPORTED',
        'This browser cannot capture media (is the page served over HTTPS?)',
      );
    }
    return devices;
  }

  /** Opens camera and microphone (asking permission) and returns the preview stream. */
  async preview(): Promise<MediaStream> {
    if (this.snapshot.mediaStream) return this.snapshot.mediaStream;
    try {
      const mediaStream = await this.mediaDevices.getUserMedia({
        video: this.options.video ?? { width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: this.options.audio ?? true,
      });
      if (this.destroyed) {
        for (const track of mediaStream.getTracks()) track.stop();
        throw new OnAirError('CONFLICT', 'Publisher was destroyed');
      }
      this.update({ status: 'previewing', mediaStream, error: null });
      return mediaStream;
    } catch (error) {
      return this.fail(error);
    }
  }

  /** Publishes the preview tracks (opening them first if needed). */
  async publish(): Promise<void> {
    if (this.snapshot.status === 'live' || this.snapshot.status === 'connecting') return;
    const mediaStream = await this.preview();
    this.update({ status: 'connecting', error: null });
    try {
      const { Device } = await import('mediasoup-client');
      const { streamId } = this.options;
      const device = new Device();
      await device.load({
        routerRtpCapabilities: (await this.signalling.getRouterCapabilities(
          streamId,
        )) as MediasoupTypes.RtpCapabilities,
      });
      const params = await this.signalling.createTransport(streamId, 'send');
      const transport = device.createSendTransport({
        id: params.id,
        iceParameters: params.iceParameters as MediasoupTypes.IceParameters,
        iceCandidates: params.iceCandidates.map(
          (c) => ({ ...c, ip: c.ip ?? c.address }) as MediasoupTypes.IceCandidate,
        ),
        dtlsParameters: params.dtlsParameters as MediasoupTypes.DtlsParameters,
        iceServers: [],
      });
      this.transport = transport;
      this.watchServerClose(transport.id);
      transport.on('connect', ({ dtlsParameters }, callback, errback) => {
        this.signalling
          .connectTransport(transport.id, dtlsParameters as never)
          .then(callback, errback);
      });
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        this.signalling
          .produce(transport.id, kind, rtpParameters as RtpParameters, appData)
          .then(({ producerId }) => callback({ id: producerId }), errback);
      });
      transport.on('connectionstatechange', (state) => {
        if (state === 'failed' && this.snapshot.status !== 'ended') {
          this.fail(new OnAirError('NETWORK', 'Media connection failed')).catch(() => undefined);
        }
      });
      const [video] = mediaStream.getVideoTracks();
      const [audio] = mediaStream.getAudioTracks();
      if (video) {
        await transport.produce({
          track: video,
          encodings: videoEncodings(
            this.options.maxVideoBitrate ?? 2_500_000,
            this.options.simulcast ?? false,
          ),
          codecOptions: { videoGoogleStartBitrate: 1000 },
        });
      }
      if (audio) await transport.produce({ track: audio });
      this.update({ status: 'live' });
    } catch (error) {
      await this.closeTransport();
      await this.fail(error);
    }
  }

  /** Stops publishing and releases camera and microphone. */
  async stop(): Promise<void> {
    await this.closeTransport();
    for (const track of this.snapshot.mediaStream?.getTracks() ?? []) track.stop();
    this.update({ status: 'ended', mediaStream: null });
  }

  /** Stops everything. Idempotent. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    void this.stop();
  }

  private async closeTransport(): Promise<void> {
    this.offServerClose?.();
    this.offServerClose = undefined;
    const transport = this.transport;
    this.transport = undefined;
    if (!transport) return;
    transport.close();
    await this.signalling.closeTransport(transport.id).catch(() => undefined);
  }

  private async fail(error: unknown): Promise<never> {
    const typed = mediaError(error);
    this.update({ status: 'failed', error: typed });
    throw typed;
  }

  private update(patch: Partial<PublisherState>): void {
    this.setSnapshot({ ...this.snapshot, ...patch });
  }
}
