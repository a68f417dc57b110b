import { ComposedSource, type ComposedSourceOptions } from '../compose/composed-source.js';
import type { CompositionLayout } from '../compose/layout.js';
import type { SfuRouter } from '../sfu/router.js';
import { RtpStreamSource } from '../sfu/rtp-source.js';
import type { StreamSource } from '../source.js';

/** How {@link IngestRegistry} composes a stage (see {@link ComposedSource}). */
export interface CompositionOptions extends Omit<ComposedSourceOptions, 'dir' | 'layout' | 'log'> {
  /** The layout a stage starts with. */
  layout: CompositionLayout;
}

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
  /** Each stream's composition (while more than one person publishes), and its layout. */
  private readonly compositions = new Map<string, ComposedSource>();
  private readonly layouts = new Map<string, CompositionLayout>();

  constructor(
    private readonly router: SfuRouter,
    /** Folder for a stream's RTP source files (ffmpeg's SDP). */
    private readonly dirOf: (streamId: string) => string,
    /** A stream's publisher arrived (true) or none is left (false). */
    private readonly onPublisher: (streamId: string, connected: boolean) => void,
    private readonly composition: CompositionOptions,
    private readonly log: (message: string) => void,
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

  /**
   * What feeds the stream now: the encoder; else the SFU's host video (and
   * audio) alone, or, with others on the stage publishing too, everyone
   * composed into one picture; undefined without the host's video.
   */
  sourceOf(streamId: string): StreamSource | undefined {
    const encoder = this.encoders.get(streamId);
    if (encoder) return encoder;
    const people = this.router.stagePeople(streamId);
    const host = people[0];
    if (!host?.host || !host.video) return undefined;
    if (people.length === 1) {
      this.compositions.delete(streamId);
      const { video, audio } = host;
      return new RtpStreamSource(
        video,
        audio,
        this.dirOf(streamId),
        'source',
        `rtp ${video.id} ${audio?.id ?? '-'}`,
      );
    }
    const key = people
      .map((p) => `${p.userId}:${p.video?.id ?? '-'}:${p.audio?.id ?? '-'}`)
      .join(' ');
    const current = this.compositions.get(streamId);
    if (current?.key === key) return current;
    const composed = new ComposedSource(
      people,
      {
        ...this.composition,
        dir: this.dirOf(streamId),
        layout: this.layouts.get(streamId) ?? this.composition.layout,
        log: (message) => this.log(`[stage ${streamId}] ${message}`),
      },
      key,
    );
    // Who was large stays large in the new picture.
    const large = current?.largeUser;
    if (large) composed.showLarge(large);
    this.compositions.set(streamId, composed);
    return composed;
  }

  /** Sets a stream's stage layout: its composed picture changes at once, live. */
  setLayout(streamId: string, layout: CompositionLayout): void {
    this.layouts.set(streamId, layout);
    this.compositions.get(streamId)?.setLayout(layout);
  }

  /** A stream's stage layout. */
  layoutOf(streamId: string): CompositionLayout {
    return this.layouts.get(streamId) ?? this.composition.layout;
  }

  /** Re-evaluates whether a stream has a publisher (its sources changed). */
  changed(streamId: string): void {
    const has =
      this.encoders.has(streamId) ||
      this.router.hostProducers(streamId).some((p) => p.kind === 'video');
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
    this.compositions.delete(streamId);
    this.layouts.delete(streamId);
  }
}
