import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type {
  ChatMessage,
  ClientToServerEvents,
  ServerToClientEvents,
  ViewerCount,
} from '@onair/protocol';
import { Redis } from 'ioredis';
import { decodeJwt } from 'jose';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../../test/scratch-database.js';
import { spawnSourceWorker } from '../../../test/source-worker.js';

// Two server processes sharing PostgreSQL and Redis, as in production.
const DATABASE_URL =
  process.env.ONAIR_TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.ONAIR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const workers: ChildProcess[] = [];
const clients: Client[] = [];
let database: Awaited<ReturnType<typeof scratchDatabase>>;
let urls: [string, string];
const jwtSecret = randomBytes(32).toString('hex');
const prefix = `onair-test-${randomBytes(4).toString('hex')}:`;

function startWorker(): Promise<string> {
  const child = spawnSourceWorker(new URL('../../../test/scale-out.worker.ts', import.meta.url), {
    ONAIR_WORKER_OPTIONS: JSON.stringify({
      jwtSecret,
      devAuth: true,
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      redisPrefix: prefix,
      logLevel: 'silent',
      media: { enabled: false },
      // Roomy, but finite: the test checks that both servers draw on one bucket.
      restRateLimit: { capacity: 20, refillPerSecond: 0.01 },
    }),
  });
  workers.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
    child.stdout?.once('data', (line: Buffer) => resolve(JSON.parse(line.toString()).url));
  });
}

async function token(url: string, displayName: string): Promise<string> {
  const response = await fetch(`${url}/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function client(url: string, auth?: string): Promise<Client> {
  const socket: Client = connect(url, {
    transports: ['websocket'],
    auth: auth ? { token: auth } : {},
    reconnection: false,
  });
  clients.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

function events<T>(socket: Client, name: string): T[] {
  const seen: T[] = [];
  socket.on('batch', (batch) => {
    for (const [event, payload] of batch) if (event === name) seen.push(payload as T);
  });
  return seen;
}

beforeAll(async () => {
  database = await scratchDatabase(DATABASE_URL);
  // The first process migrates; the second starts after it.
  const first = await startWorker();
  urls = [first, await startWorker()];
}, 60_000);

afterAll(async () => {
  for (const socket of clients) socket.disconnect();
  await Promise.all(
    workers.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.removeAllListeners('exit');
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await database?.drop();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('scale-out over Redis (two server processes)', () => {
  it('delivers chat across servers, counts a viewer once and shares rate limits', async () => {
    const [a, b] = urls;
    const hostToken = await token(a, 'Scale host');
    const created = await fetch(`${a}/v1/streams`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hostToken}` },
      body: JSON.stringify({ title: 'Scaled' }),
    });
    const streamId = ((await created.json()) as { stream: { id: string } }).stream.id;
    await fetch(`${a}/v1/streams/${streamId}/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hostToken}` },
    });

    const onA = await client(a);
    const countsOnA = events<ViewerCount>(onA, 'viewers:count');
    const messagesOnA = events<ChatMessage>(onA, 'chat:message');
    expect((await onA.emitWithAck('stream:join', { streamId })).ok).toBe(true);

    const viewerToken = await token(b, 'Scale viewer');
    const onB = await client(b, viewerToken);
    expect((await onB.emitWithAck('stream:join', { streamId })).ok).toBe(true);
    // The same user in a second tab on the other server is still one viewer.
    const onA2 = await client(a, viewerToken);
    expect((await onA2.emitWithAck('stream:join', { streamId })).ok).toBe(true);
    await expect
      .poll(() => countsOnA.at(-1), { timeout: 5000 })
      .toMatchObject({ count: 2, signedIn: 1, anonymous: 1 });

    const sent = await onB.emitWithAck('chat:send', { streamId, text: 'hello from B' });
    if (!sent.ok) throw new Error(sent.error.message);
    await expect
      .poll(() => messagesOnA.map((m) => m.id), { timeout: 5000 })
      .toContain(sent.data.id);

    // The chat limit (3 per 2 s) holds across servers: two more on B, then A is refused.
    expect((await onB.emitWithAck('chat:send', { streamId, text: 'two' })).ok).toBe(true);
    expect((await onB.emitWithAck('chat:send', { streamId, text: 'three' })).ok).toBe(true);
    const fourth = await onA2.emitWithAck('chat:send', { streamId, text: 'four' });
    expect(fourth.ok ? 'sent' : fourth.error.code).toBe('RATE_LIMITED');

    // REST limits are shared too: the host has 18 writes left (create and start
    // took 2 of 20), whichever server they go to.
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await fetch(`${urls[i % 2]}/v1/streams/${streamId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hostToken}` },
        body: JSON.stringify({ title: `Scaled ${i}` }),
      });
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(18);
    expect(statuses.slice(18).every((s) => s === 429)).toBe(true);

    onB.disconnect();
    onA2.disconnect();
    await expect
      .poll(() => countsOnA.at(-1), { timeout: 5000 })
      .toMatchObject({ count: 1, signedIn: 0, anonymous: 1, peak: 2 });
  });

  it("closes a banned user's connections to any of the channel's streams, on either server", async () => {
    const [a, b] = urls;
    const hostToken = await token(a, 'Banning host');
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${hostToken}` };
    const live = async (title: string) => {
      const created = await fetch(`${a}/v1/streams`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ title }),
      });
      const id = ((await created.json()) as { stream: { id: string } }).stream.id;
      await fetch(`${b}/v1/streams/${id}/start`, { method: 'POST', headers: auth });
      return id;
    };
    const banning = await live('Where the ban is given');
    const sibling = await live('Same channel');

    const trollToken = await token(b, 'Scale troll');
    const onB = await client(b, trollToken);
    expect((await onB.emitWithAck('stream:join', { streamId: sibling })).ok).toBe(true);
    const closed = new Promise<string>((resolve) => onB.once('disconnect', resolve));

    const host = await client(a, hostToken);
    const userId = decodeJwt(trollToken).sub as string;
    const banned = await host.emitWithAck('moderation:ban', { streamId: banning, userId });
    expect(banned.ok, JSON.stringify(banned)).toBe(true);
    await expect.poll(() => onB.connected, { timeout: 3000 }).toBe(false);
    expect(await closed).toBe('io server disconnect');
  });
});
