import type { Stage } from '@onair/protocol/stage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealtimeClient, startTestServer, type TestServer } from '../../../test/harness.js';

/*
 * The stage over REST and realtime, against a real server (PGlite, or
 * PostgreSQL in the PostgreSQL pass): who may manage it, the limit, raised
 * hands and who sees them, and the `stage:updated` each change sends.
 */

let server: TestServer;
let owner: { token: string; userId: string };

beforeAll(async () => {
  server = await startTestServer({ stage: { limit: 3 } });
  owner = await server.token('Host');
});
afterAll(() => server?.close());

type User = { token: string; userId: string };

/** A user the server knows (their first connection records them). */
async function user(name: string, claims?: Parameters<TestServer['token']>[1]): Promise<User> {
  const who = await server.token(name, claims);
  await server.socket(who.token);
  return who;
}

const stageOf = async (streamId: string, who?: User): Promise<Stage> => {
  const response = await server.request(
    `/v1/streams/${streamId}/stage`,
    who ? { token: who.token } : {},
  );
  expect(response.status).toBe(200);
  return (await response.json()) as Stage;
};

const call = async (
  method: string,
  path: string,
  who: User,
  json?: unknown,
): Promise<{ status: number; body: { code?: string; details?: unknown } }> => {
  const response = await server.request(path, { method, token: who.token, json });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
};

const invite = (streamId: string, by: User, userId: string, role = 'cohost') =>
  call('PUT', `/v1/streams/${streamId}/stage/members/${userId}`, by, { role });

/** The next `stage:updated` of a stream a connection receives that matches. */
const nextStage = (socket: RealtimeClient, match: (stage: Stage) => boolean) =>
  new Promise<Stage>((resolve) => {
    const listener = (stage: Stage) => {
      if (!match(stage)) return;
      socket.off('stage:updated', listener);
      resolve(stage);
    };
    socket.on('stage:updated', listener);
  });

