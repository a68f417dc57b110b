import type { ProducerInfo } from '@onair/protocol';
import { Emitter } from '../platform/emitter.js';
import type { StreamHoldings } from './cluster/registry.js';
import type { CompositionLayout } from './compose/layout.js';
import type { Recording } from './hls/packager.js';
import { HlsScheduler, type HlsSchedulerOptions } from './hls/scheduler.js';
import { IngestRegistry } from './ingest/registry.js';
import { type RealtimeSlotOptions, SfuRouter } from './sfu/router.js';
import type { StreamSource } from './source.js';

/** Options of {@link MediaPlane}: the HLS scheduler's, and the SFU's. */
export interface MediaPlaneOptions extends Omit<HlsSchedulerOptions, 'enabled' | 'onWriteError'> {
  announcedAddresses: string[] | undefined;
  /** Package HLS with ffmpeg. When false, publishing still works (for real-time use). */
  hls: boolean;
  /** Bitrate the SFU lets a publisher's video reach (REMB), bits/s. */
  maxIncomingBitrate?: number;
  /** Receive transports (real-time viewers) per stream; 0 turns real-time viewing off. Default 50. */
  maxRealtimeViewers?: number;
  /** What one real-time viewer may hold, and when an unused slot is taken back. */
  realtimeSlots?: RealtimeSlotOptions;
  /** Told which streams' media this node holds (the media registry of a deployment). */
  holdings?: StreamHoldings;
  /** How a stage with several people is composed for HLS at first. Default `grid`. */
  stageLayout?: CompositionLayout;
}

/** What the media plane tells the rest of the server about streams. */
export interface MediaPlaneEvents {
  /** A stream's publisher started sending (true) or has none left (false). */
  publisher: { streamId: string; connected: boolean };
  /**
   * A stream's recording is complete on this node: its VOD playlists are
   * written. `superseded`: another node took the stream over meanwhile, so
   * this is a part that node's recording lacks.
   */
  recording: { streamId: string; superseded: boolean } & Recording;
  /** A file of a stream's recording could not be written (once per stream, the first failure). */
  recordingFailed: { streamId: string; error: Error };
  /**
   * A stream's publishers are being disconnected (its key was rotated, or it
   * ended): an encoder connection (RTMP) outside the SFU must go too.
   */
  publishersEnded: { streamId: string };
}

const encoderSessions = new WeakMap<StreamSource, number>();
let lastEncoderSession = 0;

/** A number for each encoder connection, the first time it is asked. */
function sessionOf(encoder: StreamSource): number {
  let session = encoderSessions.get(encoder);
  if (session === undefined) {
    session = ++lastEncoderSession;
    encoderSessions.set(encoder, session);
  }
  return session;
}

/** What {@link MediaPlane.ingestCounters} reports. */
export interface IngestCounters {
  ingest: 'webrtc' | 'whip' | 'rtmp';
  /**
   * Names the publishing session the counters belong to: a publisher that
   * reconnected (or another that joined) counts from zero again.
   */
  session: string;
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

/**
 * A stream's media, end to end: the SFU {@link SfuRouter} (browser and WHIP
 * publishers, real-time viewers), the {@link IngestRegistry} that says which
 * source feeds each stream (an encoder's, or the SFU's producers), and the
 * {@link HlsScheduler} that keeps each stream's LL-HLS packager fed. Ends a
 * stream's media and reports its publishers coming and going and its
 * recording.
 */
export class MediaPlane {
  /** The embedded SFU. */
  readonly router: SfuRouter;
  /** Each stream's HLS packager and output folder. */
  readonly hls: HlsScheduler;
  private readonly ingests: IngestRegistry;
  private readonly events: Emitter<MediaPlaneEvents>;
  /** Streams whose recording failed to write (reported once each). */
  private readonly failedRecordings = new Set<string>();
  private readonly holdings: StreamHoldings | undefined;
  private closed = false;

  private constructor(router: SfuRouter, options: MediaPlaneOptions) {
    this.router = router;
    this.events = new Emitter((error) => options.log(`media listener failed: ${String(error)}`));
    const {
      announcedAddresses,
      hls,
      maxIncomingBitrate,
      maxRealtimeViewers,
      realtimeSlots,
      holdings,
      stageLayout,
      ...scheduler
    } = options;
    this.holdings = holdings;
    this.hls = new HlsScheduler({
      ...scheduler,
      enabled: hls,
      onWriteError: (streamId, error) => {
        if (this.failedRecordings.has(streamId)) return;
        this.failedRecordings.add(streamId);
        this.events.emit('recordingFailed', { streamId, error });
      },
    });
    this.ingests = new IngestRegistry(
      router,
      (streamId) => this.hls.dirOf(streamId),
      (streamId, connected) => this.events.emit('publisher', { streamId, connected }),
      (streamId) => this.sourceChanged(streamId),
      {
        ffmpegPath: scheduler.ffmpegPath,
        layout: stageLayout ?? 'grid',
        keyframeSeconds: scheduler.timing.segmentTarget,
        x264Preset: scheduler.x264Preset,
      },
      options.log,
    );
  }

