/**
 * View analytics benchmark (`pnpm bench:analytics`, issue #19): the real
 * server on PostgreSQL (a fresh database, dropped afterwards), in its own
 * process on a random loopback port.
 *
 * Ingest: load threads send 5,000 beacons per second (10 events each) for
 * 30 s over HTTP, open loop, one beacon per request as a player sends them
 * (a batch only when it retries after a failure): 50,000 view sessions each
 * beaconing every 10 s. Measures request latency from when each request was
 * due (p50, p95, p99, max), non-2xx answers and the rate achieved, then
 * checks in PostgreSQL that every beacon was stored: sessions, events,
 * watch time in the sessions and in the per-minute timeline. Targets: p99 ≤
 * 100 ms, nothing dropped.
 *
 * Report: a second stream gets 10,000 view sessions through the endpoint
 * (and a 3-hour per-minute timeline); its report (`GET
 * /v1/streams/:id/analytics`) and its channel's are timed after a warm-up
 * (p50, p95, max). Target ≤ 50 ms. The ingest's stream is timed too, for
 * scale. Prints a table and writes its section of docs/benchmarks.md.
 *
 * Before the ingest, the same load runs for `--warmup` seconds on another
 * stream, not counted: a freshly started server's first seconds (code not yet
 * optimised, empty caches) say nothing about how it keeps up.
 *
 * Options: `--seconds N` (30), `--rate N` beacons/s (5000), `--threads N`
 * load threads (1), `--warmup N` s (5), `--runs N` timed reports (50). Needs
 * DATABASE_URL (or BENCH_DATABASE_URL). The server's per-address beacon
 * limit is off (all the load comes from one address); the per-session limit
 * keeps its default. Exits with 1 when a target is missed.
 * BENCH_SERVER_NODE_OPTIONS is the server's NODE_OPTIONS (`--cpu-prof
 * --cpu-prof-dir=…` to profile it); BENCH_TRACE=1 has it print its long
 * garbage collection pauses and its event loop delay.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { CreatedStreamSchema, DevTokenResponseSchema } from '@onair/protocol';
import {
  ChannelAnalyticsSchema,
  StreamAnalyticsSchema,
  type ViewBeacon,
  type ViewEngine,
} from '@onair/protocol/analytics';
import pg from 'pg';
import { spawnSourceWorker } from '../test/source-worker.js';
import type { PlayersResult, PlayersSetup, ToPlayers } from './analytics-players.worker.js';
import { BENCHMARKS_DOC, writeDocSection } from './doc-section.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '5000' },
    threads: { type: 'string', default: '1' },
    runs: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '5' },
  },
});
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const THREADS = Number(args.threads);
const RUNS = Number(args.runs);
/** Seconds of the same load on another stream first, not counted (a cold server's first seconds). */
const WARMUP = Number(args.warmup);
/** A player beacons every 10 s: the sessions that send RATE beacons per second. */
const BEACON_PERIOD_S = 10;
const SESSIONS = RATE * BEACON_PERIOD_S;
const EVENTS_PER_BEACON = 10;
const REPORT_SESSIONS = 10_000;
const REPORT_TIMELINE_MINUTES = 180;
const WARMUP_RUNS = 10;
/** The server's default REST read allowance is 20 per second: the timed reports are spaced to fit it. */
const REPORT_SPACING_MS = 55;
const P99_TARGET_MS = 100;
const REPORT_TARGET_MS = 50;

for (const [name, value] of Object.entries({ SECONDS, RATE, THREADS, RUNS })) {
  if (!(Number.isFinite(value) && value > 0))
    throw new Error(`--${name.toLowerCase()} must be > 0`);
}
if (SESSIONS % THREADS !== 0) throw new Error('--threads must divide the sessions (rate × 10)');
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (!DATABASE_URL) throw new Error('pnpm bench:analytics needs PostgreSQL: set DATABASE_URL');

// ---------------------------------------------------------------- the server

