import type { StreamAnalytics } from '@onair/protocol/analytics';
import { html, nothing, type PropertyValues } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { defineElement } from '../internal/onair-element.js';
import { AnalyticsReportElement } from './analytics-report.js';
import { type MinuteSeries, viewersPerMinute } from './figures.js';
import { streamSummaryStyles } from './stream-summary.styles.js';

/**
 * The compact report of a stream once it ended (or so far, while live): peak
 * and unique viewers, watch time, chat, reactions, follows gained and the
 * viewer experience score as tiles, and a sparkline of the viewers per
 * minute (uPlot, loaded after the first paint) with a summary in words.
 * The same report as `<onair-analytics>`: give it `client` (the stream's
 * owner, a moderator or an admin) and `stream-id`, or a `store`.
 *
 * The state is reflected as `data-state` (`idle`, `loading`, `error`,
 * `empty`, `ready`), `data-live` and `data-error` (the error code).
 *
 * The sparkline reads its colours when drawn, again when the `theme` or the
 * system's `prefers-color-scheme` changes; a page that changes
 * `--onair-color-scheme` or a sparkline colour at runtime calls `repaint()`.
 *
 * @csspart title - The heading.
 * @csspart live - The live badge.
 * @csspart status - The loading, empty or error line.
 * @csspart tiles - The `<dl>` of figures.
 * @csspart tile - One figure (`data-figure` names it; the score has `data-level`).
 * @csspart chart - The sparkline's `<figure>` (`data-chart="viewers"`).
 * @cssproperty --onair-stream-summary-background - Panel colour.
 * @cssproperty --onair-stream-summary-foreground - Text colour.
 * @cssproperty --onair-stream-summary-muted - Labels.
 * @cssproperty --onair-stream-summary-border - Panel border.
 * @cssproperty --onair-stream-summary-tile-background - Tile colour.
 * @cssproperty --onair-stream-summary-tile-width - Narrowest tile (default 7rem).
 * @cssproperty --onair-stream-summary-accent - Buttons.
 * @cssproperty --onair-stream-summary-live - The live badge.
 * @cssproperty --onair-stream-summary-error - Error text.
 * @cssproperty --onair-stream-summary-fair - A fair experience score.
 * @cssproperty --onair-stream-summary-poor - A poor experience score.
 * @cssproperty --onair-stream-summary-sparkline-line - Sparkline colour (read when drawn; see `repaint()`).
 * @cssproperty --onair-stream-summary-sparkline-fill - Area under it.
 * @cssproperty --onair-stream-summary-sparkline-height - Its height (default 48px).
 */
export class OnAirStreamSummaryElement extends AnalyticsReportElement {
  static override styles = streamSummaryStyles;

  #viewers: { of: StreamAnalytics; series: MinuteSeries } | undefined;

  private viewersOf(analytics: StreamAnalytics): MinuteSeries {
    if (this.#viewers?.of !== analytics) {
      this.#viewers = { of: analytics, series: viewersPerMinute(analytics.timeline) };
    }
    return this.#viewers.series;
  }

  private readonly formatViewers = (value: number) => this.format.decimal(value);

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const analytics = this.view === 'ready' ? this.analytics : null;
    this.charts.draw([analytics, this.format.lang], () =>
      analytics
        ? [
            {
              name: 'viewers',
              container: this.plotContainer('viewers'),
              spec: this.plotSpec(
                this.viewersOf(analytics),
                'viewersSparkline',
                this.formatViewers,
                {
                  line: '--onair-stream-summary-sparkline-line',
                  fill: '--onair-stream-summary-sparkline-fill',
                },
                true,
              ),
            },
          ]
        : [],
    );
  }

  private renderFigures(analytics: StreamAnalytics) {
    return html`
      ${this.renderFigureTiles(this.text('summary'), analytics, [
        'peakViewers',
        'uniqueViewers',
        'totalWatch',
        'averageView',
        'chatMessages',
        'reactions',
        'followsGained',
        'score',
      ])}
      ${
        this.view === 'ready'
          ? this.renderChart(
              'viewers',
              'viewersSparkline',
              this.viewersOf(analytics),
              this.formatViewers,
              true,
            )
          : nothing
      }
    `;
  }

  override render() {
    const analytics = this.analytics;
    return html`
      <header role="none">
        <h2 part="title">${this.text('summary')}</h2>
        ${this.live ? html`<span part="live" class="live">${this.text('live')}</span>` : nothing}
      </header>
      ${this.renderStatus()}
      ${
        analytics
          ? guard([analytics, this.format.lang, this.view], () => this.renderFigures(analytics))
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-stream-summary': OnAirStreamSummaryElement;
  }
}

/** Registers `<onair-stream-summary>`. */
export function defineStreamSummary(): void {
  defineElement('onair-stream-summary', OnAirStreamSummaryElement);
}
