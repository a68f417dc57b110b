import {
  defineAnalytics,
  defineStreamSummary,
  OnAirAnalyticsElement,
  OnAirStreamSummaryElement,
} from '@onair/elements/analytics';
import { wrap } from './wrap.js';

/**
 * React wrapper of `<onair-analytics>`: a stream's analytics dashboard for
 * its owner (`streamId`, and `client` or the provider's; or `store` from
 * {@link useStreamAnalytics}).
 */
export const OnAirAnalytics = /* @__PURE__ */ wrap(
  'OnAirAnalytics',
  'onair-analytics',
  OnAirAnalyticsElement,
  defineAnalytics,
);

/** React wrapper of `<onair-stream-summary>`: the compact report after a stream ends. */
export const OnAirStreamSummary = /* @__PURE__ */ wrap(
  'OnAirStreamSummary',
  'onair-stream-summary',
  OnAirStreamSummaryElement,
  defineStreamSummary,
);
