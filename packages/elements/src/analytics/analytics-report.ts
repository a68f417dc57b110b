import { type OnAirError, type QueryState, QueryStore } from '@onair/core';
import { type StreamAnalyticsState, StreamAnalyticsStore } from '@onair/core/analytics';
import type { Stream } from '@onair/protocol';
import type { StreamAnalytics } from '@onair/protocol/analytics';
import {
  html,
  nothing,
  type PropertyDeclarations,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import { languageOf, translateWith } from '../internal/i18n.js';
import { OnAirElement } from '../internal/onair-element.js';
import { type ExternalStore, StoreController } from '../internal/store-controller.js';
import { ANALYTICS_MESSAGES, type AnalyticsMessageKey } from './analytics-messages.js';
import { ChartsController } from './charts.js';
import { FigureFormat, highest, type MinuteSeries, scoreLevel } from './figures.js';
import type { PlotSpec } from './uplot-chart.js';

/**
 * What the analytics elements need from a report store: a core
 * `StreamAnalyticsStore` or a stand-in (stories, tests, a store shared with
 * `useStreamAnalytics`).
 */
export interface StreamAnalyticsStoreLike extends ExternalStore<StreamAnalyticsState> {
  /** Fetches the report again (the error state's "Try again"). */
  refresh?(): Promise<void>;
}

/** One figure of a report: its name, its value as written, and how good it is (if that applies). */
export interface Tile {
  key: AnalyticsMessageKey;
  value: string;
  level?: 'good' | 'fair' | 'poor' | null;
}

/** A picture height as resolutions are named: `720p`. */
const picture = (height: number | null) => (height === null ? '–' : `${Math.round(height)}p`);

/**
 * Each figure a tile can show, written from a report. The broadcast figures
 * are the Publishers' where they reported, else the server's view of the ingest.
 */
const FIGURES = {
  peakViewers: (a, f) => f.count(a.peakViewers),
  averageViewers: (a, f) => f.decimal(a.averageViewers),
  uniqueViewers: (a, f) => f.count(a.uniqueViewers),
  totalWatch: (a, f) => f.duration(a.totalWatchMs),
  averageView: (a, f) => f.duration(a.averageViewMs),
  chatMessages: (a, f) => f.count(a.engagement.chatMessages),
  chatters: (a, f) => f.count(a.engagement.chatters),
  reactions: (a, f) => f.count(a.engagement.reactions),
  questions: (a, f) => f.count(a.engagement.questions),
  pollVotes: (a, f) => f.count(a.engagement.pollVotes),
  followsGained: (a, f) => f.count(a.engagement.followsGained),
  score: (a, f) => f.count(a.qoe.score),
  startupMedian: (a, f) => f.startup(a.qoe.startupMsMedian),
  startupP95: (a, f) => f.startup(a.qoe.startupMsP95),
  rebuffering: (a, f) => f.percent(a.qoe.rebufferPercent),
  failures: (a, f) => f.percent(a.qoe.failurePercent),
  sendBitrate: ({ broadcast: b }, f) => f.kbps(b.bitrateKbps ?? b.ingest.bitrateKbps),
  frameRate: ({ broadcast: b }, f) => f.decimal(b.frameRate ?? b.ingest.frameRate),
  picture: ({ broadcast: b }) => picture(b.height),
  limitedByCpu: ({ broadcast: b }, f) => f.percent(b.sessions ? b.limitedPercent.cpu : null),
  limitedByBandwidth: ({ broadcast: b }, f) =>
    f.percent(b.sessions ? b.limitedPercent.bandwidth : null),
  reconnects: ({ broadcast: b }, f) => f.count(b.sessions ? b.reconnects : null),
  ingestHealth: ({ broadcast: b }, f) => f.count(b.ingest.score),
} satisfies Partial<
  Record<AnalyticsMessageKey, (analytics: StreamAnalytics, format: FigureFormat) => string>
>;

/** A figure an analytics element can show as a tile (its label's key). */
export type ReportFigure = keyof typeof FIGURES;

/**
 * What an analytics element shows: `idle` (no stream or client yet),
 * `loading`, `error` (no report: refused or failed), `empty` (a report with
 * no view yet) or `ready`.
 */
export type ReportView = 'idle' | 'loading' | 'error' | 'empty' | 'ready';

/**
 * Base of `<onair-analytics>` and `<onair-stream-summary>`: follows a
 * stream's report (the `store` given, else a `StreamAnalyticsStore` of
 * `client` and `stream-id`) and the stream itself (live or not), reflects
 * the state as `data-*` attributes and writes the analytics strings and
 * figures in the element's language.
 */
export class AnalyticsReportElement extends OnAirElement {
  static override properties: PropertyDeclarations = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    store: { attribute: false },
  };

  /** The stream whose report to show (its owner, a moderator or an admin must be signed in). */
  declare streamId: string | undefined;
  /** A report store to use instead of creating one (`useStreamAnalytics(…).store`). */
  declare store: StreamAnalyticsStoreLike | undefined;

  protected readonly report = new StoreController<StreamAnalyticsState, StreamAnalyticsStoreLike>(
    this,
  );
  /** The stream (live or not), kept current by the realtime room the report store holds. */
  protected readonly stream = new StoreController<QueryState<Stream>>(this);

  /** The element's uPlot charts, loaded on first use. */
  protected readonly charts = new ChartsController(this);

  #format: FigureFormat | undefined;

  /**
   * Draws the charts again in the element's colours as they are now. The
   * charts read their colours when drawn and follow the element's `theme`
   * and the system's scheme by themselves; a page that switches
   * `--onair-color-scheme` (or a colour they use, such as `--onair-accent`)
   * at runtime calls this after.
   */
  repaint(): void {
    this.charts.repaint();
  }

  /** An analytics string in the element's language. */
  protected text(key: AnalyticsMessageKey, vars?: Record<string, string | number>): string {
    return translateWith(this, `analytics.${key}`, ANALYTICS_MESSAGES[key], vars);
  }

  /** Number and time formats of the element's language. */
  protected get format(): FigureFormat {
    const lang = languageOf(this);
    if (this.#format?.lang !== lang) this.#format = new FigureFormat(lang);
    return this.#format;
  }

  /** The report shown, if any. */
  protected get analytics(): StreamAnalytics | null {
    return this.report.value?.analytics ?? null;
  }

  /** Why there is no report, if so. */
  protected get error(): OnAirError | null {
    return this.analytics ? null : (this.report.value?.error ?? null);
  }

  /** Whether the stream is live now. */
  protected get live(): boolean {
    return this.stream.value?.data?.status === 'live';
  }

  /** What the element shows (its `data-state`). */
  protected get view(): ReportView {
    const state = this.report.value;
    if (!state) return 'idle';
    if (state.analytics) return state.analytics.qoe.views === 0 ? 'empty' : 'ready';
    return state.error ? 'error' : 'loading';
  }

  /**
   * A colour from one of the element's custom properties, resolved as the
   * element would paint it (`light-dark()` in its colour scheme, `var()`),
   * for the canvas charts, which take only plain colours. A value that is no
   * colour gives `fallback`.
   */
  protected cssValue(property: string, fallback: string): string {
    // The inner probe's colour; an invalid one inherits the outer's, the fallback.
    const outer = document.createElement('i');
    const probe = outer.appendChild(document.createElement('i'));
    outer.hidden = true;
    outer.style.color = fallback;
    probe.style.color = `var(${property})`;
    this.renderRoot.appendChild(outer);
    const color = getComputedStyle(probe).color;
    outer.remove();
    return color || fallback;
  }

  /** A `<dl>` of figures, one tile each (`data-figure` names it). */
  protected renderTiles(label: string, tiles: readonly Tile[]): TemplateResult {
    return html`<dl part="tiles" aria-label=${label}>
      ${tiles.map(
        ({ key, value, level }) =>
          html`<div part="tile" class="tile" data-figure=${key} data-level=${level ?? nothing}>
            <dt>${this.text(key)}</dt>
            <dd>${value}</dd>
          </div>`,
      )}
    </dl>`;
  }

  /** {@link renderTiles} of report figures, each written as {@link ReportFigure} says; scores get a level. */
  protected renderFigureTiles(
    label: string,
    analytics: StreamAnalytics,
    figures: readonly ReportFigure[],
  ): TemplateResult {
    const levels: Partial<Record<ReportFigure, number | null>> = {
      score: analytics.qoe.score,
      ingestHealth: analytics.broadcast.ingest.score,
    };
    return this.renderTiles(
      label,
      figures.map((key) => ({
        key,
        value: FIGURES[key](analytics, this.format),
        level: key in levels ? scoreLevel(levels[key] ?? null) : null,
      })),
    );
  }

  /**
   * A chart's figure: its label, the container uPlot draws into, a summary
   * in words and, unless `sparkline`, the minutes as a table, visually
   * hidden (shown when the chart module could not load).
   */
  protected renderChart(
    name: string,
    label: AnalyticsMessageKey,
    series: MinuteSeries,
    formatY: (value: number) => string,
    sparkline = false,
  ): TemplateResult {
    const f = this.format;
    const peak = highest(series);
    const first = series.x[0];
    const last = series.x.at(-1);
    const summary =
      peak && first !== undefined && last !== undefined
        ? this.text('chartSummary', {
            count: series.x.length,
            from: f.clock(first),
            to: f.clock(last),
            max: formatY(peak.value),
            at: f.clock(peak.at),
          })
        : this.text('chartEmpty');
    const title = this.text(label);
    return html`<figure part="chart" class=${sparkline ? 'sparkline' : 'chart'} data-chart=${name} aria-label=${title}>
      ${sparkline ? nothing : html`<figcaption>${title}</figcaption>`}
      <div class="plot" aria-hidden="true"></div>
      <p class="visually-hidden">${summary}</p>
      ${
        sparkline
          ? nothing
          : html`<table class=${this.charts.failed ? 'table' : 'visually-hidden'}>
              <caption class="visually-hidden">${title}</caption>
              <thead><tr><th scope="col">${this.text('minute')}</th><th scope="col">${title}</th></tr></thead>
              <tbody>
                ${series.x.map((x, i) => {
                  const y = series.y[i];
                  return html`<tr><td>${f.clock(x)}</td><td>${y == null ? '–' : formatY(y)}</td></tr>`;
                })}
              </tbody>
            </table>`
      }
    </figure>`;
  }

  /** What uPlot needs to draw `series` in this element's colours (read from its custom properties). */
  protected plotSpec(
    series: MinuteSeries,
    label: AnalyticsMessageKey,
    formatY: (value: number) => string,
    colors: { line: string; fill: string; axis?: string; grid?: string },
    sparkline = false,
  ): PlotSpec {
    return {
      x: series.x,
      y: series.y,
      label: this.text(label),
      colors: {
        line: this.cssValue(colors.line, '#5b3cc4'),
        fill: this.cssValue(colors.fill, 'rgb(91 60 196 / 12%)'),
        axis: colors.axis ? this.cssValue(colors.axis, '#666') : '#666',
        grid: colors.grid ? this.cssValue(colors.grid, 'rgb(0 0 0 / 8%)') : 'rgb(0 0 0 / 8%)',
      },
      sparkline,
      formatY,
      formatX: (seconds) => this.format.clock(seconds),
    };
  }

  /** The container a chart draws into, once rendered. */
  protected plotContainer(name: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[data-chart="${name}"] .plot`);
  }

  /** The state line: loading, no views yet, or why there is no report (with "Try again"). */
  protected renderStatus(): TemplateResult | typeof nothing {
    const view = this.view;
    if (view === 'loading') {
      return html`<p part="status" class="status" role="status">${this.text('loading')}</p>`;
    }
    if (view === 'empty') {
      return html`<p part="status" class="status" role="status">${this.text('empty')}</p>`;
    }
    const error = this.error;
    if (view !== 'error' || !error) return nothing;
    if (error.code === 'FORBIDDEN') {
      return html`<p part="status" class="alert" role="alert">${this.text('forbidden')}</p>`;
    }
    return html`<p part="status" class="alert" role="alert">
      ${this.text('failed', { message: error.message })}
      ${
        this.report.current?.refresh
          ? html`<button class="link" type="button" @click=${() => this.report.current?.refresh?.()}>
              ${this.text('retry')}
            </button>`
          : nothing
      }
    </p>`;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The theme attribute sets the scheme `light-dark()` colours resolve in (reflected before `updated`).
    if (changed.has('theme')) this.charts.repaint();
    this.report.follow(changed, this.store, () =>
      this.client && this.streamId
        ? new StreamAnalyticsStore(this.client, this.streamId)
        : undefined,
    );
    if (changed.has('client') || changed.has('streamId')) {
      this.stream.setStore(
        this.client && this.streamId
          ? new QueryStore(this.client.queryClient, this.client.streams.detailQuery(this.streamId))
          : undefined,
      );
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.dataset.state = this.view;
    this.toggleAttribute('data-live', this.live);
    const code = this.error?.code;
    if (code) this.dataset.error = code;
    else delete this.dataset.error;
  }
}
