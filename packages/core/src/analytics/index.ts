/**
 * `@onair/core/analytics`: view analytics. Track a `Player` with
 * {@link viewAnalyticsOf} and each playback reports its QoE to the server,
 * and a `Publisher` with {@link reportPublishing} for the broadcast side;
 * read a stream's report with {@link streamAnalytics} (or keep it current
 * with {@link StreamAnalyticsStore}), a channel's with
 * {@link channelAnalytics}, and their CSV exports with
 * {@link streamAnalyticsCsv} and {@link channelAnalyticsCsv}.
 *
 * @example
 * ```ts
 * import { viewAnalyticsOf } from '@onair/core/analytics';
 * const stop = viewAnalyticsOf(client).track(player, streamId, { lesson: '3' });
 * ```
 * @packageDocumentation
 */

export { reportPublishing, type TrackedPublisher } from './publish-report.js';
export {
  type AnalyticsCsv,
  type ChannelAnalyticsRange,
  channelAnalytics,
  channelAnalyticsCsv,
  channelAnalyticsQuery,
  streamAnalytics,
  streamAnalyticsCsv,
  streamViewerHistory,
} from './reports.js';
export { type StreamAnalyticsState, StreamAnalyticsStore } from './stream-analytics-store.js';
export { type TrackedPlayer, ViewAnalytics, viewAnalyticsOf } from './view-analytics.js';
export { type ViewSession, viewSession } from './view-session.js';
