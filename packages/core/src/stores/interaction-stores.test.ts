import { randomBytes } from 'node:crypto';
import type { OnAirServer } from '@onair/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealServer } from '../../test/real-server.js';
import { OnAirClient } from '../transport/client.js';
import { ChatStore } from './chat-store.js';
import { PollStore } from './poll-store.js';
import { PresenceStore } from './presence-store.js';
import { QuestionStore } from './question-store.js';
import { ReactionStore } from './reaction-store.js';

// A real server: the stores are thin over the wire, so the wire is what to test.
let server: OnAirServer;
let hostToken: string;
let streamId: string;
const clients: OnAirClient[] = [];

async function clientFor(name: string | null): Promise<OnAirClient> {
  const token = name
    ? await server.issueToken(`usr_${name.toLowerCase()}_${randomBytes(3).toString('hex')}`, name)
    : undefined;
  const client = new OnAirClient({ baseUrl: server.url, ...(token ? { token } : {}) });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startRealServer();
  hostToken = await server.issueToken('usr_host', 'Host');
  const host = new OnAirClient({ baseUrl: server.url, token: hostToken });
  clients.push(host);
  const { stream } = await host.streams.create({ title: 'Stores', qnaEnabled: true });
  await host.streams.start(stream.id);
  streamId = stream.id;
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.close();
});

const settle = (ok: () => boolean) => expect.poll(ok, { timeout: 3000 }).toBe(true);