  /** Creates the media plane (the SFU generates its DTLS certificate). */
  static async create(options: MediaPlaneOptions): Promise<MediaPlane> {
    let plane: MediaPlane | undefined;
    const router = await SfuRouter.create({
      announcedAddresses: options.announcedAddresses,
      maxIncomingBitrate: options.maxIncomingBitrate,
      maxRealtimeViewers: options.maxRealtimeViewers,
      realtimeSlots: options.realtimeSlots,
      onProducersChanged: (streamId) => plane?.sourceChanged(streamId),
      log: options.log,
    });
    plane = new MediaPlane(router, options);
    return plane;
  }

  /** Subscribes to stream events; returns the unsubscribe function. */
  on<K extends keyof MediaPlaneEvents>(
    name: K,
    listener: (payload: MediaPlaneEvents[K]) => void,
  ): () => void {
    return this.events.on(name, listener);
  }

  /** Producers currently live in a stream. */
  producersOf(streamId: string): ProducerInfo[] {
    return this.router.producersOf(streamId);
  }

  /**
   * Sets (or, with undefined, clears) a stream's encoder source: an RTMP
   * publisher. The HLS ladder is made from it; when it goes away the
   * packager waits for the next publisher.
   */
  setIngestSource(streamId: string, source: StreamSource | undefined): void {
    this.ingests.setEncoder(streamId, source);
    this.sourceChanged(streamId);
  }

  private sourceChanged(streamId: string): void {
    if (this.closed) return;
    this.ingests.changed(streamId);
    // Its publisher is here: so is its media, until the stream ends.
    if (this.ingests.isPublishing(streamId)) this.holdings?.hold(streamId);
    this.hls.schedule(streamId, () => this.ingests.sourceOf(streamId));
  }

  /**
   * Sets the layout of a stream's composed stage picture (what HLS viewers
   * and the recording see while more than one person publishes): it changes
   * live, without a discontinuity.
   */
  setStageLayout(streamId: string, layout: CompositionLayout): void {
    this.ingests.setLayout(streamId, layout);
  }

  /** Streams with a publisher right now. */
  get publishingStreams(): string[] {
    return this.ingests.publishingStreams;
  }

  /**
   * Cumulative ingest counters of a stream's publisher and what its top
   * rendition shows (for stream health); undefined without a publisher.
   */
  ingestCounters(streamId: string): IngestCounters | undefined {
    if (!this.ingests.isPublishing(streamId)) return undefined;
    const encoder = this.ingests.encoderOf(streamId);
    const producers = this.router.hostProducers(streamId);
    const video = producers.find((p) => p.kind === 'video');
    const owner = video && this.router.ownerOf(video);
    const top = this.hls.live(streamId)?.renditions[0];
    const track = top?.tracks?.find((t) => t.kind === 'video');
    return {
      ingest: encoder ? 'rtmp' : owner?.startsWith('whip:') ? 'whip' : 'webrtc',
      session: encoder ? `rtmp:${sessionOf(encoder)}` : producers.map((p) => p.id).join(' '),
      bytes: encoder
        ? (encoder.bytesReceived ?? 0)
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

  /**
   * Disconnects a stream's host publishers (the stream key was rotated);
   * viewers' transports, and the stage's members (who publish with their own
   * tokens), stay.
   */
  async endPublishers(streamId: string): Promise<void> {
    this.events.emit('publishersEnded', { streamId });
    await this.router.closeStream(streamId, 'key-rotated', 'host');
  }

  /** Ends all media of a stream (the stream ended): transports, packaging, then the recording. */
  async endStream(streamId: string): Promise<void> {
    this.events.emit('publishersEnded', { streamId });
    await this.ingests.duringEnd(streamId, async () => {
      await this.router.closeStream(streamId, 'stream-ended');
      await this.endPackaging(streamId);
    });
  }

  private async endPackaging(streamId: string): Promise<void> {
    this.ingests.forget(streamId);
    const superseded = this.holdings?.superseded?.(streamId) ?? false;
    this.holdings?.release(streamId);
    const recording = await this.hls.end(streamId);
    this.failedRecordings.delete(streamId);
    if (recording) this.events.emit('recording', { streamId, superseded, ...recording });
  }

  /** Shuts everything down: transports, packagers, ffmpeg children. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hls.close();
    await this.router.close();
    await Promise.all(this.hls.streams.map((id) => this.endPackaging(id)));
  }
}
