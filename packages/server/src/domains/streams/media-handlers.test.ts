import type { ConsumerOptions, TransportClosed, TransportOptions } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { ask, trackParameters } from '../../../test/werift-peer.js';
import { ROUTER_RTP_CAPABILITIES } from '../../media/sfu/router-capabilities.js';

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

describe('what a connection may hold of the media plane', () => {
  const publish = (socket: Socket, streamId: string) =>
    socket.emitWithAck('media:createTransport', { streamId, direction: 'send' });
  const produce = (socket: Socket, transportId: string, kind: 'audio' | 'video', ssrc: number) =>
    socket.emitWithAck('media:produce', {
      transportId,
      kind,
      rtpParameters: trackParameters(kind, ssrc),
    });

  it('answers a repeated consume with the same consumer, which does not keep an unused slot', async () => {
    const host = await hasty.token('Host');
    const live = await hasty.liveStream(host.token);
    const publisher = await hasty.socket(host.token);
    const send = await ask<TransportOptions>(publisher, 'media:createTransport', {
      streamId: live,
      direction: 'send',
    });
    const { producerId } = await ask<{ producerId: string }>(publisher, 'media:produce', {
      transportId: send.id,
      kind: 'audio',
      rtpParameters: trackParameters('audio', 4242),
    });

    const viewer = await hasty.socket();
    await joined(viewer, live);
    let closed: TransportClosed | undefined;
    viewer.on('media:transportClosed', (event) => {
      closed = event;
    });
    const created = await receive(viewer, live);
    if (!created.ok) throw new Error(created.error.message);
    // The audit's loop: consume the same producer and resume it, again and again, on a
    // transport that never connects (so carries no media).
    const consumers = new Set<string>();
    const deadline = performance.now() + 5_000;
    while (!closed && performance.now() < deadline) {
      const answer = await viewer.emitWithAck('media:consume', {
        transportId: created.data.id,
        producerId,
        rtpCapabilities: ROUTER_RTP_CAPABILITIES as never,
      });
      if (!answer.ok) break; // closed: the next event says why
      const consumer = answer.data as ConsumerOptions;
      consumers.add(consumer.id);
      await viewer.emitWithAck('media:resume', { consumerId: consumer.id });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(consumers.size).toBe(1);
    await expect.poll(() => closed).toEqual({ transportId: created.data.id, reason: 'idle' });
  });

  it('gives a connection one send transport per stream: a new one replaces the old', async () => {
    const [live, other] = await Promise.all([
      server.liveStream(owner.token),
      server.liveStream(owner.token),
    ]);
    const publisher = await server.socket(owner.token);

    // Fired at once: those asked while one is being made are refused; those that come after
    // it (the access check before it takes its own time: PostgreSQL) replace it. Either way
    // one send transport stands at the end.
    const burst = await Promise.all(Array.from({ length: 10 }, () => publish(publisher, live)));
    for (const refused of burst.filter((r) => !r.ok)) {
      expect(refused).toMatchObject({
        error: { code: 'RATE_LIMITED', details: { maxSendTransportsPerStream: 1 } },
      });
    }
    const made = burst.flatMap((r) => (r.ok ? [r.data.id] : []));
    expect(made.length).toBeGreaterThan(0);
    let ssrc = 100;
    const standing = [];
    for (const id of made) {
      if ((await produce(publisher, id, 'audio', ssrc++)).ok) standing.push(id);
    }
    expect(standing).toHaveLength(1);
    const first = { data: { id: standing[0] as string } };

    // A publisher connecting again: its new transport replaces the old, whose producer
    // no longer stands in the way of the new one's.
    const second = await publish(publisher, live);
    if (!second.ok) throw new Error(second.error.message);
    expect(await produce(publisher, first.data.id, 'audio', 2)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Transport not found' },
    });
    expect((await produce(publisher, second.data.id, 'audio', 3)).ok).toBe(true);

    // Another stream's is its own.
    expect((await publish(publisher, other)).ok).toBe(true);
    expect((await produce(publisher, second.data.id, 'video', 4)).ok).toBe(true);
  });
});
