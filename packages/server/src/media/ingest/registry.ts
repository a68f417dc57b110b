import {
  ComposedSource,
  type ComposedSourceOptions,
  type StagePerson,
} from '../compose/composed-source.js';
import type { CompositionLayout } from '../compose/layout.js';
import type { Producer } from '../sfu/producer.js';
import type { SfuRouter, StagePublisher } from '../sfu/router.js';
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
  private readonly encoderIds = new WeakMap<StreamSource, number>();
  private encodersSeen = 0;
  private readonly publishing = new Set<string>();
  private readonly endingStreams = new Set<string>();
  /** Each stream's composition (while more than one person publishes), and its layout. */
  private readonly compositions = new Map<string, ComposedSource>();
  private readonly layouts = new Map<string, CompositionLayout>();
  /** Stage members' videos that stopped sending while their producer stayed, each with its watch for their return. */
  private readonly stalled = new Map<Producer, () => void>();

  constructor(
    private readonly router: SfuRouter,
    /** Folder for a stream's RTP source files (ffmpeg's SDP). */
    private readonly dirOf: (streamId: string) => string,
    /** A stream's publisher arrived (true) or none is left (false). */
    private readonly onPublisher: (streamId: string, connected: boolean) => void,
    /** What a stream's composition is made of changed by itself (a video stopped or came back). */
    private readonly onRecompose: (streamId: string) => void,
    private readonly composition: CompositionOptions,
    private readonly log: (message: string) => void,
  ) {}

  /** Attaches (or, with undefined, detaches) a stream's encoder source. */
  setEncoder(streamId: string, source: StreamSource | undefined): void {
    if (source) this.encoders.set(streamId, source);
    else this.encoders.delete(streamId);
  }

  /** A number for each encoder source, for the keys of compositions made with it. */
  private encoderId(source: StreamSource): number {
    let id = this.encoderIds.get(source);
    if (id === undefined) {
      id = ++this.encodersSeen;
      this.encoderIds.set(source, id);
    }
    return id;
  }

  /** The stream's encoder source, if one is attached. */
  encoderOf(streamId: string): StreamSource | undefined {
    return this.encoders.get(streamId);
  }

  /**
   * What feeds the stream now: the host alone (an encoder's RTMP, else the
   * SFU's host video and audio), or, with others on the stage publishing
   * too, everyone composed into one picture (a screen shared shown large);
   * undefined without the host's video.
   */
  sourceOf(streamId: string): StreamSource | undefined {
    const encoder = this.encoders.get(streamId);
    const all = this.router.stagePeople(streamId);
    const sharing = all.find((p) => p.video?.source === 'screen')?.userId;
    const people = this.withoutStalled(streamId, all);
    // Beside an encoder (the host), the SFU's people are the stage's members.
    const members = people.filter((p) => !p.host && (p.video || p.audio));
    if (encoder && !members.length) {
      this.compositions.delete(streamId);
      return encoder;
    }
    if (!encoder) {
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
    }
    const tracks = (p: StagePublisher) => `${p.userId}:${p.video?.id ?? '-'}:${p.audio?.id ?? '-'}`;
    const key = encoder
      ? [`host:encoder-${this.encoderId(encoder)}`, ...members.map(tracks)].join(' ')
      : people.map(tracks).join(' ');
    const composing: StagePerson[] = encoder ? [{ userId: 'host', encoder }, ...members] : people;
    const current = this.compositions.get(streamId);
    if (current?.key === key) {
      current.setScreen(sharing);
      return current;
    }
    const composed = new ComposedSource(
      composing,
      {
        ...this.composition,
        dir: this.dirOf(streamId),
        layout: this.layouts.get(streamId) ?? this.composition.layout,
        log: (message) => this.log(`[stage ${streamId}] ${message}`),
        onStalled: (userId) => this.stall(streamId, userId),
      },
      key,
    );
    // Who spoke stays large in the new picture; a screen shared takes their place.
    const speaker = current?.speakerUser;
    if (speaker) composed.showLarge(speaker);
    composed.setScreen(sharing);
    this.compositions.set(streamId, composed);
    return composed;
  }

  /**
   * The stage's people as the composition takes them: a member whose video
   * stopped is composed without it (their voice stays in the mix) until it
   * comes back; stalls of producers gone are forgotten.
   */
  private withoutStalled(streamId: string, people: StagePublisher[]): StagePublisher[] {
    const videos = new Set(people.map((p) => p.video));
    for (const [video, stopWatching] of this.stalled) {
      if (video.streamId === streamId && !videos.has(video)) {
        stopWatching();
        this.stalled.delete(video);
      }
    }
    return people.map((p) => {
      if (!p.video || !this.stalled.has(p.video)) return p;
      const { video: _stalled, ...rest } = p;
      return rest;
    });
  }

  /**
   * A member's video stopped while the composer ran (their producer stays:
   * a frozen tab, a lost network): the picture would wait for it, so a new
   * composition leaves it out, and its first packet back brings it in again
   * (a discontinuity each way).
   */
  private stall(streamId: string, userId: string): void {
    const video = this.router
      .stagePeople(streamId)
      .find((p) => !p.host && p.userId === userId)?.video;
    if (!video || this.stalled.has(video)) return;
    const stopWatching = video.onPacket(() => {
      stopWatching();
      if (this.stalled.delete(video)) this.onRecompose(streamId);
    });
    this.stalled.set(video, stopWatching);
    this.log(`[stage ${streamId}] ${userId}'s video stopped: composed without it until it returns`);
    this.onRecompose(streamId);
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
    this.withoutStalled(streamId, []);
  }
}
