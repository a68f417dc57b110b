/**
 * Soak (`pnpm soak`; not in CI): a real server for SOAK_MINUTES (10) under a
 * steady, mixed load, watched for leaks.
 *
 * The server runs in its own process (`soak-server.worker.ts`, PostgreSQL
 * from DATABASE_URL in a scratch database, else PGlite) so its memory is its
 * own. Against it, on loopback: two publishers (ffmpeg pushing a 640×360
 * test pattern over RTMP, packaged as LL-HLS with a 240p rung), and 300
 * realtime viewers (`soak-viewers.ts`; socket.io, 40 % signed in) spread over
 * the two streams, joining, leaving, switching streams and reconnecting all
 * the time, chatting at 20 messages/s in all (the signed-in ones) and
 * fetching the HLS playlists now and then. Every 10 s: the server's RSS and heap (after a full
 * collection), its event-loop delay, CPU, and the errors so far.
 *
 * At the end: least-squares slopes of RSS and heap over the second half of
 * the run (the first half is warm-up: caches, JIT, PGlite's buffers), the
 * event-loop delay p99 (beyond the 10 ms sampling interval), and the errors,
 * as Markdown (`soak-report.ts`). Exits 1 when
 *
 * - the heap grows faster than SOAK_MAX_HEAP_SLOPE MB/min (1): after a full
 *   collection a steady load leaves a flat heap, so a leak of one closure per
 *   message or per connection shows within minutes;
 * - RSS grows faster than SOAK_MAX_RSS_SLOPE MB/min (4): looser, since RSS
 *   also holds what the allocator keeps and, with PGlite, the database itself
 *   (the chat it stores grows by well under 1 MB/min). The slopes are
 *   judged from 5 minutes on: a shorter run (a smoke test) is all warm-up;
 * - the event-loop delay p99 over the run exceeds SOAK_MAX_DELAY_P99 ms (50);
 * - anything failed that should not: an acknowledgement with an error other
 *   than `RATE_LIMITED` (the per-user chat limit, hit now and then by chance),
 *   an acknowledgement that never came (10 s), a viewer dropped by the server,
 *   a refused connection, an HLS request that did not answer 200, a publisher
 *   that stopped, an error the server logged, or a server that did not close.
 *
 * A full run writes its section of docs/benchmarks.md; a shortened one
 * (SOAK_MINUTES under 10) only prints.
 *
 * Options (environment): SOAK_MINUTES (10), SOAK_VIEWERS (300), SOAK_CHAT_RATE
 * (20 msg/s), SOAK_PUBLISHERS (2), SOAK_SIGNED_IN (0.4 of the viewers),
 * SOAK_CHURN (viewers leaving per second, default viewers / 100), SOAK_HLS_RATE
 * (playlist fetches per second, 5), SOAK_DATABASE_URL (default DATABASE_URL;
 * empty for PGlite), SOAK_MAX_HEAP_SLOPE, SOAK_MAX_RSS_SLOPE, SOAK_MAX_DELAY_P99.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { CreatedStream, DevTokenResponse } from '@onair/protocol';
import { publishRtmp } from '../test/rtmp-publisher.js';
import { BENCHMARKS_DOC, writeDocSection } from './doc-section.js';
import { cpuSeconds } from './proc-stat.js';
import { type SoakSample, type SoakSetup, soakVerdict } from './soak-report.js';
import type { FromSoakServer, ToSoakServer } from './soak-server.worker.js';
import { SoakViewers } from './soak-viewers.js';

const env = (name: string, fallback: number) =>
  process.env[name] === undefined || process.env[name] === ''
    ? fallback
    : Number(process.env[name]);
const MINUTES = env('SOAK_MINUTES', 10);
const VIEWERS = env('SOAK_VIEWERS', 300);
const CHAT_RATE = env('SOAK_CHAT_RATE', 20);
const PUBLISHERS = env('SOAK_PUBLISHERS', 2);
const CHURN = env('SOAK_CHURN', VIEWERS / 100);
const HLS_RATE = env('SOAK_HLS_RATE', 5);
const SIGNED_IN = Math.round(VIEWERS * env('SOAK_SIGNED_IN', 0.4));
const DATABASE_URL = process.env.SOAK_DATABASE_URL ?? process.env.DATABASE_URL ?? '';
const SAMPLE_MS = 10_000;
const TICK_MS = 100;
const setup: SoakSetup = {
  minutes: MINUTES,
  viewers: VIEWERS,
  signedIn: SIGNED_IN,
  publishers: PUBLISHERS,
  churnPerSecond: CHURN,
  chatRate: CHAT_RATE,
  hlsRate: HLS_RATE,
  storage: '',
  maxHeapSlope: env('SOAK_MAX_HEAP_SLOPE', 1),
  maxRssSlope: env('SOAK_MAX_RSS_SLOPE', 4),
  maxDelayP99: env('SOAK_MAX_DELAY_P99', 50),
  minMinutesForSlopes: 5,
};
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** PIDs of the children of `parent` (the server's ffmpeg packagers), from /proc. */
function childrenOf(parent: number | undefined): number[] {
  if (!parent) return [];
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) {
        found.push(Number(entry));
      }
    } catch {
      // Exited while it was read.
    }
  }
  return found;
}

