import type { TransportClosed } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

/*
 * Real-time viewing slots over the realtime connection, against a real
 * server with its media plane: a receive transport needs the stream's room
 * and a live stream, one connection holds a few, and an unused one is taken
 * back after the idle timeout (short here).
 */

let server: TestServer;
let owner: { token: string; userId: string };
/** The same, with an idle timeout short enough to wait for. */
let hasty: TestServer;

beforeAll(async () => {
  [server, hasty] = await Promise.all([
    startTestServer({ media: { rtmpPort: false, maxRealtimeStreamsPerConnection: 2 } }),
    startTestServer({ media: { rtmpPort: false, realtimeIdleSeconds: 0.4 } }),
  ]);
  owner = await server.token('Host');
});
afterAll(async () => {
  await server?.close();
  await hasty?.close();
});

type Socket = Awaited<ReturnType<TestServer['socket']>>;

const receive = (socket: Socket, streamId: string) =>
  socket.emitWithAck('media:createTransport', { streamId, direction: 'recv' });

async function joined(socket: Socket, streamId: string): Promise<void> {
  expect((await socket.emitWithAck('stream:join', { streamId })).ok).toBe(true);
}

describe('real-time viewing slots', () => {
  it('needs the stream room and a live stream', async () => {
    const live = await server.liveStream(owner.token);
    const scheduled = await server.liveStream(owner.token, {}, false);
    const anonymous = await server.socket();

    expect(await receive(anonymous, live)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Join the stream first' },
    });
    await joined(anonymous, scheduled);
    expect(await receive(anonymous, scheduled)).toMatchObject({
      ok: false,
      error: { code: 'STREAM_NOT_LIVE' },
    });
    await joined(anonymous, live);
    expect(await receive(anonymous, live)).toMatchObject({ ok: true });
  });

  it('gives a connection one receive transport per stream and a few streams', async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => server.liveStream(owner.token)));
    const greedy = await server.socket();
    for (const streamId of [a, b, c] as string[]) await joined(greedy, streamId);

    // Fired at once, as the attack did: one succeeds.
    const burst = await Promise.all(Array.from({ length: 20 }, () => receive(greedy, a as string)));
    const granted = burst.filter((r) => r.ok);
    expect(granted).toHaveLength(1);
    expect(burst.find((r) => !r.ok)).toMatchObject({
      error: { code: 'RATE_LIMITED', details: { maxReceiveTransportsPerStream: 1 } },
    });
    expect((await receive(greedy, b as string)).ok).toBe(true);
    expect(await receive(greedy, c as string)).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { maxRealtimeStreamsPerConnection: 2 } },
    });

    // Everyone else still gets a slot.
    const other = await server.socket();
    await joined(other, a as string);
    expect((await receive(other, a as string)).ok).toBe(true);

    // Closing one frees it.
    const first = granted[0] as { ok: true; data: { id: string } };
    expect((await greedy.emitWithAck('media:close', { transportId: first.data.id })).ok).toBe(true);
    expect((await receive(greedy, c as string)).ok).toBe(true);
  });

  it('closes a receive transport that carries no media and tells its owner', async () => {
    const host = await hasty.token('Host');
    const live = await hasty.liveStream(host.token);
    const viewer = await hasty.socket();
    await joined(viewer, live);
    const closed = new Promise<TransportClosed>((resolve) =>
      viewer.once('media:transportClosed', resolve),
    );
    const created = await receive(viewer, live);
    if (!created.ok) throw new Error(created.error.message);
    expect(await closed).toEqual({ transportId: created.data.id, reason: 'idle' });
    // The slot is free again.
    expect((await receive(viewer, live)).ok).toBe(true);
  });
});
