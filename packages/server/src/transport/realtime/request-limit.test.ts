import { ViewerHistorySchema } from '@onair/protocol/analytics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { requests } from '../../../test/realtime-requests.js';
import { JOIN_RATE, MAX_STREAMS_PER_SOCKET } from '../../domains/presence/handlers.js';
import { SESSION_OPEN_RATE } from '../../domains/presence/service.js';
import { REQUEST_RATE } from './request-limit.js';

let server: TestServer;
let owner: { token: string; userId: string };
let streamId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.token('Limits host');
  streamId = await server.liveStream(owner.token, { qnaEnabled: true });
});
afterAll(() => server?.close());

const { send, sendRaw } = requests({ timeout: 10_000 });

const viewerCount = async (id: string) =>
  ((await server.call('GET', `/v1/streams/${id}`)).body as { viewerCount: number }).viewerCount;

describe('per-connection request limits (H2)', () => {
  it('answers a request flood RATE_LIMITED, keeps the connection, spares others', async () => {
    const flooder = await server.socket();
    const names = ['chat:history', 'qna:list', 'poll:list'] as const;
    const acks = await Promise.all(
      Array.from({ length: REQUEST_RATE.capacity + 80 }, (_, i) =>
        send(flooder, names[i % names.length] as (typeof names)[number], { streamId }),
      ),
    );
    const passed = acks.filter((ack) => ack.ok).length;
    const limited = acks.filter((ack) => !ack.ok);
    // The burst, and what refilled while the flood was answered: never all of it.
    expect(passed).toBeGreaterThanOrEqual(REQUEST_RATE.capacity);
    expect(limited.length).toBeGreaterThan(0);
    expect(new Set(limited.map((ack) => ack.error.code))).toEqual(new Set(['RATE_LIMITED']));
    expect(limited[0]?.error.details?.retryAfterSeconds).toBeGreaterThan(0);
    // Unknown requests take tokens too, and are answered.
    const unknown = await Promise.all(
      Array.from({ length: 40 }, () => sendRaw(flooder, 'no:such-request', {})),
    );
    expect(unknown.map((ack) => ack.error.code)).toContain('RATE_LIMITED');
    expect(flooder.connected).toBe(true);
    // Another connection has its own budget.
    const bystander = await server.socket();
    expect((await send(bystander, 'chat:history', { streamId })).ok).toBe(true);
    // Tokens come back: a few a second later the flooder is served again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await send(flooder, 'poll:list', { streamId })).ok).toBe(true);
  });

  it(`keeps a connection in at most ${MAX_STREAMS_PER_SOCKET} streams' rooms`, async () => {
    const streams = await Promise.all(
      Array.from({ length: MAX_STREAMS_PER_SOCKET + 1 }, (_, i) =>
        server.liveStream(owner.token, { title: `Room ${i}` }),
      ),
    );
    const extra = streams.at(-1) as string;
    const viewer = await server.socket();
    // The public stream list is no stream room.
    expect((await send(viewer, 'streams:watch', {})).ok).toBe(true);
    for (const id of streams.slice(0, -1)) {
      expect((await send(viewer, 'stream:join', { streamId: id })).ok, id).toBe(true);
    }
    const refused = await send(viewer, 'stream:join', { streamId: extra });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'UNPROCESSABLE', details: { maxStreams: MAX_STREAMS_PER_SOCKET } },
    });
    // Joining a room it is in again is fine; leaving one makes room for another.
    expect((await send(viewer, 'stream:join', { streamId: streams[0] as string })).ok).toBe(true);
    expect((await send(viewer, 'stream:leave', { streamId: streams[0] as string })).ok).toBe(true);
    expect((await send(viewer, 'stream:join', { streamId: extra })).ok).toBe(true);

    // Joins sent together cannot pass the cap together.
    const eager = await server.socket();
    const together = await Promise.all(
      streams.map((id) => send(eager, 'stream:join', { streamId: id })),
    );
    expect(together.filter((ack) => ack.ok)).toHaveLength(MAX_STREAMS_PER_SOCKET);
    expect(together.filter((ack) => !ack.ok).map((ack) => ack.error.code)).toEqual([
      'UNPROCESSABLE',
    ]);
    // Each connection counts in the rooms it is in, and no more.
    const eagerInExtra = together.at(-1)?.ok ? 1 : 0;
    await expect.poll(() => viewerCount(extra)).toBe(1 + eagerInExtra);
  });

  it('limits joins per connection and adds no viewer sessions for join loops', async () => {
    const looped = await server.liveStream(owner.token, { title: 'Looped' });
    const history = async () =>
      ViewerHistorySchema.parse(
        (await server.call('GET', `/v1/streams/${looped}/viewers/history`, owner)).body,
      ).totals.anonymousVisits;
    const looper = await server.socket();
    // Joining again while in the room: one session.
    for (let i = 0; i < 3; i++) {
      expect((await send(looper, 'stream:join', { streamId: looped })).ok).toBe(true);
    }
    await expect.poll(history).toBe(1);
    // Leaving and joining in a loop: separate visits only up to the session allowance.
    const cycles = JOIN_RATE.capacity - 3;
    for (let i = 0; i < cycles; i++) {
      expect((await send(looper, 'stream:leave', { streamId: looped })).ok).toBe(true);
      expect((await send(looper, 'stream:join', { streamId: looped })).ok).toBe(true);
    }
    await expect.poll(history).toBe(SESSION_OPEN_RATE.capacity);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await history()).toBe(SESSION_OPEN_RATE.capacity);
    // Past the join allowance (a little refilled meanwhile), joins are refused before any work.
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => send(looper, 'stream:join', { streamId: looped })),
    );
    const refused = burst.filter((ack) => !ack.ok);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((ack) => ack.error.code))).toEqual(new Set(['RATE_LIMITED']));
    expect(refused[0]?.error.details?.retryAfterSeconds).toBeGreaterThan(0);
    expect(looper.connected).toBe(true);
    expect(await history()).toBe(SESSION_OPEN_RATE.capacity);
    // Still counted as one viewer.
    await expect.poll(() => viewerCount(looped)).toBe(1);
  });
});
