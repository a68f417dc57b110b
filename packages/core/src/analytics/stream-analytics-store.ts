import type { JoinedStream } from '@onair/protocol';
import { type StreamAnalytics, StreamAnalyticsSchema } from '@onair/protocol/analytics';
import { OnAirError } from '../errors.js';
import { RoomStore } from '../stores/room-store.js';
import type { OnAirClient } from '../transport/client.js';
import { streamAnalytics } from './reports.js';

/** Snapshot of a {@link StreamAnalyticsStore}. */
export interface StreamAnalyticsState {
  /** The latest report; `null` until the first one arrives. */
  analytics: StreamAnalytics | null;
  /** Whether a report is being fetched over REST (the first one, a refresh). */
  loading: boolean;
  /** When the report shown arrived, ms since the epoch. */
  updatedAt: number | null;
  /** Why the last fetch failed (`FORBIDDEN` for anyone but the owner, moderators and admins). */
  error: OnAirError | null;
}

const INITIAL: StreamAnalyticsState = {
  analytics: null,
  loading: false,
  updatedAt: null,
  error: null,
};

/**
 * A stream's analytics kept current: fetched when the first listener
 * subscribes, then pushed by the server every 5 s while the stream is live
 * (`stream:analytics`, to its owner and moderators), fetched again after a
 * rejoin (updates may have been missed) and when the stream ends (the final
 * figures). Read-only: the report of `GET /v1/streams/:id/analytics`.
 *
 * @example
 * ```ts
 * const store = new StreamAnalyticsStore(client, streamId);
 * const stop = store.subscribe(({ analytics }) => render(analytics?.peakViewers));
 * ```
 */
export class StreamAnalyticsStore extends RoomStore<StreamAnalyticsState> {
  #request: AbortController | undefined;
  #joins = 0;

  constructor(client: OnAirClient, streamId: string) {
    super(client, streamId, INITIAL);
  }

  /** Fetches the report now (the store does on its own; for a "refresh" button). */
  async refresh(): Promise<void> {
    this.#request?.abort();
    const request = new AbortController();
    this.#request = request;
    this.update({ loading: true });
    try {
      const analytics = await streamAnalytics(this.client, this.streamId, request.signal);
      if (request.signal.aborted) return;
      this.update({ analytics, loading: false, updatedAt: Date.now(), error: null });
    } catch (error) {
      if (request.signal.aborted) return;
      this.update({ loading: false, error: OnAirError.from(error) });
    }
  }

  protected override onSubscribe(): void {
    super.onSubscribe();
    void this.refresh();
  }

  protected override onUnsubscribe(): void {
    this.#request?.abort();
    this.#request = undefined;
    this.#joins = 0;
    super.onUnsubscribe();
  }

  protected listen(): Array<() => void> {
    return [
      this.client.realtime.on('stream:analytics', (payload) => {
        const parsed = StreamAnalyticsSchema.safeParse(payload);
        if (!parsed.success || parsed.data.streamId !== this.streamId) return;
        // A push is newer than a fetch in flight.
        this.#request?.abort();
        this.#request = undefined;
        this.update({ analytics: parsed.data, loading: false, updatedAt: Date.now(), error: null });
      }),
      this.client.realtime.on('stream:updated', (stream) => {
        if (stream.id === this.streamId && stream.status === 'ended') void this.refresh();
      }),
    ];
  }

  protected joined(_answer: JoinedStream): void {
    // The first join comes with the first fetch; a rejoin may have missed pushes.
    if (this.#joins++ > 0) void this.refresh();
  }

  protected override joinFailed(_error: OnAirError): void {
    // Not fatal: without the room the report is still fetched over REST (no live push).
  }
}
