import { CreatedStreamSchema } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { MemoryState } from '../../platform/shared-state/memory-state.js';
import { ChatPacing, isEmoteOnly } from './rules.js';

describe('chat rules (unit)', () => {
  it('recognises emote-only text: emoji, ZWJ sequences and known channel emotes', () => {
    const codes = new Set(['hype', 'gg']);
    expect(isEmoteOnly('🎉', codes)).toBe(true);
    expect(isEmoteOnly('👩‍💻 👍🏽 :hype: :gg:', codes)).toBe(true);
    expect(isEmoteOnly('hi 🎉', codes)).toBe(false);
    expect(isEmoteOnly(':unknown:', codes)).toBe(false);
    expect(isEmoteOnly('   ', codes)).toBe(false);
    expect(isEmoteOnly('123', codes)).toBe(false);
  });

  it('paces by token bucket and by slow mode, per stream and user', async () => {
    let now = 0;
    const pacing = new ChatPacing(new MemoryState(() => now), { capacity: 2, refillPerSecond: 1 });
    const stream = { id: 's1', chat: { slowModeSeconds: 0 } } as never;
    await pacing.check(stream, 'u1');
    await pacing.check(stream, 'u1');
    await expect(pacing.check(stream, 'u1')).rejects.toThrow(/too fast/);
    await pacing.check(stream, 'u2');
    now = 1000;
    await pacing.check(stream, 'u1');
    const slow = { id: 's2', chat: { slowModeSeconds: 10 } } as never;
    await pacing.check(slow, 'u1');
    now = 5000;
    await expect(pacing.check(slow, 'u1')).rejects.toThrow(/Slow mode is on: wait 6 s/);
    now = 11_000;
    await pacing.check(slow, 'u1');
  });
});

let server: TestServer;
let owner: { token: string; userId: string };

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.token('Host');
});
afterAll(() => server?.close());

async function liveStream(body: Record<string, unknown>) {
  const created = await server.request('/v1/streams', {
    method: 'POST',
    token: owner.token,
    json: { title: 'Rules', ...body },
  });
  const { stream } = CreatedStreamSchema.parse(await created.json());
  await server.request(`/v1/streams/${stream.id}/start`, { method: 'POST', token: owner.token });
  return stream.id;
}

describe('chat rules over realtime', () => {
  it('enforces slow mode for viewers, not for the owner', async () => {
    const streamId = await liveStream({ chat: { slowModeSeconds: 30 } });
    const viewer = await server.socket((await server.token('Fast typer')).token);
    const host = await server.socket(owner.token);
    for (const s of [viewer, host]) await s.emitWithAck('stream:join', { streamId });
    expect((await viewer.emitWithAck('chat:send', { streamId, text: 'one' })).ok).toBe(true);
    const second = await viewer.emitWithAck('chat:send', { streamId, text: 'two' });
    expect(second).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { slowModeSeconds: 30 } },
    });
    expect((await host.emitWithAck('chat:send', { streamId, text: 'a' })).ok).toBe(true);
    expect((await host.emitWithAck('chat:send', { streamId, text: 'b' })).ok).toBe(true);
  });

  it('limits bursts to 3 messages per 2 s by default', async () => {
    const streamId = await liveStream({});
    const viewer = await server.socket((await server.token('Spammer')).token);
    await viewer.emitWithAck('stream:join', { streamId });
    const results = [];
    for (let i = 0; i < 4; i++)
      results.push((await viewer.emitWithAck('chat:send', { streamId, text: `m${i}` })).ok);
    expect(results).toEqual([true, true, true, false]);
  });

  it("accepts only emoji and the channel's emotes in emote-only mode", async () => {
    await server.request('/v1/channels/me', {
      method: 'PATCH',
      token: owner.token,
      json: { emotes: [{ code: 'hype', url: 'https://cdn.example/hype.png' }] },
    });
    const streamId = await liveStream({ chat: { emoteOnly: true } });
    const viewer = await server.socket((await server.token('Emoter')).token);
    await viewer.emitWithAck('stream:join', { streamId });
    expect((await viewer.emitWithAck('chat:send', { streamId, text: '🎉 :hype:' })).ok).toBe(true);
    expect(await viewer.emitWithAck('chat:send', { streamId, text: 'words' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
