import { join } from 'node:path';
import type {
  ConsumerOptions,
  DtlsParameters,
  ProduceRequest,
  ProducerInfo,
  RtpCapabilities,
  RtpParameters,
  TransportOptions,
} from '@onair/protocol';
import { OnAirError } from '@onair/protocol';
import { type RTCCertificate, RTCDtlsTransport } from 'werift';
import { Consumer } from './sfu/consumer.js';
import { HlsPackager, type PackagerSource, type Recording } from './hls/packager.js';
import type { LadderOptions } from './hls/ladder.js';
import type { LlHlsTiming } from './hls/segmenter.js';
import { Producer } from './sfu/producer.js';
import { ROUTER_RTP_CAPABILITIES } from './sfu/router-capabilities.js';
import { RtpPackagerSource } from './sfu/rtp-source.js';
import { WebRtcTransport } from './sfu/webrtc-transport.js';

/** Options of {@link MediaPlane}. */
export interface MediaPlaneOptions {
  hlsDir: string;
  ffmpegPath: string;
  /** LL-HLS segment and part durations and the live (DVR) window. */
  timing: LlHlsTiming;
  ladder: LadderOptions;
  x264Preset: string;
  vaapiDevice?: string | undefined;
  thumbnailSeconds: number;
  keyframeIntervalMs: number;
  announcedAddresses: string[] | undefined;
  /** Package HLS with ffmpeg. When false, publishing still works (for real-time use). */
  hls: boolean;
  /** Bitrate the SFU lets a publisher's video reach (REMB), bits/s. */
  maxIncomingBitrate?: number;
  /** Receive transports (real-time viewers) per stream; 0 turns real-time viewing off. Default 50. */
  maxRealtimeViewers?: number;
  log: (message: string) => void;
}

/** What the media plane tells the rest of the server. */
export interface MediaPlaneEvents {
  producer: (info: ProducerInfo) => void;
  producerClosed: (info: ProducerInfo) => void;
  /** A stream's publisher started sending (true) or has none left (false). */
  publisher: (info: { streamId: string; connected: boolean }) => void;
  /** A stream's recording is complete: its VOD playlists are written. */
  recording: (info: { streamId: string } & Recording) => void;
  /** The server closed a transport; `owner` is the realtime connection that made it. */
  transportClosed: (info: {
    owner: string;
    transportId: string;
    reason: TransportCloseReason;
  }) => void;
}

/** What {@link MediaPlane.ingestCounters} reports. */
export interface IngestCounters {
  ingest: 'webrtc' | 'whip' | 'rtmp';
  /** Bytes received so far. */
  bytes: number;
  /** Video RTP packets expected (by sequence number) and received so far. */
  expected: number;
  received: number;
  jitterMs: number;
  frameRate: number;
  width: number;
  height: number;
  keyframeIntervalSeconds: number | undefined;
}

/** Why the server closed a transport. */
export type TransportCloseReason = 'key-rotated' | 'stream-ended' | 'failed';

interface TransportEntry {
  transport: WebRtcTransport;
  streamId: string;
  direction: 'send' | 'recv';
  /** The realtime connection that created it; only it may use the transport. */
  owner: string;
  producers: Set<Producer>;
  consumers: Map<string, Consumer>;
  /** MIDs handed to this transport's consumers. */
  mids: number;
}

const PACKAGER_DEBOUNCE_MS = 400;

/**
 * The embedded SFU: WebRTC transports in the mediasoup model, producers
 * grouped per stream (the stream source), and an HLS packager per stream.
 */