describe('interaction stores over a real server', () => {
  it('share one room, stay current and resync after an unrecovered reconnection', async () => {
    const host = new OnAirClient({ baseUrl: server.url, token: hostToken });
    clients.push(host);
    const viewer = await clientFor('Viewer');
    const chat = new ChatStore(viewer, streamId);
    const questions = new QuestionStore(viewer, streamId);
    const polls = new PollStore(viewer, streamId);
    const presence = new PresenceStore(viewer, streamId);
    const reactions = new ReactionStore(viewer, streamId);
    const offs = [chat, questions, polls, presence, reactions].map((s) => s.subscribe(() => {}));
    await settle(() => chat.getSnapshot().status === 'joined');
    await settle(() => presence.getSnapshot().count === 1);

    const hostChat = new ChatStore(host, streamId);
    const hostPolls = new PollStore(host, streamId);
    const offHost = [hostChat.subscribe(() => {}), hostPolls.subscribe(() => {})];
    await settle(() => hostChat.getSnapshot().status === 'joined');
    // The broadcaster is no viewer: the count stays at the one viewer.
    expect(hostChat.getSnapshot().viewerCount).toBe(1);
    expect(presence.getSnapshot().count).toBe(1);

    await hostChat.send('before');
    await settle(() => chat.getSnapshot().messages.some((m) => m.text === 'before'));
    const asked = await questions.ask('Slides?');
    await questions.upvote(asked.id);
    await expect(questions.upvote(asked.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(questions.getSnapshot().questions[0]?.upvotes).toBe(1);
    const poll = await hostPolls.create('Tea or coffee?', ['Tea', 'Coffee']);
    await settle(() => polls.getSnapshot().current?.id === poll.id);
    await polls.vote(poll.id, 0);
    expect(polls.getSnapshot().myVotes).toEqual({ [poll.id]: 0 });
    await reactions.send('🎉', 0.2);
    await settle(() => reactions.getSnapshot().totals['🎉'] === 1);

    // Drop the connection so that socket.io cannot recover the session, and
    // send while the viewer is away.
    const socket = (
      viewer.realtime as unknown as {
        socket: { _pid?: string | undefined; io: { engine: { close(): void } } };
      }
    ).socket;
    socket._pid = undefined;
    socket.io.engine.close();
    const missed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const message = await hostChat.send(`while away ${i}`);
      if (message) missed.push(message.id);
    }
    await settle(() => missed.every((id) => chat.getSnapshot().messages.some((m) => m.id === id)));
    const ids = chat.getSnapshot().messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(chat.getSnapshot().messages.map((m) => m.text)).toEqual([
      'before',
      'while away 0',
      'while away 1',
      'while away 2',
    ]);
    await settle(() => questions.getSnapshot().myUpvotes.includes(asked.id));

    for (const off of [...offs, ...offHost]) off();
  });

  it('follows the question on air and its written answer, joining late included', async () => {
    const hostClient = new OnAirClient({ baseUrl: server.url, token: hostToken });
    clients.push(hostClient);
    const host = new QuestionStore(hostClient, streamId);
    const viewer = new QuestionStore(await clientFor('Asker'), streamId);
    const offs = [host.subscribe(() => {}), viewer.subscribe(() => {})];
    await settle(() => viewer.getSnapshot().status === 'ready');
    const asked = await viewer.ask('Homework due when?');
    await settle(() => host.getSnapshot().questions.some((q) => q.id === asked.id));
    expect(viewer.getSnapshot().answering).toBeNull();

    await host.setAnswering(asked.id);
    await settle(() => viewer.getSnapshot().answering?.id === asked.id);
    const late = new QuestionStore(await clientFor('Late'), streamId);
    offs.push(late.subscribe(() => {}));
    await settle(() => late.getSnapshot().answering?.text === 'Homework due when?');

    const answered = await host.answer(asked.id, true, 'Friday.');
    expect(answered.answer?.text).toBe('Friday.');
    for (const store of [viewer, late]) {
      await settle(() => store.getSnapshot().answering === null);
      await settle(
        () =>
          store.getSnapshot().questions.find((q) => q.id === asked.id)?.answer?.text === 'Friday.',
      );
    }
    await expect(viewer.setAnswering(asked.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    for (const off of offs) off();
  });

  it('keeps the moderators’ viewer list current as viewers join and leave', async () => {
    const hostClient = new OnAirClient({ baseUrl: server.url, token: hostToken });
    clients.push(hostClient);
    const { stream } = await hostClient.streams.create({ title: 'Who watches' });
    await hostClient.streams.start(stream.id);
    const manager = new PresenceStore(hostClient, stream.id);
    // The stores of a stream share its room: the chat says when the host has joined it.
    const hostChat = new ChatStore(hostClient, stream.id);
    const offs = [manager.subscribe(() => {}), hostChat.subscribe(() => {})];
    await settle(() => hostChat.getSnapshot().status === 'joined');
    await manager.loadViewers();
    expect(manager.getSnapshot().viewers?.viewers).toEqual([]);
    const names = () => manager.getSnapshot().viewers?.viewers.map((v) => v.displayName) ?? [];

    const alice = new PresenceStore(await clientFor('Alice'), stream.id);
    const bob = new PresenceStore(await clientFor('Bob'), stream.id);
    const offAlice = alice.subscribe(() => {});
    offs.push(bob.subscribe(() => {}));
    await settle(() => names().join() === 'Alice,Bob' || names().join() === 'Bob,Alice');
    offAlice();
    await settle(() => names().join() === 'Bob');
    expect(manager.getSnapshot().viewers?.viewers[0]?.since).toEqual(expect.any(String));
    for (const off of offs) off();
  });

  it('runs moderator commands through ChatStore.send and refuses oversized payloads locally', async () => {
    const host = new OnAirClient({ baseUrl: server.url, token: hostToken });
    clients.push(host);
    const chat = new ChatStore(host, streamId);
    const off = chat.subscribe(() => {});
    await settle(() => chat.getSnapshot().status === 'joined');
    expect(await chat.send('/slow 10')).toBeNull();
    expect(chat.getSnapshot().notices.at(-1)).toBe('Slow mode on: one message every 10 s');
    await expect(chat.send('/nope')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      host.realtime.request('qna:ask', { streamId, text: 'x'.repeat(20_000) }),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await chat.send('/slowoff');
    off();
  });

  it('a ban closes the connection; it comes back, the ban holds in that channel only', async () => {
    const host = new OnAirClient({ baseUrl: server.url, token: hostToken });
    clients.push(host);
    // Bans are per channel: another channel's stream is not affected.
    const otherHost = await clientFor('Neighbour');
    const { stream: other } = await otherHost.streams.create({ title: 'Other room' });
    await otherHost.streams.start(other.id);
    const viewer = await clientFor('Banned');
    const chat = new ChatStore(viewer, streamId);
    const elsewhere = new PresenceStore(viewer, other.id);
    const offs = [chat.subscribe(() => {}), elsewhere.subscribe(() => {})];
    await settle(() => chat.getSnapshot().status === 'joined');
    await settle(() => elsewhere.getSnapshot().count === 1);
    const sent = await chat.send('before the ban');
    const hostChat = new ChatStore(host, streamId);
    const offHost = hostChat.subscribe(() => {});
    await settle(() => hostChat.getSnapshot().status === 'joined');
    await hostChat.ban(sent?.author.id as string);

    await settle(() => chat.getSnapshot().restricted?.kind === 'ban');
    // Back online: refused in the stream that banned, still counted in the other.
    await settle(() => chat.getSnapshot().error?.code === 'BANNED');
    expect(viewer.realtime.id).toBeDefined();
    const watcher = new PresenceStore(otherHost, other.id);
    const offWatcher = watcher.subscribe(() => {});
    // The banned viewer is still counted there (its owner, watching, is not).
    await settle(() => watcher.getSnapshot().count === 1);
    expect(elsewhere.getSnapshot().count).toBe(1);
    for (const off of [...offs, offHost, offWatcher]) off();
  });

  it('drops a stream whose access was revoked, with its signed URLs', async () => {
    const host = new OnAirClient({ baseUrl: server.url, token: hostToken });
    clients.push(host);
    const { stream } = await host.streams.create({ title: 'Going private' });
    await host.streams.start(stream.id);
    const viewer = await clientFor('Outsider');
    const chat = new ChatStore(viewer, stream.id);
    const off = chat.subscribe(() => {});
    await settle(() => chat.getSnapshot().status === 'joined');
    await viewer.queryClient.fetchQuery(viewer.streams.detailQuery(stream.id));
    expect(viewer.queryClient.getQueryData(['onair', 'streams', 'detail', stream.id])).toBeTruthy();

    await host.streams.update(stream.id, { privacy: 'private' });
    await settle(
      () =>
        viewer.queryClient.getQueryData(['onair', 'streams', 'detail', stream.id]) === undefined,
    );
    off();
  });
});
