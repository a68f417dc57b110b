import { describe, expect, it } from 'vitest';
import { nextEvent, type RealtimeClient } from '../../../test/harness.js';
import { realtimeSuite } from '../../../test/realtime-suite.js';

/*
 * socket.io's connection state recovery gives a connection that dropped for
 * less than two minutes its rooms back and the events it missed. socket.io
 * writes those events while it builds the socket, before the token
 * middleware runs: the server holds them until the connection is vetted. A
 * connection whose identity changed is not recovered at all (it joins its
 * streams again, through every check); one whose identity is the same keeps
 * only the rooms it may still be in, and gets its missed events if it kept
 * them all.
 */
const suite = realtimeSuite({ owner: 'Recovery host' });
const { user, joined, hostedStream } = suite;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every packet the client's transport decodes, before or after its CONNECT (JSON of each). */
function wire(socket: RealtimeClient): string[] {
  const packets: string[] = [];
  socket.io.on('packet', (packet) => packets.push(JSON.stringify(packet)));
  return packets;
}

/**
 * Sends `text` to the stream's chat after `socket` got one message (so it
 * has an offset to resume from) and dropped its transport (recoverably).
 */
async function missWhileAway(
  socket: RealtimeClient,
  host: RealtimeClient,
  streamId: string,
  text: string,
) {
  const first = nextEvent(socket, 'chat:message');
  expect((await host.emitWithAck('chat:send', { streamId, text: `before ${text}` })).ok).toBe(true);
  await first;
  socket.io.engine.close();
  // The server notices the closed transport and stores the session.
  await sleep(300);
  expect((await host.emitWithAck('chat:send', { streamId, text })).ok).toBe(true);
  // The chat batch goes out (and is stored for recovery).
  await sleep(300);
}

/** Reconnects with `token`, resuming the session; resolves with the connection's outcome. */
function reconnect(socket: RealtimeClient, token: string): Promise<'connected' | 'refused'> {
  socket.auth = { token };
  const outcome = new Promise<'connected' | 'refused'>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', () => resolve('refused'));
  });
  socket.connect();
  return outcome;
}

describe('connection state recovery', () => {
  it('still recovers an unchanged connection, with the events it missed', async () => {
    const { streamId, host } = await hostedStream();
    const viewer = await user({});
    const socket = await joined(viewer.token, streamId);
    await missWhileAway(socket, host, streamId, 'missed by a viewer');
    const missed = nextEvent<{ text: string }>(socket, 'chat:message');
    expect(await reconnect(socket, await viewer.again({}))).toBe('connected');
    expect(socket.recovered).toBe(true);
    expect((await missed).text).toBe('missed by a viewer');
    const live = nextEvent<{ text: string }>(socket, 'chat:message');
    await host.emitWithAck('chat:send', { streamId, text: 'live again' });
    expect((await live).text).toBe('live again');
  });

  it('refuses the recovery to a connection whose subscription lapsed: nothing of the room reaches it', async () => {
    const { streamId, host } = await hostedStream({ privacy: 'subscribers' });
    const fan = await user({ subscriptions: { [suite.owner.userId]: 1 } });
    const socket = await joined(fan.token, streamId);
    await missWhileAway(socket, host, streamId, 'subscribers only');
    const packets = wire(socket);

    expect(await reconnect(socket, await fan.again({ subscriptions: {} }))).toBe('connected');
    // The client sees a new session: it joins its streams again (and is refused).
    expect(socket.recovered).toBe(false);
    await host.emitWithAck('chat:send', { streamId, text: 'subscribers only, later' });
    await sleep(300);
    expect(packets.join('\n')).not.toContain('subscribers only');
    expect(await socket.emitWithAck('stream:join', { streamId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('writes no missed event to a connection whose token is refused', async () => {
    const { streamId, host } = await hostedStream({ privacy: 'subscribers' });
    const fan = await user({ subscriptions: { [suite.owner.userId]: 1 } });
    const socket = await joined(fan.token, streamId);
    await missWhileAway(socket, host, streamId, 'before any token check');
    const packets = wire(socket);

    expect(await reconnect(socket, 'forged.token.value')).toBe('refused');
    await sleep(100);
    expect(packets.join('\n')).not.toContain('before any token check');
  });

  it('takes a connection banned while away out of the room, without what it missed', async () => {
    const { streamId, host } = await hostedStream();
    const viewer = await user({});
    const socket = await joined(viewer.token, streamId);
    await missWhileAway(socket, host, streamId, 'said before the ban');
    const banned = await host.emitWithAck('moderation:ban', { streamId, userId: viewer.userId });
    expect(banned.ok).toBe(true);
    await host.emitWithAck('chat:send', { streamId, text: 'said after the ban' });
    await sleep(300);
    const packets = wire(socket);
    const told = nextEvent(socket, 'moderation:restricted');

    expect(await reconnect(socket, viewer.token)).toBe('connected');
    expect(socket.recovered).toBe(true);
    expect(await told).toEqual({ streamId, kind: 'ban', until: null });
    await host.emitWithAck('chat:send', { streamId, text: 'said once it was back' });
    await sleep(300);
    expect(packets.join('\n')).not.toMatch(/said (before|after) the ban|once it was back/);
  });

  it("takes a former moderator out of the stream's managers room", async () => {
    const { streamId, host } = await hostedStream();
    const mod = await user({ moderates: [suite.owner.userId] });
    const socket = await joined(mod.token, streamId);
    await missWhileAway(socket, host, streamId, 'to the audience');
    const packets = wire(socket);

    expect(await reconnect(socket, await mod.again({}))).toBe('connected');
    // Managers are told who joins: the owner is, the former moderator no longer.
    const viewer = await user({});
    const told = nextEvent<{ joined: Array<{ id: string }> }>(host, 'presence:changed', (change) =>
      change.joined.some((who) => who.id === viewer.userId),
    );
    await joined(viewer.token, streamId);
    await told;
    await sleep(200);
    expect(packets.join('\n')).not.toContain('presence:changed');
    // As a viewer it joins again, and is no manager.
    expect((await socket.emitWithAck('stream:join', { streamId })).ok).toBe(true);
    expect(await socket.emitWithAck('presence:list', { streamId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
