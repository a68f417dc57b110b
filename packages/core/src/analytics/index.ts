/**
 * `@onair/core/analytics`: view analytics. Track a `Player` with
 * {@link viewAnalyticsOf} and each playback reports its QoE to the server;
 * read a stream's report with {@link streamAnalytics}.
 *
 * @example
 * ```ts
 * import { viewAnalyticsOf } from '@onair/core/analytics';
 * const stop = viewAnalyticsOf(client).track(player, streamId, { lesson: '3' });
 * ```
 * @packageDocumentation
 */
export { environmentOf, type ViewEnvironment } from './environment.js';
export { streamAnalytics } from './reports.js';
export { type TrackedPlayer, ViewAnalytics, viewAnalyticsOf } from './view-analytics.js';
export { ViewSession } from './view-session.js';
