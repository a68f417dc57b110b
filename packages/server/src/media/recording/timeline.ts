import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRecordedPlaylist } from './journal.js';
import { readLadder } from './recording.js';

/** A run of a recording that played on without a gap: where it is in the recording and when it was live. */
export interface RecordingSpan {
  /** Seconds from the recording's first frame. */
  start: number;
  seconds: number;
  /** Wall clock of its first frame, ms since the epoch. */
  wallStart: number;
}

/**
 * The runs of a stream's recording (live or ended) from its top rendition's
 * playlist: a new run starts at the first segment, at each discontinuity and
 * where `#EXT-X-PROGRAM-DATE-TIME` jumps (by over 1 s from where the run
 * before it ended); segments without one continue the run before them. Empty when this server holds no recording of the stream.
 */
export async function recordingSpans(streamDir: string): Promise<RecordingSpan[]> {
  for (const rung of (await readLadder(streamDir)) ?? []) {
    const text = await readFile(join(streamDir, rung.name, 'index.m3u8'), 'utf8').catch(
      () => undefined,
    );
    if (text === undefined) continue;
    const spans: RecordingSpan[] = [];
    let start = 0;
    for (const segment of parseRecordedPlaylist(text).segments) {
      const last = spans.at(-1);
      const expected = last ? last.wallStart + last.seconds * 1000 : 0;
      // A growing recording dates every segment: one that follows on continues the run.
      const jumps =
        segment.programDateTime > 0 && Math.abs(segment.programDateTime - expected) > 1000;
      if (!last || segment.discontinuity || jumps) {
        spans.push({ start, seconds: segment.duration, wallStart: segment.programDateTime });
      } else {
        last.seconds += segment.duration;
      }
      start += segment.duration;
    }
    // A first run without a date (a recording older than dates in VOD playlists) cannot be placed.
    const placed = spans.filter((span) => span.wallStart > 0);
    if (placed.length > 0) return placed;
  }
  return [];
}

/** Where a wall-clock time falls in the recording, seconds; undefined when nothing was recorded then. */
export function offsetAt(spans: readonly RecordingSpan[], wallMs: number): number | undefined {
  for (const span of spans) {
    const into = (wallMs - span.wallStart) / 1000;
    if (into >= 0 && into < span.seconds) return span.start + into;
  }
  return undefined;
}

/** The wall-clock ranges `[from, to)` ms that a range of the recording `[from, to)` seconds shows. */
export function wallRanges(
  spans: readonly RecordingSpan[],
  from: number,
  to: number,
): Array<{ from: number; to: number }> {
  const ranges: Array<{ from: number; to: number }> = [];
  for (const span of spans) {
    const start = Math.max(from, span.start);
    const end = Math.min(to, span.start + span.seconds);
    if (end <= start) continue;
    ranges.push({
      from: span.wallStart + (start - span.start) * 1000,
      to: span.wallStart + (end - span.start) * 1000,
    });
  }
  return ranges;
}