interface BenchServer {
  child: ChildProcess;
  url: string;
  databaseUrl: string;
}

async function startServer(): Promise<BenchServer> {
  const nodeOptions = process.env.BENCH_SERVER_NODE_OPTIONS;
  const child = spawnSourceWorker(new URL('./analytics-server.worker.ts', import.meta.url), {
    ONAIR_BENCH_DATABASE_URL: DATABASE_URL as string,
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  });
  const ready = await new Promise<{ url: string; databaseUrl: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
    child.stdout?.once('data', (line: Buffer) => resolve(JSON.parse(line.toString())));
  });
  return { child, ...ready };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function api(url: string, path: string, init: { token?: string; json?: unknown } = {}) {
  const response = await fetch(`${url}${path}`, {
    method: init.json === undefined ? 'GET' : 'POST',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : ((await response.json()) as unknown);
}

/** A broadcaster (dev token) with a live stream. */
async function liveStream(url: string, name: string) {
  const { token, user } = DevTokenResponseSchema.parse(
    await api(url, '/v1/dev/token', { json: { displayName: name } }),
  );
  const { stream } = CreatedStreamSchema.parse(
    await api(url, '/v1/streams', { token, json: { title: name } }),
  );
  await api(url, `/v1/streams/${stream.id}/start`, { token, json: {} });
  return { token, ownerId: user.id, streamId: stream.id };
}

// ----------------------------------------------------------- CPU accounting

/** CPU seconds (user + system) of a process, from /proc. */
function processCpu(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds of every PostgreSQL process (its backends, WAL writer,
 * checkpointer, autovacuum workers…) while it runs: sampled every 200 ms so
 * that processes started meanwhile (autovacuum workers) count too, from 0.
 */
function postgresCpuMeter(): { stop(): number } {
  const baseline = new Map<number, number>();
  const latest = new Map<number, number>();
  const sample = (first: boolean) => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      try {
        if (!latest.has(pid) && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') {
          continue;
        }
        const cpu = processCpu(pid);
        if (!baseline.has(pid)) baseline.set(pid, first ? cpu : 0);
        latest.set(pid, cpu);
      } catch {
        // The process ended meanwhile.
      }
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), 200).unref();
  return {
    stop() {
      clearInterval(timer);
      sample(false);
      let total = 0;
      for (const [pid, cpu] of latest) total += cpu - (baseline.get(pid) ?? 0);
      return total;
    },
  };
}

/** CPU seconds busy on the whole machine, from /proc/stat. */
function machineCpu(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}

// ------------------------------------------------------------------- ingest

/** The load threads' counts summed, with the rates, latency percentiles and CPU of the run. */
interface IngestResult
  extends Pick<
    PlayersResult,
    | 'acknowledged'
    | 'dropped'
    | 'requests'
    | 'batchedRequests'
    | 'non2xx'
    | 'statuses'
    | 'networkErrors'
    | 'firstRefusal'
    | 'worstPerSecond'
    | 'expected'
  > {
  /** Beacons scheduled (the threads' `beacons`). */
  offered: number;
  /** Beacons per second scheduled, and answered, over the sending window. */
  offeredRate: number;
  achievedRate: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  sendLagMaxMs: number;
  /** % of one core over the ingest: the server, the load generator, PostgreSQL, everything else. */
  cpu: { server: number; generator: number; postgres: number; other: number };
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/** The load threads, each with its share of the sessions. */
function startPlayers(server: BenchServer): Worker[] {
  return Array.from({ length: THREADS }, (_, thread) => {
    const workerData: PlayersSetup = {
      url: server.url,
      rate: RATE,
      sessions: SESSIONS,
      thread,
      threads: THREADS,
      eventsPerBeacon: EVENTS_PER_BEACON,
    };
    return new Worker(new URL('./analytics-players.worker.ts', import.meta.url), { workerData });
  });
}

/** Asks each load thread to close, and ends it if it has not within 5 s (or has failed). */
async function closePlayers(players: Worker[]): Promise<void> {
  await Promise.all(
    players.map(async (worker) => {
      if (worker.threadId === -1) return; // It has exited already.
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'close' } satisfies ToPlayers);
      const timer = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** One run of the schedule on every load thread, for `seconds`, to `streamId`. */
async function ingest(
  server: BenchServer,
  players: Worker[],
  streamId: string,
  seconds: number,
): Promise<IngestResult> {
  const startAt = performance.timeOrigin + performance.now() + 500;
  const pid = server.child.pid as number;
  const before = {
    server: processCpu(pid),
    postgres: postgresCpuMeter(),
    machine: machineCpu(),
    generator: process.cpuUsage(),
  };
  const results = await Promise.all(
    players.map((worker) => {
      const result = new Promise<PlayersResult>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        worker.once('error', onError);
        worker.once('message', (message: PlayersResult) => {
          worker.off('error', onError);
          resolve(message);
        });
      });
      worker.postMessage({ type: 'run', streamId, seconds, startAt } satisfies ToPlayers);
      return result;
    }),
  );
  const generator = process.cpuUsage(before.generator);
  const cpu = {
    server: processCpu(pid) - before.server,
    generator: (generator.user + generator.system) / 1e6,
    postgres: before.postgres.stop(),
    machine: machineCpu() - before.machine,
  };
  const sum = (pick: (r: PlayersResult) => number) => results.reduce((n, r) => n + pick(r), 0);
  const all = new Float64Array(sum((r) => r.latencies.length));
  let at = 0;
  for (const r of results) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  const sorted = all.sort();
  const statuses: Record<string, number> = {};
  for (const r of results) {
    for (const [status, n] of Object.entries(r.statuses))
      statuses[status] = (statuses[status] ?? 0) + n;
  }
  const firstDue = Math.min(...results.map((r) => r.firstDueAt));
  const lastDue = Math.max(...results.map((r) => r.lastDueAt));
  const finished = Math.max(...results.map((r) => r.finishedAt));
  const offered = sum((r) => r.beacons);
  const acknowledged = sum((r) => r.acknowledged);
  const wall = (finished - firstDue) / 1000;
  return {
    offered,
    acknowledged,
    dropped: sum((r) => r.dropped),
    requests: sum((r) => r.requests),
    batchedRequests: sum((r) => r.batchedRequests),
    non2xx: sum((r) => r.non2xx),
    statuses,
    networkErrors: sum((r) => r.networkErrors),
    firstRefusal: results.find((r) => r.firstRefusal)?.firstRefusal,
    offeredRate: offered / ((lastDue - firstDue) / 1000 + 1 / RATE),
    achievedRate: acknowledged / wall,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? 0,
    sendLagMaxMs: Math.max(...results.map((r) => r.sendLagMaxMs)),
    worstPerSecond: Array.from(
      { length: Math.max(...results.map((r) => r.worstPerSecond.length)) },
      (_, i) => Math.max(...results.map((r) => r.worstPerSecond[i] ?? 0)),
    ),
    expected: {
      sessions: sum((r) => r.expected.sessions),
      events: sum((r) => r.expected.events),
      sessionWatchMs: sum((r) => r.expected.sessionWatchMs),
      intervalWatchMs: sum((r) => r.expected.intervalWatchMs),
    },
    cpu: {
      server: (cpu.server / wall) * 100,
      generator: (cpu.generator / wall) * 100,
      postgres: (cpu.postgres / wall) * 100,
      other: (Math.max(0, cpu.machine - cpu.server - cpu.generator - cpu.postgres) / wall) * 100,
    },
  };
}

/** One line about a run, for the console. */
function summary(r: IngestResult): string {
  return `${Math.round(r.achievedRate)} stored/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(0)} ms, ${r.non2xx} non-2xx, ${r.networkErrors} network errors, ${r.dropped} dropped`;
}

/** What PostgreSQL holds for a stream, to compare with what was sent. */
async function stored(databaseUrl: string, streamId: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const one = async (text: string) =>
      Number(Object.values((await client.query(text, [streamId])).rows[0] ?? {})[0] ?? 0);
    return {
      sessions: await one('select count(*) from view_sessions where stream_id = $1'),
      events: await one('select count(*) from view_events where stream_id = $1'),
      sessionWatchMs: await one(
        'select coalesce(sum(watch_ms), 0) from view_sessions where stream_id = $1',
      ),
      intervalWatchMs: await one(
        'select coalesce(sum(watch_ms), 0) from view_minutes where stream_id = $1',
      ),
    };
  } finally {
    await client.end();
  }
}

// ------------------------------------------------------------------- report

const ENGINES: readonly ViewEngine[] = ['hls', 'hls', 'hls', 'realtime', 'realtime', 'whep'];
const HEIGHTS = [360, 480, 720, 720, 1080];

/** The one beacon of seeded report session i: a spread of viewers, engines and experiences. */
function reportBeacon(streamId: string, i: number, at: number): ViewBeacon {
  const exited = i % 50 === 0;
  const failed = i % 40 === 1;
  const watchMs = exited ? 0 : 30_000 + ((i * 7919) % 5_400_000);
  const height = HEIGHTS[i % HEIGHTS.length] as number;
  const rebufferCount = i % 7 === 0 ? 1 + (i % 3) : 0;
  return {
    session: {
      id: `vs_report${String(i).padStart(8, '0')}_${at.toString(36)}`,
      streamId,
      startedAt: at - watchMs - 2000,
      engine: ENGINES[i % ENGINES.length] as ViewEngine,
      device: i % 3 === 0 ? 'mobile' : 'desktop',
      browser: i % 4 === 0 ? 'Safari' : 'Chrome',
      os: i % 3 === 0 ? 'iOS' : 'Windows',
      // A third signed in, some of them on several devices (unique viewers < sessions).
      ...(i % 3 === 0 ? { userId: `viewer${i % 2500}` } : {}),
      dimensions: { course_id: `c${i % 20}` },
    },
    seq: 0,
    sentAt: at,
    metrics: {
      startupMs: exited ? null : 400 + ((i * 37) % 4000),
      watchMs,
      rebufferCount,
      rebufferMs: rebufferCount * 1500,
      bitrateKbps: exited ? null : height * 3.5,
      height: exited ? null : height,
      qualitySwitches: i % 5,
      latencyMean: exited ? null : 2 + (i % 9) / 2,
      latencyP95: exited ? null : 4 + (i % 9),
      droppedFrames: i % 11,
      errors: failed ? 1 : 0,
      fallbacks: 0,
      failed,
      exitedBeforeStart: exited,
      ended: true,
    },
    interval: {
      watchMs: Math.min(watchMs, 10_000),
      rebufferMs: 0,
      rebufferCount: 0,
      bitrateKbps: exited ? null : height * 3.5,
    },
    events: [
      { type: exited ? 'end' : 'firstFrame', at: at - 1000, data: { startupMs: 1200 } },
      { type: 'qualityChange', at: at - 500, data: { height } },
      { type: 'end', at },
    ],
  };
}

/** 10,000 sessions through the endpoint (20 per request, four at a time) and a 3-hour timeline. */
async function seedReport(server: BenchServer, streamId: string): Promise<void> {
  const at = Date.now();
  const requests: ViewBeacon[][] = [];
  for (let i = 0; i < REPORT_SESSIONS; i += 20) {
    requests.push(
      Array.from({ length: Math.min(20, REPORT_SESSIONS - i) }, (_, j) =>
        reportBeacon(streamId, i + j, at),
      ),
    );
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < requests.length) {
        const beacons = requests[next++] as ViewBeacon[];
        await api(server.url, '/v1/analytics/beacons', { json: { beacons } });
      }
    }),
  );
  // The minutes before these beacons, as if the stream had been live for 3 hours.
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    await client.query(
      `insert into view_minutes (stream_id, minute, watch_ms, rebuffer_ms, rebuffer_count, bitrate_weighted, bitrate_ms)
       select $1, date_trunc('minute', now()) - make_interval(mins => m),
              2000 * 60000 + m * 1000, m * 100, m % 7, 2500.0 * 2000 * 60000, 2000 * 60000
       from generate_series(1, $2::int) as m
       on conflict do nothing`,
      [streamId, REPORT_TIMELINE_MINUTES],
    );
  } finally {
    await client.end();
  }
}

