import type { ConsumerOptions, ProducerInfo } from '@onair/protocol';
import type { types as MediasoupTypes } from 'mediasoup-client';
import { OnAirError } from '../errors.js';
import { Subscribable } from '../subscribable.js';
import {
  connectThrough,
  loadDevice,
  type MediaSignalling,
  realtimeSignalling,
  transportOptions,
} from '../transport/media-signalling.js';
import type { RealtimeConnection, RoomLease } from '../transport/realtime.js';

/** Lifecycle of a {@link RealtimeViewer}. */
export type RealtimeViewerStatus =
  | 'idle'
  | 'connecting'
  | 'playing'
  | 'waiting'
  | 'failed'
  | 'closed';

/** Snapshot of a {@link RealtimeViewer}. */
export interface RealtimeViewerState {
  /** `waiting`: connected, but the stream has no video producer (publisher away). */
  status: RealtimeViewerStatus;
  /** The received tracks; the same object for the viewer's lifetime once connected. */
  mediaStream: MediaStream | null;
  /** Simulcast layers of the video (1 without simulcast). */
  spatialLayers: number;
  error: OnAirError | null;
}

/** Options of {@link RealtimeViewer}. */
export interface RealtimeViewerOptions {
  /** The realtime connection (`client.realtime`): the stream's room tells about producers. */
  realtime: RealtimeConnection;
  streamId: string;
  /** Signalling to a host's own mediasoup server; default: OnAir's realtime connection. */
  signalling?: MediaSignalling;
  /** mediasoup-client handler factory (React Native, tests with its FakeHandler); default: detected. */
  handlerFactory?: MediasoupTypes.HandlerFactory;
  /**
   * Keep audio and video in lip sync (one MediaStream id). Off by default:
   * the browser then holds video back to match audio's jitter buffer, which
   * roughly doubles the video's delay (about 50 ms more on loopback); without
   * it audio trails the picture by a few tens of milliseconds, well inside
   * what viewers notice (ITU-R BT.1359: 125 ms of audio lag).
   */
  lipSync?: boolean;
}

interface Consuming {
  producerId: string;
  consumer: MediasoupTypes.Consumer;
  options: ConsumerOptions & { spatialLayers?: number };
}

const INITIAL: RealtimeViewerState = {
  status: 'idle',
  mediaStream: null,
  spatialLayers: 1,
  error: null,
};

/**
 * Sub-second viewing: receives a live stream's tracks from the server's SFU
 * with mediasoup-client (loaded on first use), following the publisher as it
 * leaves and returns. The Player's real-time mode is built on it.
 *
 * @example
 * ```ts
 * const viewer = new RealtimeViewer({ realtime: client.realtime, streamId });
 * video.srcObject = await viewer.start();
 * ```
 */
export class RealtimeViewer extends Subscribable<RealtimeViewerState> {
  protected snapshot: RealtimeViewerState = INITIAL;
  private readonly signalling: MediaSignalling;
  private lease: RoomLease | undefined;
  private device: MediasoupTypes.Device | undefined;
  private transport: MediasoupTypes.Transport | undefined;
  private readonly consuming = new Map<string, Consuming>();
  private readonly offs: Array<() => void> = [];
  private preferredLayer: number | undefined;
  /** The server took back the transport of a viewer waiting for its publisher (`idle`). */
  private idle = false;
  private closed = false;
  /** Serialises consume/close work so producers come and go in order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: RealtimeViewerOptions) {
    super();
    this.signalling = options.signalling ?? realtimeSignalling(options.realtime);
  }

  /**
   * Joins the stream's room, opens a receive transport and consumes every
   * producer. Resolves with the MediaStream to show (its tracks appear as
   * they arrive); rejects with a typed error when real-time viewing is not
   * possible (`MEDIA_UNAVAILABLE`, `NOT_SUPPORTED`, `STREAM_NOT_LIVE`, ...).
   */
  async start(): Promise<MediaStream> {
    if (this.snapshot.mediaStream) return this.snapshot.mediaStream;
    if (this.closed) throw new OnAirError('CONFLICT', 'This viewer is closed');
    this.update({ status: 'connecting', error: null });
    const { realtime, streamId } = this.options;
    try {
      this.lease = realtime.holdRoom(streamId);
      const joined = await this.lease.joined;
      const device = await loadDevice(this.signalling, streamId, this.options.handlerFactory);
      this.device = device;
      const mediaStream = new MediaStream();
      this.update({ mediaStream });
      await this.openTransport();
      this.offs.push(
        realtime.on('media:producer', (info) => {
          if (info.streamId === streamId) this.enqueue(() => this.consume(info));
        }),
        realtime.on('media:producerClosed', (info) => {
          if (info.streamId === streamId) this.enqueue(async () => this.drop(info.producerId));
        }),
        realtime.on('media:transportClosed', ({ transportId, reason }) => {
          if (transportId !== this.transport?.id) return;
          if (reason === 'stream-ended') this.close();
          // Waiting for the publisher, the unused slot went back: take one again for its media.
          else if (reason === 'idle' && !this.consuming.size) this.idle = true;
          else this.fail(new OnAirError('NETWORK', `The server closed the connection (${reason})`));
        }),
        this.lease.onRejoin((answer) => {
          for (const info of answer.producers) this.enqueue(() => this.consume(info));
        }),
        // The server closes a connection's transports when its socket drops, even one
        // socket.io recovers: receive again on a new transport.
        realtime.onReconnect(() => this.enqueue(() => this.reopen()), { recovered: true }),
      );
      for (const info of joined.producers) this.enqueue(() => this.consume(info));
      await this.queue;
      if (this.snapshot.status === 'failed') throw this.snapshot.error;
      this.refreshStatus();
      return mediaStream;
    } catch (error) {
      const typed = OnAirError.from(error);
      this.fail(typed);
      throw typed;
    }
  }

