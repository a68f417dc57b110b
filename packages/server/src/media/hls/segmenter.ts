import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Fmp4Fragment, type Fmp4Track, parseFragment, parseInit } from './fmp4.js';

/** Timing of a rendition's LL-HLS output. */
export interface LlHlsTiming {
  /** Segment duration aimed for, seconds (segments are cut at keyframes). */
  segmentTarget: number;
  /** Part duration advertised as PART-TARGET, seconds. */
  partTarget: number;
  /** Seconds of the live playlist (the DVR window). The recording keeps everything. */
  windowSeconds: number;
}

interface Part {
  duration: number;
  independent: boolean;
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
}

/** A blocking playlist request (`_HLS_msn`, `_HLS_part`). */
export interface BlockingRequest {
  msn: number;
  part?: number | undefined;
}

/** Options of a media playlist render. */
export interface RenderOptions {
  /** `_HLS_skip=YES`: a delta update (EXT-X-SKIP) when the playlist is long enough. */
  skip?: boolean;
  /** Appended to every URI (e.g. `?token=…` for private streams). */
  query?: string;
  /** The other renditions, for EXT-X-RENDITION-REPORT (faster switches). */
  reports?: ReadonlyArray<{ uri: string; newest: { msn: number; part: number } | undefined }>;
}

/** Parts are kept in memory for the segments of the last this many target durations. */
const PART_MEMORY_TARGET_DURATIONS = 6;
/**
 * Parts are listed for the last this many entries (the open segment
 * included): enough for PART-HOLD-BACK, and what strict parsers accept for
 * "within three target durations of the end".
 */
const PART_LISTED_SEGMENTS = 3;

const fixed = (seconds: number) => seconds.toFixed(5).replace(/0+$/, '').replace(/\.$/, '');

/**
 * One rendition of a Low-Latency HLS stream: takes the fMP4 init segment and
 * fragments ffmpeg writes, turns each fragment into a part, groups parts into
 * segments at keyframes, writes init and segment files to `dir` (the
 * recording) and renders the live and VOD media playlists. Parts live in
 * memory while they are listed.
 */
export class LlHlsRendition {
  private readonly segments: Segment[] = [];
  private open: Segment | undefined;
  private inits: Array<{ data: Buffer; tracks: Fmp4Track[] }> = [];
  private nextDiscontinuity = false;
  private awaitingStart = true;
  /** A short fragment waiting to be merged into the next part or to end its segment. */
  private held: Fmp4Fragment | undefined;
  private ended = false;
  private waiters = new Set<() => void>();
  private peakBitrate = 0;
  /** Frames and seconds of the last fragments with video, for FRAME-RATE. */
  private recentVideo: Array<[frames: number, seconds: number]> = [];
  /** Decode times of the last fragments that start with a keyframe. */
  private keyframeTimes: number[] = [];
  /** Files written so far; awaited before the VOD playlist is. */
  private writes: Promise<unknown> = Promise.resolve();
  /** Seconds of media appended so far (parts), for real-time checks. */
  mediaSeconds = 0;
  /** Longest part and segment seen (for validation and diagnostics). */
  readonly maxima = { part: 0, segment: 0 };

