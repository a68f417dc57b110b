import { OnAirLiveAbr } from '../../src/abr/live-rule.js';
import { BolaRule, L2aRule, RobustMpcRule, ruleController, ThroughputRule } from './baselines.js';
import { hlsJsController } from './hlsjs-baseline.js';
import {
  type Controller,
  DEFAULT_SIM,
  random,
  type SessionResult,
  type SimConfig,
  simulate,
} from './simulator.js';
import { Link, type Trace } from './trace.js';

/**
 * OnAir's rule with a part of it taken out, to measure what each part does:
 * without the emergency down-switch, without the faster recovery after an
 * outage (only the 120 s memory), and without both (the rule before them).
 */
export const ABLATIONS: Array<{ name: string; make: () => Controller }> = [
  {
    name: 'OnAir, no abandonment',
    make: ruleController('OnAir, no abandonment', () => new OnAirLiveAbr(), { abandon: false }),
  },
  {
    name: 'OnAir, no fast recovery',
    make: ruleController(
      'OnAir, no fast recovery',
      () => new OnAirLiveAbr({ outageRecovery: Number.POSITIVE_INFINITY }),
    ),
  },
  {
    name: 'OnAir, neither',
    make: ruleController(
      'OnAir, neither',
      () => new OnAirLiveAbr({ outageRecovery: Number.POSITIVE_INFINITY }),
      { abandon: false },
    ),
  },
];

/** The algorithms of one run: ours first, hls.js second (the reference), then the baselines. */
export const CONTROLLERS: Array<{ name: string; make: () => Controller }> = [
  { name: 'OnAir', make: ruleController('OnAir', () => new OnAirLiveAbr()) },
  { name: 'hls.js', make: hlsJsController },
  {
    name: 'dash.js throughput',
    make: ruleController('dash.js throughput', () => new ThroughputRule()),
  },
  { name: 'BOLA', make: ruleController('BOLA', () => new BolaRule()) },
  { name: 'L2A-LL', make: ruleController('L2A-LL', () => new L2aRule()) },
  { name: 'robustMPC', make: ruleController('robustMPC', () => new RobustMpcRule()) },
];

/** Pensieve's ladder (0.3–4.3 Mbit/s), matched to these traces' rates (their README). */
export const PENSIEVE_LADDER = [300_000, 750_000, 1_200_000, 1_850_000, 2_850_000, 4_300_000];

/**
 * The ladder a trace is played with: the Twitch challenge profiles use the
 * challenge's own ladders (`normal_*`: 200/600/1000 kbit/s; `fast_*`:
 * 100/300), the rest Pensieve's.
 */
export function ladderFor(trace: Trace): number[] {
  const file = trace.name.split(/[\\/]/).at(-1) ?? '';
  if (trace.set.startsWith('twitch')) {
    return file.startsWith('fast_') ? [100_000, 300_000] : [200_000, 600_000, 1_000_000];
  }
  return PENSIEVE_LADDER;
}

/** A link for a trace: the Twitch profiles run once after a 10 s unconstrained warm-up. */
export function linkFor(trace: Trace): Link {
  return trace.set.startsWith('twitch') ? new Link(trace, 10, 50_000_000) : new Link(trace);
}

/** Every controller over every trace of a set. */
export function runSet(
  traces: Trace[],
  options: Partial<SimConfig> = {},
  controllers = CONTROLLERS,
): Map<string, SessionResult[]> {
  const results = new Map<string, SessionResult[]>(controllers.map((c) => [c.name, []]));
  traces.forEach((trace, i) => {
    const config: SimConfig = {
      ...DEFAULT_SIM,
      ladder: ladderFor(trace),
      seed: 1000 + i,
      ...options,
    };
    for (const controller of controllers) {
      const result = simulate(linkFor(trace), config, controller.make());
      results.get(controller.name)?.push(result);
    }
  });
  return results;
}

/** Mean of a list (0 when empty). */
export function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Paired bootstrap 95 % confidence interval of mean(a − b): traces resampled
 * with replacement `rounds` times, seeded.
 */
export function pairedBootstrap(
  a: number[],
  b: number[],
  rounds = 2000,
  seed = 7,
): [number, number] {
  const diffs = a.map((x, i) => x - (b[i] as number));
  if (diffs.length === 0) return [0, 0];
  const next = random(seed);
  const means: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let sum = 0;
    for (let i = 0; i < diffs.length; i++)
      sum += diffs[Math.floor(next() * diffs.length)] as number;
    means.push(sum / diffs.length);
  }
  means.sort((x, y) => x - y);
  return [means[Math.floor(rounds * 0.025)] as number, means[Math.floor(rounds * 0.975)] as number];
}

/** One row of the report. */
export interface Row {
  name: string;
  qoe: number;
  ci: [number, number] | null;
  ratio: number | null;
  terms: SessionResult['terms'];
  /** Skips to the live edge per session, and the media seconds they jumped. */
  skips: number;
  skippedSeconds: number;
  /** Downloads abandoned per session. */
  abandons: number;
  averageBitrate: number;
  stallRatio: number;
  stalls: number;
  switchesPerMinute: number;
  meanLatency: number;
  p95Latency: number;
}

/** Rows for a set, the reference (hls.js) compared with each. */
export function summarise(results: Map<string, SessionResult[]>, reference = 'hls.js'): Row[] {
  const ref = results.get(reference) ?? [];
  const refQoe = mean(ref.map((r) => r.qoe));
  return [...results.entries()].map(([name, sessions]) => {
    const qoe = mean(sessions.map((r) => r.qoe));
    return {
      name,
      qoe,
      ci:
        name === reference
          ? null
          : pairedBootstrap(
              sessions.map((r) => r.qoe),
              ref.map((r) => r.qoe),
            ),
      ratio: refQoe > 0 ? qoe / refQoe : null,
      terms: {
        bitrate: mean(sessions.map((r) => r.terms.bitrate)),
        stall: mean(sessions.map((r) => r.terms.stall)),
        switches: mean(sessions.map((r) => r.terms.switches)),
        latency: mean(sessions.map((r) => r.terms.latency)),
        rate: mean(sessions.map((r) => r.terms.rate)),
        skip: mean(sessions.map((r) => r.terms.skip)),
      },
      skips: mean(sessions.map((r) => r.skips)),
      skippedSeconds: mean(sessions.map((r) => r.skippedSeconds)),
      abandons: mean(sessions.map((r) => r.abandons)),
      averageBitrate: mean(sessions.map((r) => r.averageBitrate)),
      stallRatio: mean(sessions.map((r) => r.stallSeconds / r.seconds)),
      stalls: mean(sessions.map((r) => r.stallCount)),
      switchesPerMinute: mean(sessions.map((r) => r.switchesPerMinute)),
      meanLatency: mean(sessions.map((r) => r.meanLatency)),
      p95Latency: mean(sessions.map((r) => r.p95Latency)),
    };
  });
}