export class MediaPlane {
  private readonly transports = new Map<string, TransportEntry>();
  private readonly producersByStream = new Map<string, Map<string, Producer>>();
  private readonly packagers = new Map<string, HlsPackager>();
  /** Encoder sources (RTMP) by stream; they take the place of SFU producers for HLS. */
  private readonly ingests = new Map<string, PackagerSource>();
  /** Streams that have a publisher (SFU video producer or encoder source). */
  private readonly publishing = new Set<string>();
  /** Streams being ended: their publishers leaving is no drop. */
  private readonly ending = new Set<string>();
  private readonly packagerTimers = new Map<string, NodeJS.Timeout>();
  private readonly listeners: { [K in keyof MediaPlaneEvents]: Set<MediaPlaneEvents[K]> } = {
    producer: new Set(),
    producerClosed: new Set(),
    publisher: new Set(),
    recording: new Set(),
    transportClosed: new Set(),
  };
  private closed = false;

  private constructor(
    private readonly options: MediaPlaneOptions,
    private readonly certificate: RTCCertificate,
  ) {}

  /** Creates the media plane (generates the DTLS certificate). */
  static async create(options: MediaPlaneOptions): Promise<MediaPlane> {
    const certificate = await RTCDtlsTransport.SetupCertificate();
    return new MediaPlane(options, certificate);
  }

  /** Subscribes to media plane events. */
  on<K extends keyof MediaPlaneEvents>(name: K, listener: MediaPlaneEvents[K]): () => void {
    this.listeners[name].add(listener);
    return () => this.listeners[name].delete(listener);
  }

  /** Bitrate a publisher's video may reach (REMB), bits/s. */
  get maxIncomingBitrate(): number {
    return this.options.maxIncomingBitrate ?? 3_000_000;
  }

  /** Packets received by a producer (WHIP liveness), or undefined when it is gone. */
  packetsOf(streamId: string, producerId: string): number | undefined {
    return this.producersByStream.get(streamId)?.get(producerId)?.packetsReceived;
  }

  /** Router RTP capabilities. */
  capabilities(): RtpCapabilities {
    return ROUTER_RTP_CAPABILITIES;
  }

  /** Where a stream's HLS output lives. */
  hlsDirOf(streamId: string): string {
    return join(this.options.hlsDir, streamId);
  }

  /**
   * Sets (or, with undefined, clears) a stream's encoder source: an RTMP
   * publisher. The HLS ladder is made from it; when it goes away the
   * packager waits for the next publisher.
   */
  setIngestSource(streamId: string, source: PackagerSource | undefined): void {
    if (source) this.ingests.set(streamId, source);
    else this.ingests.delete(streamId);
    this.schedulePackager(streamId);
  }

  /** Streams with a publisher right now. */
  get publishingStreams(): string[] {
    return [...this.publishing];
  }

  /**
   * Cumulative ingest counters of a stream's publisher and what its top
   * rendition shows (for stream health); undefined without a publisher.
   */
  ingestCounters(streamId: string): IngestCounters | undefined {
    if (!this.publishing.has(streamId)) return undefined;
    const ingest = this.ingests.get(streamId);
    const producers = [...(this.producersByStream.get(streamId)?.values() ?? [])];
    const video = producers.find((p) => p.kind === 'video');
    const owner = [...this.transports.values()].find((e) =>
      e.producers.has(video as Producer),
    )?.owner;
    const top = this.packagers.get(streamId)?.renditions[0];
    const track = top?.tracks?.find((t) => t.kind === 'video');
    return {
      ingest: ingest ? 'rtmp' : owner?.startsWith('whip:') ? 'whip' : 'webrtc',
      bytes: ingest
        ? ((ingest as { bytesReceived?: number }).bytesReceived ?? 0)
        : producers.reduce((sum, p) => sum + p.stats.bytes, 0),
      expected: video?.stats.expected ?? 0,
      received: video?.stats.received ?? 0,
      jitterMs: video?.stats.jitterMs ?? 0,
      frameRate: top?.frameRate ?? 0,
      width: track?.width ?? 0,
      height: track?.height ?? 0,
      keyframeIntervalSeconds: top?.keyframeInterval,
    };
  }

  /** A stream's live HLS packager, while the stream is live. */
  hls(streamId: string): HlsPackager | undefined {
    return this.packagers.get(streamId);
  }