  /** Opens the receive transport (again after a reconnection). */
  private async openTransport(): Promise<void> {
    const { device } = this;
    if (!device) return;
    this.idle = false;
    const params = await this.signalling.createTransport(this.options.streamId, 'recv');
    if (this.closed) throw new OnAirError('CONFLICT', 'This viewer is closed');
    const transport = device.createRecvTransport(transportOptions(params));
    this.transport = transport;
    connectThrough(this.signalling, transport);
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed' && this.transport === transport) {
        this.fail(new OnAirError('NETWORK', 'Media connection failed'));
      }
    });
  }

  /**
   * After the signalling connection dropped and came back: the server closed
   * this viewer's transport, so open a new one and consume the producers
   * again (the same ones, or the publisher's new ones as they are announced).
   */
  private async reopen(): Promise<void> {
    if (this.closed || this.snapshot.status === 'failed' || !this.transport) return;
    const producers = [...this.consuming.values()].map((c) => ({
      producerId: c.producerId,
      kind: c.options.kind,
    }));
    for (const { producerId } of producers) this.drop(producerId);
    const old = this.transport;
    this.transport = undefined;
    old.close();
    this.signalling.closeTransport(old.id).catch(() => undefined); // usually closed already
    this.update({ status: 'connecting' });
    // The server grants a transport only in the stream's room: after a reconnection it
    // could not recover, the room is being joined again first.
    const room = this.options.realtime.holdRoom(this.options.streamId);
    await room.joined.finally(room.release);
    await this.openTransport();
    for (const { producerId, kind } of producers) {
      try {
        await this.consume({ streamId: this.options.streamId, producerId, kind });
      } catch {
        // That producer is gone (its publisher reconnected too): its successor is announced.
      }
    }
    this.refreshStatus();
  }

  /**
   * Caps the simulcast layer received (0 = lowest); `undefined` lifts the cap.
   * The server still picks a lower layer when bandwidth is short.
   */
  async preferLayer(spatialLayer: number | undefined): Promise<void> {
    this.preferredLayer = spatialLayer;
    const video = [...this.consuming.values()].find((c) => c.options.kind === 'video');
    if (!video || !this.signalling.preferLayer) return;
    await this.signalling.preferLayer(video.options.id, spatialLayer ?? 3);
  }

  /** The video consumer's WebRTC statistics (inbound-rtp and friends), while receiving. */
  async stats(): Promise<RTCStatsReport | undefined> {
    const video = [...this.consuming.values()].find((c) => c.options.kind === 'video');
    return video?.consumer.getStats();
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: unknown) => {
      this.fail(OnAirError.from(error));
    });
  }

  private async consume(info: ProducerInfo): Promise<void> {
    if (this.idle) await this.reopen();
    const { transport, device } = this;
    if (this.closed || !transport || !device || this.consuming.has(info.producerId)) return;
    // One track per kind: a returning publisher's new producer replaces the old one.
    for (const [producerId, entry] of this.consuming) {
      if (entry.options.kind === info.kind) this.drop(producerId);
    }
    const options = (await this.signalling.consume(
      transport.id,
      info.producerId,
      device.rtpCapabilities as never,
    )) as Consuming['options'];
    if (this.closed) return;
    const consumer = await transport.consume({
      id: options.id,
      producerId: options.producerId,
      kind: options.kind,
      rtpParameters: options.rtpParameters as MediasoupTypes.RtpParameters,
      // A MediaStream id per kind: the browser then plays each as soon as it can, instead of
      // holding video back to match audio's larger jitter buffer (lip sync), which doubles
      // the delay. `lipSync: true` groups them.
      streamId: this.options.lipSync
        ? this.options.streamId
        : `${this.options.streamId}-${options.kind}`,
    });
    this.consuming.set(info.producerId, { producerId: info.producerId, consumer, options });
    this.snapshot.mediaStream?.addTrack(consumer.track);
    if (options.kind === 'video') {
      this.update({ spatialLayers: options.spatialLayers ?? 1 });
      if (this.preferredLayer !== undefined && this.signalling.preferLayer) {
        await this.signalling.preferLayer(options.id, this.preferredLayer);
      }
    }
    await this.signalling.resumeConsumer(options.id);
    this.refreshStatus();
  }

  private drop(producerId: string): void {
    const entry = this.consuming.get(producerId);
    if (!entry) return;
    this.consuming.delete(producerId);
    this.snapshot.mediaStream?.removeTrack(entry.consumer.track);
    entry.consumer.close();
    this.refreshStatus();
  }

  private refreshStatus(): void {
    if (this.closed || this.snapshot.status === 'failed' || !this.snapshot.mediaStream) return;
    const hasVideo = [...this.consuming.values()].some((c) => c.options.kind === 'video');
    this.update({ status: hasVideo ? 'playing' : 'waiting' });
  }

  private fail(error: OnAirError): void {
    if (this.closed) return;
    this.update({ status: 'failed', error });
    this.release();
  }

  private release(): void {
    for (const off of this.offs.splice(0)) off();
    for (const entry of this.consuming.values()) entry.consumer.close();
    this.consuming.clear();
    const transport = this.transport;
    this.transport = undefined;
    if (transport) {
      transport.close();
      this.signalling.closeTransport(transport.id).catch(() => undefined);
    }
    this.lease?.release();
    this.lease = undefined;
  }

  /** Stops receiving and leaves the room. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.release();
    this.closed = true;
    this.update({ status: 'closed' });
  }

  private update(patch: Partial<RealtimeViewerState>): void {
    this.setSnapshot({ ...this.snapshot, ...patch });
  }
}
