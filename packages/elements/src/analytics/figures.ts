import type { AnalyticsMinute } from '@onair/protocol/analytics';

/** One series over a stream's minutes: x in seconds since the epoch, y `null` where unknown. */
export interface MinuteSeries {
  x: number[];
  y: Array<number | null>;
}

const seriesOf = (
  timeline: readonly AnalyticsMinute[],
  value: (minute: AnalyticsMinute) => number | null,
): MinuteSeries => ({
  x: timeline.map((minute) => Date.parse(minute.at) / 1000),
  y: timeline.map(value),
});

/** Average concurrent viewers in each minute (watch time in it / 60 s, as the server reports). */
export const viewersPerMinute = (timeline: readonly AnalyticsMinute[]): MinuteSeries =>
  seriesOf(timeline, (minute) => minute.viewers);

/**
 * The share of each minute's playback time spent stalled, 0–100: stall time /
 * (watch time + stall time), the definition of the report's `rebufferPercent`;
 * unknown in a minute nobody played.
 */
export const rebufferPercentPerMinute = (timeline: readonly AnalyticsMinute[]): MinuteSeries =>
  seriesOf(timeline, ({ watchMs, rebufferMs }) =>
    watchMs + rebufferMs > 0 ? (rebufferMs / (watchMs + rebufferMs)) * 100 : null,
  );

/** The mean bitrate played in each minute, kbit/s. */
export const bitratePerMinute = (timeline: readonly AnalyticsMinute[]): MinuteSeries =>
  seriesOf(timeline, (minute) => minute.bitrateKbps);

/** Chat messages sent in each minute (the chat rate). */
export const chatPerMinute = (timeline: readonly AnalyticsMinute[]): MinuteSeries =>
  seriesOf(timeline, (minute) => minute.chatMessages);

/** The highest value of a series and when, or null for a series with no value. */
export function highest(series: MinuteSeries): { value: number; at: number } | null {
  let best: { value: number; at: number } | null = null;
  for (let i = 0; i < series.y.length; i++) {
    const value = series.y[i];
    if (value != null && (best === null || value > best.value)) {
      best = { value, at: series.x[i] ?? 0 };
    }
  }
  return best;
}

/**
 * How the analytics elements write numbers in one language: counts, times,
 * percentages and bitrates through `Intl.NumberFormat` (its units are
 * translated), `–` where a figure is unknown.
 */
export class FigureFormat {
  readonly #count: Intl.NumberFormat;
  readonly #decimal: Intl.NumberFormat;
  readonly #percent: Intl.NumberFormat;
  readonly #units: Record<'hour' | 'minute' | 'second' | 'millisecond', Intl.NumberFormat>;
  readonly #kbps: Intl.NumberFormat;
  readonly #clock: Intl.DateTimeFormat;

  constructor(readonly lang: string) {
    this.#count = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    this.#decimal = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    this.#percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
    const unit = (name: string) =>
      new Intl.NumberFormat(lang, { style: 'unit', unit: name, maximumFractionDigits: 0 });
    this.#units = {
      hour: unit('hour'),
      minute: unit('minute'),
      second: unit('second'),
      millisecond: unit('millisecond'),
    };
    this.#kbps = new Intl.NumberFormat(lang, {
      style: 'unit',
      unit: 'kilobit-per-second',
      maximumFractionDigits: 0,
    });
    this.#clock = new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' });
  }

  /** A whole number: `1,234`. */
  count(n: number | null): string {
    return n === null ? '–' : this.#count.format(n);
  }

  /** A number with at most one decimal: `3.5`. */
  decimal(n: number | null): string {
    return n === null ? '–' : this.#decimal.format(n);
  }

  /** A share given as 0–100: `1.5%`. */
  percent(n: number | null): string {
    return n === null ? '–' : this.#percent.format(n / 100);
  }

  /** A bitrate in kbit/s: `2,400 kb/s`. */
  kbps(n: number | null): string {
    return n === null ? '–' : this.#kbps.format(n);
  }

  /** A startup time: `850 ms` under 10 s, else seconds. */
  startup(ms: number | null): string {
    if (ms === null) return '–';
    return ms < 10_000
      ? this.#units.millisecond.format(ms)
      : this.#units.second.format(Math.round(ms / 1000));
  }

  /** A duration in its two largest units: `2 hr 5 min`, `4 min 10 sec`, `12 sec`. */
  duration(ms: number | null): string {
    if (ms === null) return '–';
    const total = Math.round(ms / 1000);
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = total % 60;
    const { hour, minute, second } = this.#units;
    if (hours > 0) return `${hour.format(hours)} ${minute.format(minutes)}`;
    if (minutes > 0) return `${minute.format(minutes)} ${second.format(seconds)}`;
    return second.format(seconds);
  }

  /** A clock time of day from seconds since the epoch: `3:05 PM`. */
  clock(seconds: number): string {
    return this.#clock.format(seconds * 1000);
  }
}

/**
 * How a viewer experience score reads (the tiles' `data-level`): `good` from
 * 90, `fair` from 70, `poor` below; `null` before any view started.
 */
export function scoreLevel(score: number | null): 'good' | 'fair' | 'poor' | null {
  if (score === null) return null;
  return score >= 90 ? 'good' : score >= 70 ? 'fair' : 'poor';
}