  /** Producers currently live in a stream. */
  producersOf(streamId: string): ProducerInfo[] {
    return [...(this.producersByStream.get(streamId)?.values() ?? [])].map((p) => ({
      streamId,
      producerId: p.id,
      kind: p.kind,
    }));
  }

  /** Creates a transport for `owner` (a realtime connection id). */
  async createTransport(
    streamId: string,
    direction: 'send' | 'recv',
    owner: string,
  ): Promise<TransportOptions> {
    if (this.closed) throw new OnAirError('MEDIA_UNAVAILABLE', 'Media plane is shut down');
    if (direction === 'recv') {
      const max = this.options.maxRealtimeViewers ?? 50;
      if (max <= 0) {
        throw new OnAirError(
          'MEDIA_UNAVAILABLE',
          'Real-time viewing is off on this server; use HLS',
        );
      }
      let viewers = 0;
      for (const e of this.transports.values()) {
        if (e.streamId === streamId && e.direction === 'recv') viewers++;
      }
      if (viewers >= max) {
        throw new OnAirError('STREAM_FULL', 'Real-time viewing of this stream is full; use HLS', {
          maxRealtimeViewers: max,
        });
      }
    }
    const transport = await WebRtcTransport.create({
      certificate: this.certificate,
      announcedAddresses: this.options.announcedAddresses,
    });
    const entry: TransportEntry = {
      transport,
      streamId,
      direction,
      owner,
      producers: new Set(),
      consumers: new Map(),
      mids: 0,
    };
    this.transports.set(transport.id, entry);
    transport.onStateChange((state) => {
      if (state === 'failed') void this.closeTransport(transport.id, owner, 'failed');
    });
    return transport.options;
  }

  private entry(transportId: string, owner: string): TransportEntry {
    const entry = this.transports.get(transportId);
    if (!entry || entry.owner !== owner) throw new OnAirError('NOT_FOUND', 'Transport not found');
    return entry;
  }

  /** Applies the client's DTLS parameters. */
  connectTransport(transportId: string, dtlsParameters: DtlsParameters, owner: string): void {
    this.entry(transportId, owner).transport.connect(dtlsParameters);
  }

  /** Starts receiving a track on a send transport. */
  produce(
    request: ProduceRequest,
    owner: string,
    options: { learnSsrc?: boolean } = {},
  ): { producerId: string } {
    const entry = this.entry(request.transportId, owner);
    if (entry.direction !== 'send') {
      throw new OnAirError('BAD_REQUEST', 'Cannot produce on a receive transport');
    }
    const streamProducers = this.producersByStream.get(entry.streamId) ?? new Map();
    if ([...streamProducers.values()].some((p) => p.kind === request.kind)) {
      throw new OnAirError('CONFLICT', `This stream already has a ${request.kind} producer`);
    }
    const producer = new Producer(
      entry.streamId,
      request.kind,
      request.rtpParameters,
      entry.transport,
      this.maxIncomingBitrate,
      options,
    );
    entry.producers.add(producer);
    streamProducers.set(producer.id, producer);
    this.producersByStream.set(entry.streamId, streamProducers);
    this.emit('producer', {
      streamId: entry.streamId,
      producerId: producer.id,
      kind: producer.kind,
    });
    this.schedulePackager(entry.streamId);
    return { producerId: producer.id };
  }

