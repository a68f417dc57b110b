import { OnAirError } from '@onair/core';
import { streamAnalyticsCsv, streamViewerHistory } from '@onair/core/analytics';
import type { StreamAnalytics, ViewerHistory } from '@onair/protocol/analytics';
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { defineElement } from '../internal/onair-element.js';
import { analyticsStyles } from './analytics.styles.js';
import { AnalyticsReportElement } from './analytics-report.js';
import {
  bitratePerMinute,
  chatPerMinute,
  type MinuteSeries,
  rebufferPercentPerMinute,
  viewersPerMinute,
} from './figures.js';

/** The charts of the dashboard, in order: name, label, series, how the axis writes a value. */
const CHARTS = [
  ['viewers', 'viewersChart', viewersPerMinute],
  ['rebuffer', 'rebufferChart', rebufferPercentPerMinute],
  ['bitrate', 'bitrateChart', bitratePerMinute],
  ['chat', 'chatChart', chatPerMinute],
] as const;

type ChartName = (typeof CHARTS)[number][0];

/**
 * The owner's analytics dashboard of one stream, live and after it ended:
 * audience (peak, average and unique viewers, total and average watch
 * time), engagement (chat, reactions, questions, poll votes, follows gained)
 * and viewer experience (score, startup median and 95th percentile,
 * rebuffering, failures) and, once the stream has been published, the
 * broadcast (bitrate sent, frame rate, picture, time held down by CPU or
 * bandwidth, reconnections, ingest health) as tiles; concurrent viewers,
 * rebuffering, bitrate and chat messages per minute as charts (uPlot,
 * loaded after the first paint), each
 * with a summary and a data table for assistive technology; a "Download
 * CSV" button (the per-minute timeline); while the stream is live, a live
 * badge and the age of the figures (the server pushes them every 5 s);
 * and who watched: each signed-in viewer, when they first came, how long
 * they watched and how often they came back, the longest first, with the
 * number of anonymous visits (20 at a time, "Show more"; while live, the
 * first page follows the report's pushes).
 *
 * Give it `client` (signed in as the stream's owner, a moderator of its
 * channel or an admin) and `stream-id`, or a `store`. Anyone else sees
 * "Only the stream's owner and moderators can see analytics".
 *
 * The state is reflected as `data-state` (`idle`, `loading`, `error`,
 * `empty`: no view yet, `ready`), `data-live` and `data-error` (the error
 * code, such as `FORBIDDEN`).
 *
 * The charts read their colours when drawn, again when the `theme` or the
 * system's `prefers-color-scheme` changes; a page that changes
 * `--onair-color-scheme` or a chart colour at runtime calls `repaint()`.
 *
 * @csspart header - The title, live badge, age and download button.
 * @csspart title - The heading.
 * @csspart live - The live badge.
 * @csspart updated - "Updated 3 s ago".
 * @csspart download - The "Download CSV" button.
 * @csspart status - The loading, empty or error line.
 * @csspart tiles - Each `<dl>` of figures (audience, engagement, experience, broadcast).
 * @csspart tile - One figure (`data-figure` names it; the score has `data-level`).
 * @csspart chart - Each chart's `<figure>` (`data-chart`: `viewers`, `rebuffer`, `bitrate`, `chat`).
 * @csspart viewers - "Who watched": the totals and the table of viewers (a row's `data-id` is the user's).
 * @cssproperty --onair-analytics-background - Panel colour.
 * @cssproperty --onair-analytics-foreground - Text colour.
 * @cssproperty --onair-analytics-muted - Labels and secondary text.
 * @cssproperty --onair-analytics-border - Panel border.
 * @cssproperty --onair-analytics-tile-background - Tile colour.
 * @cssproperty --onair-analytics-tile-width - Narrowest tile (default 9.5rem).
 * @cssproperty --onair-analytics-accent - Buttons.
 * @cssproperty --onair-analytics-accent-foreground - Button text.
 * @cssproperty --onair-analytics-live - The live badge.
 * @cssproperty --onair-analytics-error - Error text.
 * @cssproperty --onair-analytics-fair - A fair experience score.
 * @cssproperty --onair-analytics-poor - A poor experience score.
 * @cssproperty --onair-analytics-chart-line - Chart line (read when a chart is drawn; see `repaint()`).
 * @cssproperty --onair-analytics-chart-fill - Area under the line.
 * @cssproperty --onair-analytics-chart-axis - Axis labels.
 * @cssproperty --onair-analytics-chart-grid - Grid lines.
 * @cssproperty --onair-analytics-chart-height - Height of a chart (default 160px).
 */
