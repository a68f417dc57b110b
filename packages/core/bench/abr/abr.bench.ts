/**
 * `pnpm bench:abr [--traces DIR] [--out FILE] [--max-seconds N] [--limit N]
 * [--scale F] [--ladder MBPS,…] [--part S] [--parts-per-segment N]
 * [--target-latency S] [--rtt S]`: every ABR algorithm over every trace
 * under DIR (default: the workspace's ../shared/abr-traces, or
 * ONAIR_ABR_TRACES), reported per top-level set, written to
 * docs/benchmarks-abr.md. `--scale` multiplies every trace's rates;
 * `--ladder` replaces every set's ladder (Mbit/s, lowest first); the others
 * change the stream and the path (defaults: OnAir's server and Player).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ladderFor, type Row, runSet, summarise } from './run.js';
import { DEFAULT_SIM, type SimConfig } from './simulator.js';
import { loadTraces } from './trace.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const tracesDir = resolve(
  option('traces') ?? process.env.ONAIR_ABR_TRACES ?? join(root, '../shared/abr-traces'),
);
const out = resolve(option('out') ?? join(root, 'docs/benchmarks-abr.md'));
/** A positive number option, or its default; a clear exit on anything else. */
const number = (name: string, fallback: number) => {
  const text = option(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(value > 0)) {
    console.error(`--${name} takes a positive number (got ${JSON.stringify(text)}).`);
    process.exit(2);
  }
  return value;
};
const maxSeconds = number('max-seconds', DEFAULT_SIM.maxSeconds);
const limit = number('limit', Number.POSITIVE_INFINITY);
const scale = number('scale', 1);
const sim: Partial<SimConfig> = {
  maxSeconds,
  partDuration: number('part', DEFAULT_SIM.partDuration),
  partsPerSegment: Math.round(number('parts-per-segment', DEFAULT_SIM.partsPerSegment)),
  targetLatency: number('target-latency', DEFAULT_SIM.targetLatency),
  rtt: number('rtt', DEFAULT_SIM.rtt),
};
const ladderOption = option('ladder');
if (ladderOption !== undefined) {
  const ladder = ladderOption.split(',').map((x) => Number(x) * 1e6);
  if (
    ladder.length === 0 ||
    ladder.some((r, i) => !(r > 0) || (i > 0 && r <= (ladder[i - 1] as number)))
  ) {
    console.error(
      '--ladder takes increasing bitrates in Mbit/s, comma separated (e.g. 0.3,0.75,1.2).',
    );
    process.exit(2);
  }
  sim.ladder = ladder;
}

if (!existsSync(tracesDir)) {
  console.error(
    `No traces at ${tracesDir}. Pass --traces DIR (files of "time_s<TAB>Mbps" lines) or set ONAIR_ABR_TRACES.`,
  );
  process.exit(2);
}

const sets = new Map(
  [...loadTraces(tracesDir)].map(([set, traces]) => [
    set,
    scale === 1 ? traces : traces.map((t) => ({ ...t, rates: t.rates.map((r) => r * scale) })),
  ]),
);
const f = (x: number, digits = 3) => x.toFixed(digits);
const config = { ...DEFAULT_SIM, ...sim };
const ladderText = sim.ladder
  ? `${sim.ladder.map((r) => r / 1e6).join(' / ')} Mbit/s for every set`
  : "Pensieve's 0.3 / 0.75 / 1.2 / 1.85 / 2.85 / 4.3 Mbit/s; the Twitch profiles use the challenge's own (`normal_*` 0.2 / 0.6 / 1.0, `fast_*` 0.1 / 0.3)";
