/**
 * Chat benchmark (`pnpm bench:chat`): N socket.io clients on loopback, M chat
 * messages per second in total, against the real OnAir server (persistence,
 * validation, moderation, rate limits, batching) and, in the same run,
 * against a bare socket.io broadcast server. Prints delivered messages per
 * second, delivery latency (p50, p99) and server CPU, then searches for the
 * highest rate each sustains with p99 ≤ 250 ms and ≥ 99 % delivered.
 * Writes its section of docs/benchmarks.md.
 *
 * Options (environment): BENCH_CLIENTS (1000), BENCH_RATE (200), BENCH_SECONDS (10),
 * BENCH_THREADS (2), BENCH_SEARCH=0 to skip the search, BENCH_DATABASE_URL for
 * PostgreSQL (default PGlite).
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { spawnSourceWorker } from '../test/source-worker.js';
import type { FromWorker, ToWorker } from './chat-clients.worker.js';
import { BENCHMARKS_DOC, writeDocSection } from './doc-section.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SEARCH = process.env.BENCH_SEARCH !== '0';
const P99_TARGET_MS = 250;
const DELIVERED_TARGET = 0.99;
/** Client threads: the load generator uses the core the server leaves. */
const THREADS = Number(process.env.BENCH_THREADS ?? 2);

type Kind = 'onair' | 'baseline';

interface RunResult {
  rate: number;
  seconds: number;
  sent: number;
  refused: number;
  /** Acknowledgements that took over 5 s. */
  lateAcks: number;
  expected: number;
  delivered: number;
  deliveredPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  cpuPercent: number;
  /** CPU of the load generator (all clients), for context. */
  clientCpuPercent: number;
  /** Messages actually sent per second (the generator may fall behind). */
  offeredPerSecond: number;
  rssMb: number;
}

/** The load generator: client threads, each with its share of the clients. */
interface Target {
  kind: Kind;
  child: ChildProcess;
  workers: Worker[];
  clients: number;
}

async function startServer(
  kind: Kind,
  databaseUrl: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnSourceWorker(new URL('./chat-server.worker.ts', import.meta.url), {
    ONAIR_BENCH_KIND: kind,
    ONAIR_BENCH_DATABASE_URL: databaseUrl,
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.stdout?.once('data', (line: Buffer) => resolve(JSON.parse(line.toString()).url));
  });
  return { child, url };
}

/** CPU seconds (user + system) and RSS of a process, from /proc. */
function usage(pid: number): { cpu: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpu: ticks / 100, rssMb: Number(rss?.[1] ?? 0) / 1024 };
}

async function devToken(url: string, displayName: string): Promise<string> {
  const response = await fetch(`${url}/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  return ((await response.json()) as { token: string }).token;
}

function next(worker: Worker, type: FromWorker['type']): Promise<FromWorker> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromWorker) => {
      if (message.type !== type) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      resolve(message);
    };
    worker.on('message', onMessage);
    worker.on('error', reject);
  });
}

async function connectAll(kind: Kind, child: ChildProcess, url: string): Promise<Target> {
  let room = 'bench';
  if (kind === 'onair') {
    const host = await devToken(url, 'Bench host');
    const created = await fetch(`${url}/v1/streams`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${host}` },
      body: JSON.stringify({ title: 'Chat benchmark' }),
    });
    room = ((await created.json()) as { stream: { id: string } }).stream.id;
    await fetch(`${url}/v1/streams/${room}/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host}` },
    });
  }
  const workers: Worker[] = [];
  let connected = 0;
  for (let w = 0; w < THREADS; w++) {
    const share = Math.floor(CLIENTS / THREADS) + (w < CLIENTS % THREADS ? 1 : 0);
    const worker = new Worker(new URL('./chat-clients.worker.ts', import.meta.url), {
      workerData: { kind, url, room, count: share, offset: workers.length * 100_000 },
    });
    workers.push(worker);
    connected += ((await next(worker, 'ready')) as { connected: number }).connected;
  }
  return { kind, child, workers, clients: connected };
}

let runs = 0;

