// The soak's verdict (`pnpm soak`): slopes, checks and the Markdown report.
import { cpus } from 'node:os';
import type { SoakServerSample } from './soak-server.worker.js';
import type { SoakCounters } from './soak-viewers.js';

/** One sample: the server's (memory, event loop) and the run's at that moment. */
export interface SoakSample extends SoakServerSample {
  minute: number;
  connected: number;
  /** Cores used since the previous sample. */
  serverCpu: number;
  ffmpegCpu: number;
  generatorCpu: number;
  errors: number;
  chatAcked: number;
  deliveries: number;
}

/** What the run was and what it must stay within. */
export interface SoakSetup {
  minutes: number;
  viewers: number;
  signedIn: number;
  publishers: number;
  churnPerSecond: number;
  chatRate: number;
  hlsRate: number;
  storage: string;
  /** MB per minute, over the second half of the run. */
  maxHeapSlope: number;
  maxRssSlope: number;
  /** ms, over the whole run. */
  maxDelayP99: number;
  /** Runs shorter than this are all warm-up: their slopes are printed, not judged. */
  minMinutesForSlopes: number;
}

/** Least-squares slope of y over x (0 with fewer than two points). */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** Judges a run: whether it passed, its report (for docs/benchmarks.md) and the samples as a table. */
export function soakVerdict(
  setup: SoakSetup,
  samples: readonly SoakSample[],
  counters: SoakCounters,
  errors: ReadonlyMap<string, number>,
): { passed: boolean; report: string; table: string } {
  const secondHalf = samples.filter((s) => s.minute >= setup.minutes / 2);
  const heapSlope = slope(secondHalf.map((s) => [s.minute, s.heapUsed / 2 ** 20] as const));
  const rssSlope = slope(secondHalf.map((s) => [s.minute, s.rss / 2 ** 20] as const));
  const first = samples[0];
  const last = samples.at(-1);
  const runDelayP99 = last?.runDelayP99 ?? Number.NaN;
  const worstDelayP99 = Math.max(...samples.map((s) => s.delayP99));
  const minutesRun = last?.minute ?? 0;
  const judged = setup.minutes >= setup.minMinutesForSlopes;
  const slopeCheck = (name: string, value: number, max: number) => ({
    name: `${name} slope ≤ ${max} MB/min (second half)`,
    value: `${value.toFixed(2)} MB/min`,
    ok: value <= max || !judged,
    verdict: judged ? undefined : value <= max ? 'ok' : 'not judged (short run)',
  });
  const checks: Array<{ name: string; value: string; ok: boolean; verdict?: string | undefined }> =
    [
      slopeCheck('heap', heapSlope, setup.maxHeapSlope),
      slopeCheck('RSS', rssSlope, setup.maxRssSlope),
      {
        name: `event-loop delay p99 ≤ ${setup.maxDelayP99} ms (whole run)`,
        value: `${runDelayP99.toFixed(1)} ms (worst 10 s: ${worstDelayP99.toFixed(1)} ms)`,
        ok: runDelayP99 <= setup.maxDelayP99,
      },
      {
        name: 'unexpected errors',
        value: errors.size ? [...errors].map(([kind, n]) => `${kind}: ${n}`).join('; ') : 'none',
        ok: errors.size === 0,
      },
      {
        name: `ran ${setup.minutes} min, ≥ 2 samples in the second half`,
        value: `${minutesRun.toFixed(1)} min, ${secondHalf.length} samples`,
        ok: minutesRun >= setup.minutes * 0.98 && secondHalf.length >= 2,
      },
    ];
  const passed = checks.every((c) => c.ok);
  const average = (of: (s: SoakSample) => number) =>
    samples.reduce((sum, s) => sum + of(s), 0) / Math.max(1, samples.length);
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const report = `## Soak (\`pnpm soak\`)

\`pnpm soak\` on ${cpus().length} cores (${cpu}), ${new Date().toISOString().slice(0, 10)}: ${minutesRun.toFixed(1)} minutes, storage ${setup.storage}.
${setup.viewers} realtime viewers (${setup.signedIn} signed in) over ${setup.publishers} RTMP-published streams (640×360, ladder 360p copy + 240p),
viewers leaving, switching streams or reconnecting (${setup.churnPerSecond} per second), chat at ${setup.chatRate} msg/s
from the signed-in ones, ${setup.hlsRate} HLS playlist polls per second. The server runs in its own process; its memory
is sampled every 10 s after a full collection, its event-loop delay counted beyond the 10 ms sampling interval.

**${passed ? 'Passed' : 'Failed'}.**

| check | measured | result |
| --- | --- | --- |
${checks.map((c) => `| ${c.name} | ${c.value} | ${c.verdict ?? (c.ok ? 'ok' : '**failed**')} |`).join('\n')}

| figure | value |
| --- | --- |
| RSS at the first / last sample | ${first ? mb(first.rss) : '–'} / ${last ? mb(last.rss) : '–'} MB |
| heap used at the first / last sample | ${first ? mb(first.heapUsed) : '–'} / ${last ? mb(last.heapUsed) : '–'} MB |
| chat messages acknowledged (rate-limited) of those sent | ${counters.chatAcked} (${counters.chatRateLimited}) of ${counters.chatSent} |
| chat deliveries to viewers | ${counters.deliveries.toLocaleString('en')} |
| joins / leaves / switches / reconnects | ${counters.joins} / ${counters.leaves} / ${counters.switches} / ${counters.reconnects} |
| HLS requests | ${counters.hlsRequests} |
| actions skipped (generator behind) | ${counters.skipped} |
| CPU, cores (server / ffmpeg / load generator) | ${average((s) => s.serverCpu).toFixed(2)} / ${average((s) => s.ffmpegCpu).toFixed(2)} / ${average((s) => s.generatorCpu).toFixed(2)} |

The heap is measured after a full collection, so a steady load leaves it flat; RSS also holds the
allocator's spare pages and, with PGlite, the database itself, hence its looser bound. The first half
of the run is warm-up and not in the slopes.
`;
  const table = `| min | RSS MB | heap MB | loop p99 ms | loop max ms | viewers | chat acked | deliveries | CPU server | CPU ffmpeg | CPU load | errors |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${samples
  .map(
    (s) =>
      `| ${s.minute.toFixed(1)} | ${mb(s.rss)} | ${mb(s.heapUsed)} | ${s.delayP99.toFixed(1)} | ${s.delayMax.toFixed(1)} | ${s.connected} | ${s.chatAcked} | ${s.deliveries} | ${s.serverCpu.toFixed(2)} | ${s.ffmpegCpu.toFixed(2)} | ${s.generatorCpu.toFixed(2)} | ${s.errors} |`,
  )
  .join('\n')}`;
  return { passed, report, table };
}
