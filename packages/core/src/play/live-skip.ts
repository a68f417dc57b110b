import type { LiveEdge } from './engine.js';

/** The default `maxLiveLatency`: this many target latencies behind the edge… */
const DEFAULT_TARGETS = 3;
/** …and never less than this many seconds. */
const DEFAULT_MIN_SECONDS = 6;

/**
 * Where playback that resumes at `currentTime` after a stall should jump to:
 * the live edge's sync position when the latency is past `maxLiveLatency`
 * (by default three times the target latency, at least 6 s; `0` or
 * `Infinity` never jumps), else null.
 */
export function liveSkipTarget(
  edge: LiveEdge,
  currentTime: number,
  targetLatency: number,
  maxLiveLatency: number | undefined,
): number | null {
  const sync = edge.liveSyncPosition;
  const max = maxLiveLatency ?? Math.max(DEFAULT_MIN_SECONDS, DEFAULT_TARGETS * targetLatency);
  if (sync === null || max === 0 || !(edge.latency > max) || !(sync > currentTime)) return null;
  return sync;
}
