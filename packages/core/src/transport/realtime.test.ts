import { randomBytes } from 'node:crypto';
import type { ChatMessage, Stream } from '@onair/protocol';
import type { OnAirServer } from '@onair/server';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealServer } from '../../test/real-server.js';
import { OnAirClient } from './client.js';
import { RealtimeConnection } from './realtime.js';

// A real server: the server ends a connection's identity with its token, so the wire is what to test.
let server: OnAirServer;
let host: OnAirClient;
let streamId: string;
const closers: Array<{ close(): void } | { destroy(): void }> = [];

beforeAll(async () => {
  server = await startRealServer();
  host = new OnAirClient({
    baseUrl: server.url,
    token: await server.issueToken('usr_refresh_host', 'Host'),
  });
  closers.push(host);
  const { stream } = await host.streams.create({ title: 'Token refresh' });
  await host.streams.start(stream.id);
  streamId = stream.id;
});
afterAll(async () => {
  for (const c of closers) 'close' in c ? c.close() : c.destroy();
  await server?.close();
});

/** A token provider handing out `tokens` in turn, counting its calls. */
function providerOf(tokens: Array<string | null>) {
  const provider = Object.assign(async () => tokens[provider.calls++] ?? null, { calls: 0 });
  return provider;
}

/** `exp` of a token, in ms (read for the test's own timing). */
const expiresAtMs = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).exp * 1000;

const sleepUntil = (ms: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now()) + 20));

describe('RealtimeConnection token refresh', () => {
  it('sends a fresh token from the provider before the current one expires', async () => {
    const userId = `usr_ahead_${randomBytes(3).toString('hex')}`;
    // Whole seconds: this token lives 3 to 4 s, refreshed 0.6 to 0.8 s before it expires.
    const short = await server.issueToken(userId, 'Ahead', {}, 4);
    const provider = providerOf([short, await server.issueToken(userId, 'Ahead', {}, 3600)]);
    const realtime = new RealtimeConnection(server.url, provider);
    closers.push(realtime);
    await realtime.holdRoom(streamId).joined;
    const socketId = realtime.id;

    await sleepUntil(expiresAtMs(short));
    // Called again on its own, ahead of expiry (a refresh after TOKEN_EXPIRED comes later).
    expect(provider.calls).toBe(2);
    const sent = await realtime.request('chat:send', { streamId, text: 'still here' });
    expect(sent.author.id).toBe(userId);
    expect(provider.calls).toBe(2);
    // The same connection: refreshed, not reconnected.
    expect(realtime.id).toBe(socketId);
  });

  it('refreshes and retries a request refused with TOKEN_EXPIRED', async () => {
    const userId = `usr_late_${randomBytes(3).toString('hex')}`;
    const short = await server.issueToken(userId, 'Late', {}, 2);
    // The scheduled refresh finds no token (null): the identity expires on the server.
    const provider = providerOf([short, null, await server.issueToken(userId, 'Late', {}, 3600)]);
    const realtime = new RealtimeConnection(server.url, provider);
    closers.push(realtime);
    await realtime.holdRoom(streamId).joined;

    await sleepUntil(expiresAtMs(short));
    expect(provider.calls).toBe(2);
    const sent = await realtime.request('chat:send', { streamId, text: 'after expiry' });
    expect(sent.author.id).toBe(userId);
    expect(provider.calls).toBe(3);
  });
});

/**
 * A socket.io-client loader the test controls: counts its loads, records the
 * sockets created, fails while `failing`, and waits for `gate` when set.
 */
function loaderOf() {
  const state = {
    loads: 0,
    failing: false,
    gate: undefined as Promise<void> | undefined,
    sockets: [] as Array<ReturnType<typeof io>>,
    load: async (): Promise<typeof io> => {
      state.loads++;
      await state.gate;
      if (state.failing) throw new Error('chunk failed to load');
      return ((...args: Parameters<typeof io>) => {
        const socket = io(...args);
        state.sockets.push(socket);
        return socket;
      }) as typeof io;
    },
  };
  return state;
}

const viewerToken = () =>
  server.issueToken(`usr_lazy_${randomBytes(3).toString('hex')}`, 'Lazy viewer', {}, 3600);