  /**
   * Creates a paused consumer of a producer of the transport's stream, for
   * the viewer's device capabilities. The client resumes it once its track
   * is ready ({@link resumeConsumer}).
   */
  consume(
    request: { transportId: string; producerId: string; rtpCapabilities: RtpCapabilities },
    owner: string,
    /** The m-section's MID (WHEP); default: the transport's next. */
    mid?: string,
  ): ConsumerOptions & { spatialLayers: number } {
    const entry = this.entry(request.transportId, owner);
    if (entry.direction !== 'recv') {
      throw new OnAirError('BAD_REQUEST', 'Cannot consume on a send transport');
    }
    const producer = this.producersByStream.get(entry.streamId)?.get(request.producerId);
    if (!producer) throw new OnAirError('NOT_FOUND', 'Producer not found in this stream');
    const consumer = new Consumer(
      producer,
      entry.transport,
      request.rtpCapabilities,
      mid ?? String(entry.mids++),
    );
    entry.consumers.set(consumer.id, consumer);
    consumer.onClose(() => entry.consumers.delete(consumer.id));
    return {
      id: consumer.id,
      producerId: producer.id,
      kind: producer.kind,
      rtpParameters: consumer.plan.rtpParameters as RtpParameters,
      spatialLayers: producer.layers.length,
    };
  }

  private consumer(consumerId: string, owner: string): Consumer {
    for (const entry of this.transports.values()) {
      if (entry.owner !== owner) continue;
      const consumer = entry.consumers.get(consumerId);
      if (consumer) return consumer;
    }
    throw new OnAirError('NOT_FOUND', 'Consumer not found');
  }

  /** Starts a consumer's media (from the next keyframe). */
  resumeConsumer(consumerId: string, owner: string): void {
    this.consumer(consumerId, owner).resume();
  }

  /** Holds a consumer's media back. */
  pauseConsumer(consumerId: string, owner: string): void {
    this.consumer(consumerId, owner).pause();
  }

  /** Caps a consumer's simulcast layer (0 = lowest). */
  setPreferredLayer(consumerId: string, layer: number, owner: string): void {
    this.consumer(consumerId, owner).setPreferredLayer(layer);
  }

  /** A consumer, for tests and stats. */
  consumerOf(consumerId: string): Consumer | undefined {
    for (const entry of this.transports.values()) {
      const consumer = entry.consumers.get(consumerId);
      if (consumer) return consumer;
    }
    return undefined;
  }

  /**
   * Closes a transport and its producers. With a `reason`, the server closed it
   * (not the client), and its owner is told.
   */
  async closeTransport(
    transportId: string,
    owner: string,
    reason?: TransportCloseReason,
  ): Promise<void> {
    const entry = this.transports.get(transportId);
    if (!entry || entry.owner !== owner) return;
    this.transports.delete(transportId);
    if (reason) this.emit('transportClosed', { owner, transportId, reason });
    for (const consumer of [...entry.consumers.values()]) consumer.close();
    for (const producer of entry.producers) this.removeProducer(producer);
    await entry.transport.close();
  }

  /** Closes every transport a realtime connection created (on disconnect). */
  async closeOwner(owner: string): Promise<void> {
    const ids = [...this.transports.entries()]
      .filter(([, e]) => e.owner === owner)
      .map(([id]) => id);
    await Promise.all(ids.map((id) => this.closeTransport(id, owner)));
  }

  /** Disconnects a stream's publishers (their key was rotated); viewers' transports stay. */
  async endPublishers(streamId: string): Promise<void> {
    const entries = [...this.transports.values()].filter(
      (e) => e.streamId === streamId && e.direction === 'send',
    );
    await Promise.all(
      entries.map((e) => this.closeTransport(e.transport.id, e.owner, 'key-rotated')),
    );
  }

  /** Ends all media of a stream (the stream ended). */
  async endStream(streamId: string): Promise<void> {
    this.ending.add(streamId);
    this.publishing.delete(streamId);
    try {
      const entries = [...this.transports.values()].filter((e) => e.streamId === streamId);
      await Promise.all(
        entries.map((e) => this.closeTransport(e.transport.id, e.owner, 'stream-ended')),
      );
      await this.endPackager(streamId);
    } finally {
      this.ending.delete(streamId);
    }
  }

