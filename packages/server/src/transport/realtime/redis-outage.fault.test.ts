import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  type ChatMessage,
  type ClientToServerEvents,
  ERROR_CODES,
  type ErrorCode,
  type ServerToClientEvents,
} from '@onair/protocol';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exitOf,
  type LocalPostgres,
  type LocalRedis,
  startPostgres,
  startRedis,
} from '../../../test/services.js';
import { spawnSourceWorker } from '../../../test/source-worker.js';

/*
 * Fault: Redis dies (SIGKILL, no persistence: it comes back empty) under two
 * server processes that share it, then returns. Redis and PostgreSQL are the
 * test's own. While Redis is gone, chat within each server either works
 * (acknowledged and delivered to that server's viewers) or fails with a
 * typed error, never hangs; no server crashes or drops a viewer; every
 * acknowledged message is in the history; and once Redis is back,
 * cross-server delivery resumes within RECOVERY_MS.
 */
const RECOVERY_MS = 15_000;
/** An acknowledgement slower than this counts as a hang: the core client's request timeout. */
const ACK_TIMEOUT_MS = 10_000;
/** Delivery to a viewer on the sender's own server, while Redis is down. */
const LOCAL_DELIVERY_MS = 5_000;
const OUTAGE_MS = 4_000;

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Sent {
  from: 'A' | 'B';
  text: string;
  sentAt: number;
  id?: string;
  code?: ErrorCode | 'NO_ACK';
}

let redis: LocalRedis;
let postgres: LocalPostgres;
const workers: ChildProcess[] = [];
const clients: Client[] = [];
let urls: [string, string];
const jwtSecret = randomBytes(32).toString('hex');

function startWorker(): Promise<string> {
  const child = spawnSourceWorker(new URL('../../../test/scale-out.worker.ts', import.meta.url), {
    ONAIR_WORKER_OPTIONS: JSON.stringify({
      jwtSecret,
      devAuth: true,
      databaseUrl: postgres.url,
      redisUrl: redis.url,
      logLevel: 'silent',
      media: { enabled: false },
      restRateLimit: false,
      chatRate: { capacity: 1000, refillPerSecond: 1000 },
    }),
  });
  workers.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
    child.stdout?.once('data', (line: Buffer) => resolve(JSON.parse(line.toString()).url));
  });
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  // The first process migrates; the second starts after it.
  const first = await startWorker();
  urls = [first, await startWorker()];
}, 60_000);

afterAll(async () => {
  for (const socket of clients) socket.disconnect();
  await Promise.all(
    workers.map((child) => {
      child.removeAllListeners('exit');
      const exited = exitOf(child);
      child.kill('SIGTERM');
      return exited;
    }),
  );
  await redis?.kill();
  await postgres?.destroy();
});

