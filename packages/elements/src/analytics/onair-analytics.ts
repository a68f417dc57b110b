/**
 * `@onair/elements/analytics`: registers `<onair-analytics>` (a stream's
 * analytics dashboard for its owner) and `<onair-stream-summary>` (the
 * compact report after a stream ends), in browsers only. Not part of
 * `@onair/elements` or the CDN build: a page that shows analytics imports
 * this entry, and uPlot (the charts) loads after the elements' first paint.
 *
 * @example
 * ```ts
 * import '@onair/elements/analytics'; // defines <onair-analytics> and <onair-stream-summary>
 * const dashboard = document.createElement('onair-analytics');
 * dashboard.client = client; // signed in as the stream's owner
 * dashboard.streamId = 'str_123';
 * document.body.append(dashboard);
 * ```
 * @packageDocumentation
 */
import { defineAnalytics, OnAirAnalyticsElement } from './analytics.component.js';
import type { AnalyticsMessageKey } from './analytics-messages.js';
import {
  AnalyticsReportElement,
  type ReportFigure,
  type ReportView,
  type StreamAnalyticsStoreLike,
  type Tile,
} from './analytics-report.js';
import { defineStreamSummary, OnAirStreamSummaryElement } from './stream-summary.component.js';

defineAnalytics();
defineStreamSummary();

// The tag names are typed in HTMLElementTagNameMap by the component modules.
export {
  type AnalyticsMessageKey,
  AnalyticsReportElement,
  defineAnalytics,
  defineStreamSummary,
  OnAirAnalyticsElement,
  OnAirStreamSummaryElement,
  type ReportFigure,
  type ReportView,
  type StreamAnalyticsStoreLike,
  type Tile,
};