interface Timing {
  name: string;
  p50: number;
  p95: number;
  max: number;
  /** What the report said, to check it covered what was seeded. */
  views: number;
  timeline: number;
  target: boolean;
}

/** Times `path` RUNS times after WARMUP_RUNS, one request at a time. */
async function time(
  server: BenchServer,
  name: string,
  path: string,
  token: string,
  target: boolean,
): Promise<Timing> {
  const times: number[] = [];
  let views = 0;
  let timeline = 0;
  for (let i = 0; i < WARMUP_RUNS + RUNS; i++) {
    await new Promise((r) => setTimeout(r, REPORT_SPACING_MS));
    const t0 = performance.now();
    const body = await api(server.url, path, { token });
    const ms = performance.now() - t0;
    if (i >= WARMUP_RUNS) times.push(ms);
    if (i === 0) {
      if (path.startsWith('/v1/channels/')) {
        const report = ChannelAnalyticsSchema.parse(body);
        views = report.qoe.views;
        timeline = report.streams.length;
      } else {
        const report = StreamAnalyticsSchema.parse(body);
        views = report.qoe.views;
        timeline = report.timeline.length;
      }
    }
  }
  times.sort((a, b) => a - b);
  const pick = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { name, p50: pick(0.5), p95: pick(0.95), max: times.at(-1) ?? 0, views, timeline, target };
}