  /** Shuts everything down: transports, packagers, ffmpeg children. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const entries = [...this.transports.values()];
    await Promise.all(entries.map((e) => this.closeTransport(e.transport.id, e.owner)));
    await Promise.all([...this.packagers.keys()].map((id) => this.endPackager(id)));
    for (const timer of this.packagerTimers.values()) clearTimeout(timer);
    this.packagerTimers.clear();
  }

  private removeProducer(producer: Producer): void {
    producer.close();
    const streamProducers = this.producersByStream.get(producer.streamId);
    streamProducers?.delete(producer.id);
    if (streamProducers?.size === 0) this.producersByStream.delete(producer.streamId);
    this.emit('producerClosed', {
      streamId: producer.streamId,
      producerId: producer.id,
      kind: producer.kind,
    });
    this.schedulePackager(producer.streamId);
  }

  // Producers of one publisher arrive a few ms apart: wait for the set to settle.
  private schedulePackager(streamId: string): void {
    if (this.closed) return;
    const hasPublisher =
      this.ingests.has(streamId) ||
      [...(this.producersByStream.get(streamId)?.values() ?? [])].some((p) => p.kind === 'video');
    if (hasPublisher !== this.publishing.has(streamId) && !this.ending.has(streamId)) {
      if (hasPublisher) this.publishing.add(streamId);
      else this.publishing.delete(streamId);
      this.emit('publisher', { streamId, connected: hasPublisher });
    }
    clearTimeout(this.packagerTimers.get(streamId));
    const timer = setTimeout(() => {
      this.packagerTimers.delete(streamId);
      void this.restartPackager(streamId);
    }, PACKAGER_DEBOUNCE_MS);
    timer.unref();
    this.packagerTimers.set(streamId, timer);
  }

  // Keeps the packager for the stream's lifetime: a new publisher replaces its
  // source (a discontinuity), a departed one leaves it waiting.
  private async restartPackager(streamId: string): Promise<void> {
    if (this.closed || !this.options.hls) return;
    const producers = [...(this.producersByStream.get(streamId)?.values() ?? [])];
    const video = producers.find((p) => p.kind === 'video');
    const ingest = this.ingests.get(streamId);
    let packager = this.packagers.get(streamId);
    if (!video && !ingest) {
      await packager?.setSource(undefined);
      return;
    }
    if (!packager) {
      packager = new HlsPackager({
        outDir: this.hlsDirOf(streamId),
        ffmpegPath: this.options.ffmpegPath,
        timing: this.options.timing,
        ladder: this.options.ladder,
        x264Preset: this.options.x264Preset,
        vaapiDevice: this.options.vaapiDevice,
        keyframeIntervalMs: this.options.keyframeIntervalMs,
        thumbnailSeconds: this.options.thumbnailSeconds,
        log: (message) => this.options.log(`[hls ${streamId}] ${message}`),
      });
      this.packagers.set(streamId, packager);
      await packager.init();
    }
    const audio = producers.find((p) => p.kind === 'audio');
    await packager.setSource(
      ingest ?? (video && new RtpPackagerSource(video, audio, this.hlsDirOf(streamId))),
    );
  }

  private async endPackager(streamId: string): Promise<void> {
    this.ingests.delete(streamId);
    this.publishing.delete(streamId);
    clearTimeout(this.packagerTimers.get(streamId));
    this.packagerTimers.delete(streamId);
    const packager = this.packagers.get(streamId);
    if (!packager) return;
    this.packagers.delete(streamId);
    const recording = await packager.end();
    if (recording.renditions.length > 0) this.emit('recording', { streamId, ...recording });
  }

  private emit<K extends keyof MediaPlaneEvents>(
    name: K,
    ...args: Parameters<MediaPlaneEvents[K]>
  ): void {
    for (const listener of this.listeners[name]) {
      try {
        (listener as (...a: Parameters<MediaPlaneEvents[K]>) => void)(...args);
      } catch (error) {
        this.options.log(`media listener failed: ${String(error)}`);
      }
    }
  }
}
