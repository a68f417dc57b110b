import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Stream, StreamSchema } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { StreamAccess } from './access.js';

/*
 * Privacy holds at once and per viewer (issue #16, items 1, 3 and 8): a
 * playback URL is signed for one viewer, never broadcast to a room; a privacy
 * change voids every older URL and re-checks every connection in the room;
 * an uninvite or a ban voids that viewer's URL; a token is parsed strictly
 * and never written into a playlist as sent.
 */
let server: TestServer;
let hlsDir: string;
type User = { token: string; userId: string };
let owner: User;

beforeAll(async () => {
  hlsDir = await mkdtemp(join(tmpdir(), 'onair-privacy-'));
  server = await startTestServer({ media: { rtmpPort: false, hlsDir } });
  owner = await server.token('Owner');
});

afterAll(async () => {
  await server?.close();
  await rm(hlsDir, { recursive: true, force: true });
});

async function call(method: string, path: string, user?: User, json?: unknown) {
  const response = await server.request(path, {
    method,
    ...(user ? { token: user.token } : {}),
    ...(json !== undefined ? { json } : {}),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

async function streamAs(id: string, user: User): Promise<Stream> {
  const { status, body } = await call('GET', `/v1/streams/${id}`, user);
  expect(status).toBe(200);
  return StreamSchema.parse(body);
}

/** Status of fetching a media URL: 401 refused; 404 let through (nothing packaged here). */
async function mediaStatus(url: string): Promise<number> {
  return (await fetch(`${server.url}${url}`)).status;
}

const tokenOf = (url: string | null) => new URL(url ?? '', 'http://x').searchParams.get('token');

/** Collects the events a socket receives. */
function record(socket: Awaited<ReturnType<TestServer['socket']>>) {
  const events: Array<[string, unknown]> = [];
  socket.onAny((name: string, payload: unknown) => events.push([name, payload]));
  return events;
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('playback privacy', () => {
  it('signs playback URLs per viewer and voids older ones on a privacy change', async () => {
    const ann = await server.token('Ann');
    const bob = await server.token('Bob');
    const id = await server.liveStream(owner.token, { privacy: 'private' });
    await call('PUT', `/v1/streams/${id}/invites`, owner, { userIds: [ann.userId, bob.userId] });

    const annUrl = (await streamAs(id, ann)).hlsUrl as string;
    const bobUrl = (await streamAs(id, bob)).hlsUrl as string;
    expect(tokenOf(annUrl)).toBeTruthy();
    expect(tokenOf(annUrl)).not.toBe(tokenOf(bobUrl));
    expect(await mediaStatus(annUrl)).toBe(404);
    expect(await mediaStatus(annUrl.split('?')[0] as string)).toBe(401);

    // private → followers → private: tokens signed before either change fail at once.
    await call('PUT', `/v1/channels/${owner.userId}/follow`, ann);
    expect((await call('PATCH', `/v1/streams/${id}`, owner, { privacy: 'followers' })).status).toBe(
      200,
    );
    expect(await mediaStatus(annUrl)).toBe(401);
    const fresh = (await streamAs(id, ann)).hlsUrl as string;
    expect(await mediaStatus(fresh)).toBe(404);
    await call('PATCH', `/v1/streams/${id}`, owner, { privacy: 'private' });
    expect(await mediaStatus(fresh)).toBe(401);
    expect(await mediaStatus(bobUrl)).toBe(401);
    // The recording URL of a private stream is signed the same way.
    expect(tokenOf((await streamAs(id, owner)).hlsUrl)).toBeTruthy();
  });

  it('takes a full invite list (1000 ids of 64 characters), and refuses one more, typed', async () => {
    const id = await server.liveStream(owner.token, { privacy: 'private' }, false);
    const ids = (count: number) =>
      Array.from({ length: count }, (_, i) => `usr_${String(i).padStart(60, '0')}`);
    expect(ids(1)[0]).toHaveLength(64);
    const full = await call('PUT', `/v1/streams/${id}/invites`, owner, { userIds: ids(1000) });
    expect(full.status).toBe(200);
    const over = await call('PUT', `/v1/streams/${id}/invites`, owner, { userIds: ids(1001) });
    expect([over.status, (over.body as { code?: string }).code]).toEqual([
      400,
      'VALIDATION_FAILED',
    ]);
  });

  it('takes out a join checked just before the stream turned private and in the room only after its re-check', async () => {
    const late = await server.token('Joins at the wrong moment');
    const id = await server.liveStream(owner.token, { privacy: 'public' });
    const host = await server.socket(owner.token);
    expect((await host.emitWithAck('stream:join', { streamId: id })).ok).toBe(true);
    const seenByHost = record(host);
    const check = StreamAccess.prototype.joinable;
    // The join's access check passes (public); before the join is in the room, the owner
    // makes the stream private and the room's re-check runs (the host is told, so it ran).
    const between = vi
      .spyOn(StreamAccess.prototype, 'joinable')
      .mockImplementationOnce(async function (this: StreamAccess, socket, streamId) {
        const stream = await check.call(this, socket, streamId);
        const made = await call('PATCH', `/v1/streams/${id}`, owner, { privacy: 'private' });
        expect(made.status).toBe(200);
        await waitFor(
          () =>
            seenByHost.some(
              ([name, s]) => name === 'stream:updated' && (s as Stream).privacy === 'private',
            ),
          'the room to be re-checked',
        );
        return stream;
      });
    try {
      const socket = await server.socket(late.token);
      const joined = await socket.emitWithAck('stream:join', { streamId: id });
      expect(joined.ok ? 'joined' : joined.error.code).toBe('NOT_FOUND');
      expect(between).toHaveBeenCalledTimes(2);
      // Not in the room: chatting is refused.
      const chat = await socket.emitWithAck('chat:send', { streamId: id, text: 'still here?' });
      expect(chat.ok).toBe(false);
    } finally {
      between.mockRestore();
    }
  });

  it('never broadcasts a signed URL; re-checks every connection of the room at once', async () => {
    const ann = await server.token('Invited');
    const bob = await server.token('Not invited');
    const id = await server.liveStream(owner.token, { privacy: 'public' });
    await call('PUT', `/v1/streams/${id}/invites`, owner, { userIds: [ann.userId] });
    const sockets = {
      anonymous: await server.socket(),
      bob: await server.socket(bob.token),
      ann: await server.socket(ann.token),
    };
    const seen = {
      anonymous: record(sockets.anonymous),
      bob: record(sockets.bob),
      ann: record(sockets.ann),
    };
    for (const socket of Object.values(sockets)) {
      expect((await socket.emitWithAck('stream:join', { streamId: id })).ok).toBe(true);
    }
    const publicUrl = (await streamAs(id, bob)).hlsUrl as string;
    expect(tokenOf(publicUrl)).toBeNull();
    expect(await mediaStatus(publicUrl)).toBe(404);

    expect((await call('PATCH', `/v1/streams/${id}`, owner, { privacy: 'private' })).status).toBe(
      200,
    );
    await waitFor(
      () =>
        seen.anonymous.some(([name]) => name === 'stream:access-revoked') &&
        seen.bob.some(([name]) => name === 'stream:access-revoked') &&
        seen.ann.some(([name]) => name === 'stream:updated'),
      'the room to be re-checked',
    );
    // The old public URL no longer opens the now-private stream.
    expect(await mediaStatus(publicUrl)).toBe(401);
    const updates = (events: Array<[string, unknown]>) =>
      events.filter(([name]) => name === 'stream:updated').map(([, s]) => StreamSchema.parse(s));
    expect(updates(seen.anonymous)).toEqual([]);
    expect(updates(seen.bob)).toEqual([]);
    const annUpdate = updates(seen.ann).at(-1) as Stream;
    expect(annUpdate.privacy).toBe('private');
    expect(await mediaStatus(annUpdate.hlsUrl as string)).toBe(404);
    // Whoever lost access left the room: chatting needs it (and is refused before access).
    const leftRoom = await sockets.bob.emitWithAck('chat:send', { streamId: id, text: 'hi' });
    expect(leftRoom).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const rejoin = await sockets.anonymous.emitWithAck('stream:join', { streamId: id });
    expect(rejoin).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('voids an uninvited viewer’s URL at once, and only theirs', async () => {
    const ann = await server.token('Stays');
    const bob = await server.token('Goes');
    const id = await server.liveStream(owner.token, { privacy: 'private' });
    await call('PUT', `/v1/streams/${id}/invites`, owner, { userIds: [ann.userId, bob.userId] });
    const annUrl = (await streamAs(id, ann)).hlsUrl as string;
    const bobUrl = (await streamAs(id, bob)).hlsUrl as string;
    const bobSocket = await server.socket(bob.token);
    const bobEvents = record(bobSocket);
    expect((await bobSocket.emitWithAck('stream:join', { streamId: id })).ok).toBe(true);
    expect(await mediaStatus(bobUrl)).toBe(404);

    await call('PUT', `/v1/streams/${id}/invites`, owner, { userIds: [ann.userId] });
    expect(await mediaStatus(bobUrl)).toBe(401);
    expect(await mediaStatus(annUrl)).toBe(404);
    await waitFor(
      () => bobEvents.some(([name]) => name === 'stream:access-revoked'),
      'the uninvited viewer to be told',
    );
  });

  it('an unfollow voids the viewer’s URL and takes them out of the room at once, and only them', async () => {
    const gone = await server.token('Unfollows');
    const stays = await server.token('Keeps following');
    const id = await server.liveStream(owner.token, { privacy: 'followers' });
    const follow = `/v1/channels/${owner.userId}/follow`;
    for (const fan of [gone, stays]) expect((await call('PUT', follow, fan)).status).toBe(200);
    const goneUrl = (await streamAs(id, gone)).hlsUrl as string;
    const staysUrl = (await streamAs(id, stays)).hlsUrl as string;
    // Opened once: the follow is now cached for the stream's media.
    expect(await mediaStatus(goneUrl)).toBe(404);
    const sockets = {
      gone: await server.socket(gone.token),
      stays: await server.socket(stays.token),
    };
    const seen = { gone: record(sockets.gone), stays: record(sockets.stays) };
    for (const socket of Object.values(sockets)) {
      expect((await socket.emitWithAck('stream:join', { streamId: id })).ok).toBe(true);
    }

    expect((await call('DELETE', follow, gone)).status).toBe(200);
    expect(await mediaStatus(goneUrl)).toBe(401);
    expect(await mediaStatus(staysUrl)).toBe(404);
    await waitFor(
      () => seen.gone.some(([name]) => name === 'stream:access-revoked'),
      'the unfollower to be told',
    );
    // Out of the room (chatting needs it), while the one still following stays in it.
    const leftRoom = await sockets.gone.emitWithAck('chat:send', { streamId: id, text: 'hi' });
    expect(leftRoom).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(seen.stays.some(([name]) => name === 'stream:access-revoked')).toBe(false);
    const stayed = await sockets.stays.emitWithAck('chat:send', {
      streamId: id,
      text: 'still here',
    });
    expect(stayed.ok).toBe(true);

    // Following again opens the same URL at once (no "not following" is kept either).
    expect((await call('PUT', follow, gone)).status).toBe(200);
    expect(await mediaStatus(goneUrl)).toBe(404);
  });

  it('an uninvite voids an invited moderator’s URL too: a private stream is its invitees’', async () => {
    const mod = await server.token('Moderator', { moderates: [owner.userId] });
    const id = await server.liveStream(owner.token, { privacy: 'private' });
    // Not invited, a moderator does not see the private stream at all.
    expect((await call('GET', `/v1/streams/${id}`, mod)).status).toBe(404);
    await call('PUT', `/v1/streams/${id}/invites`, owner, { userIds: [mod.userId] });
    const url = (await streamAs(id, mod)).hlsUrl as string;
    expect(await mediaStatus(url)).toBe(404);

    await call('PUT', `/v1/streams/${id}/invites`, owner, { userIds: [] });
    expect(await mediaStatus(url)).toBe(401);
  });

  it('a ban voids the banned viewer’s URL and closes chat history, questions and polls', async () => {
    const fan = await server.token('Banned fan');
    const id = await server.liveStream(owner.token, { privacy: 'followers' });
    await call('PUT', `/v1/channels/${owner.userId}/follow`, fan);
    const url = (await streamAs(id, fan)).hlsUrl as string;
    expect(await mediaStatus(url)).toBe(404);
    const fanSocket = await server.socket(fan.token);
    expect((await fanSocket.emitWithAck('chat:history', { streamId: id })).ok).toBe(true);

    const mod = await server.socket(owner.token);
    const banned = await mod.emitWithAck('moderation:ban', { streamId: id, userId: fan.userId });
    expect(banned.ok).toBe(true);
    expect(await mediaStatus(url)).toBe(401);
    for (const [event, payload] of [
      ['chat:history', { streamId: id }],
      ['qna:list', { streamId: id }],
      ['poll:list', { streamId: id }],
    ] as const) {
      const refused = await (fanSocket.emitWithAck as (e: string, p: unknown) => Promise<unknown>)(
        event,
        payload,
      );
      expect(refused, event).toMatchObject({ ok: false, error: { code: 'BANNED' } });
    }
  });
});

describe('subscribers-only streams (issue #21, item 9)', () => {
  const jwtExp = (token: string) =>
    (
      JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as {
        exp: number;
      }
    ).exp;
  const listed = async (user: User | undefined, id: string) => {
    const { body } = await call('GET', `/v1/streams?channel=${owner.userId}`, user);
    return (body as { items: Stream[] }).items.some((stream) => stream.id === id);
  };

  it('opens to subscribers of the stream’s tier and above, staff and the owner only', async () => {
    const tier1 = await server.token('Tier one', { subscriptions: { [owner.userId]: 1 } });
    const tier2 = await server.token('Tier two', { subscriptions: { [owner.userId]: 2 } });
    const elsewhere = await server.token('Subscribes elsewhere', {
      subscriptions: { usr_someone_else: 3 },
    });
    const mod = await server.token('Mod', { moderates: [owner.userId] });
    const follower = await server.token('Follower only');
    await call('PUT', `/v1/channels/${owner.userId}/follow`, follower);
    const id = await server.liveStream(owner.token, { privacy: 'subscribers', minTier: 2 });
    expect((await streamAs(id, owner)).minTier).toBe(2);

    for (const [who, user] of [
      ['signed out', undefined],
      ['tier 1', tier1],
      ['another channel’s subscriber', elsewhere],
      ['a follower', follower],
    ] as const) {
      expect((await call('GET', `/v1/streams/${id}`, user)).status, who).toBe(404);
      expect(await listed(user, id), who).toBe(false);
    }
    for (const [who, user] of [
      ['tier 2', tier2],
      ['a moderator', mod],
      ['the owner', owner],
    ] as const) {
      expect(await listed(user, id), who).toBe(true);
      const url = (await streamAs(id, user)).hlsUrl as string;
      expect(tokenOf(url), who).toBeTruthy();
      expect(await mediaStatus(url), who).toBe(404);
    }
    // The media of a subscribers-only stream needs a signed URL, and so does its realtime room.
    const url = (await streamAs(id, tier2)).hlsUrl as string;
    expect(await mediaStatus(url.split('?')[0] as string)).toBe(401);
    const outsider = await server.socket(tier1.token);
    expect(await outsider.emitWithAck('stream:join', { streamId: id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    // A subscriber's URL lasts no longer than the token that says they subscribe.
    const expires = Number(tokenOf(url)?.split('.')[0]);
    expect(expires).toBeLessThanOrEqual(jwtExp(tier2.token));
    const modExpires = Number(tokenOf((await streamAs(id, mod)).hlsUrl)?.split('.')[0]);
    expect(modExpires).toBeGreaterThan(jwtExp(mod.token));
  });

  it('raising the tier voids the URLs and the rooms of those below it at once', async () => {
    const tier2 = await server.token('Was enough', { subscriptions: { [owner.userId]: 2 } });
    const tier3 = await server.token('Still enough', { subscriptions: { [owner.userId]: 3 } });
    const id = await server.liveStream(owner.token, { privacy: 'subscribers' });
    const url2 = (await streamAs(id, tier2)).hlsUrl as string;
    const socket2 = await server.socket(tier2.token);
    const socket3 = await server.socket(tier3.token);
    const seen2 = record(socket2);
    const seen3 = record(socket3);
    for (const socket of [socket2, socket3]) {
      expect((await socket.emitWithAck('stream:join', { streamId: id })).ok).toBe(true);
    }
    expect(await mediaStatus(url2)).toBe(404);

    const raised = await call('PATCH', `/v1/streams/${id}`, owner, { minTier: 3 });
    expect(raised.status).toBe(200);
    expect(await mediaStatus(url2)).toBe(401);
    await waitFor(
      () =>
        seen2.some(([name]) => name === 'stream:access-revoked') &&
        seen3.some(([name]) => name === 'stream:updated'),
      'the room to be re-checked',
    );
    const update = seen3.findLast(([name]) => name === 'stream:updated')?.[1];
    const fresh = StreamSchema.parse(update);
    expect(fresh.minTier).toBe(3);
    expect(await mediaStatus(fresh.hlsUrl as string)).toBe(404);
    expect((await call('GET', `/v1/streams/${id}`, tier2)).status).toBe(404);
  });

  it('refuses a tier outside 1–3 with a typed error', async () => {
    for (const minTier of [0, 4, 1.5, '2']) {
      const { status, body } = await call('POST', '/v1/streams', owner, {
        title: 'Tiers',
        privacy: 'subscribers',
        minTier,
      });
      expect(status, String(minTier)).toBe(400);
      expect(body, String(minTier)).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });
});

describe('playback tokens in playlists', () => {
  it('refuses a token with anything appended and writes tokens URL-encoded', async () => {
    const viewer = await server.token('Reader');
    const id = await server.liveStream(owner.token, { privacy: 'private' });
    await call('PUT', `/v1/streams/${id}/invites`, owner, { userIds: [viewer.userId] });
    const url = (await streamAs(id, viewer)).hlsUrl as string;
    // A recording on disk (what an ended stream serves): a master and a media playlist.
    await mkdir(join(hlsDir, id, '720p'), { recursive: true });
    await writeFile(
      join(hlsDir, id, 'master.m3u8'),
      '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\n720p/index.m3u8\n',
    );
    await writeFile(
      join(hlsDir, id, '720p', 'index.m3u8'),
      '#EXTM3U\n#EXT-X-MAP:URI="init-0.mp4"\n#EXTINF:2,\n0.m4s\n#EXT-X-ENDLIST\n',
    );
    const master = await fetch(`${server.url}${url}`);
    expect(master.status).toBe(200);
    const token = tokenOf(url) as string;
    expect(await master.text()).toContain(`720p/index.m3u8?token=${encodeURIComponent(token)}`);

    const injected = `${url}.x%0A%23EXT-X-INJECTED:1`;
    for (const path of [injected, injected.replace('master.m3u8', '720p/index.m3u8')]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(401);
      expect(await response.text()).not.toContain('EXT-X-INJECTED');
    }
  });
});