  constructor(
    readonly name: string,
    private readonly dir: string,
    readonly timing: LlHlsTiming,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  /** TARGETDURATION: keyframes of a copied source are not exact, so allow half a segment more. */
  get targetDuration(): number {
    return Math.ceil(this.timing.segmentTarget * 1.5);
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
    if (this.inits.length > 0) {
      this.flushHeld();
      this.closeOpenSegment();
      this.nextDiscontinuity = true;
    }
    const index = this.inits.length;
    this.inits.push({ data, tracks });
    this.awaitingStart = true;
    this.write(`init-${index}.mp4`, data);
  }

  /**
   * A new fragment: merged into the part being built, which is appended as
   * soon as another fragment like this one would not fit in PART-TARGET;
   * a keyframe cuts a segment before it when one is due. ffmpeg writes the
   * encoded renditions one part per fragment, and the copied one a fragment
   * per frame (its frames are timed as the publisher sent them), so its
   * parts end on the last frame that fits.
   */
  addFragment(data: Buffer): void {
    const tracks = this.tracks;
    if (!tracks || this.ended) return;
    let fragment = parseFragment(data, tracks);
    const hasVideo = tracks.some((t) => t.kind === 'video');
    if (hasVideo && fragment.videoFrames === 0) {
      // Audio between pictures travels with the next picture's part; the video sets the time.
      if (!this.awaitingStart) {
        const audio = { ...fragment, duration: 0 };
        this.held = this.held ? merge(this.held, audio) : audio;
      }
      return;
    }
    if (this.awaitingStart) {
      // After every (re)start ffmpeg's first fragments may be audio only or hold one frame
      // stretched over the probe time: begin at a keyframe that fits PART-TARGET.
      if (!fragment.independent || fragment.duration > this.timing.partTarget) return;
      this.awaitingStart = false;
    }
    // The next picture's duration, to decide whether it still fits the part: this one's,
    // unless the frame rate seen so far says shorter (a start or a late frame is
    // stretched; guessing long would close a part needlessly short). Guessing short is
    // safe: a next picture that does not fit closes the part before it.
    const perFrame = fragment.duration / Math.max(1, fragment.videoFrames);
    const rate = this.frameRate;
    const step = Math.min(perFrame, rate > 0 ? 1 / rate : this.timing.partTarget / 10);
    const held = this.held;
    this.held = undefined;
    if (held && held.videoFrames === 0) {
      fragment = merge(held, fragment);
    } else if (held) {
      const openDuration = (this.open?.duration ?? 0) + held.duration;
      if (this.open && this.isDue(openDuration, fragment)) {
        // The held part ends its segment: a short last part is allowed.
        this.append(held);
        this.closeOpenSegment();
      } else if (held.duration + fragment.duration > this.timing.partTarget + 1e-6) {
        this.append(held);
      } else {
        fragment = merge(held, fragment);
      }
    }
    if (this.open && this.isDue(this.open.duration, fragment)) this.closeOpenSegment();
    // Hold the part while one more fragment of this length still fits; only a
    // segment's last part ends up shorter (the keyframe above cuts it).
    if (fragment.duration + step > this.timing.partTarget + 1e-6) {
      this.append(fragment);
    } else {
      this.held = fragment;
    }
  }

  private append(fragment: Fmp4Fragment): void {
    const segment = this.open ?? this.startSegment();
    segment.parts?.push({
      duration: fragment.duration,
      independent: fragment.independent,
      data: fragment.data,
    });
    segment.duration += fragment.duration;
    this.mediaSeconds += fragment.duration;
    this.maxima.part = Math.max(this.maxima.part, fragment.duration);
    if (fragment.videoFrames > 0 && fragment.independent) {
      this.keyframeTimes.push(fragment.startTime);
      if (this.keyframeTimes.length > 10) this.keyframeTimes.shift();
    }
    if (fragment.videoFrames > 0) {
      this.recentVideo.push([fragment.videoFrames, fragment.duration]);
      if (this.recentVideo.length > 30) this.recentVideo.shift();
    }
    this.wake();
  }

  private flushHeld(): void {
    // Audio alone after the last picture is dropped: a part needs video time.
    const hasVideo = this.tracks?.some((t) => t.kind === 'video');
    if (this.held && (this.held.videoFrames > 0 || !hasVideo)) this.append(this.held);
    this.held = undefined;
  }

  /** Whether `fragment` should start a new segment after `openDuration` seconds of the open one. */
  private isDue(openDuration: number, fragment: Fmp4Fragment): boolean {
    const { segmentTarget } = this.timing;
    if (fragment.independent && openDuration >= segmentTarget * 0.9) return true;
    // No keyframe in time: cut anyway so EXTINF stays within TARGETDURATION.
    return openDuration + fragment.duration > this.targetDuration + 0.49;
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
    this.write(`${segment.msn}.m4s`, data);
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

  private write(file: string, data: Buffer): void {
    this.writes = this.writes.then(() =>
      writeFile(join(this.dir, file), data).catch((error: Error) => this.onError(error)),
    );
  }

  private wake(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** A part's bytes while it is listed. */
  part(msn: number, index: number): Buffer | undefined {
    const segment = this.open?.msn === msn ? this.open : this.segments.find((s) => s.msn === msn);
    return segment?.parts?.[index]?.data;
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
    this.flushHeld();
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
    const query = options.query ?? '';
    const target = this.targetDuration;
    const { partTarget, windowSeconds } = this.timing;
    const skipUntil = target * 6;
    let first = this.segments.length;
    let windowDuration = 0;
    while (first > 0 && windowDuration < windowSeconds) {
      first--;
      windowDuration += this.segments[first]?.duration ?? 0;
    }
    const listed = this.segments.slice(first);
    let skipped = 0;
    if (options.skip) {
      let tail = 0;
      for (let i = listed.length - 1; i >= 0; i--) {
        tail += listed[i]?.duration ?? 0;
        if (tail > skipUntil) {
          skipped = i + 1;
          break;
        }
      }
    }
    const head = listed[0] ?? this.open;
    const discontinuitySequence = this.segments
      .slice(0, first)
      .filter((s) => s.discontinuity).length;
    const lines = [
      '#EXTM3U',
      '#EXT-X-VERSION:9',
      `#EXT-X-TARGETDURATION:${target}`,
      `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=${fixed(skipUntil)},PART-HOLD-BACK=${fixed(partTarget * 3)},HOLD-BACK=${fixed(target * 3)}`,
      `#EXT-X-PART-INF:PART-TARGET=${fixed(partTarget)}`,
      `#EXT-X-MEDIA-SEQUENCE:${head?.msn ?? 0}`,
      `#EXT-X-DISCONTINUITY-SEQUENCE:${discontinuitySequence}`,
    ];
    if (skipped > 0) lines.push(`#EXT-X-SKIP:SKIPPED-SEGMENTS=${skipped}`);
    const shown = listed.slice(skipped);
    if (this.open?.parts?.length) shown.push(this.open);
    let init = -1;
    for (const [position, segment] of shown.entries()) {
      if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
      if (segment.init !== init) {
        init = segment.init;
        lines.push(`#EXT-X-MAP:URI="init-${init}.mp4${query}"`);
      }
      if (position === 0 || segment.discontinuity) {
        lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.programDateTime).toISOString()}`);
      }
      // A preload hint with no open segment names the next segment's first part: it counts.
      const entries = shown.length + (!this.ended && !this.open?.parts?.length ? 1 : 0);
      const listParts = entries - position <= PART_LISTED_SEGMENTS;
      for (const [index, part] of (listParts ? (segment.parts ?? []) : []).entries()) {
        lines.push(
          `#EXT-X-PART:DURATION=${fixed(part.duration)},URI="${segment.msn}.${index}.m4s${query}"${part.independent ? ',INDEPENDENT=YES' : ''}`,
        );
      }
      if (segment !== this.open) {
        lines.push(`#EXTINF:${fixed(segment.duration)},`, `${segment.msn}.m4s${query}`);
      }
    }
    for (const report of options.reports ?? []) {
      if (!report.newest) continue;
      lines.push(
        `#EXT-X-RENDITION-REPORT:URI="${report.uri}${query}",LAST-MSN=${report.newest.msn},LAST-PART=${report.newest.part}`,
      );
    }
    if (this.ended) {
      lines.push('#EXT-X-ENDLIST');
    } else {
      const hint = this.open
        ? `${this.open.msn}.${this.open.parts?.length ?? 0}`
        : `${(this.segments.at(-1)?.msn ?? -1) + 1}.0`;
      lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${hint}.m4s${query}"`);
    }
    return `${lines.join('\n')}\n`;
  }

