import {
  type ChatMessage,
  type ChatMessageDeleted,
  type ChatPinned,
  CreatedStreamSchema,
  JoinedStreamSchema,
} from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

let server: TestServer;
let owner: { token: string; userId: string };
let streamId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.token('Host');
  const created = await server.request('/v1/streams', {
    method: 'POST',
    token: owner.token,
    json: { title: 'Mod' },
  });
  streamId = CreatedStreamSchema.parse(await created.json()).stream.id;
  await server.request(`/v1/streams/${streamId}/start`, { method: 'POST', token: owner.token });
});
afterAll(() => server?.close());

const next = <T>(socket: { once(e: string, f: (p: T) => void): unknown }, event: string) =>
  new Promise<T>((resolve) => socket.once(event, resolve));

describe(`chat history, delete and pin (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('pages history backwards without gaps or repeats', async () => {
    const host = await server.socket(owner.token);
    await host.emitWithAck('stream:join', { streamId });
    const sent: string[] = [];
    for (let i = 0; i < 65; i++) {
      const ack = await host.emitWithAck('chat:send', { streamId, text: `m${i}` });
      if (ack.ok) sent.push(ack.data.id);
    }
    expect(sent).toHaveLength(65);
    const viewer = await server.socket();
    const joined = await viewer.emitWithAck('stream:join', { streamId });
    if (!joined.ok) throw new Error('join failed');
    const { recentMessages, historyCursor } = JoinedStreamSchema.parse(joined.data);
    expect(recentMessages.map((m) => m.text).at(-1)).toBe('m64');
    const seen = [...recentMessages.map((m) => m.id)];
    let cursor = historyCursor;
    while (cursor) {
      const page = await viewer.emitWithAck('chat:history', { streamId, before: cursor, limit: 7 });
      if (!page.ok) throw new Error(page.error.message);
      seen.unshift(...page.data.items.map((m) => m.id));
      cursor = page.data.nextCursor;
    }
    expect(seen).toEqual(sent);
    const bad = await viewer.emitWithAck('chat:history', { streamId, before: 'garbage', limit: 5 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('lets the owner and channel moderators delete and pin; refuses everyone else', async () => {
    const viewerUser = await server.token('Viewer');
    const otherMod = await server.token('Mod elsewhere', { moderates: ['usr_other_channel'] });
    const channelMod = await server.token('Mod here', { moderates: [owner.userId] });
    const [viewer, other, mod, watcher] = await Promise.all([
      server.socket(viewerUser.token),
      server.socket(otherMod.token),
      server.socket(channelMod.token),
      server.socket(),
    ]);
    for (const s of [viewer, other, mod, watcher]) await s.emitWithAck('stream:join', { streamId });
    const said = await viewer.emitWithAck('chat:send', {
      streamId,
      text: 'pin me, then delete me',
    });
    if (!said.ok) throw new Error('send failed');
    const id = said.data.id;

    for (const s of [viewer, other]) {
      expect(await s.emitWithAck('chat:pin', { streamId, messageId: id })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(await s.emitWithAck('chat:delete', { streamId, messageId: id })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }

    const pinned = next<ChatPinned>(watcher, 'chat:pinned');
    expect((await mod.emitWithAck('chat:pin', { streamId, messageId: id })).ok).toBe(true);
    expect((await pinned).message?.id).toBe(id);
    const late = await server.socket();
    const joined = await late.emitWithAck('stream:join', { streamId });
    expect(joined.ok && joined.data.pinned?.id).toBe(id);

    const deleted = next<ChatMessageDeleted>(watcher, 'chat:deleted');
    const unpinned = next<ChatPinned>(watcher, 'chat:pinned');
    expect((await mod.emitWithAck('chat:delete', { streamId, messageId: id })).ok).toBe(true);
    expect(await deleted).toEqual({ streamId, messageId: id });
    expect((await unpinned).message).toBeNull();
    expect(await mod.emitWithAck('chat:delete', { streamId, messageId: id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const after = await late.emitWithAck('chat:history', { streamId, limit: 100 });
    expect(after.ok && after.data.items.some((m: ChatMessage) => m.id === id)).toBe(false);
  });

  it("shows the author's picture from their token's picture claim, normalised, and drops it when a later token has none", async () => {
    // Signed here, not issued by the server: the server learns of the user from the token alone.
    const userId = `usr_pictured_${Date.now()}`;
    const raw = 'https://cdn.host.example/u/7 "a".png?s=64';
    const avatarUrl = 'https://cdn.host.example/u/7%20%22a%22.png?s=64';
    const pictured = await server.signed(userId, { name: 'Pictured', picture: raw });
    const [author, watcher] = await Promise.all([server.socket(pictured), server.socket()]);
    for (const s of [author, watcher]) await s.emitWithAck('stream:join', { streamId });
    const delivered = next<ChatMessage>(watcher, 'chat:message');
    const said = await author.emitWithAck('chat:send', { streamId, text: 'with a face' });
    if (!said.ok) throw new Error('send failed');
    expect(said.data.author).toMatchObject({ id: userId, avatarUrl });
    expect((await delivered).author.avatarUrl).toBe(avatarUrl);
    const history = async () => {
      const page = await watcher.emitWithAck('chat:history', { streamId, limit: 100 });
      if (!page.ok) throw new Error(page.error.message);
      return page.data.items.find((m: ChatMessage) => m.id === said.data.id)?.author;
    };
    expect(await history()).toMatchObject({ displayName: 'Pictured', avatarUrl });

    // The same user connects again with a token whose picture is none the server keeps.
    for (const picture of [undefined, 'javascript:alert(1)']) {
      const again = await server.socket(await server.signed(userId, { name: 'Pictured', picture }));
      expect((await again.emitWithAck('stream:join', { streamId })).ok).toBe(true);
      await expect.poll(async () => (await history())?.avatarUrl).toBeUndefined();
      expect(await history()).not.toHaveProperty('avatarUrl');
      again.disconnect();
      // Given back for the next round.
      await server.socket(pictured);
      await expect.poll(async () => (await history())?.avatarUrl).toBe(avatarUrl);
    }
  });
});
