import { OnAirLiveAbr, type OnAirLiveAbrOptions } from '../../src/abr/live-rule.js';
import { ruleController } from './baselines.js';
import { CONTROLLERS, mean, runSet } from './run.js';
import type { SimConfig } from './simulator.js';
import type { Trace } from './trace.js';

/** The parameters searched: every combination of these values. */
export const CV_GRID = {
  errorDiscount: [0.5, 2 / 3, 1],
  stallWeight: [2, 3, 5],
  outageRecovery: [5, 10, 30, Number.POSITIVE_INFINITY],
} as const;

/** One point of the grid. */
export type CvParams = Required<
  Pick<OnAirLiveAbrOptions, 'errorDiscount' | 'stallWeight' | 'outageRecovery'>
>;

/** Every combination of a grid's values. */
export function gridPoints(
  grid: { [K in keyof CvParams]: readonly number[] } = CV_GRID,
): CvParams[] {
  const points: CvParams[] = [];
  for (const errorDiscount of grid.errorDiscount)
    for (const stallWeight of grid.stallWeight)
      for (const outageRecovery of grid.outageRecovery)
        points.push({ errorDiscount, stallWeight, outageRecovery });
  return points;
}

/** What a set scores: OnAir at each grid point, and the others once. */
export interface CvSetScores {
  set: string;
  traces: number;
  /** hls.js's mean QoE, mean bitrate term and stall ratio: the yardstick. */
  reference: { qoe: number; bitrate: number; stallRatio: number };
  /** The best of the other algorithms (hls.js included). */
  bestBaseline: { name: string; qoe: number };
  /** Per grid point: mean QoE and stall ratio. */
  points: Array<{ qoe: number; stallRatio: number }>;
}

/** One fold: fitted on every set but `set`, scored on `set`. */
export interface CvFold {
  set: string;
  chosen: CvParams;
  /** Mean gain on the four sets it was fitted on. */
  fitGain: number;
  /** The left-out set at the chosen point. */
  qoe: number;
  gain: number;
  stallRatio: number;
  /** The left-out set at the rule's defaults, and at the point best on it (an upper bound). */
  defaultQoe: number;
  bestQoe: number;
  best: CvParams;
  reference: CvSetScores['reference'];
  bestBaseline: CvSetScores['bestBaseline'];
}

/**
 * A set's score of a grid point: its QoE's gain over hls.js's, as a fraction
 * of the bitrate hls.js plays there. Dividing by hls.js's QoE would not do:
 * it is near 0 or negative on some sets.
 */
export function gain(qoe: number, reference: CvSetScores['reference']): number {
  return (qoe - reference.qoe) / Math.max(reference.bitrate, 1e-9);
}

/** Runs OnAir at every grid point, and the other algorithms once, on each set. */
export function scoreSets(
  sets: Map<string, Trace[]>,
  sim: Partial<SimConfig>,
  points: CvParams[],
  progress: (done: number, total: number) => void = () => undefined,
): CvSetScores[] {
  const scores: CvSetScores[] = [];
  const total = sets.size * (points.length + 1);
  let done = 0;
  for (const [set, traces] of sets) {
    const others = runSet(traces, sim, CONTROLLERS.slice(1));
    const summary = [...others].map(([name, sessions]) => ({
      name,
      qoe: mean(sessions.map((r) => r.qoe)),
      bitrate: mean(sessions.map((r) => r.terms.bitrate)),
      stallRatio: mean(sessions.map((r) => r.stallSeconds / r.seconds)),
    }));
    const hls = summary.find((s) => s.name === 'hls.js') as (typeof summary)[number];
    const best = summary.reduce((a, b) => (b.qoe > a.qoe ? b : a));
    progress(++done, total);
    const entry: CvSetScores = {
      set,
      traces: traces.length,
      reference: { qoe: hls.qoe, bitrate: hls.bitrate, stallRatio: hls.stallRatio },
      bestBaseline: { name: best.name, qoe: best.qoe },
      points: [],
    };
    for (const params of points) {
      const make = ruleController('OnAir', () => new OnAirLiveAbr(params));
      const sessions = runSet(traces, sim, [{ name: 'OnAir', make }]).get('OnAir') ?? [];
      entry.points.push({
        qoe: mean(sessions.map((r) => r.qoe)),
        stallRatio: mean(sessions.map((r) => r.stallSeconds / r.seconds)),
      });
      progress(++done, total);
    }
    scores.push(entry);
  }
  return scores;
}

/** The grid point with the highest mean gain over `sets` (the first on a tie). */
export function fit(scores: CvSetScores[], points: CvParams[]): { index: number; gain: number } {
  let index = 0;
  let bestGain = -Infinity;
  points.forEach((_, i) => {
    const g = mean(scores.map((s) => gain((s.points[i] as { qoe: number }).qoe, s.reference)));
    if (g > bestGain) {
      bestGain = g;
      index = i;
    }
  });
  return { index, gain: bestGain };
}

/**
 * Leave-one-set-out cross-validation: for each set, the grid point that
 * fits the other sets best, scored on that set. `defaults` is the point the
 * rule ships with (compared, not fitted).
 */
export function crossValidate(
  scores: CvSetScores[],
  points: CvParams[],
  defaults: CvParams,
): CvFold[] {
  const defaultIndex = points.findIndex(
    (p) =>
      p.errorDiscount === defaults.errorDiscount &&
      p.stallWeight === defaults.stallWeight &&
      p.outageRecovery === defaults.outageRecovery,
  );
  return scores.map((left) => {
    const { index, gain: fitGain } = fit(
      scores.filter((s) => s !== left),
      points,
    );
    const at = left.points[index] as CvSetScores['points'][number];
    const bestIndex = fit([left], points).index;
    return {
      set: left.set,
      chosen: points[index] as CvParams,
      fitGain,
      qoe: at.qoe,
      gain: gain(at.qoe, left.reference),
      stallRatio: at.stallRatio,
      defaultQoe: defaultIndex >= 0 ? (left.points[defaultIndex]?.qoe ?? Number.NaN) : Number.NaN,
      bestQoe: left.points[bestIndex]?.qoe ?? Number.NaN,
      best: points[bestIndex] as CvParams,
      reference: left.reference,
      bestBaseline: left.bestBaseline,
    };
  });
}
