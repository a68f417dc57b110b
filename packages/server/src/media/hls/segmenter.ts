import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type JournalSegment,
  journalEntry,
  journalHeader,
  journalText,
} from '../recording/journal.js';
import type { PreviousRendition } from '../recording/recording.js';
import { type Fmp4Fragment, type Fmp4Track, parseFragment, parseInit } from './fmp4.js';
import { type CutEvent, PartCutter } from './part-cutter.js';
import {
  type LlHlsTiming,
  livePlaylist,
  type PlaylistSource,
  type RenderOptions,
  vodPlaylist,
} from './playlist.js';

interface Part {
  duration: number;
  independent: boolean;
  /** Nothing starts in it (a long frame spans it): listed with GAP=YES, never served. */
  gap: boolean;
  data: Buffer;
}

interface Segment {
  msn: number;
  duration: number;
  /** Index of the init segment (EXT-X-MAP) this segment needs. */
  init: number;
  discontinuity: boolean;
  programDateTime: number;
  /** Kept in memory for recent segments only (they are listed as EXT-X-PART). */
  parts: Part[] | undefined;
  /** Starts with a keyframe (false only when no keyframe came before TARGETDURATION). */
  independent?: boolean;
}

/** A blocking playlist request (`_HLS_msn`, `_HLS_part`). */
export interface BlockingRequest {
  msn: number;
  part?: number | undefined;
}

/** Parts are kept in memory for the segments of the last this many target durations. */
const PART_MEMORY_TARGET_DURATIONS = 6;
/** Video fragments the frame rate is measured over (about ten seconds at 30 fps). */
const FRAME_RATE_WINDOW = 300;
/**
 * One rendition of a Low-Latency HLS stream: takes the fMP4 init segment and
 * fragments ffmpeg writes, gathers fragments into parts on the media
 * timeline and parts into segments at keyframes ({@link PartCutter}), writes
 * init and segment files to `dir` (the recording) and renders the live and
 * VOD media playlists. Parts live in memory while they are listed.
 */
export class LlHlsRendition {
  private readonly segments: Segment[] = [];
  private open: Segment | undefined;
  private inits: Array<{ data: Buffer; tracks: Fmp4Track[] }> = [];
  private nextDiscontinuity = false;
  /** Whether the next segment starts with a keyframe. */
  private nextIndependent = true;
  private cutter: PartCutter<Fmp4Fragment> | undefined;
  private ended = false;
  private waiters = new Set<() => void>();
  private peakBitrate = 0;
  /** Frames and seconds of the last video fragments, for FRAME-RATE. */
  private recentVideo: Array<[frames: number, seconds: number]> = [];
  /** Decode times of the last fragments that start with a keyframe. */
  private keyframeTimes: number[] = [];
  /** Files written so far; awaited before the VOD playlist is. */
  private writes: Promise<unknown> = Promise.resolve();
  /** Segments and init segments whose file could not be written: left out of the recording. */
  private readonly failed = { segments: new Set<number>(), inits: new Set<number>() };
  /** The recording's growing playlist on disk: whether its head is written, the last init listed. */
  private journal = { started: false, init: -1, gap: false };
  /** Seconds of media appended so far (parts), for real-time checks. */
  mediaSeconds = 0;
  /** Longest part and segment seen (for validation and diagnostics). */
  readonly maxima = { part: 0, segment: 0 };
  /** The end of the newest fragment on ffmpeg's timeline, seconds (undefined before one). */
  private lastFragmentEnd: number | undefined;
  /** Segments cut without a keyframe because none came before TARGETDURATION. */
  dependentSegments = 0;

