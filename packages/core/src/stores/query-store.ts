import {
  type QueryClient,
  type QueryKey,
  QueryObserver,
  type QueryObserverResult,
} from '@tanstack/query-core';
import { OnAirError } from '../errors.js';
import { Subscribable } from '../subscribable.js';

/** Snapshot of a {@link QueryStore}. */
export interface QueryState<T> {
  status: 'pending' | 'success' | 'error';
  data: T | undefined;
  error: OnAirError | null;
  /** A fetch (first or background) is under way. */
  isFetching: boolean;
}

/** Options of {@link QueryStore}. */
export interface QueryStoreOptions<T> {
  queryKey: QueryKey;
  queryFn: (context: { signal: AbortSignal }) => Promise<T>;
  /** Fetch again every so many ms while someone listens (TanStack's `refetchInterval`). */
  refetchInterval?: number | false;
}

/**
 * One TanStack query as a core store: observes the query while someone
 * listens, and exposes a small, stable snapshot.
 */
export class QueryStore<T> extends Subscribable<QueryState<T>> {
  protected snapshot: QueryState<T> = {
    status: 'pending',
    data: undefined,
    error: null,
    isFetching: false,
  };
  #observer: QueryObserver<T, Error> | undefined;
  #unsubscribe: (() => void) | undefined;

  readonly #queryClient: QueryClient;
  readonly #options: QueryStoreOptions<T>;

  constructor(queryClient: QueryClient, options: QueryStoreOptions<T>) {
    super();
    this.#queryClient = queryClient;
    this.#options = options;
    const cached = queryClient.getQueryData<T>(options.queryKey);
    if (cached !== undefined) this.snapshot = { ...this.snapshot, status: 'success', data: cached };
  }

  protected override onSubscribe(): void {
    this.#observer = new QueryObserver<T, Error>(this.#queryClient, {
      ...this.#options,
      retry: (count, error) => count < 2 && OnAirError.from(error).code === 'NETWORK',
    });
    this.#apply(this.#observer.getCurrentResult());
    this.#unsubscribe = this.#observer.subscribe((result) => this.#apply(result));
  }

  protected override onUnsubscribe(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#observer = undefined;
  }

  /** Fetches again. */
  async refetch(): Promise<void> {
    await this.#queryClient.refetchQueries({ queryKey: this.#options.queryKey, exact: true });
  }

  #apply(result: QueryObserverResult<T, Error>): void {
    const next: QueryState<T> = {
      status: result.status,
      data: result.data,
      error: result.error ? OnAirError.from(result.error) : null,
      isFetching: result.isFetching,
    };
    const prev = this.snapshot;
    if (
      prev.status === next.status &&
      prev.data === next.data &&
      prev.isFetching === next.isFetching &&
      prev.error?.message === next.error?.message
    ) {
      return;
    }
    this.setSnapshot(next);
  }
}
