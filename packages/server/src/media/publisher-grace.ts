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
}

/**
 * The grace period after a publisher drops: viewers are told the stream is
 * `reconnecting`; a publisher that returns in time continues the same
 * stream (HLS resumes after a discontinuity), otherwise the stream ends.
 * Returns the function that stops it.
 */
export function watchPublishers(deps: PublisherGraceDeps): () => void {
  const timers = new Map<string, NodeJS.Timeout>();
  const off = deps.media.on('publisher', ({ streamId, connected }) => {
    clearTimeout(timers.get(streamId));
    timers.delete(streamId);
    if (connected) {
      deps.announce({ streamId, state: 'connected', endsAt: null });
      return;
    }
    const endsAt = new Date(Date.now() + deps.graceSeconds * 1000);
    deps.announce({ streamId, state: 'reconnecting', endsAt: endsAt.toISOString() });
    const timer = setTimeout(() => {
      timers.delete(streamId);
      deps.log(`[media ${streamId}] no publisher for ${deps.graceSeconds} s: ending the stream`);
      void deps
        .end(streamId)
        .catch((error: unknown) => deps.log(`ending ${streamId}: ${String(error)}`));
    }, deps.graceSeconds * 1000);
    timer.unref();
    timers.set(streamId, timer);
  });
  return () => {
    off();
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  };
}