/** Failures seen before the viewers exist (the server, the publishers). */
const early: string[] = [];
let viewers: SoakViewers | undefined;
const fail = (kind: string) => (viewers ? viewers.fail(kind) : early.push(kind));
let closing = false;

// --- the server, in its own process ------------------------------------------------

const tsx = createRequire(import.meta.url).resolve('tsx');
const serverProcess: ChildProcess = spawn(
  process.execPath,
  [
    '--expose-gc',
    '--conditions=@onair/source',
    '--import',
    tsx,
    fileURLToPath(new URL('./soak-server.worker.ts', import.meta.url)),
  ],
  {
    env: { ...process.env, ONAIR_SOAK_DATABASE_URL: DATABASE_URL },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  },
);
// Its log (pino JSON on standard output) has only errors: each one fails the soak.
let logTail = '';
let logged = 0;
serverProcess.stdout?.setEncoding('utf8');
serverProcess.stdout?.on('data', (chunk: string) => {
  const lines = `${logTail}${chunk}`.split('\n');
  logTail = lines.pop() ?? '';
  for (const line of lines.filter(Boolean)) {
    fail('server logged an error');
    if (++logged <= 5) process.stderr.write(`server: ${line.slice(0, 500)}\n`);
  }
});
let serverGone = false;
serverProcess.once('exit', (code, signal) => {
  serverGone = true;
  if (!closing) {
    fail('server process exited');
    process.stderr.write(`server process exited (${code ?? signal}) during the soak\n`);
  }
});

