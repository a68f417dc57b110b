import {
  type ChannelAnalytics,
  ChannelAnalyticsSchema,
  type StreamAnalytics,
  StreamAnalyticsSchema,
  type ViewerHistory,
  ViewerHistorySchema,
} from '@onair/protocol/analytics';
import type { OnAirClient } from '../transport/client.js';

/**
 * A stream's analytics: audience, engagement, QoE of its view sessions and
 * the per-minute timeline (`GET /v1/streams/:id/analytics`). The stream's
 * owner, its channel's moderators and admins only (else `FORBIDDEN`).
 *
 * @example
 * ```ts
 * const { qoe, peakViewers } = await streamAnalytics(client, streamId);
 * ```
 */
export function streamAnalytics(
  client: OnAirClient,
  streamId: string,
  signal?: AbortSignal,
): Promise<StreamAnalytics> {
  return client.request(
    StreamAnalyticsSchema,
    `/v1/streams/${encodeURIComponent(streamId)}/analytics`,
    signal ? { signal } : {},
  );
}

/**
 * Who watched a stream, from their realtime presence: its signed-in viewers,
 * longest watched first (several tabs count once), a page at a time
 * (`cursor` from the previous page), with the totals. The stream's owner,
 * its channel's moderators and admins only (else `FORBIDDEN`).
 *
 * @example
 * ```ts
 * const { items, totals } = await streamViewerHistory(client, streamId);
 * ```
 */
export function streamViewerHistory(
  client: OnAirClient,
  streamId: string,
  page: { limit?: number; cursor?: string } = {},
): Promise<ViewerHistory> {
  const query = new URLSearchParams({ limit: String(page.limit ?? 20) });
  if (page.cursor) query.set('cursor', page.cursor);
  return client.request(
    ViewerHistorySchema,
    `/v1/streams/${encodeURIComponent(streamId)}/viewers/history?${query}`,
  );
}

/**
 * The range of a channel report: streams that started from `from`
 * (inclusive) to `to` (exclusive), as dates or ISO 8601 strings. The server's
 * default is the 28 days up to now; at most 400 days.
 */
export interface ChannelAnalyticsRange {
  from?: Date | string | undefined;
  to?: Date | string | undefined;
}

/** `?from=…&to=…` of a range (empty when neither is set). */
function rangeQuery(range: ChannelAnalyticsRange): string {
  const params = new URLSearchParams();
  for (const key of ['from', 'to'] as const) {
    const value = range[key];
    if (value !== undefined) {
      params.set(key, value instanceof Date ? value.toISOString() : value);
    }
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

/**
 * A channel's analytics over a range (`GET /v1/channels/:id/analytics`): the
 * streams that started in it, newest first, with their views and viewers,
 * and totals and the QoE summary over all their view sessions. The
 * channel's owner, its moderators and admins only (else `FORBIDDEN`).
 *
 * @example
 * ```ts
 * const lastWeek = await channelAnalytics(client, channelId, {
 *   from: new Date(Date.now() - 7 * 86_400_000),
 * });
 * console.log(lastWeek.streams.length, lastWeek.uniqueViewers);
 * ```
 */
export function channelAnalytics(
  client: OnAirClient,
  channelId: string,
  range: ChannelAnalyticsRange = {},
  signal?: AbortSignal,
): Promise<ChannelAnalytics> {
  return client.request(
    ChannelAnalyticsSchema,
    `/v1/channels/${encodeURIComponent(channelId)}/analytics${rangeQuery(range)}`,
    signal ? { signal } : {},
  );
}

/** A CSV export of a report: its text and the file name the server suggests. */
export interface AnalyticsCsv {
  /** From the answer's `content-disposition`, else `analytics.csv`. */
  filename: string;
  /** RFC 4180, CRLF line ends, with a header row. */
  text: string;
}

async function csv(client: OnAirClient, path: string, signal?: AbortSignal): Promise<AnalyticsCsv> {
  const { text, headers } = await client.requestText(path, signal ? { signal } : {});
  const named = /filename="([^"]+)"/.exec(headers.get('content-disposition') ?? '');
  return { filename: named?.[1] ?? 'analytics.csv', text };
}

/**
 * A stream's per-minute timeline as CSV (`GET /v1/streams/:id/analytics.csv`:
 * minute, average viewers, watch and stall time, stalls, bitrate), fetched
 * with the client's token. Same readers as {@link streamAnalytics}.
 *
 * @example
 * ```ts
 * const { filename, text } = await streamAnalyticsCsv(client, streamId);
 * const link = Object.assign(document.createElement('a'), {
 *   href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })),
 *   download: filename,
 * });
 * link.click();
 * ```
 */
export function streamAnalyticsCsv(
  client: OnAirClient,
  streamId: string,
  signal?: AbortSignal,
): Promise<AnalyticsCsv> {
  return csv(client, `/v1/streams/${encodeURIComponent(streamId)}/analytics.csv`, signal);
}

/**
 * A channel's streams over a range as CSV
 * (`GET /v1/channels/:id/analytics.csv`: one row per stream), fetched with
 * the client's token. Same readers and range as {@link channelAnalytics}.
 *
 * @example
 * ```ts
 * const { text } = await channelAnalyticsCsv(client, channelId, { from: '2026-01-01T00:00:00Z' });
 * ```
 */
export function channelAnalyticsCsv(
  client: OnAirClient,
  channelId: string,
  range: ChannelAnalyticsRange = {},
  signal?: AbortSignal,
): Promise<AnalyticsCsv> {
  return csv(
    client,
    `/v1/channels/${encodeURIComponent(channelId)}/analytics.csv${rangeQuery(range)}`,
    signal,
  );
}

/**
 * Query options of a channel report for the client's TanStack `QueryClient`
 * (`QueryStore`, framework adapters): keyed by the channel and the range as
 * ISO strings, fetched with the query's abort signal.
 *
 * @example
 * ```ts
 * const store = new QueryStore(client.queryClient, channelAnalyticsQuery(client, channelId));
 * ```
 */
export function channelAnalyticsQuery(
  client: OnAirClient,
  channelId: string,
  range: ChannelAnalyticsRange = {},
) {
  const iso = (value: Date | string | undefined) =>
    value instanceof Date ? value.toISOString() : (value ?? null);
  return {
    queryKey: ['onair', 'analytics', 'channel', channelId, iso(range.from), iso(range.to)] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      channelAnalytics(client, channelId, range, signal),
  };
}
