import { randomBytes } from 'node:crypto';
import type {
  ChatMessage,
  ClientToServerEvents,
  ErrorCode,
  ServerToClientEvents,
} from '@onair/protocol';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalPostgres, startPostgres } from '../../test/services.js';
import { createServer, type OnAirServer } from '../index.js';

/*
 * Fault: the PostgreSQL server is stopped (fast shutdown, as an operator or a
 * failover does) under chat load, and started again. The database is the
 * test's own (never the machine's shared one). Chat sent during the outage
 * gets a typed error at once — no hang, no crash — every message that was
 * acknowledged is in the history afterwards, and chat works again within
 * RECOVERY_MS of PostgreSQL accepting connections.
 */
const RECOVERY_MS = 5_000;
/** An acknowledgement slower than this counts as a hang: the core client's request timeout. */
const ACK_TIMEOUT_MS = 10_000;
const SENDERS = 4;
const SEND_INTERVAL_MS = 100;
const OUTAGE_MS = 3_000;

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Sent {
  text: string;
  sentAt: number;
  ackedAt?: number;
  id?: string;
  code?: ErrorCode | 'NO_ACK';
}

let postgres: LocalPostgres;
let server: OnAirServer;
const clients: Client[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  postgres = await startPostgres();
  server = await createServer({
    jwtSecret: randomBytes(32).toString('hex'),
    databaseUrl: postgres.url,
    redisUrl: undefined,
    logLevel: 'silent',
    media: { enabled: false },
    restRateLimit: false,
    // The load is the point here, not the per-user limit.
    chatRate: { capacity: 1000, refillPerSecond: 1000 },
  });
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.close();
  await postgres?.destroy();
  process.off('unhandledRejection', onUnhandled);
});