  constructor(
    readonly name: string,
    private readonly dir: string,
    readonly timing: LlHlsTiming,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  /** What the playlists are rendered from. */
  private get view(): PlaylistSource {
    return {
      segments: this.segments,
      open: this.open,
      ended: this.ended,
      targetDuration: this.targetDuration,
      timing: this.timing,
    };
  }

  /**
   * TARGETDURATION: twice the segment target. Segments end only at keyframes
   * (EXT-X-INDEPENDENT-SEGMENTS); a copied source's keyframes come when the
   * publisher sends them, and one asked for before a segment is due can come
   * late from a busy publisher: a whole segment of room before a segment is
   * cut without one.
   */
  get targetDuration(): number {
    return Math.ceil(this.timing.segmentTarget * 2);
  }

  /** Tracks of the current init segment, once ffmpeg has written it. */
  get tracks(): Fmp4Track[] | undefined {
    return this.inits.at(-1)?.tracks;
  }

  /** Highest bitrate of a finished segment, bits/s (0 before the first). */
  get peakBandwidth(): number {
    return Math.round(this.peakBitrate);
  }

  /** Average time between the last keyframes, seconds (undefined before two). */
  get keyframeInterval(): number | undefined {
    const times = this.keyframeTimes;
    const first = times[0];
    const last = times.at(-1);
    if (times.length < 2 || first === undefined || last === undefined || last <= first)
      return undefined;
    return (last - first) / (times.length - 1);
  }

  /** Frame rate measured over the last ten seconds or so of video (0 without video). */
  get frameRate(): number {
    let frames = 0;
    let seconds = 0;
    for (const [f, s] of this.recentVideo) {
      frames += f;
      seconds += s;
    }
    return seconds > 0 ? frames / seconds : 0;
  }

  /** Whether a segment has been completed (the rendition can be listed in the master playlist). */
  get ready(): boolean {
    return this.segments.length > 0;
  }

  /** The segment being filled: its sequence number and duration so far. */
  /** Where ffmpeg's output has reached on its timeline: the end of the newest fragment, seconds. */
  get mediaTime(): number | undefined {
    return this.lastFragmentEnd;
  }

  get openSegment(): { msn: number; duration: number } | undefined {
    return this.open ? { msn: this.open.msn, duration: this.open.duration } : undefined;
  }

  /** Media sequence number and part index of the newest part, if any. */
  get newest(): { msn: number; part: number } | undefined {
    if (this.open?.parts?.length) return { msn: this.open.msn, part: this.open.parts.length - 1 };
    const last = this.segments.at(-1);
    return last ? { msn: last.msn, part: (last.parts?.length ?? 1) - 1 } : undefined;
  }

  /** A new init segment: ffmpeg (re)started. Later segments follow a discontinuity. */
  addInit(data: Buffer): void {
    const tracks = parseInit(data);
    this.keyframeTimes = []; // a new ffmpeg starts a new timeline
    this.lastFragmentEnd = undefined;
    if (this.inits.length > 0) {
      if (this.cutter) this.apply(this.cutter.flush());
      this.closeOpenSegment();
      this.nextDiscontinuity = true;
    }
    const index = this.inits.length;
    this.inits.push({ data, tracks });
    const { partTarget, segmentTarget } = this.timing;
    this.cutter = new PartCutter(
      { partTarget, segmentTarget, maxSegment: this.targetDuration + 0.49 },
      tracks.some((t) => t.kind === 'video'),
    );
    this.nextIndependent = true;
    this.write(`init-${index}.mp4`, data, () => this.failed.inits.add(index));
  }

  /**
   * Continues a recording made before a restart: its segments stay listed
   * (read from disk), new ones follow after a discontinuity.
   */
  resume(previous: PreviousRendition): void {
    this.inits = previous.inits.map((data) => ({ data, tracks: parseInit(data) }));
    this.segments.push(...previous.segments.map((s) => ({ ...s, parts: undefined })));
    this.peakBitrate = previous.peakBitrate;
    this.nextDiscontinuity = true;
    const text = journalText(this.targetDuration, previous.segments, false);
    const last = previous.segments.at(-1);
    this.writes = this.writes.then(() =>
      writeFile(join(this.dir, 'index.m3u8'), text).then(
        () => {
          this.journal = { started: true, init: last?.init ?? -1, gap: false };
        },
        (error: Error) => this.onError(error),
      ),
    );
  }

  /**
   * A new fragment (ffmpeg writes one per frame, and audio between): handed
   * to the {@link PartCutter}, which says where parts and segments end.
   */
  addFragment(data: Buffer): void {
    const tracks = this.tracks;
    const cutter = this.cutter;
    if (!tracks || !cutter || this.ended) return;
    const fragment = parseFragment(data, tracks);
    this.lastFragmentEnd = fragment.startTime + fragment.duration;
    const video = fragment.videoFrames > 0;
    const events = cutter.push({
      payload: fragment,
      start: fragment.startTime,
      duration: fragment.duration,
      video,
      keyframe: fragment.independent,
    });
    // Measured from where the cutter began (not ffmpeg's stretched first pictures).
    if (video && !cutter.waiting) this.measureVideo(fragment);
    this.apply(events);
  }

  private measureVideo(fragment: Fmp4Fragment): void {
    this.recentVideo.push([fragment.videoFrames, fragment.duration]);
    if (this.recentVideo.length > FRAME_RATE_WINDOW) this.recentVideo.shift();
    if (fragment.independent) {
      this.keyframeTimes.push(fragment.startTime);
      if (this.keyframeTimes.length > 10) this.keyframeTimes.shift();
    }
  }

  private apply(events: ReadonlyArray<CutEvent<Fmp4Fragment>>): void {
    for (const event of events) {
      if (event.type === 'segment') {
        this.closeOpenSegment();
        this.nextIndependent = event.nextIndependent;
        if (!event.nextIndependent) this.dependentSegments++;
        continue;
      }
      const { part } = event;
      const segment = this.open ?? this.startSegment();
      segment.parts?.push({
        duration: part.duration,
        independent: part.independent,
        gap: part.gap,
        data: Buffer.concat(part.payloads.map((f) => f.data)),
      });
      segment.duration += part.duration;
      this.mediaSeconds += part.duration;
      this.maxima.part = Math.max(this.maxima.part, part.duration);
      this.wake();
    }
  }

  private startSegment(): Segment {
    const last = this.segments.at(-1);
    const segment: Segment = {
      msn: last ? last.msn + 1 : 0,
      duration: 0,
      init: this.inits.length - 1,
      discontinuity: this.nextDiscontinuity,
      programDateTime: Date.now(),
      parts: [],
      independent: this.nextIndependent,
    };
    this.nextDiscontinuity = false;
    this.open = segment;
    return segment;
  }

  private closeOpenSegment(): void {
    const segment = this.open;
    this.open = undefined;
    if (!segment?.parts?.length) return;
    const data = Buffer.concat(segment.parts.map((p) => p.data));
    this.segments.push(segment);
    this.maxima.segment = Math.max(this.maxima.segment, segment.duration);
    if (segment.duration > 0) {
      this.peakBitrate = Math.max(this.peakBitrate, (data.length * 8) / segment.duration);
    }
    this.record(segment, data);
    this.dropOldParts();
    this.wake();
  }

  private dropOldParts(): void {
    let listed = 0;
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const segment = this.segments[i];
      if (!segment) continue;
      if (listed >= this.targetDuration * PART_MEMORY_TARGET_DURATIONS) {
        if (!segment.parts) break;
        segment.parts = undefined;
      }
      listed += segment.duration;
    }
  }

