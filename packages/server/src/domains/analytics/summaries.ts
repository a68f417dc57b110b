import type { Stream } from '@onair/protocol';
import type { StreamAnalytics } from '@onair/protocol/analytics';
import type { InternalBus } from '../../platform/events.js';

/** What {@link announceStreamSummaries} needs. */
export interface StreamSummaryDeps {
  bus: InternalBus;
  /** The ended stream's report. */
  report: (stream: Stream) => Promise<StreamAnalytics>;
  /** Wait after the end for the viewers' last beacons, ms. */
  delayMs: number;
  log: (message: string) => void;
}

/**
 * Announces each ended stream's report on the bus (`stream:summary`, which
 * becomes the `stream.summary` webhook) `delayMs` after `stream:ended`: the
 * players report their sessions' ends within seconds of it. A report that
 * fails is logged and not announced. Returns the stop function (pending
 * announcements are dropped: a server stopping now is no longer asked).
 */
export function announceStreamSummaries(deps: StreamSummaryDeps): () => void {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const off = deps.bus.on('stream:ended', (stream) => {
    const timer = setTimeout(async () => {
      timers.delete(timer);
      try {
        const summary = await deps.report(stream);
        if (!stopped) deps.bus.emit('stream:summary', { stream, summary });
      } catch (error) {
        deps.log(
          `stream summary of ${stream.id}: ${error instanceof Error ? error.message : error}`,
        );
      }
    }, deps.delayMs);
    timers.add(timer);
  });
  return () => {
    stopped = true;
    off();
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
}
