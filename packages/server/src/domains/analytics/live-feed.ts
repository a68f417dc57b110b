import type { StreamAnalytics } from '@onair/protocol/analytics';

/** What {@link startLiveAnalyticsFeed} needs. */
export interface LiveAnalyticsFeedDeps {
  /** Streams with a manager (owner, moderator) connected to this node now. */
  watchedStreams: () => Iterable<string>;
  /** The stream's report if it is live, else `undefined`. */
  report: (streamId: string) => Promise<StreamAnalytics | undefined>;
  /** Sends a report to the stream's managers connected to this node. */
  send: (streamId: string, analytics: StreamAnalytics) => void;
  /** Time between two reports of a stream, ms. */
  intervalMs: number;
  log: (message: string) => void;
}

/** Reports computed at once: a database with many live streams is not asked everything together. */
const CONCURRENCY = 4;

/**
 * Pushes each live stream's analytics to its managers every `intervalMs`
 * while one of them is connected (each node to its own connections, so
 * nothing is sent twice when servers share Redis). A round that is still
 * running when the next is due is not overlapped: the next one waits. A
 * report that fails is logged and tried again next round. Returns the stop
 * function.
 */
export function startLiveAnalyticsFeed(deps: LiveAnalyticsFeedDeps): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const round = async () => {
    const queue = [...deps.watchedStreams()];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined && !stopped; id = queue.shift()) {
        try {
          const analytics = await deps.report(id);
          if (analytics && !stopped) deps.send(id, analytics);
        } catch (error) {
          deps.log(`live analytics of ${id}: ${error instanceof Error ? error.message : error}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  };

  const tick = () => {
    const started = Date.now();
    void round().finally(() => {
      if (stopped) return;
      // The next round starts an interval after this one started, or at once if it ran longer.
      timer = setTimeout(tick, Math.max(0, deps.intervalMs - (Date.now() - started)));
      timer.unref();
    });
  };
  timer = setTimeout(tick, deps.intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
