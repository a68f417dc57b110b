import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealtimeClient, startTestServer, type TestServer } from '../../../test/harness.js';

/*
 * A ban covers the whole channel (its id is its owner's user id): the banned
 * user's connections leave every stream of the channel, not only the one the
 * ban was given in.
 */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

async function joined(token: string, streamId: string): Promise<RealtimeClient> {
  const socket = await server.socket(token);
  const ack = await socket.emitWithAck('stream:join', { streamId });
  expect(ack.ok, JSON.stringify(ack)).toBe(true);
  return socket;
}

const closed = (socket: RealtimeClient) =>
  new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

describe('a ban from a channel', () => {
  it("closes the user's connections in any of the channel's streams, and only those", async () => {
    const owner = await server.token('Two streams');
    const other = await server.token('Other channel');
    const banning = await server.liveStream(owner.token);
    const sibling = await server.liveStream(owner.token);
    const scheduled = await server.liveStream(owner.token, {}, false);
    const elsewhere = await server.liveStream(other.token);
    const troll = await server.token('Channel troll');
    const inBanning = await joined(troll.token, banning);
    const inSibling = await joined(troll.token, sibling);
    const inScheduled = await joined(troll.token, scheduled);
    const inElsewhere = await joined(troll.token, elsewhere);
    const gone = [closed(inBanning), closed(inSibling), closed(inScheduled)];

    const host = await server.socket(owner.token);
    const ack = await host.emitWithAck('moderation:ban', {
      streamId: banning,
      userId: troll.userId,
    });
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    // Closed before the ban was answered: the close reaches the client right after.
    await Promise.race([Promise.all(gone), new Promise((resolve) => setTimeout(resolve, 2000))]);
    expect([inBanning, inSibling, inScheduled].map((socket) => socket.connected)).toEqual([
      false,
      false,
      false,
    ]);
    expect(await Promise.all(gone)).toEqual(Array(3).fill('io server disconnect'));
    // Another channel's stream is none of this ban's business.
    expect(inElsewhere.connected).toBe(true);
    expect((await inElsewhere.emitWithAck('chat:history', { streamId: elsewhere })).ok).toBe(true);

    const again = await server.socket(troll.token);
    expect(await again.emitWithAck('stream:join', { streamId: sibling })).toMatchObject({
      ok: false,
      error: { code: 'BANNED' },
    });
  });
});