// ---------------------------------------------------------------------- run

const server = await startServer();
const players = startPlayers(server);
let warmup: IngestResult | undefined;
let ingested: IngestResult;
let check: Awaited<ReturnType<typeof stored>>;
const timings: Timing[] = [];
try {
  const warmupStream = await liveStream(server.url, 'Analytics bench: warm-up');
  const ingestStream = await liveStream(server.url, 'Analytics bench: ingest');
  const reportStream = await liveStream(server.url, 'Analytics bench: report');
  if (WARMUP > 0) {
    process.stdout.write(`warm-up: ${RATE} beacons/s for ${WARMUP} s on another stream\n`);
    warmup = await ingest(server, players, warmupStream.streamId, WARMUP);
    process.stdout.write(`warm-up: ${summary(warmup)}\n`);
  }
  process.stdout.write(
    `ingest: ${RATE} beacons/s (${EVENTS_PER_BEACON} events each, ${SESSIONS.toLocaleString('en')} sessions) for ${SECONDS} s, ${THREADS} load thread(s)\n`,
  );
  ingested = await ingest(server, players, ingestStream.streamId, SECONDS);
  process.stdout.write(`ingest: ${summary(ingested)}\n`);
  check = await stored(server.databaseUrl, ingestStream.streamId);
  process.stdout.write(
    `seeding ${REPORT_SESSIONS.toLocaleString('en')} sessions for the report through the endpoint\n`,
  );
  await seedReport(server, reportStream.streamId);
  timings.push(
    await time(
      server,
      `stream report, ${REPORT_SESSIONS.toLocaleString('en')} sessions`,
      `/v1/streams/${reportStream.streamId}/analytics`,
      reportStream.token,
      true,
    ),
    await time(
      server,
      `channel report (28 days), ${REPORT_SESSIONS.toLocaleString('en')} sessions`,
      `/v1/channels/${reportStream.ownerId}/analytics`,
      reportStream.token,
      true,
    ),
    await time(
      server,
      `stream report, the ingest's ${ingested.expected.sessions.toLocaleString('en')} sessions`,
      `/v1/streams/${ingestStream.streamId}/analytics`,
      ingestStream.token,
      false,
    ),
  );
} finally {
  await closePlayers(players);
  await stopServer(server.child);
}