  /** The VOD playlist of the whole recording (every segment, no parts). */
  vodPlaylist(): string {
    const lines = [
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      `#EXT-X-TARGETDURATION:${this.targetDuration}`,
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#EXT-X-MEDIA-SEQUENCE:0',
    ];
    let init = -1;
    for (const segment of this.segments) {
      if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
      if (segment.init !== init) {
        init = segment.init;
        lines.push(`#EXT-X-MAP:URI="init-${init}.mp4"`);
      }
      lines.push(`#EXTINF:${fixed(segment.duration)},`, `${segment.msn}.m4s`);
    }
    lines.push('#EXT-X-ENDLIST');
    return `${lines.join('\n')}\n`;
  }

  /** Total recorded duration, seconds. */
  get recordedSeconds(): number {
    return this.segments.reduce((sum, s) => sum + s.duration, 0);
  }
}

/** What the master playlist says about one rendition. */
export interface MasterEntry {
  uri: string;
  bandwidth: number;
  averageBandwidth?: number | undefined;
  codecs: string[];
  width: number;
  height: number;
  frameRate: number;
}

/** A master playlist with BANDWIDTH, CODECS, RESOLUTION and FRAME-RATE, highest first. */
export function masterPlaylist(entries: readonly MasterEntry[]): string {
  // No EXT-X-INDEPENDENT-SEGMENTS: a segment cut without a keyframe in time would break
  // the promise. Parts that start with a keyframe say INDEPENDENT=YES instead.
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7'];
  const sorted = [...entries].sort((a, b) => b.bandwidth - a.bandwidth);
  for (const e of sorted) {
    const attributes = [`BANDWIDTH=${e.bandwidth}`];
    if (e.averageBandwidth) attributes.push(`AVERAGE-BANDWIDTH=${e.averageBandwidth}`);
    attributes.push(`CODECS="${e.codecs.join(',')}"`);
    if (e.width && e.height) attributes.push(`RESOLUTION=${e.width}x${e.height}`);
    if (e.frameRate) attributes.push(`FRAME-RATE=${e.frameRate.toFixed(3)}`);
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, e.uri);
  }
  return `${lines.join('\n')}\n`;
}

/** Two consecutive fragments as one part (two moof + mdat pairs, valid fMP4). */
function merge(first: Fmp4Fragment, second: Fmp4Fragment): Fmp4Fragment {
  // Audio carried ahead of a picture does not decide whether the part starts with a keyframe.
  const lead = first.videoFrames > 0 || second.videoFrames === 0 ? first : second;
  return {
    data: Buffer.concat([first.data, second.data]),
    duration: first.duration + second.duration,
    startTime: lead.startTime,
    independent: lead.independent,
    videoFrames: first.videoFrames + second.videoFrames,
  };
}
