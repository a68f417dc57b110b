import {
  ChannelSchema,
  CreatedStreamSchema,
  type CreateStreamRequest,
  ErrorEnvelopeSchema,
  FollowStateSchema,
  RotatedStreamKeySchema,
  type Stream,
  StreamPageSchema,
  StreamSchema,
} from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

let server: TestServer;
type User = { token: string; userId: string };
let owner: User;
let viewer: User;
let moderator: User;
let admin: User;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.token('Owner', { roles: ['broadcaster'] });
  viewer = await server.token('Viewer');
  admin = await server.token('Admin', { roles: ['admin'] });
  moderator = await server.token('Mod', { moderates: [owner.userId] });
});
afterAll(() => server?.close());

async function create(
  user: User,
  body: CreateStreamRequest = { title: 'A stream' },
): Promise<Stream> {
  const response = await server.request('/v1/streams', {
    method: 'POST',
    token: user.token,
    json: body,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return CreatedStreamSchema.parse(await response.json()).stream;
}

async function call(method: string, path: string, user?: User, json?: unknown) {
  const response = await server.request(path, {
    method,
    ...(user ? { token: user.token } : {}),
    ...(json !== undefined ? { json } : {}),
  });
  const body: unknown = await response.json();
  return { status: response.status, body };
}

const errorCode = (body: unknown) => ErrorEnvelopeSchema.parse(body).code;
const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

describe(`stream management (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('creates a stream with every setting and defaults the rest', async () => {
    const stream = await create(owner, {
      title: 'Algebra, week 3',
      category: 'Education',
      tags: ['math', 'live class'],
      thumbnailUrl: 'https://cdn.example/t.png',
      privacy: 'unlisted',
      qualityPreset: '1080p',
      recording: true,
      viewerLimit: 30,
      chat: { mode: 'followers', slowModeSeconds: 10 },
      qnaEnabled: true,
      scheduledAt: inAnHour(),
    });
    expect(stream).toMatchObject({
      status: 'scheduled',
      category: 'Education',
      tags: ['math', 'live class'],
      qualityPreset: '1080p',
      recording: true,
      viewerLimit: 30,
      chat: { enabled: true, mode: 'followers', slowModeSeconds: 10, emoteOnly: false },
      reactionsEnabled: true,
      qnaEnabled: true,
      recordingUrl: null,
    });
  });

  it('refuses unknown fields, so protected properties cannot be set', async () => {
    const bad = await call('POST', '/v1/streams', owner, {
      title: 'x',
      status: 'live',
      owner: { id: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(errorCode(bad.body)).toBe('VALIDATION_FAILED');
    const stream = await create(owner);
    const patch = await call('PATCH', `/v1/streams/${stream.id}`, owner, { status: 'ended' });
    expect(patch.status).toBe(400);
    const roles = await call('PATCH', `/v1/streams/${stream.id}`, owner, {
      title: 'ok',
      roles: ['admin'],
    });
    expect(roles.status).toBe(400);
    expect(
      StreamSchema.parse((await call('GET', `/v1/streams/${stream.id}`, owner)).body),
    ).toMatchObject({
      status: 'scheduled',
      title: 'A stream',
    });
  });

  it('answers 422 for a schedule in the past, 400 for an empty edit', async () => {
    const past = await call('POST', '/v1/streams', owner, {
      title: 'x',
      scheduledAt: '2020-01-01T00:00:00Z',
    });
    expect(past.status).toBe(422);
    expect(errorCode(past.body)).toBe('UNPROCESSABLE');
    const stream = await create(owner);
    expect((await call('PATCH', `/v1/streams/${stream.id}`, owner, {})).status).toBe(400);
  });

  it('edits, reschedules, and lets a channel moderator change only info and chat', async () => {
    const stream = await create(owner, { title: 'Draft', scheduledAt: inAnHour() });
    const edited = await call('PATCH', `/v1/streams/${stream.id}`, owner, {
      title: 'Final',
      tags: ['a'],
      chat: { emoteOnly: true },
      scheduledAt: new Date(Date.now() + 7200_000).toISOString(),
    });
    expect(edited.status).toBe(200);
    expect(StreamSchema.parse(edited.body)).toMatchObject({
      title: 'Final',
      tags: ['a'],
      chat: { emoteOnly: true, mode: 'open' },
    });
    const modInfo = await call('PATCH', `/v1/streams/${stream.id}`, moderator, { title: 'By mod' });
    expect(modInfo.status).toBe(200);
    const modPrivacy = await call('PATCH', `/v1/streams/${stream.id}`, moderator, {
      privacy: 'private',
    });
    expect(modPrivacy.status).toBe(403);
    expect(ErrorEnvelopeSchema.parse(modPrivacy.body).details).toEqual({ fields: ['privacy'] });
  });

  it('follows the lifecycle and refuses illegal moves with 409', async () => {
    const cancelled = await create(owner);
    expect((await call('POST', `/v1/streams/${cancelled.id}/cancel`, owner)).status).toBe(200);
    expect((await call('POST', `/v1/streams/${cancelled.id}/start`, owner)).status).toBe(409);
    expect((await call('PATCH', `/v1/streams/${cancelled.id}`, owner, { title: 'x' })).status).toBe(
      409,
    );

    const run = await create(owner);
    expect((await call('POST', `/v1/streams/${run.id}/end`, owner)).status).toBe(409);
    expect((await call('POST', `/v1/streams/${run.id}/start`, owner)).status).toBe(200);
    expect((await call('POST', `/v1/streams/${run.id}/cancel`, owner)).status).toBe(409);
    const live = await call('PATCH', `/v1/streams/${run.id}`, owner, { scheduledAt: inAnHour() });
    expect(live.status).toBe(409);
    expect((await call('POST', `/v1/streams/${run.id}/end`, owner)).status).toBe(200);
    expect((await call('POST', `/v1/streams/${run.id}/end`, owner)).status).toBe(409);
  });

  it('rotates the stream key: a new key, shown once, never stored in clear', async () => {
    const created = CreatedStreamSchema.parse(
      (await call('POST', '/v1/streams', owner, { title: 'Keys' })).body,
    );
    const response = await server.request(`/v1/streams/${created.stream.id}/key`, {
      method: 'POST',
      token: owner.token,
    });
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { streamKey } = RotatedStreamKeySchema.parse(await response.json());
    expect(streamKey).not.toBe(created.streamKey);
    expect(streamKey.startsWith('onair_sk_')).toBe(true);
    const stream = await call('GET', `/v1/streams/${created.stream.id}`, owner);
    expect(JSON.stringify(stream.body)).not.toContain(streamKey);
  });

  it('lists live, scheduled and past streams with filters and stable cursors', async () => {
    const category = `cat-${Date.now()}`;
    const lister = await server.token('Lister');
    const live: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await create(lister, { title: `L${i}`, category });
      await call('POST', `/v1/streams/${s.id}/start`, lister);
      live.push(s.id);
    }
    const scheduled = await create(lister, { title: 'Later', category, scheduledAt: inAnHour() });
    const sooner = await create(lister, {
      title: 'Sooner',
      category,
      scheduledAt: new Date(Date.now() + 1800_000).toISOString(),
    });
    const ended = live[0] as string;
    await call('POST', `/v1/streams/${ended}/end`, lister);

    const liveList = StreamPageSchema.parse(
      (await call('GET', `/v1/streams?status=live&category=${category}`)).body,
    );
    expect(liveList.items.map((s) => s.id)).toEqual([live[2], live[1]]);
    const byChannel = StreamPageSchema.parse(
      (await call('GET', `/v1/streams?channel=${lister.userId}&limit=1`)).body,
    );
    expect(byChannel.items).toHaveLength(1);
    const second = StreamPageSchema.parse(
      (
        await call(
          'GET',
          `/v1/streams?channel=${lister.userId}&limit=1&cursor=${byChannel.nextCursor}`,
        )
      ).body,
    );
    expect(second.items[0]?.id).toBe(live[1]);

    const upcoming = StreamPageSchema.parse(
      (await call('GET', `/v1/streams?status=scheduled&category=${category}`)).body,
    );
    expect(upcoming.items.map((s) => s.id)).toEqual([sooner.id, scheduled.id]);
    const past = StreamPageSchema.parse(
      (await call('GET', `/v1/streams?status=past&category=${category}`)).body,
    );
    expect(past.items.map((s) => s.id)).toEqual([ended]);
    const recorded = StreamPageSchema.parse(
      (await call('GET', `/v1/streams?status=past&category=${category}&recorded=true`)).body,
    );
    expect(recorded.items).toEqual([]);

    const mine = StreamPageSchema.parse(
      (await call('GET', '/v1/me/streams?limit=100', lister)).body,
    );
    expect(mine.items).toHaveLength(5);
    expect((await call('GET', '/v1/me/streams')).status).toBe(401);
    expect((await call('GET', '/v1/streams?status=everything')).status).toBe(400);
  });

  it('keeps a channel to 100 streams that have not started; ending or cancelling one makes room', async () => {
    const busy = await server.token('Busy channel', { roles: ['broadcaster'] });
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push((await create(busy, { title: `Lesson ${i}` })).id);
    const over = await call('POST', '/v1/streams', busy, { title: 'One too many' });
    expect([over.status, errorCode(over.body)]).toEqual([422, 'UNPROCESSABLE']);
    expect(ErrorEnvelopeSchema.parse(over.body).details).toEqual({ maxUpcomingStreams: 100 });
    // Another channel is not held back.
    await create(owner, { title: 'Elsewhere' });
    expect((await call('POST', `/v1/streams/${ids[0]}/cancel`, busy)).status).toBe(200);
    await create(busy, { title: 'In its place' });
  });

  it('keeps the cap under concurrent creates: 20 at once with 95 not started, exactly 5 are made', async () => {
    const racing = await server.token('Racing channel', { roles: ['broadcaster'] });
    for (let i = 0; i < 95; i++) await create(racing, { title: `Lesson ${i}` });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('POST', '/v1/streams', racing, { title: `Burst ${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(201), ...Array(15).fill(422)]);
    for (const refused of results.filter((r) => r.status === 422)) {
      expect(ErrorEnvelopeSchema.parse(refused.body)).toMatchObject({
        code: 'UNPROCESSABLE',
        details: { maxUpcomingStreams: 100 },
      });
    }
    const mine = StreamPageSchema.parse(
      (await call('GET', '/v1/me/streams?limit=100', racing)).body,
    );
    expect([mine.items.length, mine.nextCursor]).toEqual([100, null]);
  });

  it("links streams to the host app's things: externalId and metadata, kept, edited, filtered, size-limited", async () => {
    const lesson = `lesson-${Date.now()}`;
    const first = await create(owner, {
      title: 'Lesson, take 1',
      scheduledAt: inAnHour(),
      externalId: lesson,
      metadata: { courseId: 'algebra-1', week: 3, tags: ['intro'] },
    });
    expect(first).toMatchObject({
      externalId: lesson,
      metadata: { courseId: 'algebra-1', week: 3, tags: ['intro'] },
    });
    // Without them: null and {}.
    expect(await create(owner)).toMatchObject({ externalId: null, metadata: {} });
    const second = await create(owner, { title: 'Lesson, take 2', scheduledAt: inAnHour() });
    const edited = await call('PATCH', `/v1/streams/${second.id}`, owner, {
      externalId: lesson,
      metadata: { courseId: 'algebra-1', week: 3 },
    });
    expect(edited.status).toBe(200);
    // A moderator may not change what links a stream to the host's world.
    const byModerator = await call('PATCH', `/v1/streams/${second.id}`, moderator, {
      externalId: 'elsewhere',
    });
    expect(byModerator.status).toBe(403);

    const linked = StreamPageSchema.parse(
      (await call('GET', `/v1/streams?status=scheduled&externalId=${lesson}`)).body,
    );
    expect(linked.items.map((s) => s.id).sort()).toEqual([first.id, second.id].sort());
    const none = StreamPageSchema.parse(
      (await call('GET', '/v1/streams?status=scheduled&externalId=no-such-lesson')).body,
    );
    expect(none.items).toEqual([]);

    // Metadata is JSON of at most 4 KiB; an id is one line of at most 128 characters.
    const big = await call('POST', '/v1/streams', owner, {
      title: 'x',
      metadata: { notes: 'é'.repeat(2100) },
    });
    expect([big.status, errorCode(big.body)]).toEqual([400, 'VALIDATION_FAILED']);
    // A body nests 32 levels at most (the body is one, metadata two). 5,000 levels in 10 kB
    // used to overflow the JSON check's recursion: a 500. Sent as text: a test's
    // JSON.stringify overflows too.
    const nested = (levels: number) =>
      `{"title":"x","metadata":{"a":${'['.repeat(levels)}${']'.repeat(levels)}}}`;
    const send = (method: string, path: string, body: string) =>
      server.request(path, {
        method,
        token: owner.token,
        headers: { 'content-type': 'application/json' },
        body,
      });
    expect((await send('POST', '/v1/streams', nested(30))).status).toBe(201);
    for (const levels of [31, 5000]) {
      for (const [method, path] of [
        ['POST', '/v1/streams'],
        ['PATCH', `/v1/streams/${first.id}`],
      ] as const) {
        const deep = await send(method, path, nested(levels));
        const code = ErrorEnvelopeSchema.parse(await deep.json()).code;
        expect([levels, method, deep.status, code]).toEqual([
          levels,
          method,
          400,
          'VALIDATION_FAILED',
        ]);
      }
    }
    const longId = await call('POST', '/v1/streams', owner, {
      title: 'x',
      externalId: 'a'.repeat(129),
    });
    expect(longId.status).toBe(400);
    const twoLines = await call('GET', `/v1/streams?externalId=${encodeURIComponent('a\nb')}`);
    expect(twoLines.status).toBe(400);
  });

  it('finds streams by words of their title, description, category, tags or channel; by tag; followed', async () => {
    const word = `topology${Date.now()}`;
    const teacher = await server.token(`Professor ${word}`);
    const student = await server.token('Student');
    const later = inAnHour();
    const geometry = await create(teacher, {
      title: `Geometry and ${word}`,
      tags: ['maths', 'week one'],
      scheduledAt: later,
    });
    const knots = await create(owner, {
      title: 'Knots',
      description: `An introduction to ${word} for everyone`,
      category: 'Science',
      scheduledAt: later,
    });
    const hidden = await create(owner, {
      title: `Private ${word}`,
      privacy: 'private',
      scheduledAt: later,
    });
    const found = async (query: string, user?: User) => {
      const { status, body } = await call('GET', `/v1/streams?status=scheduled&${query}`, user);
      expect(status, JSON.stringify(body)).toBe(200);
      return StreamPageSchema.parse(body)
        .items.map((s) => s.id)
        .sort();
    };
    // A word anywhere (title, description), or the channel's name: private streams stay hidden.
    expect(await found(`q=${word}`)).toEqual([geometry.id, knots.id].sort());
    // Every word must match; a word's beginning is enough; case does not matter.
    expect(await found(`q=${encodeURIComponent(`GEOMETRY ${word.slice(0, 6)}`)}`)).toEqual([
      geometry.id,
    ]);
    expect(await found(`q=${encodeURIComponent(`science ${word}`)}`)).toEqual([knots.id]);
    expect(await found(`q=${encodeURIComponent(`week ${word}`)}`)).toEqual([geometry.id]);
    // The channel's name: "Professor topology…" publishes Geometry only.
    expect(await found(`q=professor&channel=${teacher.userId}`)).toEqual([geometry.id]);
    // Query syntax is only words: operators and quotes find nothing, and break nothing.
    expect(await found(`q=${encodeURIComponent("!!! & | ' :*")}`)).toEqual([]);
    expect(await found(`q=${encodeURIComponent(`${word} & !() :*`)}`)).toEqual(
      [geometry.id, knots.id].sort(),
    );
    expect(hidden.privacy).toBe('private');
    // By tag, with the rest of the filters.
    expect(await found(`tag=${encodeURIComponent('week one')}&q=${word}`)).toEqual([geometry.id]);
    // The channels one follows: signed in only.
    expect((await call('GET', '/v1/streams?status=scheduled&following=true')).status).toBe(401);
    expect(await found(`following=true&q=${word}`, student)).toEqual([]);
    await call('PUT', `/v1/channels/${teacher.userId}/follow`, student);
    expect(await found(`following=true&q=${word}`, student)).toEqual([geometry.id]);
  });

  it('finds every stream of a channel whose name matches, however many viewers share the name', async () => {
    // Signed-in viewers are users too: 150 Alexes with no stream come before the one who streams.
    for (let i = 0; i < 150; i++) await server.token(`Alex Something${i}`);
    const streamer = await server.token('Alex Streamer', { roles: ['broadcaster'] });
    const id = await server.liveStream(streamer.token, { title: 'Evening show' });
    const { status, body } = await call('GET', '/v1/streams?status=live&q=alex');
    expect(status, JSON.stringify(body)).toBe(200);
    expect(StreamPageSchema.parse(body).items.map((s) => s.id)).toEqual([id]);
  });

  it('keeps private and followers-only streams out of sight, lists and rooms', async () => {
    const privateStream = await create(owner, {
      title: 'Private',
      privacy: 'private',
      category: 'secret-cat',
    });
    const followersStream = await create(owner, {
      title: 'Fans',
      privacy: 'followers',
      category: 'secret-cat',
    });
    const unlisted = await create(owner, {
      title: 'Link only',
      privacy: 'unlisted',
      category: 'secret-cat',
    });
    for (const s of [privateStream, followersStream, unlisted]) {
      await call('POST', `/v1/streams/${s.id}/start`, owner);
    }
    const listed = async (user?: User) =>
      StreamPageSchema.parse(
        (await call('GET', '/v1/streams?category=secret-cat', user)).body,
      ).items.map((s) => s.title);
    expect(await listed()).toEqual([]);
    expect(await listed(viewer)).toEqual([]);
    expect((await call('GET', `/v1/streams/${privateStream.id}`, viewer)).status).toBe(404);
    expect((await call('GET', `/v1/streams/${unlisted.id}`)).status).toBe(200);

    const invite = await call('PUT', `/v1/streams/${privateStream.id}/invites`, owner, {
      userIds: [viewer.userId, viewer.userId],
    });
    expect(invite.body).toEqual({ userIds: [viewer.userId] });
    expect((await call('GET', `/v1/streams/${privateStream.id}`, viewer)).status).toBe(200);
    expect(await listed(viewer)).toEqual(['Private']);

    const follow = await call('PUT', `/v1/channels/${owner.userId}/follow`, viewer);
    expect(FollowStateSchema.parse(follow.body).following).toBe(true);
    expect((await listed(viewer)).sort()).toEqual(['Fans', 'Private']);
    expect((await call('GET', `/v1/streams/${followersStream.id}`, moderator)).status).toBe(200);
    expect((await listed(owner)).sort()).toEqual(['Fans', 'Link only', 'Private']);
    expect((await listed(admin)).sort()).toEqual(['Fans', 'Link only', 'Private']);

    const guest = await server.socket(viewer.token);
    expect((await guest.emitWithAck('stream:join', { streamId: followersStream.id })).ok).toBe(
      true,
    );
    await call('DELETE', `/v1/channels/${owner.userId}/follow`, viewer);
    const stranger = await server.socket((await server.token('Stranger')).token);
    const refused = await stranger.emitWithAck('stream:join', { streamId: followersStream.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('runs channels: profile, emotes, follow counts that survive repeats', async () => {
    const host = await server.token('Host');
    const fan = await server.token('Fan');
    const patched = await call('PATCH', '/v1/channels/me', host, {
      displayName: 'Host TV',
      description: 'Weekly shows',
      emotes: [{ code: 'hype', url: 'https://cdn.example/hype.png' }],
    });
    expect(ChannelSchema.parse(patched.body)).toMatchObject({
      displayName: 'Host TV',
      followerCount: 0,
    });
    const dupes = await call('PATCH', '/v1/channels/me', host, {
      emotes: [
        { code: 'a1', url: 'https://x.example/1' },
        { code: 'a1', url: 'https://x.example/2' },
      ],
    });
    expect(dupes.status).toBe(400);
    for (let i = 0; i < 3; i++) await call('PUT', `/v1/channels/${host.userId}/follow`, fan);
    const seen = ChannelSchema.parse((await call('GET', `/v1/channels/${host.userId}`, fan)).body);
    expect(seen).toMatchObject({ followerCount: 1, following: true });
    expect(
      ChannelSchema.parse((await call('GET', `/v1/channels/${host.userId}`)).body).following,
    ).toBeNull();
    await call('DELETE', `/v1/channels/${host.userId}/follow`, fan);
    await call('DELETE', `/v1/channels/${host.userId}/follow`, fan);
    expect(
      ChannelSchema.parse((await call('GET', `/v1/channels/${host.userId}`)).body).followerCount,
    ).toBe(0);
    expect((await call('PUT', `/v1/channels/${host.userId}/follow`, host)).status).toBe(422);
    expect((await call('PUT', '/v1/channels/usr_nobody/follow', fan)).status).toBe(404);
  });

  it('refuses joins beyond the viewer limit, except for moderators', async () => {
    const stream = await create(owner, { title: 'Small room', viewerLimit: 1 });
    await call('POST', `/v1/streams/${stream.id}/start`, owner);
    const first = await server.socket();
    expect((await first.emitWithAck('stream:join', { streamId: stream.id })).ok).toBe(true);
    const second = await server.socket();
    const full = await second.emitWithAck('stream:join', { streamId: stream.id });
    expect(full).toMatchObject({ ok: false, error: { code: 'STREAM_FULL' } });
    const mod = await server.socket(moderator.token);
    expect((await mod.emitWithAck('stream:join', { streamId: stream.id })).ok).toBe(true);
    // The resource carries the live viewer count (null unless live). Counts are flushed
    // once per interval (VIEWER_COUNT_FLUSH_MS), so the second join shows up shortly after.
    await expect
      .poll(
        async () =>
          StreamSchema.parse((await call('GET', `/v1/streams/${stream.id}`)).body).viewerCount,
        { timeout: 5_000, interval: 100 },
      )
      .toBe(2);
    const listed = StreamPageSchema.parse(
      (await call('GET', `/v1/streams?channel=${owner.userId}&limit=100`)).body,
    );
    expect(listed.items.find((s) => s.id === stream.id)?.viewerCount).toBe(2);
    expect((await create(owner)).viewerCount).toBeNull();
  });

  it('enforces chat settings: off, followers-only, subscribers-only', async () => {
    const stream = await create(owner, { title: 'Chat rules', chat: { mode: 'subscribers' } });
    await call('POST', `/v1/streams/${stream.id}/start`, owner);
    const subscriber = await server.token('Sub', { subscriptions: { [owner.userId]: 1 } });
    const sockets = {
      viewer: await server.socket(viewer.token),
      subscriber: await server.socket(subscriber.token),
    };
    for (const s of Object.values(sockets))
      await s.emitWithAck('stream:join', { streamId: stream.id });
    const say = (who: keyof typeof sockets) =>
      sockets[who].emitWithAck('chat:send', { streamId: stream.id, text: 'hi' });
    expect(await say('viewer')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const sent = await say('subscriber');
    expect(sent).toMatchObject({ ok: true, data: { author: { badges: ['subscriber-1'] } } });
    await call('PATCH', `/v1/streams/${stream.id}`, owner, { chat: { enabled: false } });
    expect(await say('subscriber')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('lets only configured roles create streams', async () => {
    const course = await startTestServer({ creatorRoles: ['broadcaster'] });
    try {
      const student = await course.token('Student');
      const teacher = await course.token('Teacher', { roles: ['broadcaster'] });
      const denied = await course.request('/v1/streams', {
        method: 'POST',
        token: student.token,
        json: { title: 'x' },
      });
      expect(denied.status).toBe(403);
      const allowed = await course.request('/v1/streams', {
        method: 'POST',
        token: teacher.token,
        json: { title: 'x' },
      });
      expect(allowed.status).toBe(201);
    } finally {
      await course.close();
    }
  });
});
