import { type OnAirError, QueryStore } from '@onair/core';
import {
  type ChannelAnalyticsRange,
  channelAnalyticsQuery,
  type StreamAnalyticsState,
  StreamAnalyticsStore,
} from '@onair/core/analytics';
import type { ChannelAnalytics } from '@onair/protocol/analytics';
import { useMemo } from 'react';
import { useOnAirClient } from './provider.js';
import { useStore } from './use-external-store.js';

/** What {@link useStreamAnalytics} returns. */
export interface StreamAnalyticsResult extends StreamAnalyticsState {
  /** Fetches the report again now. */
  refresh: () => Promise<void>;
  /** The store, to share with `<OnAirAnalytics store>` or `<OnAirStreamSummary store>`. */
  store: StreamAnalyticsStore;
}

/**
 * A stream's analytics, kept current: fetched on mount, pushed by the server
 * every 5 s while the stream is live, fetched again when it ends. For the
 * stream's owner, its channel's moderators and admins (`error.code` is
 * `FORBIDDEN` for anyone else).
 *
 * @example
 * ```tsx
 * const { analytics, loading, error, updatedAt } = useStreamAnalytics(streamId);
 * if (error?.code === 'FORBIDDEN') return <p>Only the owner sees this</p>;
 * return <p>{analytics?.peakViewers ?? '…'} at the peak</p>;
 * ```
 */
export function useStreamAnalytics(streamId: string): StreamAnalyticsResult {
  const client = useOnAirClient();
  const store = useMemo(() => new StreamAnalyticsStore(client, streamId), [client, streamId]);
  const state = useStore(store);
  return useMemo(() => ({ ...state, refresh: () => store.refresh(), store }), [state, store]);
}

/** What {@link useChannelAnalytics} returns. */
export interface ChannelAnalyticsResult {
  /** The report; kept while a new one is fetched. */
  data: ChannelAnalytics | undefined;
  /** A fetch is under way (the first one or a refetch). */
  loading: boolean;
  /** Why the last fetch failed (`FORBIDDEN` for anyone but the channel's owner, moderators and admins). */
  error: OnAirError | null;
  /** Fetches the report again. */
  refetch: () => Promise<void>;
}

/**
 * A channel's analytics over a range (the streams that started in it, with
 * totals and the QoE summary), through the client's query cache: fetched on
 * mount and when the channel or the range changes, the previous request
 * aborted. The range is part of the key (as ISO strings): keep it stable
 * between renders (state, `useMemo`), not `new Date()` in the render.
 *
 * @example
 * ```tsx
 * const [range] = useState(() => ({ from: new Date(Date.now() - 7 * 86_400_000) }));
 * const { data, loading, error, refetch } = useChannelAnalytics(channelId, range);
 * ```
 */
export function useChannelAnalytics(
  channelId: string,
  range: ChannelAnalyticsRange = {},
): ChannelAnalyticsResult {
  const client = useOnAirClient();
  const from = range.from instanceof Date ? range.from.toISOString() : range.from;
  const to = range.to instanceof Date ? range.to.toISOString() : range.to;
  const store = useMemo(
    () =>
      new QueryStore(client.queryClient, channelAnalyticsQuery(client, channelId, { from, to })),
    [client, channelId, from, to],
  );
  const state = useStore(store);
  return useMemo(
    () => ({
      data: state.data,
      loading: state.isFetching || state.status === 'pending',
      error: state.error,
      refetch: () => store.refetch(),
    }),
    [state, store],
  );
}
