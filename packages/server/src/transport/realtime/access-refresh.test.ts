import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nextEvent,
  type RealtimeClient,
  startTestServer,
  type TestServer,
} from '../../../test/harness.js';

/*
 * `auth:refresh` with a token that carries less (a subscription, a moderated
 * channel gone) takes the connection out of the rooms it may no longer be in,
 * as a privacy change does, before it answers.
 */
let server: TestServer;
let owner: { token: string; userId: string };

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.token('Refresh host');
});
afterAll(() => server?.close());

/** Collects the names of the events a socket receives. */
function record(socket: RealtimeClient): string[] {
  const names: string[] = [];
  socket.onAny((name: string) => names.push(name));
  // Room events come batched: the harness re-dispatches them, which onAny does not see.
  for (const name of ['chat:message', 'presence:changed', 'viewers:count']) {
    socket.on(name as 'chat:message', () => names.push(name));
  }
  return names;
}

let users = 0;
async function user(claims: Parameters<TestServer['token']>[1]) {
  const userId = `usr_refresh${++users}_${Date.now().toString(36)}`;
  const token = await server.issueToken(userId, `Refresher ${users}`, claims);
  return { userId, token, again: (c: typeof claims) => server.issueToken(userId, userId, c) };
}

async function joined(token: string, streamId: string): Promise<RealtimeClient> {
  const socket = await server.socket(token);
  const ack = await socket.emitWithAck('stream:join', { streamId });
  expect(ack.ok, JSON.stringify(ack)).toBe(true);
  return socket;
}

describe('auth:refresh re-checks the rooms of a connection whose access changed', () => {
  it('takes a lapsed subscriber out of a subscribers-only stream', async () => {
    const streamId = await server.liveStream(owner.token, { privacy: 'subscribers' });
    const host = await joined(owner.token, streamId);
    const lapsing = await user({ subscriptions: { [owner.userId]: 1 } });
    const staying = await user({ subscriptions: { [owner.userId]: 1 } });
    const lapsingSocket = await joined(lapsing.token, streamId);
    const stayingSocket = await joined(staying.token, streamId);
    const seen = record(lapsingSocket);

    // A refresh that changes nothing of the access keeps the rooms.
    const same = await stayingSocket.emitWithAck('auth:refresh', {
      token: await staying.again({ subscriptions: { [owner.userId]: 1 } }),
    });
    expect(same.ok).toBe(true);

    const refreshed = await lapsingSocket.emitWithAck('auth:refresh', {
      token: await lapsing.again({ subscriptions: {} }),
    });
    expect(refreshed.ok, JSON.stringify(refreshed)).toBe(true);
    // Told before the refresh was answered.
    expect(seen).toContain('stream:access-revoked');

    const delivered = nextEvent(stayingSocket, 'chat:message');
    expect((await host.emitWithAck('chat:send', { streamId, text: 'subs only' })).ok).toBe(true);
    await delivered;
    // The same batch went to the whole room: whoever is still in it has it by now.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).not.toContain('chat:message');
    expect(await lapsingSocket.emitWithAck('chat:history', { streamId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it("takes a former moderator out of the stream's managers room, not its audience", async () => {
    const streamId = await server.liveStream(owner.token);
    const host = await joined(owner.token, streamId);
    const mod = await user({ moderates: [owner.userId] });
    const modSocket = await joined(mod.token, streamId);
    const seen = record(modSocket);

    const refreshed = await modSocket.emitWithAck('auth:refresh', {
      token: await mod.again({}),
    });
    expect(refreshed.ok, JSON.stringify(refreshed)).toBe(true);

    // Managers are told who joins: the owner is, the former moderator no longer.
    const viewer = await user({});
    const told = nextEvent<{ joined: Array<{ id: string }> }>(host, 'presence:changed', (change) =>
      change.joined.some((who) => who.id === viewer.userId),
    );
    await joined(viewer.token, streamId);
    await told;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).not.toContain('presence:changed');
    expect(seen).not.toContain('stream:access-revoked');
    // Still a viewer of the public stream: its chat reaches them.
    const message = nextEvent(modSocket, 'chat:message');
    await host.emitWithAck('chat:send', { streamId, text: 'still watching' });
    await message;
  });
});
