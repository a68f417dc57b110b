import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

// Long enough for a few round trips on a loaded machine; short enough to wait out.
const GRACE_MS = 1500;

let server: TestServer;
let streamId: string;

beforeAll(async () => {
  server = await startTestServer({ tokenGraceMs: GRACE_MS });
  const owner = await server.token('Host');
  streamId = await server.liveStream(owner.token);
});
afterAll(() => server?.close());

/** A token of `userId` valid for `seconds` (at least `seconds - 1`: `exp` is in whole seconds). */
async function tokenOf(userId: string, seconds: number) {
  const token = await server.issueToken(userId, userId, {}, seconds);
  return { token, expiresAtMs: (decodeJwt(token).exp ?? 0) * 1000 };
}

const sleepUntil = (ms: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now()) + 10));

let users = 0;
const newUser = () => `usr_expiry${++users}_${Date.now().toString(36)}`;

describe('a realtime identity ends with its token', () => {
  it('refuses privileged requests with TOKEN_EXPIRED until auth:refresh brings a fresh token', async () => {
    const userId = newUser();
    const short = await tokenOf(userId, 2);
    const socket = await server.socket(short.token);
    expect((await socket.emitWithAck('stream:join', { streamId })).ok).toBe(true);
    expect((await socket.emitWithAck('chat:send', { streamId, text: 'before' })).ok).toBe(true);

    await sleepUntil(short.expiresAtMs);
    expect(await socket.emitWithAck('chat:send', { streamId, text: 'after' })).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_EXPIRED' },
    });
    expect(await socket.emitWithAck('reaction:send', { streamId, emoji: '👍' })).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_EXPIRED' },
    });
    // The expired token itself is no refresh.
    expect(await socket.emitWithAck('auth:refresh', { token: short.token })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });

    const fresh = await tokenOf(userId, 3600);
    expect(await socket.emitWithAck('auth:refresh', { token: fresh.token })).toEqual({
      ok: true,
      data: { expiresAt: new Date(fresh.expiresAtMs).toISOString() },
    });
    const sent = await socket.emitWithAck('chat:send', { streamId, text: 'refreshed' });
    expect(sent).toMatchObject({ ok: true, data: { author: { id: userId } } });

    // Past the old token's grace the refreshed connection stays open.
    await sleepUntil(short.expiresAtMs + GRACE_MS + 300);
    expect(socket.connected).toBe(true);
    expect((await socket.emitWithAck('reaction:send', { streamId, emoji: '👍' })).ok).toBe(true);
  });

  it('closes a connection a grace period after expiry without a refresh; anonymous ones stay', async () => {
    const short = await tokenOf(newUser(), 2);
    const socket = await server.socket(short.token);
    const anonymous = await server.socket();
    expect((await anonymous.emitWithAck('stream:join', { streamId })).ok).toBe(true);
    const closed = new Promise<{ reason: string; at: number }>((resolve) =>
      socket.once('disconnect', (reason) => resolve({ reason, at: Date.now() })),
    );

    const { reason, at } = await closed;
    expect(reason).toBe('io server disconnect');
    expect(at).toBeGreaterThanOrEqual(short.expiresAtMs + GRACE_MS);
    expect(anonymous.connected).toBe(true);
    expect((await anonymous.emitWithAck('reaction:send', { streamId, emoji: '👍' })).ok).toBe(true);
    expect((await anonymous.emitWithAck('chat:history', { streamId })).ok).toBe(true);
  });

  it("refuses another user's token, an invalid one, and a refresh of an anonymous connection", async () => {
    const userId = newUser();
    const socket = await server.socket((await tokenOf(userId, 3600)).token);
    await socket.emitWithAck('stream:join', { streamId });
    const other = await tokenOf(newUser(), 3600);
    expect(await socket.emitWithAck('auth:refresh', { token: other.token })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await socket.emitWithAck('auth:refresh', { token: 'forged.token.value' })).toMatchObject(
      { ok: false, error: { code: 'UNAUTHORIZED' } },
    );
    // The connection is still its own user's.
    const sent = await socket.emitWithAck('chat:send', { streamId, text: 'still me' });
    expect(sent).toMatchObject({ ok: true, data: { author: { id: userId } } });

    const anonymous = await server.socket();
    expect(await anonymous.emitWithAck('auth:refresh', { token: other.token })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
