import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

let server: TestServer;

beforeAll(async () => {
  // Two reactions, then none for minutes: no refill within the test.
  server = await startTestServer({ reactionRate: { capacity: 2, refillPerSecond: 0.01 } });
});
afterAll(() => server?.close());

async function watching(token: string | undefined, streamId: string) {
  const socket = await server.socket(token);
  expect((await socket.emitWithAck('stream:join', { streamId })).ok).toBe(true);
  return socket;
}

const react = async (socket: Awaited<ReturnType<typeof watching>>, streamId: string) => {
  const ack = await socket.emitWithAck('reaction:send', { streamId, emoji: '👏' });
  return ack.ok ? 'sent' : ack.error.code;
};

describe('reaction allowance', () => {
  it('follows an anonymous viewer’s address across reconnects, not its connection', async () => {
    const owner = await server.token('Host');
    const streamId = await server.liveStream(owner.token);
    const first = await watching(undefined, streamId);
    expect([await react(first, streamId), await react(first, streamId)]).toEqual(['sent', 'sent']);
    expect(await react(first, streamId)).toBe('RATE_LIMITED');
    first.disconnect();
    const again = await watching(undefined, streamId);
    expect(await react(again, streamId)).toBe('RATE_LIMITED');
    // A signed-in viewer at the same address has an allowance of their own.
    const fan = await server.token('Fan');
    expect(await react(await watching(fan.token, streamId), streamId)).toBe('sent');
  });
});
