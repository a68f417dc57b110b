// The server of the soak (`pnpm soak`), in its own process so that its memory
// and event loop are its own, not the load generator's. Started with an IPC
// channel and `--expose-gc`. Tells the parent `ready` (URLs) once listening;
// answers `sample` with its memory after a full collection and the event-loop
// delay of the interval since the last sample; `load` starts the whole-run
// event-loop histogram; `close` closes the server (and drops the scratch
// database) and exits.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createServer } from '../src/app/server.js';
import type { LadderPresetName } from '../src/media/hls/ladder.js';
import { scratchDatabase } from '../test/scratch-database.js';

/** Messages from the soak to this process. */
export type ToSoakServer = { type: 'sample' } | { type: 'load' } | { type: 'close' };

/** One sample of the server process. Memory in bytes, delays in ms. */
export interface SoakServerSample {
  type: 'sample';
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Event-loop delay (beyond the 10 ms sampling interval) since the previous sample: 99th percentile and worst. */
  delayP99: number;
  delayMax: number;
  /** Event-loop delay 99th percentile since `load`. */
  runDelayP99: number;
}

/** Messages from this process to the soak. */
export type FromSoakServer =
  | { type: 'ready'; url: string; rtmpUrl: string; storage: string }
  | SoakServerSample
  | { type: 'closed' };

const send = (message: FromSoakServer) => process.send?.(message);
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('start the soak server with --expose-gc');

const database = process.env.ONAIR_SOAK_DATABASE_URL
  ? await scratchDatabase(process.env.ONAIR_SOAK_DATABASE_URL, 'onair_soak')
  : undefined;
const server = await createServer({
  devAuth: true,
  logLevel: 'error',
  databaseUrl: database?.url,
  redisUrl: undefined,
  // Every viewer of the soak connects from 127.0.0.1: per-address caps would refuse them.
  maxConnectionsPerIp: 0,
  restRateLimit: false,
  media: {
    rtmpPort: 0,
    ladder: (process.env.ONAIR_SOAK_LADDER ?? '240p').split(',') as LadderPresetName[],
    reconnectGraceSeconds: 30,
  },
});

// Sampled every 10 ms: shorter delays are not what a soak looks for. The histogram holds
// the whole time between two samples, so the delay is what exceeds the 10 ms.
const RESOLUTION_MS = 10;
const interval = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
const run = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
const delay = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS);
interval.enable();

process.on('message', (message: ToSoakServer) => {
  if (message.type === 'load') {
    run.reset();
    run.enable();
  } else if (message.type === 'sample') {
    const delayP99 = delay(interval.percentile(99));
    const delayMax = delay(interval.max);
    // The collection's own pause is not the server's delay: neither histogram sees it.
    interval.disable();
    run.disable();
    collect();
    const memory = process.memoryUsage();
    interval.reset();
    interval.enable();
    run.enable();
    send({
      type: 'sample',
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      delayP99,
      delayMax,
      runDelayP99: delay(run.percentile(99)),
    });
  } else if (message.type === 'close') {
    interval.disable();
    run.disable();
    void server
      .close()
      .then(() => database?.drop())
      .finally(() => {
        send({ type: 'closed' });
        process.disconnect?.();
      });
  }
});
// The parent went away without a `close`: do not linger.
process.on('disconnect', () => {
  void server.close().finally(() => process.exit(0));
});

send({
  type: 'ready',
  url: server.url,
  rtmpUrl: server.rtmpUrl ?? '',
  storage: server.storage,
});
