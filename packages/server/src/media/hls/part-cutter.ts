/**
 * Where LL-HLS parts and segments end, whatever the frames' timing.
 *
 * RFC 8216bis bounds every part by PART-TARGET and, but for a segment's
 * last, from below by 85 % of it. Parts made of whole video frames cannot
 * always meet that: a copied publisher's frames come when the browser sent
 * them, and one late or dropped frame (a 67 ms interval at 30 fps, 133 ms at
 * 15 fps, more on a busy machine) leaves the part before it short.
 *
 * So parts are cut on the media timeline, not on frames: a part spans
 * [start, boundary) and holds every fragment (video or audio) that starts in
 * it. The boundary is the start of the latest fragment in
 * [85 %, 100 %] of PART-TARGET after the part's start, and when no fragment
 * starts there (a long frame on a stream without audio), PART-TARGET itself:
 * a frame then spans two parts, which players handle as they handle any
 * sample (its duration covers the time). A part in which nothing starts is
 * listed with GAP=YES. Segments still start only at keyframes: the last part
 * of a segment ends where the keyframe starts, the one part allowed to be
 * short.
 */

/** One fMP4 fragment as the cutter sees it. */
export interface CutterUnit<T> {
  payload: T;
  /** Decode time of its first sample, seconds. */
  start: number;
  /** Seconds it lasts (of its video, or of its audio without video). */
  duration: number;
  /** Whether it holds video samples. */
  video: boolean;
  /** Whether its first video sample is a keyframe (every unit of an audio-only stream is). */
  keyframe: boolean;
}

/** A finished part. */
export interface CutPart<T> {
  payloads: T[];
  /** Seconds of the media timeline the part covers (its EXT-X-PART DURATION). */
  duration: number;
  /** Its first video sample is a keyframe (or it has no video in an audio-only stream). */
  independent: boolean;
  /** Nothing starts in it: listed with GAP=YES, never served. */
  gap: boolean;
}

/** What {@link PartCutter.push} produced, in order. */
export type CutEvent<T> =
  | { type: 'part'; part: CutPart<T> }
  /** The segment ended after the last part; `independent`: the next one starts with a keyframe. */
  | { type: 'segment'; nextIndependent: boolean };

/** Timing the cutter keeps to. */
export interface CutterTiming {
  /** PART-TARGET, seconds. */
  partTarget: number;
  /** A segment ends at the first keyframe after 90 % of this, seconds. */
  segmentTarget: number;
  /** Longest segment allowed (TARGETDURATION + 0.49): cut there even without a keyframe. */
  maxSegment: number;
}

/** Parts this much over 85 % of PART-TARGET survive rounding to five decimals in the playlist. */
const ROUNDING_MARGIN = 1e-4;
const EPSILON = 1e-6;

/**
 * Cuts a rendition's fragments into LL-HLS parts and segments (see the
 * module comment). Feed fragments in the order ffmpeg writes them (by decode
 * time); a part is finished as soon as a fragment starts at or after its
 * last possible boundary.
 */
export class PartCutter<T> {
  /** Decode time the open segment started at; undefined until the first keyframe. */
  private segmentStart: number | undefined;
  private partStart = 0;
  private pending: Array<CutterUnit<T>> = [];

  constructor(
    private readonly timing: CutterTiming,
    private readonly hasVideo: boolean,
  ) {}

  /** Seconds of the open segment covered by finished parts. */
  get openDuration(): number {
    return this.segmentStart === undefined ? 0 : this.partStart - this.segmentStart;
  }

  /** Whether the cutter waits for a keyframe to begin (at the start, after {@link reset}). */
  get waiting(): boolean {
    return this.segmentStart === undefined;
  }

