import { describe, expect, it } from 'vitest';
import { nextEvent, type RealtimeClient } from '../../../test/harness.js';
import { realtimeSuite } from '../../../test/realtime-suite.js';

/*
 * `auth:refresh` with a token that carries less (a subscription, a moderated
 * channel gone) takes the connection out of the rooms it may no longer be in,
 * as a privacy change does, before it answers.
 */
const suite = realtimeSuite({ owner: 'Refresh host' });
const { user, joined, hostedStream } = suite;

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

describe('auth:refresh re-checks the rooms of a connection whose access changed', () => {
  it('takes a lapsed subscriber out of a subscribers-only stream', async () => {
    const { streamId, host } = await hostedStream({ privacy: 'subscribers' });
    const lapsing = await user({ subscriptions: { [suite.owner.userId]: 1 } });
    const staying = await user({ subscriptions: { [suite.owner.userId]: 1 } });
    const lapsingSocket = await joined(lapsing.token, streamId);
    const stayingSocket = await joined(staying.token, streamId);
    const seen = record(lapsingSocket);

    // A refresh that changes nothing of the access keeps the rooms.
    const same = await stayingSocket.emitWithAck('auth:refresh', {
      token: await staying.again({ subscriptions: { [suite.owner.userId]: 1 } }),
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
    const { streamId, host } = await hostedStream();
    const mod = await user({ moderates: [suite.owner.userId] });
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

  it('lowers the raised hand of a lapsed subscriber, unless another of their connections still sees the stream', async () => {
    const { streamId } = await hostedStream({ privacy: 'subscribers' });
    const tier = { subscriptions: { [suite.owner.userId]: 1 } };
    const [lapsing, twoTabs] = await Promise.all([user(tier), user(tier)]);
    const lapsingSocket = await joined(lapsing.token, streamId);
    // Connected, not in the stream's room, with the old claims: it does not keep the hand.
    await suite.server.socket(lapsing.token);
    const [tabA] = await Promise.all([
      joined(twoTabs.token, streamId),
      joined(twoTabs.token, streamId),
    ]);
    const { server } = suite;
    for (const who of [lapsing, twoTabs]) {
      expect((await server.call('POST', `/v1/streams/${streamId}/stage/hand`, who)).status).toBe(
        204,
      );
    }
    const hands = async () => {
      const { body } = await server.call('GET', `/v1/streams/${streamId}/stage`, suite.owner);
      return (body as { hands: Array<{ user: { id: string } }> }).hands.map((h) => h.user.id);
    };
    expect(await hands()).toEqual([lapsing.userId, twoTabs.userId]);

    // One tab of a user refreshes with the subscription gone: their other tab still sees the stream.
    const tabRefresh = await tabA.emitWithAck('auth:refresh', { token: await twoTabs.again({}) });
    expect(tabRefresh.ok, JSON.stringify(tabRefresh)).toBe(true);
    const refreshed = await lapsingSocket.emitWithAck('auth:refresh', {
      token: await lapsing.again({ subscriptions: {} }),
    });
    expect(refreshed.ok, JSON.stringify(refreshed)).toBe(true);
    await expect.poll(hands, { timeout: 5_000 }).toEqual([twoTabs.userId]);
  });
});
