import {
  type PresenceChange,
  PresenceChangeSchema,
  StreamSchema,
  type ViewerCount,
  ViewerCountSchema,
  ViewerListSchema,
} from '@onair/protocol';
import { ViewerHistorySchema } from '@onair/protocol/analytics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealtimeClient, startTestServer, type TestServer } from '../../../test/harness.js';
import { send } from '../../../test/realtime-requests.js';

let server: TestServer;
let seatsForSignedIn: TestServer;

beforeAll(async () => {
  [server, seatsForSignedIn] = await Promise.all([
    startTestServer(),
    startTestServer({ countAnonymousInViewerLimit: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.close(), seatsForSignedIn?.close()]);
});

/** Joins `streamId` on `on` as `token`'s user (anonymous without): the ack's error code or 'joined'. */
async function join(on: TestServer, token: string | undefined, streamId: string) {
  const socket = await on.socket(token);
  const ack = await send(socket, 'stream:join', { streamId });
  return { socket, outcome: ack.ok ? 'joined' : (ack.error.code as string), ack };
}

describe('presence', () => {
  it('does not count the broadcaster, and counts anonymous viewers apart', async () => {
    const owner = await server.token('Broadcaster');
    const streamId = await server.liveStream(owner.token);
    const host = await join(server, owner.token, streamId);
    // The owner's second tab is not a viewer either.
    await join(server, owner.token, streamId);
    const counts: ViewerCount[] = [];
    host.socket.on('viewers:count', (count) => counts.push(count));
    const viewer = await server.token('Viewer');
    const joinedAt = Date.now();
    await join(server, viewer.token, streamId);
    const anonymous = await join(server, undefined, streamId);
    expect(ViewerCountSchema.parse(anonymous.ack.data.viewers)).toMatchObject({
      count: 2,
      signedIn: 1,
      anonymous: 1,
    });
    await expect
      .poll(() => counts.at(-1))
      .toEqual({ streamId, count: 2, signedIn: 1, anonymous: 1, peak: 2 });
    const list = await send(host.socket, 'presence:list', { streamId });
    expect(list.data).toEqual({
      viewers: [{ id: viewer.userId, displayName: 'Viewer', since: expect.any(String) }],
      anonymous: 1,
    });
    // Watching since they joined (the moderator's list says when).
    const since = Date.parse(ViewerListSchema.parse(list.data).viewers[0]?.since ?? '');
    expect(since).toBeGreaterThanOrEqual(joinedAt);
    expect(since).toBeLessThanOrEqual(Date.now());
    const viewerCount = async () =>
      StreamSchema.parse(await (await server.request(`/v1/streams/${streamId}`)).json())
        .viewerCount;
    await expect.poll(viewerCount).toBe(2);
    // The heartbeat that refreshes this server's viewers (every 10 s) leaves the broadcaster out.
    const seen = counts.length;
    await expect
      .poll(() => counts.length, { timeout: 15_000, interval: 250 })
      .toBeGreaterThan(seen);
    expect(counts.at(-1)).toMatchObject({ count: 2, signedIn: 1 });
    // Leaving and coming back still leaves the broadcaster out.
    await send(host.socket, 'stream:leave', { streamId });
    expect((await send(host.socket, 'stream:join', { streamId })).data.viewers.count).toBe(2);
  });

  it('tells the owner and moderators who joins and leaves, once per user, and nobody else', async () => {
    const owner = await server.token('Presenter');
    const streamId = await server.liveStream(owner.token);
    const host = await join(server, owner.token, streamId);
    const mod = await server.token('Watchful', { moderates: [owner.userId] });
    const modSocket = await join(server, mod.token, streamId);
    const early = await server.token('Early');
    await join(server, early.token, streamId);
    const changes = { host: [] as PresenceChange[], mod: [] as PresenceChange[], viewer: [] };
    host.socket.on('presence:changed', (change) => changes.host.push(change));
    modSocket.socket.on('presence:changed', (change) => changes.mod.push(change));
    // What each manager's list would be, kept current by the changes (as core's PresenceStore does).
    const listed = async () =>
      new Set(
        ViewerListSchema.parse(
          (await send(host.socket, 'presence:list', { streamId })).data,
        ).viewers.map((viewer) => viewer.id),
      );
    const replay = (start: Set<string>, seen: PresenceChange[]) => {
      const ids = new Set(start);
      for (const change of seen) {
        for (const viewer of PresenceChangeSchema.parse(change).joined) ids.add(viewer.id);
        for (const id of change.left) ids.delete(id);
      }
      return [...ids].sort();
    };
    const start = await listed();
    expect([...start].sort()).toEqual([mod.userId, early.userId].sort());

    const ann = await server.token('Ann');
    const annTabs = [
      await join(server, ann.token, streamId),
      await join(server, ann.token, streamId),
    ];
    const onlooker = await join(server, (await server.token('Onlooker')).token, streamId);
    onlooker.socket.on('presence:changed', (change) => changes.viewer.push(change as never));
    await join(server, undefined, streamId);
    // The moderator, Early, Ann (once for two tabs) and the onlooker; the anonymous viewer is no entry.
    await expect.poll(() => replay(start, changes.host).length).toBe(4);
    const annJoined = changes.host.flatMap((c) => c.joined).filter((v) => v.id === ann.userId);
    expect(annJoined).toHaveLength(1);
    expect(annJoined[0]).toMatchObject({ displayName: 'Ann', since: expect.any(String) });

    // One of Ann's two tabs leaves: she still watches. The other leaves: she left.
    annTabs[0]?.socket.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(changes.host.flatMap((c) => c.left)).not.toContain(ann.userId);
    await send(annTabs[1]?.socket as RealtimeClient, 'stream:leave', { streamId });
    await expect.poll(() => changes.host.flatMap((c) => c.left)).toContain(ann.userId);
    expect(replay(start, changes.host)).toEqual([...(await listed())].sort());
    await expect.poll(() => replay(start, changes.mod)).toEqual(replay(start, changes.host));
    expect(changes.viewer).toEqual([]);
  });

  it('by default counts anonymous viewers toward viewerLimit', async () => {
    const owner = await server.token('Small room');
    const streamId = await server.liveStream(owner.token, { viewerLimit: 2 });
    expect((await join(server, undefined, streamId)).outcome).toBe('joined');
    expect((await join(server, undefined, streamId)).outcome).toBe('joined');
    const late = await server.token('Late');
    expect((await join(server, late.token, streamId)).outcome).toBe('STREAM_FULL');
  });

  it('with countAnonymousInViewerLimit: false, anonymous viewers never keep a signed-in one out', async () => {
    const owner = await seatsForSignedIn.token('Course');
    const streamId = await seatsForSignedIn.liveStream(owner.token, { viewerLimit: 2 });
    expect((await join(seatsForSignedIn, owner.token, streamId)).outcome).toBe('joined');
    expect((await join(seatsForSignedIn, undefined, streamId)).outcome).toBe('joined');
    expect((await join(seatsForSignedIn, undefined, streamId)).outcome).toBe('joined');
    // Anonymous viewers only take seats left free.
    expect((await join(seatsForSignedIn, undefined, streamId)).outcome).toBe('STREAM_FULL');
    const students = await Promise.all(['A', 'B', 'C'].map((n) => seatsForSignedIn.token(n)));
    const outcomes = [];
    for (const student of students) {
      outcomes.push((await join(seatsForSignedIn, student.token, streamId)).outcome);
    }
    expect(outcomes).toEqual(['joined', 'joined', 'STREAM_FULL']);
  });

  it('keeps who watched and how long, tabs merged, for the stream staff (#21 item 10)', async () => {
    const owner = await server.token('History host');
    const mod = await server.token('History mod', { moderates: [owner.userId] });
    const ada = await server.token('Ada');
    const bob = await server.token('Bob');
    const streamId = await server.liveStream(owner.token);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    // Ada: two tabs that overlap, then a second visit; Bob: one short visit; one anonymous viewer.
    const adaFirst = await join(server, ada.token, streamId);
    await sleep(400);
    const adaSecond = await join(server, ada.token, streamId);
    await send(adaFirst.socket, 'stream:leave', { streamId });
    await sleep(400);
    adaSecond.socket.disconnect();
    const bobTab = await join(server, bob.token, streamId);
    await sleep(200);
    await send(bobTab.socket, 'stream:leave', { streamId });
    // Joining again while there changes nothing.
    await send(bobTab.socket, 'stream:join', { streamId });
    await send(bobTab.socket, 'stream:join', { streamId });
    await join(server, undefined, streamId);
    const adaBack = await join(server, ada.token, streamId);
    await sleep(300);
    await send(adaBack.socket, 'stream:leave', { streamId });

    const history = async (who: { token: string }) =>
      server.call('GET', `/v1/streams/${streamId}/viewers/history`, who);
    await expect
      .poll(async () => ViewerHistorySchema.parse((await history(owner)).body).items[0]?.visits)
      .toBe(2);
    const seen = ViewerHistorySchema.parse((await history(mod)).body);
    const [first, second] = seen.items;
    expect(first).toMatchObject({ user: { id: ada.userId, displayName: 'Ada' }, visits: 2 });
    // 0.8 s across two tabs (counted once), then 0.3 s: not 1.2 + 0.3.
    expect(first?.watchedSeconds).toBeGreaterThanOrEqual(1);
    expect(first?.watchedSeconds).toBeLessThan(1.5);
    expect(second).toMatchObject({ user: { id: bob.userId }, visits: 2 });
    expect(seen.totals).toEqual({ viewers: 2, anonymousVisits: 1 });
    expect(seen.nextCursor).toBeNull();
    const paged = ViewerHistorySchema.parse(
      (await server.call('GET', `/v1/streams/${streamId}/viewers/history?limit=1`, owner)).body,
    );
    expect(paged.items.map((i) => i.user.id)).toEqual([ada.userId]);
    const rest = ViewerHistorySchema.parse(
      (
        await server.call(
          'GET',
          `/v1/streams/${streamId}/viewers/history?limit=1&cursor=${paged.nextCursor}`,
          owner,
        )
      ).body,
    );
    expect(rest.items.map((i) => i.user.id)).toEqual([bob.userId]);
    // A cursor it did not issue is a typed error, not the first page again.
    for (const cursor of ['nonsense', 'o-1', 'o99999999']) {
      const forged = await server.call(
        'GET',
        `/v1/streams/${streamId}/viewers/history?cursor=${cursor}`,
        owner,
      );
      expect([cursor, forged.status, (forged.body as { code?: string }).code]).toEqual([
        cursor,
        400,
        'VALIDATION_FAILED',
      ]);
    }

    expect((await history(ada)).status).toBe(403);
    expect((await server.call('GET', `/v1/streams/${streamId}/viewers/history`)).status).toBe(401);

    // A waiting room before the start is no watching.
    const later = await server.liveStream(owner.token, { title: 'Not yet' }, false);
    await join(server, ada.token, later);
    await sleep(300);
    const waiting = ViewerHistorySchema.parse(
      (await server.call('GET', `/v1/streams/${later}/viewers/history`, owner)).body,
    );
    expect(waiting).toEqual({
      items: [],
      nextCursor: null,
      totals: { viewers: 0, anonymousVisits: 0 },
    });

    // Bob is still in the room when the stream ends: his visit ends with it.
    await server.call('POST', `/v1/streams/${streamId}/end`, owner);
    await sleep(300);
    const ended = ViewerHistorySchema.parse((await history(owner)).body);
    const bobsEnd = ended.items.find((i) => i.user.id === bob.userId)?.lastSeenAt;
    await sleep(600);
    const afterwards = ViewerHistorySchema.parse((await history(owner)).body);
    expect(afterwards.items.find((i) => i.user.id === bob.userId)?.lastSeenAt).toBe(bobsEnd);
  });

  it('lists live streams most watched first (#21 item 2)', async () => {
    const owner = await server.token('Ranked host', { roles: ['broadcaster'] });
    const category = `ranked${Date.now()}`;
    const quiet = await server.liveStream(owner.token, { title: 'Quiet', category });
    const busy = await server.liveStream(owner.token, { title: 'Busy', category });
    const some = await server.liveStream(owner.token, { title: 'Some', category });
    for (const [streamId, viewers] of [
      [busy, 3],
      [some, 1],
    ] as const) {
      for (let i = 0; i < viewers; i++) await join(server, undefined, streamId);
    }
    const list = async (query: string) =>
      server.call('GET', `/v1/streams?status=live&category=${category}&sort=viewers${query}`);
    const titles = (body: unknown) =>
      (body as { items: Array<{ title: string }> }).items.map((s) => s.title);
    await expect.poll(async () => titles((await list('')).body)).toEqual(['Busy', 'Some', 'Quiet']);
    const first = (await list('&limit=2')).body as { nextCursor: string };
    expect(titles(first)).toEqual(['Busy', 'Some']);
    expect(titles((await list(`&limit=2&cursor=${first.nextCursor}`)).body)).toEqual(['Quiet']);
    // The default order is still newest first.
    const recent = await server.call('GET', `/v1/streams?status=live&category=${category}`);
    expect(titles(recent.body)).toEqual(['Some', 'Busy', 'Quiet']);
    for (const bad of [
      '/v1/streams?status=scheduled&sort=viewers',
      '/v1/streams?sort=viewers&cursor=abc',
      '/v1/streams?sort=loudest',
    ]) {
      const refused = await server.call('GET', bad);
      expect(refused.status, bad).toBe(400);
    }
    expect(quiet).toBeTruthy();
  });
});