  /** Adds a fragment; returns the parts and segment ends it completed. */
  push(unit: CutterUnit<T>): Array<CutEvent<T>> {
    const { partTarget } = this.timing;
    if (this.segmentStart === undefined) {
      // Begin at a keyframe that fits PART-TARGET: after a (re)start ffmpeg's first picture
      // may be stretched over its probe time, and audio before it has nothing to go with.
      if (!unit.keyframe || (unit.video && unit.duration > partTarget)) return [];
      if (this.hasVideo && !unit.video) return [];
      this.segmentStart = unit.start;
      this.partStart = unit.start;
      this.pending = [unit];
      return [];
    }
    const events: Array<CutEvent<T>> = [];
    const keyframe = unit.video && unit.keyframe;
    // Finish the parts that end before this fragment starts (a due keyframe within
    // PART-TARGET ends the part itself, below).
    while (unit.start >= this.partStart + partTarget - EPSILON) {
      const endsSegment = keyframe && this.segmentDue(unit.start);
      if (endsSegment && unit.start <= this.partStart + partTarget + EPSILON) break;
      const boundary = this.boundaryBefore(unit.start);
      events.push(this.cut(boundary));
      if (this.partStart - this.segmentStart + partTarget > this.timing.maxSegment) {
        // No keyframe in time: end the segment anyway so EXTINF stays within TARGETDURATION.
        events.push({ type: 'segment', nextIndependent: false });
        this.segmentStart = this.partStart;
      }
    }
    if (keyframe && this.segmentDue(unit.start)) {
      // The segment's last part ends where the keyframe starts; it alone may be short.
      if (unit.start > this.partStart + EPSILON || this.pending.length > 0) {
        events.push(this.cut(Math.max(unit.start, this.partStart)));
      }
      events.push({ type: 'segment', nextIndependent: true });
      this.segmentStart = this.partStart;
    }
    this.pending.push(unit);
    return events;
  }

  /** Finishes the open part (the stream ended or ffmpeg restarted); the next push waits for a keyframe. */
  flush(): Array<CutEvent<T>> {
    const events: Array<CutEvent<T>> = [];
    const last = this.pending.filter((u) => u.video || !this.hasVideo).at(-1);
    if (this.segmentStart !== undefined && last) {
      // The last part ends with its last picture (not over PART-TARGET: the part is the segment's last).
      const end = Math.min(last.start + last.duration, this.partStart + this.timing.partTarget);
      events.push(this.cut(Math.max(end, this.partStart + EPSILON), true));
      events.push({ type: 'segment', nextIndependent: true });
    }
    this.reset();
    return events;
  }

  /** Drops what is pending and waits for a keyframe (a new ffmpeg timeline). */
  reset(): void {
    this.segmentStart = undefined;
    this.pending = [];
  }

  /** Whether a keyframe starting at `start` ends the open segment. */
  private segmentDue(start: number): boolean {
    const open = start - (this.segmentStart ?? start);
    return open >= this.timing.segmentTarget * 0.9 - EPSILON;
  }

  /**
   * The open part's end, for a fragment starting at `next` (at or after
   * PART-TARGET from the part's start): `next` itself when it is within
   * PART-TARGET, else the latest pending fragment start in the 85–100 %
   * window, else PART-TARGET.
   */
  private boundaryBefore(next: number): number {
    const { partTarget } = this.timing;
    const low = this.partStart + partTarget * 0.85 + ROUNDING_MARGIN;
    const high = this.partStart + partTarget;
    if (next <= high + EPSILON) return next;
    for (let i = this.pending.length - 1; i > 0; i--) {
      const start = this.pending[i]?.start ?? 0;
      if (start <= high + EPSILON && start >= low) return start;
      if (start < low) break;
    }
    return high;
  }

  /** Finishes the part at `boundary`: the pending fragments that start before it. */
  private cut(boundary: number, final = false): CutEvent<T> {
    const { partTarget } = this.timing;
    const split = final
      ? this.pending.length
      : this.pending.findIndex((u) => u.start >= boundary - EPSILON);
    const taken = split < 0 ? this.pending : this.pending.slice(0, split);
    this.pending = split < 0 ? [] : this.pending.slice(split);
    const firstVideo = taken.find((u) => u.video);
    const part: CutPart<T> = {
      payloads: taken.map((u) => u.payload),
      duration: Math.min(boundary - this.partStart, partTarget),
      independent: this.hasVideo ? firstVideo?.keyframe === true : taken.length > 0,
      gap: taken.length === 0,
    };
    this.partStart = boundary;
    return { type: 'part', part };
  }
}
