import { randomBytes } from 'node:crypto';
import { createServer, type OnAirServer } from '@onair/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnAirClient } from './client.js';
import { RealtimeConnection } from './realtime.js';

// A real server: the server ends a connection's identity with its token, so the wire is what to test.
let server: OnAirServer;
let streamId: string;
const closers: Array<{ close(): void } | { destroy(): void }> = [];

beforeAll(async () => {
  server = await createServer({
    jwtSecret: randomBytes(32).toString('hex'),
    logLevel: 'silent',
    media: { enabled: false },
    restRateLimit: false,
    databaseUrl: undefined,
    redisUrl: undefined,
  });
  const host = new OnAirClient({
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
