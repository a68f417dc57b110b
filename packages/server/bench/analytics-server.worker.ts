// The server of the analytics benchmark, in its own process so that the load
// generator does not share its event loop and its CPU is measured apart: the
// real server on PostgreSQL (a fresh database at ONAIR_BENCH_DATABASE_URL,
// dropped on close) with its default analytics settings, except the limit per
// client address, off (all the load comes from 127.0.0.1; the limit per view
// session stays). Prints `{ url, databaseUrl }` when ready; closes on SIGTERM
// or SIGINT and exits.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createServer } from '../src/app/server.js';
import { scratchDatabase } from '../test/scratch-database.js';

// BENCH_TRACE=1: each garbage collection pause of 5 ms or more, and each second's longest
// event loop delay, on stderr.
if (process.env.BENCH_TRACE) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  setInterval(() => {
    const at = new Date().toISOString().slice(11, 19);
    process.stderr.write(`server loop ${at} max ${(delay.max / 1e6).toFixed(0)} ms\n`);
    delay.reset();
  }, 1000).unref();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration >= 5) {
        const at = new Date(performance.timeOrigin + entry.startTime).toISOString().slice(11, 23);
        const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
        const name =
          kind === 1 ? 'minor' : kind === 2 ? 'major' : kind === 4 ? 'incremental' : 'other';
        process.stderr.write(`server gc ${at} ${name} ${entry.duration.toFixed(0)} ms\n`);
      }
    }
  }).observe({ entryTypes: ['gc'] });
}

const baseUrl = process.env.ONAIR_BENCH_DATABASE_URL;
if (!baseUrl) throw new Error('analytics-server.worker needs ONAIR_BENCH_DATABASE_URL');
const database = await scratchDatabase(baseUrl, 'onair_bench');
let close = () => database.drop();
try {
  const server = await createServer({
    devAuth: true,
    logLevel: 'silent',
    media: { enabled: false },
    databaseUrl: database.url,
    redisUrl: undefined,
    analytics: { addressRate: false },
  });
  close = async () => {
    await server.close();
    await database.drop();
  };
  process.stdout.write(`${JSON.stringify({ url: server.url, databaseUrl: database.url })}\n`);
} catch (error) {
  await close();
  throw error;
}

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`analytics bench server: close failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