// ------------------------------------------------------------------- output

const ms = (value: number) => value.toFixed(1);
const storedBeacons = check.events / EVENTS_PER_BEACON;
const droppedBeacons = ingested.offered - storedBeacons;
const matches = {
  sessions: check.sessions === ingested.expected.sessions,
  events: check.events === ingested.expected.events,
  sessionWatchMs: check.sessionWatchMs === ingested.expected.sessionWatchMs,
  intervalWatchMs: check.intervalWatchMs === ingested.expected.intervalWatchMs,
};
const nothingDropped =
  droppedBeacons === 0 && ingested.dropped === 0 && Object.values(matches).every(Boolean);
const latencyMet = ingested.p99 <= P99_TARGET_MS;
const reportsMet = timings.filter((t) => t.target).every((t) => t.p95 <= REPORT_TARGET_MS);
const seededOk =
  timings.filter((t) => t.target).every((t) => t.views === REPORT_SESSIONS) &&
  (timings[0]?.timeline ?? 0) > REPORT_TIMELINE_MINUTES;
const verdict = (met: boolean) => (met ? '**met**' : '**not met**');

const statusList = Object.entries(ingested.statuses)
  .map(([status, n]) => `${n} × ${status}`)
  .join(', ');
const ingestTable = `| offered beacons/s | stored beacons/s | requests | batched (retries) | non-2xx | network errors | p50 ms | p95 ms | p99 ms | max ms |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| ${Math.round(ingested.offeredRate).toLocaleString('en')} | ${Math.round(ingested.achievedRate).toLocaleString('en')} | ${ingested.requests.toLocaleString('en')} | ${ingested.batchedRequests} | ${ingested.non2xx}${statusList ? ` (${statusList})` : ''} | ${ingested.networkErrors} | ${ms(ingested.p50)} | ${ms(ingested.p95)} | ${ms(ingested.p99)} | ${ms(ingested.max)} |`;
const checkRow = (name: string, sent: number, kept: number) =>
  `| ${name} | ${sent.toLocaleString('en')} | ${kept.toLocaleString('en')} | ${sent === kept ? 'yes' : '**no**'} |`;