describe(`the stage (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('lets the owner and moderators bring people on stage, up to the limit, and no one else', async () => {
    const streamId = await server.liveStream(owner.token);
    const [mod, ana, ben, cai, viewer] = await Promise.all([
      user('Mod', { moderates: [owner.userId] }),
      user('Ana'),
      user('Ben'),
      user('Cai'),
      user('Viewer'),
    ]);
    expect(await stageOf(streamId)).toEqual({
      streamId,
      limit: 3,
      layout: 'grid',
      members: [],
      hands: [],
    });

    expect(await invite(streamId, viewer, ana.userId)).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
    const added = await invite(streamId, owner, ana.userId, 'cohost');
    expect(added.status).toBe(200);
    expect((added.body as unknown as Stage).members).toEqual([
      {
        user: { id: ana.userId, displayName: 'Ana' },
        role: 'cohost',
        invitedAt: expect.any(String),
        mutedByHost: false,
        publishing: false,
      },
    ]);
    expect((await invite(streamId, mod, ben.userId, 'guest')).status).toBe(200);
    // Three on stage with the owner: the limit.
    expect(await invite(streamId, owner, cai.userId)).toMatchObject({
      status: 409,
      body: { code: 'STREAM_FULL', details: { stageLimit: 3 } },
    });
    // A member's role changes without counting twice.
    expect((await invite(streamId, owner, ben.userId, 'cohost')).status).toBe(200);
    expect((await stageOf(streamId)).members.map((m) => [m.user.displayName, m.role])).toEqual([
      ['Ana', 'cohost'],
      ['Ben', 'cohost'],
    ]);

    expect(await invite(streamId, owner, owner.userId)).toMatchObject({
      status: 422,
      body: { code: 'UNPROCESSABLE' },
    });
    expect(await invite(streamId, owner, 'usr_nobody')).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect(await invite(streamId, owner, cai.userId, 'star')).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });

    // Muting is the managers'; leaving is anyone's own.
    const path = `/v1/streams/${streamId}/stage/members/${ana.userId}`;
    expect((await call('PATCH', path, viewer, { mutedByHost: true })).status).toBe(403);
    expect((await call('PATCH', path, mod, { mutedByHost: true })).status).toBe(200);
    expect((await stageOf(streamId)).members[0]?.mutedByHost).toBe(true);
    expect((await call('DELETE', path, viewer)).status).toBe(403);
    expect((await call('DELETE', path, ana)).status).toBe(204);
    expect((await call('DELETE', path, owner)).status).toBe(404);
    expect((await invite(streamId, owner, cai.userId, 'guest')).status).toBe(200);

    // The composed picture's layout is the managers' too, kept with the stream.
    const stagePath = `/v1/streams/${streamId}/stage`;
    expect((await call('PATCH', stagePath, viewer, { layout: 'speaker' })).status).toBe(403);
    expect(await call('PATCH', stagePath, mod, { layout: 'mosaic' })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect(await call('PATCH', stagePath, mod, { layout: 'speaker' })).toMatchObject({
      status: 200,
      body: { layout: 'speaker' },
    });
    expect((await stageOf(streamId)).layout).toBe('speaker');
  });

  it('lets no two invitations at once pass the limit', async () => {
    const streamId = await server.liveStream(owner.token);
    const people = await Promise.all(['P1', 'P2', 'P3', 'P4', 'P5'].map((name) => user(name)));
    const answers = await Promise.all(people.map((p) => invite(streamId, owner, p.userId)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 409, 409, 409]);
    expect((await stageOf(streamId)).members).toHaveLength(2);
  });

  it('keeps raised hands in order, shows each viewer only their own, and lowers one brought on stage', async () => {
    const streamId = await server.liveStream(owner.token);
    const [dee, eli, other] = await Promise.all([user('Dee'), user('Eli'), user('Other')]);
    const raise = (who: User) => call('POST', `/v1/streams/${streamId}/stage/hand`, who);

    expect(await raise(owner)).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    expect((await raise(dee)).status).toBe(204);
    expect((await raise(eli)).status).toBe(204);
    expect((await raise(dee)).status).toBe(204);
    const hands = (await stageOf(streamId, owner)).hands;
    expect(hands.map((h) => h.user.displayName)).toEqual(['Dee', 'Eli']);
    expect((await stageOf(streamId, eli)).hands.map((h) => h.user.displayName)).toEqual(['Eli']);
    expect((await stageOf(streamId, other)).hands).toEqual([]);
    expect((await stageOf(streamId)).hands).toEqual([]);

    // Someone else's hand is the managers' to lower.
    const eliHand = `/v1/streams/${streamId}/stage/hands/${eli.userId}`;
    expect((await call('DELETE', eliHand, other)).status).toBe(403);
    expect((await call('DELETE', eliHand, eli)).status).toBe(204);
    expect((await call('DELETE', eliHand, owner)).status).toBe(404);

    // Brought on stage, Dee's hand is down; a member raising one is refused.
    expect((await invite(streamId, owner, dee.userId, 'guest')).status).toBe(200);
    expect((await stageOf(streamId, owner)).hands).toEqual([]);
    expect((await raise(dee)).status).toBe(409);

    // Hands are raised on live streams, by those not banned from the channel.
    const scheduled = await server.liveStream(owner.token, {}, false);
    expect(await call('POST', `/v1/streams/${scheduled}/stage/hand`, other)).toMatchObject({
      status: 409,
      body: { code: 'STREAM_NOT_LIVE' },
    });
    const ownerSocket = await server.socket(owner.token);
    await ownerSocket.emitWithAck('stream:join', { streamId });
    const ban = await ownerSocket.emitWithAck('moderation:ban', { streamId, userId: other.userId });
    expect(ban.ok).toBe(true);
    expect(await raise(other)).toMatchObject({ status: 403, body: { code: 'BANNED' } });
  });

  it('lowers the hands of raisers who lost the stream, connected or not', async () => {
    const streamId = await server.liveStream(owner.token, { privacy: 'followers' });
    const [gus, ida, joy] = await Promise.all([user('Gus'), user('Ida'), user('Joy')]);
    const follow = `/v1/channels/${owner.userId}/follow`;
    for (const fan of [gus, ida, joy]) expect((await call('PUT', follow, fan)).status).toBe(200);
    const hand = (who: User) => call('POST', `/v1/streams/${streamId}/stage/hand`, who);
    // Gus watches and raises a hand; Ida and Joy raise theirs without being connected.
    const gusSocket = await server.socket(gus.token);
    expect((await gusSocket.emitWithAck('stream:join', { streamId })).ok).toBe(true);
    for (const who of [gus, ida, joy]) expect((await hand(who)).status).toBe(204);
    const handsOf = async () => (await stageOf(streamId, owner)).hands.map((h) => h.user.id);
    expect(await handsOf()).toEqual([gus.userId, ida.userId, joy.userId]);

    // Unfollowing a followers-only stream loses it: the hand goes, connected or not.
    expect((await call('DELETE', follow, gus)).status).toBe(200);
    expect((await call('DELETE', follow, ida)).status).toBe(200);
    await expect.poll(handsOf, { timeout: 5_000 }).toEqual([joy.userId]);

    // Made private, with Joy not invited: her hand goes too.
    const patched = await call('PATCH', `/v1/streams/${streamId}`, owner, { privacy: 'private' });
    expect(patched.status).toBe(200);
    await expect.poll(handsOf, { timeout: 5_000 }).toEqual([]);
  });

  it('takes a banned user off the stages of the channel’s live and scheduled streams', async () => {
    const live = await server.liveStream(owner.token);
    const later = await server.liveStream(owner.token, {}, false);
    const [hal, kim] = await Promise.all([user('Hal'), user('Kim')]);
    for (const streamId of [live, later]) {
      expect((await invite(streamId, owner, hal.userId, 'guest')).status).toBe(200);
      expect((await invite(streamId, owner, kim.userId, 'guest')).status).toBe(200);
    }
    const membersOf = async (streamId: string) =>
      (await stageOf(streamId, owner)).members.map((m) => m.user.id);

    const ownerSocket = await server.socket(owner.token);
    const ban = { streamId: live, userId: hal.userId };
    expect((await ownerSocket.emitWithAck('moderation:ban', ban)).ok).toBe(true);
    await expect.poll(() => membersOf(live), { timeout: 5_000 }).toEqual([kim.userId]);
    await expect.poll(() => membersOf(later), { timeout: 5_000 }).toEqual([kim.userId]);
  });

  it('tells the room each change: every hand to the managers, their own to each raiser', async () => {
    const streamId = await server.liveStream(owner.token);
    const [fay, gus, watcher] = await Promise.all([user('Fay'), user('Gus'), user('Watcher')]);
    const join = async (who: User) => {
      const socket = await server.socket(who.token);
      expect((await socket.emitWithAck('stream:join', { streamId })).ok).toBe(true);
      return socket;
    };
    const [ownerSocket, faySocket, watcherSocket] = await Promise.all([
      join(owner),
      join(fay),
      join(watcher),
    ]);

    const ownerSees = nextStage(ownerSocket, (s) => s.hands.length === 1);
    const faySees = nextStage(faySocket, (s) => s.hands.length === 1);
    expect((await call('POST', `/v1/streams/${streamId}/stage/hand`, fay)).status).toBe(204);
    expect((await ownerSees).hands[0]?.user.id).toBe(fay.userId);
    expect((await faySees).hands[0]?.user.id).toBe(fay.userId);

    const watcherSees = nextStage(watcherSocket, (s) => s.members.length === 1);
    const ownerSeesMember = nextStage(ownerSocket, (s) => s.members.length === 1);
    expect((await invite(streamId, owner, gus.userId, 'cohost')).status).toBe(200);
    const seen = await watcherSees;
    expect(seen.members[0]).toMatchObject({ user: { id: gus.userId }, role: 'cohost' });
    // A viewer who raised no hand sees none of the others'.
    expect(seen.hands).toEqual([]);
    expect((await ownerSeesMember).hands.map((h) => h.user.id)).toEqual([fay.userId]);
  });
});