describe('RealtimeConnection loads socket.io-client on first connection', () => {
  it('delivers events, single and batched, to listeners registered before the socket exists', async () => {
    const loader = loaderOf();
    const realtime = new RealtimeConnection(server.url, await viewerToken(), {
      loadSocketIo: loader.load,
    });
    closers.push(realtime);
    const updates: Stream[] = [];
    const messages: ChatMessage[] = [];
    let reconnects = 0;
    realtime.on('stream:updated', (stream) => updates.push(stream));
    realtime.on('chat:message', (message) => messages.push(message));
    realtime.onReconnect(() => reconnects++, { recovered: true });
    // Listeners alone neither load nor connect.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(loader.loads).toBe(0);
    expect(realtime.id).toBeUndefined();

    await realtime.holdRoom(streamId).joined;
    expect(loader.loads).toBe(1);
    expect(realtime.id).toBeDefined();
    // `stream:updated` comes alone, chat messages in a room batch.
    await host.streams.update(streamId, { title: 'Renamed while lazy' });
    const hostLease = host.realtime.holdRoom(streamId);
    await hostLease.joined;
    await host.realtime.request('chat:send', { streamId, text: 'to early listeners' });
    hostLease.release();
    await expect.poll(() => updates.map((s) => s.title)).toContain('Renamed while lazy');
    await expect.poll(() => messages.map((m) => m.text)).toContain('to early listeners');

    // The reconnect listener registered before the socket hears the socket's reconnections.
    const before = reconnects;
    const socket = loader.sockets[0];
    socket?.io.engine.close();
    await expect.poll(() => reconnects, { timeout: 10_000 }).toBe(before + 1);
    expect(loader.sockets).toHaveLength(1);
  });

  it('connect() resolves once connecting has started, without a request', async () => {
    const loader = loaderOf();
    const realtime = new RealtimeConnection(server.url, await viewerToken(), {
      loadSocketIo: loader.load,
    });
    closers.push(realtime);
    await expect(realtime.connect()).resolves.toBeUndefined();
    await realtime.connect();
    expect(loader.loads).toBe(1);
    await expect.poll(() => realtime.id).toBeDefined();
    expect(loader.sockets).toHaveLength(1);
  });

  it('leaves nothing connected when closed while socket.io-client loads', async () => {
    const loader = loaderOf();
    let release = () => {};
    loader.gate = new Promise((resolve) => {
      release = resolve;
    });
    const realtime = new RealtimeConnection(server.url, await viewerToken(), {
      loadSocketIo: loader.load,
    });
    closers.push(realtime);
    const pending = realtime.request('stream:join', { streamId });
    const connecting = realtime.connect();
    await expect.poll(() => loader.loads).toBe(1);
    realtime.close();
    release();
    await expect(pending).rejects.toMatchObject({ code: 'NETWORK' });
    await expect(connecting).rejects.toMatchObject({ code: 'NETWORK' });
    // The late load created no socket.
    expect(loader.sockets).toHaveLength(0);
    expect(realtime.id).toBeUndefined();

    // Closed is not final: the next request loads again and connects one socket.
    loader.gate = undefined;
    await realtime.holdRoom(streamId).joined;
    expect(loader.loads).toBe(2);
    expect(loader.sockets).toHaveLength(1);
    expect(loader.sockets[0]?.connected).toBe(true);
  });

  it('rejects with NETWORK when socket.io-client fails to load; the next request loads again', async () => {
    const loader = loaderOf();
    loader.failing = true;
    const realtime = new RealtimeConnection(server.url, await viewerToken(), {
      loadSocketIo: loader.load,
    });
    closers.push(realtime);
    const failed = await realtime.request('stream:join', { streamId }).catch((error) => error);
    expect(failed).toMatchObject({
      name: 'OnAirError',
      code: 'NETWORK',
      cause: expect.objectContaining({ message: 'chunk failed to load' }),
    });
    expect(loader.sockets).toHaveLength(0);

    loader.failing = false;
    const joined = await realtime.request('stream:join', { streamId });
    expect(joined.stream.id).toBe(streamId);
    expect(loader.loads).toBe(2);
    expect(loader.sockets).toHaveLength(1);
  });

  it('loads socket.io-client by dynamic import by default', async () => {
    const realtime = new RealtimeConnection(server.url, await viewerToken());
    closers.push(realtime);
    const joined = await realtime.request('stream:join', { streamId });
    expect(joined.stream.id).toBe(streamId);
    expect(realtime.id).toBeDefined();
  });
});
