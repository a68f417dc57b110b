/**
 * `@onair/react/analytics`: a stream's and a channel's analytics in React:
 * `useStreamAnalytics` (live while the stream is), `useChannelAnalytics`
 * (a date range), and the wrappers of `<onair-analytics>` and
 * `<onair-stream-summary>`. Not in `@onair/react`: an app that shows no
 * analytics carries none of it (uPlot, the charts, loads on first render).
 *
 * @example
 * ```tsx
 * import { OnAirAnalytics, useStreamAnalytics } from '@onair/react/analytics';
 *
 * function Dashboard({ streamId }: { streamId: string }) {
 *   const { store } = useStreamAnalytics(streamId);
 *   return <OnAirAnalytics streamId={streamId} store={store} />;
 * }
 * ```
 * @packageDocumentation
 */
export { OnAirAnalytics, OnAirStreamSummary } from './analytics-components.js';
export {
  type ChannelAnalyticsResult,
  type StreamAnalyticsResult,
  useChannelAnalytics,
  useStreamAnalytics,
} from './use-analytics.js';