async function token(url: string, displayName: string): Promise<string> {
  const response = await fetch(`${url}/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** A joined client and the ids of the chat messages it has received. */
async function viewer(url: string, streamId: string, auth?: string) {
  const socket: Client = connect(url, {
    transports: ['websocket'],
    auth: auth ? { token: auth } : {},
    reconnection: false,
  });
  clients.push(socket);
  const received = new Set<string>();
  const disconnects: string[] = [];
  socket.on('batch', (batch) => {
    for (const [event, payload] of batch) {
      if (event === 'chat:message') received.add((payload as ChatMessage).id);
    }
  });
  socket.on('disconnect', (reason) => disconnects.push(reason));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const joined = await socket.emitWithAck('stream:join', { streamId });
  if (!joined.ok) throw new Error(joined.error.message);
  return { socket, received, disconnects };
}

let sequence = 0;
async function send(socket: Client, streamId: string, from: 'A' | 'B'): Promise<Sent> {
  const entry: Sent = { from, text: `${from}${++sequence}`, sentAt: Date.now() };
  try {
    const ack = await socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('chat:send', { streamId, text: entry.text });
    if (ack.ok) entry.id = ack.data.id;
    else entry.code = ack.error.code;
  } catch {
    entry.code = 'NO_ACK';
  }
  return entry;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Redis dropped under two servers', () => {
  it('keeps chat working or failing typed on each server, and resumes cross-server delivery', async () => {
    const [a, b] = urls;
    const host = await token(a, 'Outage host');
    const created = await fetch(`${a}/v1/streams`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${host}` },
      body: JSON.stringify({ title: 'Redis outage' }),
    });
    const streamId = ((await created.json()) as { stream: { id: string } }).stream.id;
    await fetch(`${a}/v1/streams/${streamId}/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host}` },
    });
    // On each server: a signed-in sender, the host (exempt from the rate limit, which
    // lives in Redis) on A, and an anonymous viewer.
    const senderA = await viewer(a, streamId, await token(a, 'Sender A'));
    const hostA = await viewer(a, streamId, host);
    const watcherA = await viewer(a, streamId);
    const senderB = await viewer(b, streamId, await token(b, 'Sender B'));
    const watcherB = await viewer(b, streamId);
    const everyone = [senderA, hostA, watcherA, senderB, watcherB];
    const sent: Sent[] = [];

    // Before: both directions.
    const first = await send(senderA.socket, streamId, 'A');
    const second = await send(senderB.socket, streamId, 'B');
    sent.push(first, second);
    await expect.poll(() => watcherB.received.has(first.id ?? '-')).toBe(true);
    await expect.poll(() => watcherA.received.has(second.id ?? '-')).toBe(true);

    // Redis goes away: each server's chat works locally or fails typed, never hangs.
    await redis.kill();
    const outageEnds = Date.now() + OUTAGE_MS;
    const during: Sent[] = [];
    while (Date.now() < outageEnds) {
      const round = await Promise.all([
        send(senderA.socket, streamId, 'A'),
        send(hostA.socket, streamId, 'A'),
        send(senderB.socket, streamId, 'B'),
      ]);
      during.push(...round);
      await wait(250);
    }
    sent.push(...during);
    // A viewer arriving during the outage joins, or is refused typed, within the client's
    // request timeout (soft: the checks after it still run).
    const late: Client = connect(a, { transports: ['websocket'], reconnection: false });
    clients.push(late);
    await new Promise<void>((resolve, reject) => {
      late.once('connect', () => resolve());
      late.once('connect_error', reject);
    });
    const join = await late
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('stream:join', { streamId })
      .then((ack) => (ack.ok ? 'ok' : ack.error.code))
      .catch(() => 'NO_ACK');
    expect.soft(join, 'stream:join while Redis is down').not.toBe('NO_ACK');
    expect([...ERROR_CODES, 'ok', 'NO_ACK']).toContain(join);
    expect(during.filter((s) => s.code === 'NO_ACK')).toEqual([]);
    for (const s of during.filter((s) => s.code)) expect(ERROR_CODES).toContain(s.code);
    // Acknowledged during the outage: delivered on the sender's own server.
    for (const s of during.filter((s) => s.id)) {
      const local = s.from === 'A' ? watcherA : watcherB;
      await expect
        .poll(() => local.received.has(s.id as string), { timeout: LOCAL_DELIVERY_MS })
        .toBe(true);
    }

    // Redis is back (empty): cross-server delivery resumes, both ways.
    await redis.start();
    const backAt = Date.now();
    // Any message sent since counts once it arrives across: a slow delivery of an early
    // one is found on a later round.
    const since: Sent[] = [];
    const arrived = (from: 'A' | 'B') =>
      since.find(
        (s) => s.from === from && s.id && (from === 'A' ? watcherB : watcherA).received.has(s.id),
      );
    let resumedAB: Sent | undefined;
    let resumedBA: Sent | undefined;
    while ((!resumedAB || !resumedBA) && Date.now() - backAt < RECOVERY_MS) {
      since.push(
        ...(await Promise.all([
          send(senderA.socket, streamId, 'A'),
          send(senderB.socket, streamId, 'B'),
        ])),
      );
      await wait(500);
      resumedAB ??= arrived('A');
      resumedBA ??= arrived('B');
    }
    sent.push(...since);
    expect(resumedAB, 'A → B delivery after Redis returned').toBeDefined();
    expect(resumedBA, 'B → A delivery after Redis returned').toBeDefined();
    // And stays resumed: the next message from each side arrives across.
    const afterA = await send(senderA.socket, streamId, 'A');
    const afterB = await send(senderB.socket, streamId, 'B');
    sent.push(afterA, afterB);
    expect([afterA.code, afterB.code]).toEqual([undefined, undefined]);
    await expect.poll(() => watcherB.received.has(afterA.id as string)).toBe(true);
    await expect.poll(() => watcherA.received.has(afterB.id as string)).toBe(true);

    // No crash, no dropped viewer, nothing acknowledged is missing from the history.
    expect(workers.map((w) => w.exitCode)).toEqual([null, null]);
    for (const url of [a, b]) expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(everyone.flatMap((c) => c.disconnects)).toEqual([]);
    const history = new Set<string>();
    let before: string | undefined;
    do {
      const page = await watcherB.socket.emitWithAck('chat:history', {
        streamId,
        limit: 100,
        ...(before ? { before } : {}),
      });
      if (!page.ok) throw new Error(page.error.message);
      for (const message of page.data.items) history.add(message.id);
      before = page.data.nextCursor ?? undefined;
    } while (before);
    expect(sent.filter((s) => s.id && !history.has(s.id))).toEqual([]);
  }, 60_000);
});
