/**
 * How fast the least output offset may rise, seconds per second: a
 * publisher's clock up to 1,000 ppm slower than the server's is not taken
 * for ffmpeg falling behind.
 */
const OFFSET_CREEP = 0.001;

/**
 * When to ask a copied source's publisher for its next keyframe, on the
 * publisher's timeline. On a busy machine ffmpeg's output trails what the
 * publisher sends by up to seconds, so a keyframe asked for when the
 * output's open segment is nearly due lands that much later on the output's
 * timeline, past TARGETDURATION. Where the publisher is now is the output's
 * newest time plus the backlog (wall clock minus output time, above the least
 * seen); a keyframe is asked for as it nears each segment boundary: a
 * segment after the last one asked for, or after the open segment's start.
 * With no backlog that is when the open segment reaches 90 % of its target.
 */
export class PublisherKeyframeClock {
  private leastOffset = Number.POSITIVE_INFINITY;
  private leastAt = 0;
  private boundaryMsn = -1;
  private nextBoundary = Number.NEGATIVE_INFINITY;

  constructor(private readonly segmentTarget: number) {}

  /** A new ffmpeg, a new timeline: the backlog and the boundaries are measured afresh. */
  reset(): void {
    this.leastOffset = Number.POSITIVE_INFINITY;
    this.leastAt = 0;
    this.boundaryMsn = -1;
    this.nextBoundary = Number.NEGATIVE_INFINITY;
  }

  /** How far ffmpeg's output trailed the publisher at the last {@link observe}, seconds. */
  backlog = 0;

  /**
   * Takes the output's newest fragment: the open segment (its media sequence
   * number and duration so far), where the output's timeline has reached
   * (`mediaTime`, s) and the wall clock (`now`, s). Whether to ask for a
   * keyframe now.
   */
  observe(open: { msn: number; duration: number }, mediaTime: number, now: number): boolean {
    const offset = now - mediaTime;
    const allowed = this.leastOffset + (now - this.leastAt) * OFFSET_CREEP;
    this.leastOffset = Math.min(offset, allowed);
    this.leastAt = now;
    this.backlog = offset - this.leastOffset;
    const publisherAt = mediaTime + this.backlog;
    if (open.msn !== this.boundaryMsn) {
      // A segment began on the output: the next boundary is a segment after its start.
      this.boundaryMsn = open.msn;
      this.nextBoundary = Math.max(
        this.nextBoundary,
        mediaTime - open.duration + this.segmentTarget,
      );
    }
    if (publisherAt < this.nextBoundary - this.segmentTarget * 0.1) return false;
    this.nextBoundary = Math.max(this.nextBoundary, publisherAt) + this.segmentTarget;
    return true;
  }
}