function nextMessage<T extends FromSoakServer['type']>(
  type: T,
  timeoutMs = 30_000,
): Promise<Extract<FromSoakServer, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      serverProcess.off('message', onMessage);
      reject(new Error(`no ${type} from the server in ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: FromSoakServer) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      serverProcess.off('message', onMessage);
      resolve(message as Extract<FromSoakServer, { type: T }>);
    };
    serverProcess.on('message', onMessage);
  });
}
const tell = (message: ToSoakServer) => serverProcess.send(message);

const { url, rtmpUrl, storage } = await nextMessage('ready', 120_000);
setup.storage = storage;
if (!rtmpUrl) throw new Error('the server has no RTMP ingest (is ffmpeg installed?)');
process.stdout.write(`server on ${url} (${storage}), RTMP ${rtmpUrl}\n`);

async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
const devToken = async (displayName: string) =>
  (await post<DevTokenResponse>('/v1/dev/token', { displayName })).token;

// --- the publishers ---------------------------------------------------------------

const host = await devToken('Soak host');
const publishers: ChildProcess[] = [];
/** Each stream and the URI of its first variant playlist. */
const streams = new Map<string, string>();
for (let i = 0; i < PUBLISHERS; i++) {
  const { stream, streamKey } = await post<CreatedStream>(
    '/v1/streams',
    { title: `Soak ${i + 1}`, recording: true },
    host,
  );
  const publisher = publishRtmp(`${rtmpUrl}/${streamKey}`, { seconds: MINUTES * 60 + 300 });
  publisher.stderr?.resume();
  publisher.once('exit', () => {
    if (!closing) fail('publisher stopped');
  });
  publishers.push(publisher);
  for (let tries = 0; !streams.has(stream.id); tries++) {
    const response = await fetch(`${url}/hls/${stream.id}/master.m3u8`);
    const uri = response.ok
      ? (await response.text()).split('\n').find((line) => line && !line.startsWith('#'))
      : undefined;
    if (uri) streams.set(stream.id, uri);
    else if (tries > 120) throw new Error(`no HLS for ${stream.id} within 60 s`);
    else await wait(500);
  }
}
process.stdout.write(`${PUBLISHERS} publishers live, HLS up\n`);

// --- the viewers arrive (50 a second), each on a stream of its own choosing -------------

viewers = new SoakViewers(url, streams);
for (const kind of early) viewers.fail(kind);
const arrivals: Array<Promise<void>> = [];
for (let i = 0; i < VIEWERS; i++) {
  const token = i < SIGNED_IN ? await devToken(`Soak viewer ${i + 1}`) : undefined;
  arrivals.push(viewers.arrive(token));
  await wait(20);
}
await Promise.all(arrivals);
process.stdout.write(`${viewers.joined} viewers joined\n`);

// --- the run -------------------------------------------------------------------------

const samples: SoakSample[] = [];
const startedAt = performance.now();
const endsAt = startedAt + MINUTES * 60_000;
tell({ type: 'load' });
const ffmpegCpu = () =>
  [...childrenOf(serverProcess.pid), ...publishers.map((p) => p.pid ?? 0)].reduce(
    (sum, pid) => sum + cpuSeconds(pid),
    0,
  );
let mark = {
  at: performance.now(),
  server: cpuSeconds(serverProcess.pid),
  ffmpeg: ffmpegCpu(),
  generator: process.cpuUsage(),
};
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

async function sample(audience: SoakViewers): Promise<void> {
  const reply = nextMessage('sample');
  tell({ type: 'sample' });
  const memory = await reply;
  const now = performance.now();
  const seconds = (now - mark.at) / 1000;
  const server = cpuSeconds(serverProcess.pid);
  const ffmpeg = ffmpegCpu();
  const generator = process.cpuUsage(mark.generator);
  const { counters } = audience;
  const row: SoakSample = {
    ...memory,
    minute: (now - startedAt) / 60_000,
    connected: audience.connected,
    serverCpu: (server - mark.server) / seconds,
    // ffmpeg children come and go (a packager restarts): never below zero.
    ffmpegCpu: Math.max(0, (ffmpeg - mark.ffmpeg) / seconds),
    generatorCpu: (generator.user + generator.system) / 1e6 / seconds,
    errors: [...audience.errors.values()].reduce((a, b) => a + b, 0),
    chatAcked: counters.chatAcked,
    deliveries: counters.deliveries,
  };
  mark = { at: now, server, ffmpeg, generator: process.cpuUsage() };
  samples.push(row);
  process.stdout.write(
    `${row.minute.toFixed(1).padStart(5)} min  RSS ${mb(row.rss)} MB  heap ${mb(row.heapUsed)} MB  ` +
      `loop p99 ${row.delayP99.toFixed(1)} ms  viewers ${row.connected}  chat ${counters.chatAcked} ` +
      `(${counters.chatRateLimited} limited)  deliveries ${counters.deliveries}  CPU server ` +
      `${row.serverCpu.toFixed(2)} ffmpeg ${row.ffmpegCpu.toFixed(2)} load ${row.generatorCpu.toFixed(2)}  ` +
      `errors ${row.errors}\n`,
  );
}

let chatDue = 0;
let moveDue = 0;
let pollDue = 0;
let nextSample = startedAt + SAMPLE_MS;
while (performance.now() < endsAt && !serverGone) {
  chatDue += (CHAT_RATE * TICK_MS) / 1000;
  moveDue += (CHURN * TICK_MS) / 1000;
  pollDue += (HLS_RATE * TICK_MS) / 1000;
  for (; chatDue >= 1; chatDue--) viewers.chat();
  for (; moveDue >= 1; moveDue--) viewers.move();
  for (; pollDue >= 1; pollDue--) viewers.poll();
  if (performance.now() >= nextSample) {
    nextSample += SAMPLE_MS;
    await sample(viewers);
  }
  await wait(TICK_MS);
}
if (!serverGone) await sample(viewers);

// --- the end: everything closed --------------------------------------------------------

closing = true;
await viewers.close(15_000);
if (!serverGone) {
  for (const id of streams.keys()) {
    const ended = await fetch(`${url}/v1/streams/${id}/end`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host}` },
    }).catch(() => undefined);
    if (!ended?.ok) fail('ending a stream failed');
  }
}
const publishersExited = publishers.map(
  (publisher) =>
    new Promise((resolve) => {
      if (publisher.exitCode !== null || publisher.signalCode !== null) resolve(undefined);
      else publisher.once('exit', resolve);
    }),
);
for (const publisher of publishers) publisher.kill('SIGKILL');
await Promise.all(publishersExited);
if (!serverGone) {
  const exited = new Promise((resolve) => serverProcess.once('exit', resolve));
  const closed = nextMessage('closed', 60_000).catch(() => undefined);
  tell({ type: 'close' });
  if (!(await closed)) {
    fail('server did not close within 60 s');
    serverProcess.kill('SIGKILL');
  }
  await exited;
}

// --- the verdict ---------------------------------------------------------------------------

const { passed, report, table } = soakVerdict(setup, samples, viewers.counters, viewers.errors);
process.stdout.write(`\n${report}\n${table}\n`);
// Only a full run's figures go into the document.
if (MINUTES >= 10) {
  await writeDocSection(BENCHMARKS_DOC, 'soak', report);
  process.stdout.write(`\nwrote the soak section of ${BENCHMARKS_DOC}\n`);
}
process.exit(passed ? 0 : 1);
