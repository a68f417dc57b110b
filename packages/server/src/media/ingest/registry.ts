import type { SfuRouter } from '../sfu/router.js';
import { RtpStreamSource } from '../sfu/rtp-source.js';
import type { StreamSource } from '../source.js';

/**
 * Which source feeds each stream: an encoder's (RTMP) when one is attached,
 * else the SFU's producers (browser or WHIP). Tracks which streams have a
 * publisher and reports each change of that; a stream being ended reports
 * none (its publishers leaving is no drop).
 */
export class IngestRegistry {
  /** Encoder sources (RTMP) by stream; they take the place of SFU producers. */
  private readonly encoders = new Map<string, StreamSource>();
  private readonly publishing = new Set<string>();
  private readonly endingStreams = new Set<string>();

  constructor(
    private readonly router: SfuRouter,
    /** Folder for a stream's RTP source files (ffmpeg's SDP). */
    private readonly dirOf: (streamId: string) => string,
    /** A stream's publisher arrived (true) or none is left (false). */
    private readonly onPublisher: (streamId: string, connected: boolean) => void,
  ) {}

  /** Attaches (or, with undefined, detaches) a stream's encoder source. */
  setEncoder(streamId: string, source: StreamSource | undefined): void {
    if (source) this.encoders.set(streamId, source);
    else this.encoders.delete(streamId);
  }

  /** The stream's encoder source, if one is attached. */
  encoderOf(streamId: string): StreamSource | undefined {
    return this.encoders.get(streamId);
  }

  /** What feeds the stream now: the encoder, else its SFU video (and audio); undefined without a publisher. */
  sourceOf(streamId: string): StreamSource | undefined {
    const encoder = this.encoders.get(streamId);
    if (encoder) return encoder;
    const producers = this.router.localProducers(streamId);
    const video = producers.find((p) => p.kind === 'video');
    if (!video) return undefined;
    const audio = producers.find((p) => p.kind === 'audio');
    return new RtpStreamSource(video, audio, this.dirOf(streamId));
  }

  /** Re-evaluates whether a stream has a publisher (its sources changed). */
  changed(streamId: string): void {
    const has =
      this.encoders.has(streamId) ||
      this.router.localProducers(streamId).some((p) => p.kind === 'video');
    if (has === this.publishing.has(streamId) || this.endingStreams.has(streamId)) return;
    if (has) this.publishing.add(streamId);
    else this.publishing.delete(streamId);
    this.onPublisher(streamId, has);
  }

  /** Streams with a publisher right now. */
  get publishingStreams(): string[] {
    return [...this.publishing];
  }

  /** Whether a stream has a publisher. */
  isPublishing(streamId: string): boolean {
    return this.publishing.has(streamId);
  }

  /** Runs `end` as the stream's end: publishers leaving meanwhile are no drop. */
  async duringEnd<T>(streamId: string, end: () => Promise<T>): Promise<T> {
    this.endingStreams.add(streamId);
    this.publishing.delete(streamId);
    try {
      return await end();
    } finally {
      this.endingStreams.delete(streamId);
    }
  }

  /** Forgets a stream's encoder and publishing state. */
  forget(streamId: string): void {
    this.encoders.delete(streamId);
    this.publishing.delete(streamId);
  }
}