export class OnAirAnalyticsElement extends AnalyticsReportElement {
  static override styles = analyticsStyles;
  static override properties: PropertyDeclarations = {
    downloading: { state: true },
    downloadError: { state: true },
    viewers: { state: true },
    viewersError: { state: true },
  };

  declare private downloading: boolean;
  declare private downloadError: OnAirError | null;
  /** Who watched, the pages loaded so far. */
  declare private viewers: ViewerHistory | null;
  declare private viewersError: OnAirError | null;
  /** The stream whose viewers are loaded (or loading), and the report's time they were loaded at. */
  #viewersOf: string | undefined;
  #viewersAt: number | null | undefined;
  /** More than the first page shows: a live refresh (first page only) would drop the rest. */
  #viewersPaged = false;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #series: { of: StreamAnalytics; charts: Record<ChartName, MinuteSeries> } | undefined;

  constructor() {
    super();
    this.downloading = false;
    this.downloadError = null;
    this.viewers = null;
    this.viewersError = null;
  }

  /**
   * Loads who watched the stream: the first page, or with `more` the page
   * after those shown. The dashboard loads the first once its report is in
   * (with views or not yet).
   */
  async loadViewers(more = false): Promise<void> {
    const { client, streamId } = this;
    const cursor = more ? this.viewers?.nextCursor : undefined;
    if (!client || !streamId || (more && !cursor)) return;
    if (more) this.#viewersPaged = true;
    try {
      const page = await streamViewerHistory(client, streamId, cursor ? { cursor } : {});
      if (streamId !== this.streamId) return;
      const shown = more && this.viewers ? this.viewers.items : [];
      this.viewers = { ...page, items: [...shown, ...page.items] };
      this.viewersError = null;
    } catch (error) {
      if (streamId === this.streamId) this.viewersError = OnAirError.from(error);
    }
  }

  /**
   * Downloads the stream's per-minute timeline as CSV (the server's export,
   * fetched with the client's token), as the "Download CSV" button does.
   */
  async downloadCsv(): Promise<void> {
    if (!this.client || !this.streamId || this.downloading) return;
    this.downloading = true;
    this.downloadError = null;
    try {
      const { filename, text } = await streamAnalyticsCsv(this.client, this.streamId);
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.click();
      // Some browsers read the URL after click() returns.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.downloadError = OnAirError.from(error);
    } finally {
      this.downloading = false;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // "Updated 3 s ago" counts up while the figures wait for the next push.
    this.#ticker = setInterval(() => {
      if (this.report.value?.updatedAt) this.requestUpdate();
    }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#ticker);
  }

  /** Each chart's minutes, computed once per report. */
  private seriesOf(analytics: StreamAnalytics): Record<ChartName, MinuteSeries> {
    if (this.#series?.of !== analytics) {
      const charts = Object.fromEntries(
        CHARTS.map(([name, , series]) => [name, series(analytics.timeline)]),
      ) as Record<ChartName, MinuteSeries>;
      this.#series = { of: analytics, charts };
    }
    return this.#series.charts;
  }

