import type { Stream, StreamListRequest, StreamPage } from '@onair/protocol';
import { OnAirError } from '../errors.js';
import { Subscribable } from '../subscribable.js';
import type { OnAirClient } from '../transport/client.js';
import { QueryStore } from './query-store.js';

/** Snapshot of a {@link StreamListStore}. */
export interface StreamListState {
  status: 'pending' | 'success' | 'error';
  streams: readonly Stream[];
  /** More pages exist: call `loadMore()`. */
  hasMore: boolean;
  loadingMore: boolean;
  error: OnAirError | null;
}

/** Which list a {@link StreamListStore} shows. */
export interface StreamListOptions extends StreamListRequest {
  /** Keep the list current from realtime events (no polling). Default true. */
  live?: boolean;
}

/**
 * A paginated list of streams (live, scheduled or past). While someone
 * listens it watches public stream changes over realtime, so a stream going
 * live or ending updates the list without polling.
 *
 * @example
 * ```ts
 * const list = new StreamListStore(client, { status: 'live', category: 'Music' });
 * list.subscribe((s) => render(s.streams));
 * await list.loadMore();
 * ```
 */
export class StreamListStore extends Subscribable<StreamListState> {
  protected snapshot: StreamListState = {
    status: 'pending',
    streams: [],
    hasMore: false,
    loadingMore: false,
    error: null,
  };
  readonly #firstPage: QueryStore<StreamPage>;
  #extraPages: StreamPage[] = [];
  #cleanups: Array<() => void> = [];

  readonly #client: OnAirClient;
  readonly #options: StreamListOptions;

  constructor(client: OnAirClient, options: StreamListOptions = {}) {
    super();
    this.#client = client;
    this.#options = options;
    this.#firstPage = new QueryStore(client.queryClient, client.streams.listQuery(this.#query));
  }

  get #query(): StreamListRequest {
    const { live: _live, ...query } = this.#options;
    return query;
  }

  protected override onSubscribe(): void {
    this.#cleanups.push(
      this.#firstPage.subscribe(() => {
        // A refetched first page starts the list afresh; a ranking keeps the pages read
        // further (it is fetched again every 30 s; its streams appear once).
        if (this.#options.sort !== 'viewers') this.#extraPages = [];
        this.#rebuild();
      }),
    );
    this.#rebuild();
    if (this.#options.live ?? true) {
      const { realtime } = this.#client;
      const watch = () => realtime.request('streams:watch', {}).catch(() => undefined);
      void watch();
      this.#cleanups.push(realtime.onReconnect(() => void watch()));
      this.#cleanups.push(() => {
        realtime.request('streams:unwatch', {}).catch(() => undefined);
      });
    }
  }

  protected override onUnsubscribe(): void {
    for (const cleanup of this.#cleanups) cleanup();
    this.#cleanups = [];
  }

  /** Loads the next page, if any. */
  async loadMore(): Promise<void> {
    const last = this.#extraPages.at(-1) ?? this.#firstPage.getSnapshot().data;
    if (!last?.nextCursor || this.snapshot.loadingMore) return;
    this.update({ loadingMore: true });
    try {
      const page = await this.#client.streams.list(this.#query, last.nextCursor);
      this.#extraPages = [...this.#extraPages, page];
      this.#rebuild();
    } catch (error) {
      this.update({ loadingMore: false, error: OnAirError.from(error) });
    }
  }

  /** Fetches the list again from the first page. */
  refresh(): Promise<void> {
    return this.#firstPage.refetch();
  }

  #rebuild(): void {
    const first = this.#firstPage.getSnapshot();
    const pages = first.data ? [first.data, ...this.#extraPages] : [];
    const seen = new Set<string>();
    const streams: Stream[] = [];
    for (const page of pages) {
      for (const stream of page.items) {
        if (seen.has(stream.id)) continue;
        seen.add(stream.id);
        streams.push(stream);
      }
    }
    this.setSnapshot({
      status: first.status,
      streams,
      hasMore: !!(pages.at(-1)?.nextCursor ?? null),
      loadingMore: false,
      error: first.error,
    });
  }
}