  private write(file: string, data: Buffer, failed: () => void): void {
    this.writes = this.writes.then(() =>
      writeFile(join(this.dir, file), data).catch((error: Error) => {
        failed();
        this.onError(error);
      }),
    );
  }

  /** Writes a segment's file, then lists it in the recording's growing playlist. */
  private record(segment: Segment, data: Buffer): void {
    const entry: JournalSegment = {
      msn: segment.msn,
      duration: segment.duration,
      init: segment.init,
      discontinuity: segment.discontinuity,
      programDateTime: segment.programDateTime,
    };
    this.writes = this.writes.then(async () => {
      try {
        await writeFile(join(this.dir, `${segment.msn}.m4s`), data);
      } catch (error) {
        this.failed.segments.add(segment.msn);
        this.journal.gap = true;
        this.onError(error as Error);
        return;
      }
      if (this.failed.inits.has(segment.init)) {
        this.journal.gap = true;
        return;
      }
      const { journal } = this;
      const lines =
        (journal.started ? '' : journalHeader(this.targetDuration)) +
        journalEntry({ ...entry, discontinuity: entry.discontinuity || journal.gap }, journal.init);
      try {
        await appendFile(join(this.dir, 'index.m3u8'), lines);
        this.journal = { started: true, init: entry.init, gap: false };
      } catch (error) {
        this.journal.gap = true;
        this.onError(error as Error);
      }
    });
  }

