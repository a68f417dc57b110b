import type { ChatMessage, ChatUserCleared, Restricted, Stream } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, type TestServer } from '../../../test/harness.js';
import { send } from '../../../test/realtime-requests.js';
import { joinRoom } from '../../../test/realtime-suite.js';

let server: TestServer;
let owner: { token: string; userId: string };
let mod: { token: string; userId: string };

beforeAll(async () => {
  server = await startTestServer({
    chatFilter: { words: ['darn', 'heck no'] },
    chatReview: {
      timeoutMs: 150,
      review: async ({ text }) => {
        if (text.includes('spam')) return { action: 'deny', reason: 'Looks like spam' };
        if (text.toLowerCase().includes('shout'))
          return { action: 'rewrite', text: text.toLowerCase() };
        if (text.includes('slow-review')) await new Promise((r) => setTimeout(r, 400));
        if (text.includes('crash-review')) throw new Error('classifier down');
        return { action: 'allow' };
      },
    },
  });
  owner = await server.token('Host');
  mod = await server.token('Mod', { moderates: [owner.userId] });
});
afterAll(() => server?.close());

const joined = async (token: string | undefined, streamId: string) =>
  (await joinRoom(server, token, streamId)).socket;

describe(`moderation (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('runs chat commands for moderators only, and refuses unknown ones', async () => {
    const streamId = await server.liveStream(owner.token);
    const modSocket = await joined(mod.token, streamId);
    const viewer = await server.token('Viewer');
    const viewerSocket = await joined(viewer.token, streamId);

    const updated = nextEvent<Stream>(
      viewerSocket,
      'stream:updated',
      (s) => s.chat.slowModeSeconds === 5,
    );
    expect(await send(modSocket, 'moderation:command', { streamId, command: '/slow 5' })).toEqual({
      ok: true,
      data: { notice: 'Slow mode on: one message every 5 s' },
    });
    expect((await updated).chat.slowModeSeconds).toBe(5);

    for (const [command, check] of [
      ['/slowoff', (s: Stream) => s.chat.slowModeSeconds === 0],
      ['/emoteonly', (s: Stream) => s.chat.emoteOnly],
      ['/emoteonlyoff', (s: Stream) => !s.chat.emoteOnly],
      ['/followers', (s: Stream) => s.chat.mode === 'followers'],
      ['/subscribers', (s: Stream) => s.chat.mode === 'subscribers'],
      ['/open', (s: Stream) => s.chat.mode === 'open'],
    ] as const) {
      const seen = nextEvent<Stream>(viewerSocket, 'stream:updated', check);
      const ack = await send(modSocket, 'moderation:command', { streamId, command });
      expect(ack.ok, `${command}: ${JSON.stringify(ack)}`).toBe(true);
      await seen;
    }

    const refused = await send(viewerSocket, 'moderation:command', {
      streamId,
      command: '/slow 5',
    });
    expect(refused.error.code).toBe('FORBIDDEN');
    const unknown = await send(modSocket, 'moderation:command', { streamId, command: '/nuke' });
    expect(unknown.error.code).toBe('VALIDATION_FAILED');
    const badSlow = await send(modSocket, 'moderation:command', { streamId, command: '/slow x' });
    expect(badSlow.error.code).toBe('VALIDATION_FAILED');
    const proto = await send(modSocket, 'moderation:command', { streamId, command: '/toString' });
    expect(proto.error.code).toBe('VALIDATION_FAILED');
  });

  it('/pin pins the latest message and /clear removes every message', async () => {
    const streamId = await server.liveStream(owner.token);
    const host = await joined(owner.token, streamId);
    await send(host, 'chat:send', { streamId, text: 'first' });
    const last = await send(host, 'chat:send', { streamId, text: 'pin me' });
    const pinned = nextEvent<{ message: ChatMessage | null }>(
      host,
      'chat:pinned',
      (p) => !!p.message,
    );
    expect((await send(host, 'moderation:command', { streamId, command: '/pin' })).ok).toBe(true);
    expect((await pinned).message?.id).toBe(last.data.id);

    const cleared = nextEvent<ChatUserCleared>(host, 'chat:userCleared');
    const ack = await send(host, 'moderation:command', { streamId, command: '/clear' });
    expect(ack.data.notice).toBe('Chat cleared (2 messages)');
    expect(await cleared).toEqual({ streamId, userId: null });
    const rejoin = await send(await server.socket(), 'stream:join', { streamId });
    expect(rejoin.data.recentMessages).toEqual([]);
    expect(rejoin.data.pinned).toBeNull();
  });

  it('times a user out by name: their messages go, they cannot chat until it ends', async () => {
    const streamId = await server.liveStream(owner.token);
    const modSocket = await joined(mod.token, streamId);
    const troll = await server.token('Troll Timeout');
    const trollSocket = await joined(troll.token, streamId);
    await send(trollSocket, 'chat:send', { streamId, text: 'annoying' });

    const cleared = nextEvent<ChatUserCleared>(modSocket, 'chat:userCleared');
    const told = nextEvent<Restricted>(trollSocket, 'moderation:restricted');
    const nobody = await send(modSocket, 'moderation:command', {
      streamId,
      command: '/timeout @nobody_here 60',
    });
    expect(nobody.error.code).toBe('NOT_FOUND');
    // A name with spaces is one word short: commands take the user's id too.
    const byId = await send(modSocket, 'moderation:command', {
      streamId,
      command: `/timeout ${troll.userId} 60`,
    });
    expect(byId.data.notice).toBe('Troll Timeout is timed out for 60 s');
    expect(await cleared).toEqual({ streamId, userId: troll.userId });
    expect((await told).kind).toBe('timeout');

    const refused = await send(trollSocket, 'chat:send', { streamId, text: 'still here' });
    expect(refused.error.code).toBe('BANNED');
    expect(refused.error.details?.until).toEqual(expect.any(String));
    // A timeout does not stop watching.
    expect(trollSocket.connected).toBe(true);
    expect((await send(trollSocket, 'stream:join', { streamId })).ok).toBe(true);

    expect((await send(modSocket, 'moderation:unban', { streamId, userId: troll.userId })).ok).toBe(
      true,
    );
    expect((await send(trollSocket, 'chat:send', { streamId, text: 'sorry' })).ok).toBe(true);
  });

  it('a ban removes messages, disconnects the user and holds on reconnect', async () => {
    const streamId = await server.liveStream(owner.token);
    const host = await joined(owner.token, streamId);
    const troll = await server.token('Banme');
    const trollSocket = await joined(troll.token, streamId);
    await send(trollSocket, 'chat:send', { streamId, text: 'bad' });

    const gone = new Promise<void>((resolve) => trollSocket.once('disconnect', () => resolve()));
    const ack = await send(host, 'moderation:command', { streamId, command: '/ban banme rude' });
    expect(ack.data.notice).toBe('Banme is banned');
    await gone;

    const again = await server.socket(troll.token);
    const refused = await send(again, 'stream:join', { streamId });
    expect(refused.error.code).toBe('BANNED');
    const history = await send(host, 'chat:history', { streamId });
    expect(history.data.items.map((m: ChatMessage) => m.author.id)).not.toContain(troll.userId);

    expect(await send(host, 'moderation:command', { streamId, command: '/unban banme' })).toEqual({
      ok: true,
      data: { notice: 'Banme may chat again' },
    });
    expect((await send(again, 'stream:join', { streamId })).ok).toBe(true);
  });

  it("refuses a moderator of one channel acting on another's stream", async () => {
    const otherOwner = await server.token('Other host');
    const streamId = await server.liveStream(otherOwner.token);
    const modSocket = await joined(mod.token, streamId);
    const victim = await server.token('Victim');
    for (const [name, payload] of [
      ['moderation:ban', { streamId, userId: victim.userId }],
      ['moderation:timeout', { streamId, userId: victim.userId, seconds: 10 }],
      ['moderation:command', { streamId, command: '/clear' }],
      ['chat:pin', { streamId, messageId: null }],
      ['poll:create', { streamId, question: 'Q?', options: ['a', 'b'] as string[] }],
      ['presence:list', { streamId }],
    ] as const) {
      expect((await send(modSocket, name, payload)).error?.code, name).toBe('FORBIDDEN');
    }
    const ownerOfOther = await joined(otherOwner.token, streamId);
    const self = await send(ownerOfOther, 'moderation:ban', {
      streamId,
      userId: otherOwner.userId,
    });
    expect(self.error.code).toBe('FORBIDDEN');
  });

  it('masks filtered words and applies the review hook with its timeout and fallback', async () => {
    const streamId = await server.liveStream(owner.token);
    const viewer = await server.token('Chatty');
    const socket = await joined(viewer.token, streamId);
    const say = async (text: string) => {
      await new Promise((r) => setTimeout(r, 700)); // stay under 3 messages per 2 s
      return send(socket, 'chat:send', { streamId, text });
    };
    expect((await say('oh DARN it')).data.text).toBe('oh **** it');
    expect((await say('heck no way')).data.text).toBe('**** ** way');
    expect((await say('darning socks')).data.text).toBe('darning socks');
    const denied = await say('buy spam now');
    expect(denied.error).toMatchObject({ code: 'MESSAGE_REJECTED', message: 'Looks like spam' });
    expect((await say('I SHOUT')).data.text).toBe('i shout');
    // The hook is too slow or fails: the configured fallback (allow) applies.
    expect((await say('slow-review please')).data.text).toBe('slow-review please');
    expect((await say('crash-review please')).data.text).toBe('crash-review please');
    const history = await send(socket, 'chat:history', { streamId });
    expect(history.data.items.map((m: ChatMessage) => m.text)).not.toContain('buy spam now');
  });
});

describe('review fallback deny', () => {
  it('refuses messages when the hook times out and the fallback is deny', async () => {
    const strict = await startTestServer({
      chatReview: {
        timeoutMs: 50,
        fallback: 'deny',
        review: () => new Promise((r) => setTimeout(() => r({ action: 'allow' }), 300)),
      },
    });
    try {
      const host = await strict.token('Strict host');
      const streamId = await strict.liveStream(host.token);
      const socket = await strict.socket(host.token);
      await socket.emitWithAck('stream:join', { streamId });
      const ack = await socket.emitWithAck('chat:send', { streamId, text: 'hello' });
      expect(ack.ok ? 'sent' : ack.error.code).toBe('MESSAGE_REJECTED');
    } finally {
      await strict.close();
    }
  });
});