const checkTable = `| in PostgreSQL | sent | stored | equal |
| --- | ---: | ---: | --- |
${checkRow('view sessions', ingested.expected.sessions, check.sessions)}
${checkRow('events (view_events)', ingested.expected.events, check.events)}
${checkRow('watch time in sessions, ms', ingested.expected.sessionWatchMs, check.sessionWatchMs)}
${checkRow('watch time in the minutes (view_minutes), ms', ingested.expected.intervalWatchMs, check.intervalWatchMs)}`;
const cpuLine = `server ${ingested.cpu.server.toFixed(0)}, PostgreSQL ${ingested.cpu.postgres.toFixed(0)}, load generator ${ingested.cpu.generator.toFixed(0)}, other processes on the machine ${ingested.cpu.other.toFixed(0)}`;
const reportTable = `| request | p50 ms | p95 ms | max ms | sessions in it |
| --- | ---: | ---: | ---: | ---: |
${timings.map((t) => `| ${t.name}${t.target ? '' : ' (no target)'} | ${ms(t.p50)} | ${ms(t.p95)} | ${ms(t.max)} | ${t.views.toLocaleString('en')} |`).join('\n')}`;

if (ingested.firstRefusal) process.stdout.write(`first refusal: ${ingested.firstRefusal}\n`);
process.stdout.write(`\n${ingestTable}\n\n${checkTable}\n\n${reportTable}\n\n`);
process.stdout.write(
  `CPU during the ingest (% of one core): ${cpuLine}; generator's worst send lag ${ms(ingested.sendLagMaxMs)} ms\n`,
);
process.stdout.write(
  `worst latency of each second's requests, ms: ${ingested.worstPerSecond.map((v) => v.toFixed(0)).join(' ')}\n`,
);
process.stdout.write(
  `targets: p99 ≤ ${P99_TARGET_MS} ms ${latencyMet ? 'met' : 'NOT MET'}; nothing dropped ${nothingDropped ? 'met' : 'NOT MET'} (${droppedBeacons} beacons missing, ${ingested.dropped} given up by players); reports ≤ ${REPORT_TARGET_MS} ms ${reportsMet ? 'met' : 'NOT MET'}${seededOk ? '' : '; the report did not cover the seeded sessions'}\n`,
);

