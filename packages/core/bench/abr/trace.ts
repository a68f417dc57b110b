import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * A network trace: piecewise-constant capacity. Segment i runs from
 * `starts[i]` to `starts[i + 1]` (the last to `duration`) at `rates[i]` bits/s.
 */
export interface Trace {
  name: string;
  /** Top-level directory under the traces root (the set it is reported with). */
  set: string;
  starts: Float64Array;
  rates: Float64Array;
  duration: number;
  /** Loop back to the start at the end (Pensieve's simulator does); else hold the last rate. */
  wrap: boolean;
}

/**
 * How a line's rate relates to its time: `previous` (Pensieve, Oboe, FCC:
 * the rate over the interval ending at that time) or `next` (the Twitch
 * profiles: the rate from that time until the next line).
 */
export type TraceReading = 'previous' | 'next';

/** Parses `time_s<TAB>Mbps` lines. Throws on a file with fewer than two samples. */
export function parseTrace(
  text: string,
  options: { name: string; set: string; reading: TraceReading; wrap: boolean },
): Trace {
  const times: number[] = [];
  const mbps: number[] = [];
  for (const line of text.split('\n')) {
    const [t, r] = line.trim().split(/\s+/);
    if (t === undefined || r === undefined) continue;
    const time = Number(t);
    const rate = Number(r);
    if (!Number.isFinite(time) || !Number.isFinite(rate)) continue;
    if (times.length > 0 && time <= (times.at(-1) as number)) continue; // not increasing
    times.push(time);
    mbps.push(Math.max(0, rate));
  }
  if (times.length < 2) throw new Error(`${options.name}: fewer than two samples`);
  const origin = times[0] as number;
  const n = times.length;
  let starts: number[];
  let rates: number[];
  let duration: number;
  if (options.reading === 'previous') {
    // Line i (i ≥ 1) covers (t[i−1], t[i]]; line 0 covers time before the trace began.
    starts = times.slice(0, n - 1).map((t) => t - origin);
    rates = mbps.slice(1);
    duration = (times[n - 1] as number) - origin;
  } else {
    const step = (times[n - 1] as number) - (times[n - 2] as number);
    starts = times.map((t) => t - origin);
    rates = mbps;
    duration = (times[n - 1] as number) - origin + step;
  }
  return {
    name: options.name,
    set: options.set,
    starts: Float64Array.from(starts),
    rates: Float64Array.from(rates, (r) => r * 1e6),
    duration,
    wrap: options.wrap,
  };
}

/**
 * Every trace file under `root`, recursively, grouped by top-level directory.
 * The Twitch profiles (a directory whose name starts with `twitch`) are read
 * as steps from each time and not looped; the rest the Pensieve way.
 */
export function loadTraces(root: string): Map<string, Trace[]> {
  const sets = new Map<string, Trace[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      if (/\.(md|json)$/i.test(entry)) continue;
      const rel = relative(root, path);
      const set = rel.includes(sep) ? (rel.split(sep)[0] as string) : '.';
      const twitch = set.startsWith('twitch');
      const trace = parseTrace(readFileSync(path, 'utf8'), {
        name: rel,
        set,
        reading: twitch ? 'next' : 'previous',
        wrap: !twitch,
      });
      sets.set(set, [...(sets.get(set) ?? []), trace]);
    }
  };
  walk(root);
  return sets;
}

/** Capacity over time from a trace: bits sent between two times, and when a transfer ends. */
export class Link {
  constructor(
    readonly trace: Trace,
    /** Seconds of unconstrained capacity before the trace starts (the Twitch warm-up). */
    readonly warmup = 0,
    /** bits/s during the warm-up. */
    readonly warmupRate = 0,
  ) {}

  /** The segment index and its end for a time inside the trace (0 ≤ t < duration). */
  private locate(t: number): number {
    const { starts } = this.trace;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Rate at session time t and how long it stays (seconds; Infinity when it holds). */
  private rateAt(t: number): { rate: number; until: number } {
    if (t < this.warmup) return { rate: this.warmupRate, until: this.warmup };
    const { trace } = this;
    let local = t - this.warmup;
    let base = this.warmup;
    if (local >= trace.duration) {
      if (!trace.wrap)
        return { rate: trace.rates[trace.rates.length - 1] as number, until: Infinity };
      const loops = Math.floor(local / trace.duration);
      local -= loops * trace.duration;
      base += loops * trace.duration;
    }
    // A time that lands on a boundary (up to rounding) belongs to the next segment.
    const i = this.locate(local + 1e-9);
    const end = i + 1 < trace.starts.length ? (trace.starts[i + 1] as number) : trace.duration;
    return { rate: trace.rates[i] as number, until: Math.max(base + end, t + 1e-9) };
  }

  /** Bits the link carries from t0 to t1. */
  bitsBetween(t0: number, t1: number): number {
    let bits = 0;
    let t = t0;
    while (t < t1) {
      const { rate, until } = this.rateAt(t);
      const end = Math.min(until, t1);
      bits += rate * (end - t);
      if (end <= t) break;
      t = end;
    }
    return bits;
  }

  /** When `bits` sent from t0 have arrived (Infinity if the link never carries them). */
  finish(t0: number, bits: number): number {
    let left = bits;
    let t = t0;
    for (let guard = 0; guard < 10_000_000; guard++) {
      const { rate, until } = this.rateAt(t);
      if (until === Infinity) return rate > 0 ? t + left / rate : Infinity;
      const capacity = rate * (until - t);
      if (capacity >= left) return t + left / rate;
      left -= capacity;
      t = until;
    }
    return Infinity;
  }
}