  /** Files that could not be written so far (the recording is incomplete when above 0). */
  get writeFailures(): number {
    return this.failed.segments.size + this.failed.inits.size;
  }

  private wake(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** A part's bytes while it is listed. */
  part(msn: number, index: number): Buffer | undefined {
    const segment = this.open?.msn === msn ? this.open : this.segments.find((s) => s.msn === msn);
    const part = segment?.parts?.[index];
    return part && !part.gap ? part.data : undefined;
  }

  /** A completed segment's bytes while its parts are in memory (before and while its file is written). */
  segment(msn: number): Buffer | undefined {
    const segment = this.segments.find((s) => s.msn === msn);
    return segment?.parts ? Buffer.concat(segment.parts.map((p) => p.data)) : undefined;
  }

  /** An init segment by index (a new one follows each ffmpeg start). */
  init(index: number): Buffer | undefined {
    return this.inits[index]?.data;
  }

  /** Whether a blocking request can be answered now. */
  satisfies(request: BlockingRequest): boolean {
    if (this.ended) return true;
    const last = this.segments.at(-1);
    if (request.part === undefined) return !!last && last.msn >= request.msn;
    const newest = this.newest;
    if (!newest) return false;
    if (newest.msn > request.msn) return true;
    return newest.msn === request.msn && newest.part >= request.part;
  }

  /** Whether a blocking request is too far ahead to ever be waited for (answer 400). */
  tooFarAhead(request: BlockingRequest): boolean {
    const next = this.open?.msn ?? (this.segments.at(-1)?.msn ?? -1) + 1;
    return request.msn > next + 2;
  }

  /** Resolves when the request is satisfied (true) or after `timeoutMs` (false). */
  async waitFor(
    request: BlockingRequest,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    while (!this.satisfies(request)) {
      const woke = await new Promise<boolean>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', abort);
          resolve(true);
        };
        const abort = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve(false);
        };
        const timer = setTimeout(abort, timeoutMs);
        signal?.addEventListener('abort', abort, { once: true });
        this.waiters.add(wake);
      });
      if (!woke) return this.satisfies(request);
    }
    return true;
  }

  /** Ends the rendition: the open segment is completed and waiters are released. */
  end(): void {
    if (this.ended) return;
    if (this.cutter) this.apply(this.cutter.flush());
    this.closeOpenSegment();
    this.ended = true;
    this.wake();
  }

  /** Resolves once every init and segment file has been written. */
  async flushed(): Promise<void> {
    await this.writes;
  }

  /** The live media playlist (DVR window, parts, preload hint, server control). */
  livePlaylist(options: RenderOptions = {}): string {
    return livePlaylist(this.view, options);
  }

  /** The VOD playlist of the whole recording (every segment written, no parts). */
  vodPlaylist(): string {
    const segments: Segment[] = [];
    let gap = false;
    for (const segment of this.segments) {
      if (this.failed.segments.has(segment.msn) || this.failed.inits.has(segment.init)) {
        gap = true;
        continue;
      }
      segments.push(gap ? { ...segment, discontinuity: true } : segment);
      gap = false;
    }
    return vodPlaylist({ segments, targetDuration: this.targetDuration });
  }

  /** Total recorded duration, seconds. */
  get recordedSeconds(): number {
    return this.segments.reduce((sum, s) => sum + s.duration, 0);
  }
}