async function client(token: string): Promise<Client> {
  const socket: Client = connect(server.url, {
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
  });
  clients.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/**
 * A signed-in viewer connecting and joining: `ok`, the error code of a refused
 * connection or join, or `NO_ACK` when the server did not answer in time.
 */
async function lateJoin(token: string, streamId: string): Promise<string> {
  const socket: Client = connect(server.url, {
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
  });
  clients.push(socket);
  const refused = await new Promise<string | undefined>((resolve) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', (error) => {
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      resolve(code ?? 'NO_CODE');
    });
  });
  if (refused) return refused;
  return socket
    .timeout(ACK_TIMEOUT_MS)
    .emitWithAck('stream:join', { streamId })
    .then((ack) => (ack.ok ? 'ok' : ack.error.code))
    .catch(() => 'NO_ACK');
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL stopped and restarted under chat load', () => {
  it('fails chat typed during the outage, loses no acknowledged message and recovers', async () => {
    const owner = await server.issueToken('usr_pg_owner', 'Owner');
    const created = await fetch(`${server.url}/v1/streams`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Outage' }),
    });
    const streamId = ((await created.json()) as { stream: { id: string } }).stream.id;
    await fetch(`${server.url}/v1/streams/${streamId}/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}` },
    });

    const senders: Client[] = [];
    const disconnects: string[] = [];
    for (let i = 0; i < SENDERS; i++) {
      const socket = await client(await server.issueToken(`usr_pg_${i}`, `Sender ${i}`));
      socket.on('disconnect', (reason) => disconnects.push(reason));
      expect((await socket.emitWithAck('stream:join', { streamId })).ok).toBe(true);
      senders.push(socket);
    }

    // Each sender sends on a fixed beat whether or not its last message was acknowledged.
    const sent: Sent[] = [];
    const pending = new Set<Promise<void>>();
    let sequence = 0;
    const beats = senders.map((socket) =>
      setInterval(() => {
        const entry: Sent = { text: `m${++sequence}`, sentAt: Date.now() };
        sent.push(entry);
        const done = socket
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck('chat:send', { streamId, text: entry.text })
          .then(
            (ack) => {
              entry.ackedAt = Date.now();
              if (ack.ok) entry.id = ack.data.id;
              else entry.code = ack.error.code;
            },
            () => {
              entry.code = 'NO_ACK';
            },
          )
          .finally(() => pending.delete(done));
        pending.add(done);
      }, SEND_INTERVAL_MS),
    );
    const acked = () => sent.filter((s) => s.id);

    try {
      await expect.poll(() => acked().length, { timeout: 10_000 }).toBeGreaterThan(20);
      const lateToken = await server.issueToken('usr_pg_late', 'Late');
      const stoppedAt = Date.now();
      await postgres.stop();
      // A viewer arriving and a REST read during the outage get typed answers too.
      const [joinDuring, restDuring] = await Promise.all([
        lateJoin(lateToken, streamId),
        fetch(`${server.url}/v1/streams/${streamId}`, {
          signal: AbortSignal.timeout(ACK_TIMEOUT_MS),
        }).then(
          async (response) => ({
            status: response.status,
            body: (await response.json()) as { code?: string },
          }),
          () => 'NO_ANSWER',
        ),
        wait(OUTAGE_MS),
      ]);
      expect(joinDuring).not.toBe('NO_ACK');
      expect(['UNAVAILABLE', 'ok']).toContain(joinDuring);
      // The database is down, not the request wrong: 503 UNAVAILABLE, never a 500.
      expect(restDuring).toEqual({
        status: 503,
        body: expect.objectContaining({ code: 'UNAVAILABLE' }),
      });
      // Messages sent while the server was down (the stop itself is done by now).
      const duringOutage = sent.filter((s) => s.sentAt > Date.now() - OUTAGE_MS + 500);
      await postgres.start();
      const backAt = Date.now();
      await expect
        .poll(() => sent.some((s) => s.id && s.sentAt >= backAt), { timeout: RECOVERY_MS })
        .toBe(true);
      const recoveredAt = Math.min(
        ...sent.filter((s) => s.id && s.sentAt >= backAt).map((s) => s.ackedAt ?? Infinity),
      );
      await wait(1_000);
      for (const beat of beats) clearInterval(beat);
      await Promise.all(pending);

      // No hang: every send was answered; failures are typed envelopes, and there were some.
      expect(sent.filter((s) => s.code === 'NO_ACK')).toEqual([]);
      const failed = sent.filter((s) => s.code);
      expect(failed.length).toBeGreaterThan(0);
      for (const s of failed) expect(s.code).toBe('UNAVAILABLE');
      expect(duringOutage.length).toBeGreaterThan(10);
      expect(duringOutage.filter((s) => s.id)).toEqual([]);
      // Before the stop, and once recovered, everything went through.
      expect(sent.filter((s) => s.code && s.ackedAt && s.sentAt < stoppedAt - 1_000)).toEqual([]);
      expect(sent.filter((s) => s.code && s.sentAt > recoveredAt)).toEqual([]);
      expect(recoveredAt - backAt).toBeLessThan(RECOVERY_MS);
      // No socket was dropped, and the process is alive and healthy.
      expect(disconnects).toEqual([]);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      // Every acknowledged message is in the history, with its text.
      const history = new Map<string, ChatMessage>();
      const [reader] = senders as [Client];
      let before: string | undefined;
      do {
        const page = await reader.emitWithAck('chat:history', {
          streamId,
          limit: 100,
          ...(before ? { before } : {}),
        });
        if (!page.ok) throw new Error(page.error.message);
        for (const message of page.data.items) history.set(message.id, message);
        before = page.data.nextCursor ?? undefined;
      } while (before);
      const missing = acked().filter((s) => history.get(s.id as string)?.text !== s.text);
      expect(missing).toEqual([]);
      expect(unhandled).toEqual([]);
    } finally {
      for (const beat of beats) clearInterval(beat);
    }
  }, 60_000);
});