const lines: string[] = [
  '# ABR benchmark (`pnpm bench:abr`)',
  '',
  'Written by `pnpm bench:abr`; do not edit by hand. The simulator, the metric and the',
  'algorithms are described in [abr.md](abr.md).',
  '',
  `Traces: \`${tracesDir.replace(resolve(root, '..'), '..')}\`, every file, per top-level set.`,
  `Scale factor: ${scale} ${scale === 1 ? '(rates as recorded)' : '(every rate multiplied by it)'}.`,
  `Ladders: ${ladderText}.`,
  'The Twitch profiles run after a 10 s unconstrained warm-up, not looped.',
  `Parts ${f(config.partDuration)} s, ${config.partsPerSegment} per segment (switches at segment starts),`,
  `target latency ${config.targetLatency} s, catch-up up to ${config.maxPlaybackRate}×, RTT ${config.rtt * 1000} ms,`,
  `VBR σ ${config.vbrSigma}, sessions capped at ${maxSeconds} s.`,
  '',
  'QoE_live per session (Mbit/s): (1/T)·[Σ d·R − R_max·T_stall − Σ|ΔR| − 0.5·R_min·∫max(0, L − L*) − R_min·∫|p − 1|];',
  'the table gives the mean over the set. Δ: mean paired difference to hls.js with a 95 %',
  'bootstrap interval (2,000 resamples). Terms are per second of session.',
  '',
];
const started = Date.now();
const verdicts: string[][] = [];
for (const [set, all] of sets) {
  const traces = all.slice(0, limit);
  const results = runSet(traces, sim);
  const rows = summarise(results);
  const ladders = [
    ...new Set(traces.map((t) => (sim.ladder ?? ladderFor(t)).map((r) => r / 1e6).join('/'))),
  ];
  lines.push(`## ${set} (${traces.length} traces; ladder ${ladders.join(', ')} Mbit/s)`, '');
  lines.push(
    ...table(
      [
        'algorithm',
        'QoE_live',
        'Δ vs hls.js [95 % CI]',
        '× hls.js',
        'bitrate',
        '−stall',
        '−switch',
        '−latency',
        '−rate',
        'avg Mbit/s',
        'stall ratio',
        'stalls',
        'switches/min',
        'latency mean',
        'latency p95',
      ],
      rows.map(cells),
    ),
    '',
  );
  const ours = rows[0] as Row;
  const reference = rows.find((r) => r.name === 'hls.js') as Row;
  const bestBaseline = rows.filter((r) => r !== ours).reduce((a, b) => (b.qoe > a.qoe ? b : a));
  const yes = (ok: boolean) => (ok ? 'yes' : '**no**');
  // With a negative reference a ratio means nothing: then "beats by 10 %" is read as a
  // difference of at least a tenth of the reference's magnitude.
  const tenPercent =
    reference.qoe > 0
      ? ours.qoe >= 1.1 * reference.qoe
      : ours.qoe >= reference.qoe + 0.1 * Math.abs(reference.qoe);
  verdicts.push([
    set,
    `${yes(tenPercent)} (${f(ours.qoe)} vs ${f(reference.qoe)})`,
    `${yes(ours.qoe >= bestBaseline.qoe)} (best: ${bestBaseline.name} ${f(bestBaseline.qoe)})`,
    `${yes(ours.stallRatio <= reference.stallRatio)} (${f(ours.stallRatio, 4)} vs ${f(reference.stallRatio, 4)})`,
  ]);
  console.info(`${set}: ${traces.length} traces`);
  console.table(
    rows.map((r) => ({
      algorithm: r.name,
      qoe: Number(f(r.qoe)),
      ratio: r.ratio === null ? '' : f(r.ratio, 2),
      stallRatio: Number(f(r.stallRatio, 4)),
      latency: Number(f(r.meanLatency, 2)),
    })),
  );
}
lines.push(
  '## Targets',
  '',
  ...table(['set', 'QoE ≥ 1.10 × hls.js', 'QoE ≥ best baseline', 'stall ratio ≤ hls.js'], verdicts),
  '',
  `Run time: ${((Date.now() - started) / 1000).toFixed(0)} s on this machine.`,
  '',
);
writeFileSync(out, lines.join('\n'));
console.info(`wrote ${out}`);

/** A row's cells. */
function cells(r: Row): string[] {
  return [
    r.name,
    f(r.qoe),
    r.ci ? `[${f(r.ci[0])}, ${f(r.ci[1])}]` : '—',
    r.ratio === null ? '—' : f(r.ratio, 2),
    f(r.terms.bitrate),
    f(r.terms.stall),
    f(r.terms.switches),
    f(r.terms.latency),
    f(r.terms.rate),
    f(r.averageBitrate, 2),
    f(r.stallRatio, 4),
    f(r.stalls, 1),
    f(r.switchesPerMinute, 1),
    `${f(r.meanLatency, 2)} s`,
    `${f(r.p95Latency, 2)} s`,
  ];
}

/** A Markdown table with padded columns (as the repository's formatter writes them). */
function table(header: string[], body: string[][]): string[] {
  const widths = header.map((h, i) =>
    Math.max(3, h.length, ...body.map((row) => (row[i] ?? '').length)),
  );
  const line = (row: string[]) =>
    `| ${row.map((cell, i) => cell.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}