  private formatterOf(name: ChartName): (value: number) => string {
    if (name === 'rebuffer') return (value) => this.format.percent(value);
    if (name === 'bitrate') return (value) => this.format.kbps(value);
    if (name === 'chat') return (value) => this.format.count(value);
    return (value) => this.format.decimal(value);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // Who watched: once the report is in (people may be in the room before any view is
    // counted), and again with each live push while only the first page shows.
    const loaded = this.view === 'ready' || this.view === 'empty';
    const at = this.report.value?.updatedAt;
    const fresh = this.#viewersOf !== this.streamId;
    if (
      loaded &&
      this.streamId &&
      (fresh || (this.live && at !== this.#viewersAt && !this.#viewersPaged))
    ) {
      if (fresh) {
        this.viewers = null;
        this.viewersError = null;
        this.#viewersPaged = false;
      }
      this.#viewersOf = this.streamId;
      this.#viewersAt = at;
      void this.loadViewers();
    }
    const analytics = this.view === 'ready' ? this.analytics : null;
    this.charts.draw([analytics, this.format.lang], () => {
      if (!analytics) return [];
      const series = this.seriesOf(analytics);
      return CHARTS.map(([name, label]) => ({
        name,
        container: this.plotContainer(name),
        spec: this.plotSpec(series[name], label, this.formatterOf(name), {
          line: '--onair-analytics-chart-line',
          fill: '--onair-analytics-chart-fill',
          axis: '--onair-analytics-chart-axis',
          grid: '--onair-analytics-chart-grid',
        }),
      }));
    });
  }

  private renderUpdated() {
    const updatedAt = this.report.value?.updatedAt;
    if (!updatedAt || !this.live) return nothing;
    const ms = Math.max(0, Date.now() - updatedAt);
    return html`<span part="updated" class="muted">
      ${ms < 5000 ? this.text('updatedJustNow') : this.text('updatedAgo', { time: this.format.duration(ms) })}
    </span>`;
  }

  private renderFigures(analytics: StreamAnalytics) {
    const { broadcast } = analytics;
    return html`
      <h3>${this.text('audience')}</h3>
      ${this.renderFigureTiles(this.text('audience'), analytics, [
        'peakViewers',
        'averageViewers',
        'uniqueViewers',
        'totalWatch',
        'averageView',
      ])}
      <h3>${this.text('engagement')}</h3>
      ${this.renderFigureTiles(this.text('engagement'), analytics, [
        'chatMessages',
        'chatters',
        'reactions',
        'questions',
        'pollVotes',
        'followsGained',
      ])}
      <h3>${this.text('quality')}</h3>
      ${this.renderFigureTiles(this.text('quality'), analytics, [
        'score',
        'startupMedian',
        'startupP95',
        'rebuffering',
        'failures',
      ])}
      ${
        broadcast.sessions > 0 || broadcast.ingest.reports > 0
          ? html`<h3>${this.text('broadcast')}</h3>
              ${this.renderFigureTiles(this.text('broadcast'), analytics, [
                'sendBitrate',
                'frameRate',
                'picture',
                'limitedByCpu',
                'limitedByBandwidth',
                'reconnects',
                'ingestHealth',
              ])}`
          : nothing
      }
    `;
  }

  /** Who watched: the totals, a row per signed-in viewer, "Show more". */
  private renderViewers() {
    const { viewers: page, viewersError: error } = this;
    if (!page && !error) return nothing;
    const f = this.format;
    return html`<section part="viewers" aria-labelledby="viewers">
      <h3 id="viewers">${this.text('whoWatched')}</h3>
      ${error ? html`<p class="alert" role="alert">${error.message}</p>` : nothing}
      ${
        page
          ? html`<p class="muted">${this.text('whoWatchedTotals', {
              viewers: f.count(page.totals.viewers),
              anonymous: f.count(page.totals.anonymousVisits),
            })}</p>
            ${
              page.items.length > 0
                ? html`<table>
                    <thead><tr><th scope="col">${this.text('viewer')}</th><th scope="col">${this.text('firstJoined')}</th><th scope="col">${this.text('watched')}</th><th scope="col">${this.text('visits')}</th></tr></thead>
                    <tbody>${page.items.map(
                      (v) =>
                        html`<tr data-id=${v.user.id}><th scope="row">${v.user.displayName}</th><td>${f.clock(Date.parse(v.firstJoinedAt) / 1000)}</td><td>${f.duration(v.watchedSeconds * 1000)}</td><td>${f.count(v.visits)}</td></tr>`,
                    )}</tbody>
                  </table>`
                : nothing
            }
            ${page.nextCursor ? html`<button type="button" class="more" @click=${() => this.loadViewers(true)}>${this.text('showMore')}</button>` : nothing}`
          : nothing
      }
    </section>`;
  }

  private renderCharts(analytics: StreamAnalytics) {
    const series = this.seriesOf(analytics);
    return html`<div class="charts">
      ${CHARTS.map(([name, label]) =>
        this.renderChart(name, label, series[name], this.formatterOf(name)),
      )}
    </div>`;
  }

  override render() {
    const analytics = this.analytics;
    const lang = this.format.lang;
    const failed = this.charts.failed;
    return html`
      <header role="none" part="header">
        <h2 part="title">${this.text('analytics')}</h2>
        ${this.live ? html`<span part="live" class="live">${this.text('live')}</span>` : nothing}
        ${this.renderUpdated()}
        <button
          part="download"
          type="button"
          ?disabled=${!this.client || !this.streamId || !analytics || this.downloading}
          aria-busy=${this.downloading ? 'true' : 'false'}
          @click=${this.downloadCsv}
        >
          ${this.downloading ? this.text('preparingCsv') : this.text('downloadCsv')}
        </button>
      </header>
      ${this.downloadError ? html`<p class="alert" role="alert">${this.downloadError.message}</p>` : nothing}
      ${this.renderStatus()}
      ${analytics ? guard([analytics, lang], () => this.renderFigures(analytics)) : nothing}
      ${
        analytics && this.view === 'ready'
          ? guard([analytics, lang, failed], () => this.renderCharts(analytics))
          : nothing
      }
      ${this.renderViewers()}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-analytics': OnAirAnalyticsElement;
  }
}

/** Registers `<onair-analytics>`. */
export function defineAnalytics(): void {
  defineElement('onair-analytics', OnAirAnalyticsElement);
}
