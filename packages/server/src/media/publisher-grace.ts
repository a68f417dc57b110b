import type { PublisherState } from '@onair/protocol';
import type { MediaPlane } from './media-plane.js';

/** What the grace period needs from the rest of the server. */
export interface PublisherGraceDeps {
  media: MediaPlane;
  /** Seconds a live stream waits for its publisher to come back. */
  graceSeconds: number;
  /** Tells the stream's room. */
  announce(state: PublisherState): void;
  /** Ends the stream (no publisher came back). */
  end(streamId: string): Promise<unknown>;
  log(message: string): void;
  /**
   * Streams stored as live when the server starts: a server that stopped or
   * crashed left them so. Each gets the grace period from the start.
   */
  leftLive?(): Promise<readonly string[]>;
  /**
   * Whether the stream's publisher has been seen since `since` on another
   * server sharing the database (its health reports): then the stream is
   * not this server's to end.
   */
  publishedSince?(streamId: string, since: Date): Promise<boolean>;
  /**
   * Subscribes to streams ending (by their owner or a moderator): a stream
   * that ended waits for no publisher, and its viewers are told no more
   * that it is reconnecting. Returns the unsubscribe function.
   */
  onStreamEnded?(listener: (streamId: string) => void): () => void;
}

/**
 * The grace period after a publisher drops: viewers are told the stream is
 * `reconnecting`; a publisher that returns in time continues the same
 * stream (HLS resumes after a discontinuity), otherwise the stream ends.
 * At start, streams a stopped or crashed server left live get the same
 * grace period: their publisher reconnecting keeps them live, otherwise they
 * end (and their recording is finished from disk). Returns the function
 * that stops it.
 */
export function watchPublishers(deps: PublisherGraceDeps): () => void {
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;
  /** Streams whose publisher came or went while the stored live streams were being read. */
  let seen: Set<string> | undefined = deps.leftLive ? new Set() : undefined;

  const expire = async (streamId: string, since: Date) => {
    if (await deps.publishedSince?.(streamId, since)) {
      deps.log(`[media ${streamId}] publishing on another server: not ending it here`);
      return;
    }
    deps.log(`[media ${streamId}] no publisher for ${deps.graceSeconds} s: ending the stream`);
    await deps.end(streamId);
  };

  const wait = (streamId: string, since: Date) => {
    const endsAt = new Date(since.getTime() + deps.graceSeconds * 1000);
    deps.announce({ streamId, state: 'reconnecting', endsAt: endsAt.toISOString() });
    const timer = setTimeout(
      () => {
        timers.delete(streamId);
        expire(streamId, since).catch((error: unknown) =>
          deps.log(`ending ${streamId}: ${String(error)}`),
        );
      },
      Math.max(0, endsAt.getTime() - Date.now()),
    );
    timer.unref();
    timers.set(streamId, timer);
  };

  const ended = new Set<string>();
  const offEnded = deps.onStreamEnded?.((streamId) => {
    ended.add(streamId);
    clearTimeout(timers.get(streamId));
    timers.delete(streamId);
    // Its publishers leave within moments of the end; then the id need not be kept.
    setTimeout(() => ended.delete(streamId), 60_000).unref();
  });

  const off = deps.media.on('publisher', ({ streamId, connected }) => {
    seen?.add(streamId);
    // The publisher left because the stream ended: nothing to wait for.
    if (ended.has(streamId)) return;
    clearTimeout(timers.get(streamId));
    timers.delete(streamId);
    if (connected) {
      deps.announce({ streamId, state: 'connected', endsAt: null });
      return;
    }
    wait(streamId, new Date());
  });

  if (deps.leftLive) {
    const startedAt = new Date();
    deps
      .leftLive()
      .then((ids) => {
        if (stopped) return;
        const publishing = new Set(deps.media.publishingStreams);
        for (const streamId of ids) {
          if (seen?.has(streamId) || publishing.has(streamId) || timers.has(streamId)) continue;
          deps.log(`[media ${streamId}] live before the restart: waiting for its publisher`);
          wait(streamId, startedAt);
        }
      })
      .catch((error: unknown) => deps.log(`reading the streams left live: ${String(error)}`))
      .finally(() => {
        seen = undefined;
      });
  }

  return () => {
    stopped = true;
    off();
    offEnded?.();
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  };
}