/** Sends `rate` messages per second (split between the threads) for `seconds`. */
async function run(t: Target, rate: number, seconds: number): Promise<RunResult> {
  await Promise.all(
    t.workers.map((w) => {
      const drained = next(w, 'drained');
      w.postMessage({ type: 'drain' } satisfies ToWorker);
      return drained;
    }),
  );
  const tag = `run${++runs} `;
  const startAt = performance.timeOrigin + performance.now() + 200;
  const before = usage(t.child.pid as number);
  const clientBefore = process.cpuUsage();
  const results = (await Promise.all(
    t.workers.map((w) => {
      const result = next(w, 'result');
      w.postMessage({
        type: 'run',
        tag,
        rate: rate / t.workers.length,
        seconds,
        startAt,
      } satisfies ToWorker);
      return result;
    }),
  )) as Array<Extract<FromWorker, { type: 'result' }>>;
  const after = usage(t.child.pid as number);
  const clientCpu = process.cpuUsage(clientBefore);
  const wall = seconds + 1.7;
  const sent = results.reduce((n, r) => n + r.sent, 0);
  const refused = results.reduce((n, r) => n + r.refused, 0);
  const lateAcks = results.reduce((n, r) => n + r.lateAcks, 0);
  const delivered = results.reduce((n, r) => n + r.delivered, 0);
  const all = new Float64Array(results.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const r of results) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  const sorted = all.sort();
  const pct = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return {
    rate,
    seconds,
    sent,
    refused,
    lateAcks,
    expected: (sent - refused) * t.clients,
    delivered,
    deliveredPerSecond: Math.round(delivered / seconds),
    p50: pct(0.5),
    p99: pct(0.99),
    max: sorted[sorted.length - 1] ?? 0,
    cpuPercent: ((after.cpu - before.cpu) / wall) * 100,
    clientCpuPercent: ((clientCpu.user + clientCpu.system) / 1e6 / wall) * 100,
    offeredPerSecond: Math.round(sent / seconds),
    rssMb: after.rssMb,
  };
}

const passes = (r: RunResult) =>
  r.expected > 0 && r.delivered / r.expected >= DELIVERED_TARGET && r.p99 <= P99_TARGET_MS;

/** From a low rate, doubles until a run fails, then bisects twice. */
async function search(t: Target, start: number): Promise<{ rate: number; runs: RunResult[] }> {
  const steps: RunResult[] = [];
  let good = 0;
  let bad = 0;
  for (let rate = start; rate <= 20_000; rate *= 2) {
    const r = await run(t, rate, 5);
    steps.push(r);
    log(t.kind, r);
    if (passes(r)) good = rate;
    else {
      bad = rate;
      break;
    }
  }
  for (let i = 0; i < 2 && bad > 0 && bad - good > Math.max(10, good / 8); i++) {
    const rate = Math.round((good + bad) / 2);
    const r = await run(t, rate, 5);
    steps.push(r);
    log(t.kind, r);
    if (passes(r)) good = rate;
    else bad = rate;
  }
  return { rate: good, runs: steps };
}

function log(kind: Kind, r: RunResult) {
  process.stdout.write(
    `${kind.padEnd(8)} ${String(r.rate).padStart(5)} msg/s: delivered ${((r.delivered / Math.max(1, r.expected)) * 100).toFixed(2)}% ` +
      `(${r.deliveredPerSecond}/s), p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, ` +
      `server CPU ${r.cpuPercent.toFixed(0)}%, clients CPU ${r.clientCpuPercent.toFixed(0)}%, sent ${r.offeredPerSecond}/s, RSS ${r.rssMb.toFixed(0)} MB${r.refused ? `, refused ${r.refused}` : ''}${r.lateAcks ? `, late acks ${r.lateAcks}` : ''}\n`,
  );
}

