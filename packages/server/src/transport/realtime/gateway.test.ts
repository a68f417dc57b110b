import {
  type ChatMessage,
  CreatedStreamSchema,
  JoinedStreamSchema,
  type ViewerCount,
} from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

let server: TestServer;
let owner: { token: string; userId: string };
let viewer: { token: string; userId: string };
let streamId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.token('Host');
  viewer = await server.token('Viewer');
  const created = CreatedStreamSchema.parse(
    await (
      await server.request('/v1/streams', {
        method: 'POST',
        token: owner.token,
        json: { title: 'Chat test' },
      })
    ).json(),
  );
  streamId = created.stream.id;
  await server.request(`/v1/streams/${streamId}/start`, { method: 'POST', token: owner.token });
});
afterAll(() => server?.close());

function nextEvent<T>(
  socket: { once(event: string, cb: (payload: T) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => socket.once(event, resolve));
}

describe(`realtime (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('delivers chat to the room, persists it and replays it on join', async () => {
    const host = await server.socket(owner.token);
    const guest = await server.socket(viewer.token);
    expect((await host.emitWithAck('stream:join', { streamId })).ok).toBe(true);
    expect((await guest.emitWithAck('stream:join', { streamId })).ok).toBe(true);

    const received = nextEvent<ChatMessage>(host, 'chat:message');
    const ack = await guest.emitWithAck('chat:send', { streamId, text: '  hello 👋  ' });
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.data).toMatchObject({
      text: 'hello 👋',
      author: { id: viewer.userId, displayName: 'Viewer' },
    });
    expect(await received).toEqual(ack.data);

    const late = await server.socket();
    const joined = await late.emitWithAck('stream:join', { streamId });
    expect(joined.ok).toBe(true);
    if (!joined.ok) return;
    const parsed = JoinedStreamSchema.parse(joined.data);
    expect(parsed.recentMessages.map((m) => m.id)).toContain(ack.data.id);
  });

  it('counts viewers in the room and updates on leave', async () => {
    const a = await server.socket();
    const b = await server.socket();
    await a.emitWithAck('stream:join', { streamId });
    const counts: number[] = [];
    a.on('viewers:count', (c: ViewerCount) => counts.push(c.count));
    const joinedB = await b.emitWithAck('stream:join', { streamId });
    if (!joinedB.ok) throw new Error(joinedB.error.message);
    const before = joinedB.data.viewers.count;
    expect(before).toBeGreaterThanOrEqual(2);
    await expect.poll(() => counts.at(-1), { timeout: 2000 }).toBe(before);
    b.disconnect();
    await expect.poll(() => counts.at(-1), { timeout: 2000 }).toBe(before - 1);
  });

  it('rejects bad requests with typed acknowledgements', async () => {
    const anon = await server.socket();
    await anon.emitWithAck('stream:join', { streamId });
    const unauth = await anon.emitWithAck('chat:send', { streamId, text: 'hi' });
    expect(unauth).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });

    const guest = await server.socket(viewer.token);
    const notJoined = await guest.emitWithAck('chat:send', { streamId, text: 'hi' });
    expect(notJoined).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await guest.emitWithAck('stream:join', { streamId });
    const empty = await guest.emitWithAck('chat:send', { streamId, text: '   ' });
    expect(empty).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: 'text: message is empty' },
    });
    const long = await guest.emitWithAck('chat:send', { streamId, text: 'x'.repeat(501) });
    expect(long).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const garbage = await guest.emitWithAck('chat:send', 42 as never);
    expect(garbage).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const missing = await guest.emitWithAck('stream:join', { streamId: 'str_nope' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const publish = await guest.emitWithAck('media:createTransport', {
      streamId,
      direction: 'send',
    });
    expect(publish).toMatchObject({ ok: false, error: { code: 'MEDIA_UNAVAILABLE' } });
  });

  it('refuses a connection with an invalid token', async () => {
    await expect(server.socket('forged.token.value')).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
  });

  it('closes chat when the stream ends', async () => {
    const guest = await server.socket(viewer.token);
    await guest.emitWithAck('stream:join', { streamId });
    const updated = nextEvent<{ status: string }>(guest, 'stream:updated');
    await server.request(`/v1/streams/${streamId}/end`, { method: 'POST', token: owner.token });
    expect((await updated).status).toBe('ended');
    const ack = await guest.emitWithAck('chat:send', { streamId, text: 'bye' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'STREAM_NOT_LIVE' } });
  });
});