const doc = `## View analytics

\`pnpm bench:analytics\` on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${new Date().toISOString().slice(0, 10)}, PostgreSQL (a fresh
database, dropped afterwards). The server runs in its own process on loopback with its default
analytics settings (writes batched every 20 ms or 500 beacons, a request answered once its
beacons are stored; a view session may send bursts of 10, one more every 2 s), except the limit
per client address, which is off: all the load comes from 127.0.0.1. The load generator
(${THREADS} worker thread${THREADS > 1 ? 's' : ''}), the server and PostgreSQL share the ${cpus().length} cores.

### Ingest: ${RATE.toLocaleString('en')} beacons/s for ${SECONDS} s

${SESSIONS.toLocaleString('en')} view sessions, each sending a beacon of ${EVENTS_PER_BEACON} events every ${BEACON_PERIOD_S} s (as
\`text/plain\` JSON, one beacon per request; a player sends a batch only when it retries after
a failure, with backoff). Open loop: each request goes out when it is due whatever happened to
the earlier ones, and its latency counts from when it was due. The generator writes HTTP/1.1
itself over keep-alive connections (up to 1,024, one request at a time on each): with node:http
the generator took about twice the CPU, which on ${cpus().length} cores it takes from the server.
${
  warmup
    ? `Before it, ${WARMUP} s of the same load on another stream, not counted (a server just started
is slower for a few seconds): ${summary(warmup)}.`
    : 'No warm-up: the server had just started.'
}

${ingestTable}

Worst latency of the requests due in each second, ms: ${ingested.worstPerSecond.map((v) => v.toFixed(0)).join(', ')}.
The tail varies from run to run: the seconds that stand out are those of a PostgreSQL
checkpoint or a long garbage collection in the server, on a machine about three quarters busy.

CPU during the ingest, % of one core (${cpus().length * 100} in all): ${cpuLine} (other people's work).

${checkTable}

Targets: p99 ≤ ${P99_TARGET_MS} ms ${verdict(latencyMet)}; nothing dropped ${verdict(nothingDropped)} (${droppedBeacons.toLocaleString('en')} beacons missing
from PostgreSQL, ${ingested.dropped} given up by the players).

### Report

A second stream with ${REPORT_SESSIONS.toLocaleString('en')} view sessions sent through the endpoint (a spread of engines,
startup times, stalls, failures; a third signed in) and a ${REPORT_TIMELINE_MINUTES}-minute timeline (the minutes
before them written to \`view_minutes\` directly), in the same database as the ingest's. Each
request is timed ${RUNS} times after ${WARMUP_RUNS} warm-up runs, one at a time over HTTP, as its owner.

${reportTable}

Target: p95 ≤ ${REPORT_TARGET_MS} ms for a stream of ${REPORT_SESSIONS.toLocaleString('en')} sessions and its channel ${verdict(reportsMet && seededOk)}.
`;
await writeDocSection(BENCHMARKS_DOC, 'analytics', doc);
process.stdout.write(`wrote the analytics section of ${BENCHMARKS_DOC}\n`);
process.exit(latencyMet && nothingDropped && reportsMet && seededOk ? 0 : 1);