/** Runs `work` against a fresh server and freshly connected clients. */
async function withServer<T>(
  kind: Kind,
  databaseUrl: string,
  work: (t: Target) => Promise<T>,
): Promise<T> {
  const { child, url } = await startServer(kind, databaseUrl);
  try {
    const t = await connectAll(kind, child, url);
    process.stdout.write(`${kind}: ${t.clients} clients connected in ${THREADS} threads\n`);
    const result = await work(t);
    for (const worker of t.workers) worker.postMessage({ type: 'close' } satisfies ToWorker);
    await Promise.all(t.workers.map((w) => new Promise((r) => w.once('exit', r))));
    return result;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/**
 * The main run and the search, each on a fresh server: an overloaded server's
 * backlog and grown heap would spoil the runs after it.
 */
async function measure(kind: Kind, databaseUrl = '') {
  const main = await withServer(kind, databaseUrl, async (t) => {
    const r = await run(t, RATE, SECONDS);
    log(kind, r);
    return r;
  });
  const found = SEARCH ? await withServer(kind, databaseUrl, (t) => search(t, 25)) : undefined;
  return { main, found };
}

const row = (name: string, r: RunResult) =>
  `| ${name} | ${r.rate} (${r.offeredPerSecond} sent) | ${((r.delivered / Math.max(1, r.expected)) * 100).toFixed(2)} % | ${r.deliveredPerSecond.toLocaleString('en')} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.cpuPercent.toFixed(0)} % | ${r.clientCpuPercent.toFixed(0)} % | ${r.rssMb.toFixed(0)} |`;

// PostgreSQL too when a server is configured (each run in a fresh database).
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? '';
const measured: Array<{ name: string; result: Awaited<ReturnType<typeof measure>> }> = [
  { name: 'OnAir (PGlite)', result: await measure('onair') },
];
if (pgUrl) measured.push({ name: 'OnAir (PostgreSQL)', result: await measure('onair', pgUrl) });
const baseline = await measure('baseline');
measured.push({ name: 'bare socket.io', result: baseline });
const baselineRate = baseline.found?.rate ?? 0;
const header =
  '| server | msg/s offered | delivered | deliveries/s | p50 ms | p99 ms | server CPU | clients CPU | server RSS MB |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |';
const doc = `## Chat

\`pnpm bench:chat\` on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${new Date().toISOString().slice(0, 10)}.
${CLIENTS} socket.io clients on loopback in ${THREADS} threads of one process, the server in
another; every client is in the room, so each message is delivered ${CLIENTS} times. Latency
is from the sender's emit to each receiver's handler (one clock for all threads). The OnAir
server runs with persistence (embedded PGlite${pgUrl ? ', then PostgreSQL' : ''}), validation, the word filter,
moderation checks, per-user rate limits (20 burst, 10/s) and 100 ms room batching. The
baseline is a bare socket.io server that broadcasts each message as its own event, with no
storage or checks.

### ${RATE} messages/s for ${SECONDS} s (${(RATE * CLIENTS).toLocaleString('en')} deliveries/s offered)

${header}
${measured.map((m) => row(m.name, m.result.main)).join('\n')}

Targets: at least 99 % delivered and p99 at most 250 ms: ${measured
  .filter((m) => m.name.startsWith('OnAir'))
  .map((m) => `${m.name} **${passes(m.result.main) ? 'met' : 'not met'}**`)
  .join(', ')}.

### Highest sustainable rate (5 s steps, p99 ≤ 250 ms and ≥ 99 % delivered)

| server | sustainable msg/s | deliveries/s | share of the baseline's rate |
| --- | --- | --- | --- |
${measured
  .map((m) => {
    const rate = m.result.found?.rate ?? 0;
    const share = baselineRate ? `${((rate / baselineRate) * 100).toFixed(0)} %` : 'n/a';
    return `| ${m.name} | ${rate} | ${(rate * CLIENTS).toLocaleString('en')} | ${share} |`;
  })
  .join('\n')}

Target: OnAir sustains at least 70 % of the baseline's rate.

${measured
  .map((m) => {
    const failed = (m.result.found?.runs ?? []).find((r) => !passes(r));
    if (!failed) return `- ${m.name}: no step failed up to the highest rate tried.`;
    const limit =
      failed.clientCpuPercent >= 90
        ? 'the load generator was saturated there, not the server'
        : 'the server fell behind';
    return `- ${m.name}: first failing step ${failed.rate} msg/s (p99 ${failed.p99.toFixed(0)} ms; server CPU ${failed.cpuPercent.toFixed(0)} %, clients CPU ${failed.clientCpuPercent.toFixed(0)} %): ${limit}.`;
  })
  .join('\n')}

#### Steps

${header}
${measured.flatMap((m) => (m.result.found?.runs ?? []).map((r) => row(m.name, r))).join('\n')}

The load generator shares the machine: the client threads (parsing every delivery for
${CLIENTS} clients) compete with the server for the two cores, and one client thread handles
each frame for hundreds of clients one after another, which adds to the latency measured.
These are lower bounds for the server alone.
`;
await writeDocSection(BENCHMARKS_DOC, 'chat', doc);
process.stdout.write(`\nwrote the chat section of ${BENCHMARKS_DOC}\n`);
process.exit(0);
