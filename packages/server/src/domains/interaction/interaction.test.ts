import type {
  BatchedEvent,
  ChatMessage,
  Poll,
  Question,
  ReactionBurst,
  ViewerCount,
} from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealtimeClient, startTestServer, type TestServer } from '../../../test/harness.js';
import { send } from '../../../test/realtime-requests.js';
import { joinRoom } from '../../../test/realtime-suite.js';

let server: TestServer;
let owner: { token: string; userId: string };

beforeAll(async () => {
  server = await startTestServer({ reactionRate: { capacity: 5, refillPerSecond: 1 } });
  owner = await server.token('Host');
});
afterAll(() => server?.close());

const joined = async (token: string | undefined, streamId: string) =>
  (await joinRoom(server, token, streamId)).socket;

function collect<T>(socket: RealtimeClient, event: string): T[] {
  const seen: T[] = [];
  (socket as unknown as { on(e: string, f: (p: T) => void): void }).on(event, (p) => seen.push(p));
  return seen;
}

describe(`audience interaction (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('aggregates reactions per batch window, rate-limits each user and counts them', async () => {
    const streamId = await server.liveStream(owner.token);
    const watcher = await joined(undefined, streamId);
    const bursts = collect<ReactionBurst>(watcher, 'reactions');
    const fan = await server.token('Fan');
    const fanSocket = await joined(fan.token, streamId);
    const acks = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        send(fanSocket, 'reaction:send', { streamId, emoji: i % 2 ? '❤️' : '👍', x: 0.5 }),
      ),
    );
    expect(acks.filter((a) => a.ok)).toHaveLength(5);
    expect(acks.filter((a) => !a.ok).map((a) => a.error.code)).toEqual([
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    await expect
      .poll(() => bursts.flatMap((b) => b.reactions).reduce((n, r) => n + r.count, 0))
      .toBe(5);
    // Five reactions arrive in at most two windows, not five events.
    expect(bursts.length).toBeLessThanOrEqual(2);
    const anon = await send(watcher, 'reaction:send', { streamId, emoji: '🎉' });
    expect(anon.ok).toBe(true);
    for (const emoji of ['hello', '👍👍👍👍👍👍👍👍👍👍👍', ':nope:']) {
      const bad = await send(fanSocket, 'reaction:send', { streamId, emoji });
      expect(bad.error.code, emoji).toBe('VALIDATION_FAILED');
    }
  });

  it('keeps reaction totals for analytics', async () => {
    const streamId = await server.liveStream(owner.token);
    const host = await joined(owner.token, streamId);
    for (let i = 0; i < 3; i++) await send(host, 'reaction:send', { streamId, emoji: '🔥' });
    const viewer = await joined(undefined, streamId);
    expect((await send(viewer, 'reaction:stats', { streamId })).error.code).toBe('UNAUTHORIZED');
    await expect
      .poll(async () => (await send(host, 'reaction:stats', { streamId })).data?.total, {
        timeout: 8000,
        interval: 500,
      })
      .toBe(3);
    const stats = (await send(host, 'reaction:stats', { streamId })).data;
    expect(stats.byEmoji).toEqual({ '🔥': 3 });
    expect(stats.perMinute).toHaveLength(1);
  });

  it('runs Q&A: ask, upvote once, answer and hide by moderators, sort by votes or time', async () => {
    const streamId = await server.liveStream(owner.token, { qnaEnabled: true });
    const host = await joined(owner.token, streamId);
    const student = await server.token('Student');
    const s1 = await joined(student.token, streamId);
    const other = await server.token('Other student');
    const s2 = await joined(other.token, streamId);
    const seen = collect<Question>(host, 'qna:question');

    const q1 = (await send(s1, 'qna:ask', { streamId, text: 'First?' })).data as Question;
    await new Promise((r) => setTimeout(r, 5));
    const q2 = (await send(s2, 'qna:ask', { streamId, text: 'Second?' })).data as Question;
    expect(q1).toMatchObject({ upvotes: 0, answered: false, author: { displayName: 'Student' } });
    expect((await send(s1, 'qna:upvote', { streamId, questionId: q2.id })).data.upvotes).toBe(1);
    expect((await send(s1, 'qna:upvote', { streamId, questionId: q2.id })).error.code).toBe(
      'CONFLICT',
    );
    expect((await send(s2, 'qna:upvote', { streamId, questionId: q2.id })).data.upvotes).toBe(2);

    expect((await send(s2, 'qna:upvote', { streamId, questionId: q1.id })).data.upvotes).toBe(1);
    const byVotes = (await send(s1, 'qna:list', { streamId, sort: 'votes' })).data;
    expect(byVotes.items.map((q: Question) => q.id)).toEqual([q2.id, q1.id]);
    expect(byVotes.myUpvotes).toEqual([q2.id]);
    const byTime = (await send(s1, 'qna:list', { streamId, sort: 'recent' })).data;
    expect(byTime.items.map((q: Question) => q.id)).toEqual([q2.id, q1.id]);

    expect(
      (await send(s1, 'qna:answer', { streamId, questionId: q1.id, answered: true })).error.code,
    ).toBe('FORBIDDEN');
    expect(
      (await send(host, 'qna:answer', { streamId, questionId: q1.id, answered: true })).data
        .answered,
    ).toBe(true);
    expect((await send(host, 'qna:hide', { streamId, questionId: q2.id })).ok).toBe(true);
    expect(
      (await send(s1, 'qna:list', { streamId })).data.items.map((q: Question) => q.id),
    ).toEqual([q1.id]);
    expect((await send(s1, 'qna:upvote', { streamId, questionId: q2.id })).error.code).toBe(
      'NOT_FOUND',
    );
    // Everyone saw each question's latest state.
    await expect
      .poll(() => {
        const latest = new Map(seen.map((q) => [q.id, q]));
        return [latest.get(q1.id)?.answered, latest.get(q2.id)?.hidden];
      })
      .toEqual([true, true]);

    const closed = await server.liveStream(owner.token);
    const s3 = await joined(student.token, closed);
    expect((await send(s3, 'qna:ask', { streamId: closed, text: 'Hi?' })).error.code).toBe(
      'FORBIDDEN',
    );
  });

  it('answers questions in writing or aloud, and puts one question on air at a time', async () => {
    const streamId = await server.liveStream(owner.token, { qnaEnabled: true });
    const host = await joined(owner.token, streamId);
    const mod = await server.token('Helper', { moderates: [owner.userId] });
    const helper = await joined(mod.token, streamId);
    const asker = await server.token('Curious');
    const viewer = await joined(asker.token, streamId);
    const seen = collect<Question>(viewer, 'qna:question');
    const ask = async (text: string) =>
      (await send(viewer, 'qna:ask', { streamId, text })).data as Question;
    const [q1, q2, q3] = [await ask('One?'), await ask('Two?'), await ask('Three?')];
    const latest = () => new Map(seen.map((q) => [q.id, q]));
    const onAir = async () =>
      ((await send(viewer, 'qna:list', { streamId })).data.items as Question[])
        .filter((q) => q.answering)
        .map((q) => q.id);

    // On air: one at a time, moved by any moderator, seen by viewers as it moves.
    expect((await send(viewer, 'qna:answering', { streamId, questionId: q1.id })).error.code).toBe(
      'FORBIDDEN',
    );
    expect((await send(host, 'qna:answering', { streamId, questionId: q1.id })).ok).toBe(true);
    expect(await onAir()).toEqual([q1.id]);
    expect((await send(helper, 'qna:answering', { streamId, questionId: q2.id })).ok).toBe(true);
    expect(await onAir()).toEqual([q2.id]);
    await expect
      .poll(() => [latest().get(q1.id)?.answering, latest().get(q2.id)?.answering])
      .toEqual([false, true]);
    const missing = await send(host, 'qna:answering', { streamId, questionId: 'q_missing' });
    expect(missing.error.code).toBe('NOT_FOUND');
    expect(await onAir()).toEqual([q2.id]);

    // A written answer: its text, who answered and when; answering ends the question's airtime.
    const before = Date.now();
    const written = await send(helper, 'qna:answer', {
      streamId,
      questionId: q2.id,
      answered: true,
      text: '  Yes: see chapter 2.\nAnd 3.  ',
    });
    expect(written.data).toMatchObject({
      answered: true,
      answering: false,
      answer: {
        text: 'Yes: see chapter 2.\nAnd 3.',
        by: { id: mod.userId, displayName: 'Helper' },
      },
    });
    expect(Date.parse(written.data.answer?.at ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(await onAir()).toEqual([]);
    // Answered aloud: an empty text. Unanswering drops the answer.
    const aloud = await send(host, 'qna:answer', { streamId, questionId: q3.id, answered: true });
    expect(aloud.data.answer).toMatchObject({ text: '', by: { id: owner.userId } });
    const undone = await send(host, 'qna:answer', { streamId, questionId: q3.id, answered: false });
    expect(undone.data).toMatchObject({ answered: false, answer: null });
    const tooLong = await send(host, 'qna:answer', {
      streamId,
      questionId: q1.id,
      answered: true,
      text: 'x'.repeat(1001),
    });
    expect(tooLong.error.code).toBe('VALIDATION_FAILED');
    // Hiding the question on air takes it off air; none clears it.
    await send(host, 'qna:answering', { streamId, questionId: q1.id });
    expect(await onAir()).toEqual([q1.id]);
    expect((await send(host, 'qna:hide', { streamId, questionId: q1.id })).ok).toBe(true);
    expect(await onAir()).toEqual([]);
    await send(host, 'qna:answering', { streamId, questionId: q3.id });
    expect((await send(host, 'qna:answering', { streamId, questionId: null })).ok).toBe(true);
    expect(await onAir()).toEqual([]);
    await expect.poll(() => latest().get(q3.id)?.answering).toBe(false);
    await expect.poll(() => latest().get(q2.id)?.answer?.text).toBe('Yes: see chapter 2.\nAnd 3.');
    // Moderators racing: each either wins or is told CONFLICT; one question stays on air.
    const more: Question[] = [];
    for (const name of ['Four', 'Five', 'Six']) {
      const other = await joined((await server.token(name)).token, streamId);
      more.push((await send(other, 'qna:ask', { streamId, text: `${name}?` })).data);
    }
    const raced = await Promise.all(
      [q2, q3, ...more].map((q, i) =>
        send(i % 2 ? helper : host, 'qna:answering', { streamId, questionId: q.id }),
      ),
    );
    for (const ack of raced) expect(ack.ok || ack.error.code === 'CONFLICT').toBe(true);
    expect(await onAir()).toHaveLength(1);
  });

  it('runs polls: 2 to 10 options, one vote each, close, live results', async () => {
    const streamId = await server.liveStream(owner.token);
    const host = await joined(owner.token, streamId);
    const voter = await server.token('Voter');
    const v1 = await joined(voter.token, streamId);
    const updates = collect<Poll>(v1, 'poll:updated');
    for (const options of [['only'], Array.from({ length: 11 }, (_, i) => `o${i}`), ['a', 'A']]) {
      const bad = await send(host, 'poll:create', { streamId, question: 'Q?', options });
      expect(bad.error.code).toBe('VALIDATION_FAILED');
    }
    expect(
      (await send(v1, 'poll:create', { streamId, question: 'Q?', options: ['a', 'b'] })).error.code,
    ).toBe('FORBIDDEN');
    const poll = (
      await send(host, 'poll:create', { streamId, question: 'Best?', options: ['Tea', 'Coffee'] })
    ).data as Poll;
    expect(poll).toMatchObject({ totalVotes: 0, closed: false });
    expect(
      (await send(v1, 'poll:vote', { streamId, pollId: poll.id, option: 1 })).data.options,
    ).toEqual([
      { text: 'Tea', votes: 0 },
      { text: 'Coffee', votes: 1 },
    ]);
    expect((await send(v1, 'poll:vote', { streamId, pollId: poll.id, option: 0 })).error.code).toBe(
      'CONFLICT',
    );
    expect(
      (await send(host, 'poll:vote', { streamId, pollId: poll.id, option: 5 })).error.code,
    ).toBe('VALIDATION_FAILED');
    const list = (await send(v1, 'poll:list', { streamId })).data;
    expect(list.myVotes).toEqual({ [poll.id]: 1 });
    expect((await send(host, 'poll:close', { streamId, pollId: poll.id })).data.closed).toBe(true);
    expect(
      (await send(host, 'poll:vote', { streamId, pollId: poll.id, option: 0 })).error.code,
    ).toBe('CONFLICT');
    await expect.poll(() => updates.at(-1)?.closed).toBe(true);
    expect(updates.at(-1)?.totalVotes).toBe(1);
  });

  it('counts signed-in viewers once, anonymous ones each, not the broadcaster, keeps the peak and lists viewers for moderators', async () => {
    const streamId = await server.liveStream(owner.token);
    const host = await joined(owner.token, streamId);
    const counts = collect<ViewerCount>(host, 'viewers:count');
    const fan = await server.token('Two tabs');
    const tab1 = await joined(fan.token, streamId);
    await joined(fan.token, streamId);
    const anon = await joined(undefined, streamId);
    await expect
      .poll(() => counts.at(-1))
      .toEqual({ streamId, count: 2, signedIn: 1, anonymous: 1, peak: 2 });
    const list = (await send(host, 'presence:list', { streamId })).data;
    expect(list.viewers.map((v: { displayName: string }) => v.displayName)).toEqual(['Two tabs']);
    expect(list.anonymous).toBe(1);
    expect((await send(tab1, 'presence:list', { streamId })).error.code).toBe('FORBIDDEN');
    anon.disconnect();
    await expect
      .poll(() => counts.at(-1))
      .toEqual({ streamId, count: 1, signedIn: 1, anonymous: 0, peak: 2 });
  });

  it('batches bursts into few frames and keeps their order', async () => {
    const streamId = await server.liveStream(owner.token);
    const host = await joined(owner.token, streamId);
    const watcher = await joined(undefined, streamId);
    const frames: BatchedEvent[][] = [];
    watcher.on('batch', (events) => frames.push(events));
    const sent: string[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const ack = await send(host, 'chat:send', { streamId, text: `burst ${i}` });
        sent.push(ack.data.id);
      }),
    );
    await expect
      .poll(() => frames.flat().filter(([name]) => name === 'chat:message').length)
      .toBe(40);
    const order = frames
      .flat()
      .filter(([name]) => name === 'chat:message')
      .map(([, m]) => (m as ChatMessage).id);
    // Delivered in the order the server stored them, which is the order of acknowledgements.
    expect(order).toEqual(sent);
    expect(frames.length).toBeLessThan(15);
  });

  it('resyncs a rejoining client from its last message id without loss or duplicates', async () => {
    const streamId = await server.liveStream(owner.token);
    const host = await joined(owner.token, streamId);
    const first = await send(host, 'chat:send', { streamId, text: 'seen' });
    const missed: string[] = [];
    for (let i = 0; i < 5; i++)
      missed.push((await send(host, 'chat:send', { streamId, text: `missed ${i}` })).data.id);
    const back = await server.socket();
    const rejoin = await send(back, 'stream:join', { streamId, since: first.data.id });
    expect(rejoin.data.gap).toBe(false);
    // From shortly before the last message held (overlap across servers), in order;
    // the client drops what it has.
    const ids = rejoin.data.recentMessages.map((m: ChatMessage) => m.id);
    expect(ids.slice(ids.indexOf(first.data.id) + 1)).toEqual(missed);
    const unknown = await send(back, 'stream:join', { streamId, since: 'msg_unknown' });
    expect(unknown.data.gap).toBe(true);
  });
});
