import { randomBytes } from 'node:crypto';
import { ErrorEnvelopeSchema } from '@onair/protocol';
import {
  ChannelAnalyticsSchema,
  type PublishReport,
  type StreamAnalytics,
  StreamAnalyticsSchema,
  type ViewBeacon,
  type ViewMetrics,
} from '@onair/protocol/analytics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealtimeClient, startTestServer, type TestServer } from '../../../test/harness.js';
import { send as ask } from '../../../test/realtime-requests.js';
import { NO_INGEST, viewBeacon } from '../../../test/view-beacons.js';
import { csvField, MAX_BEACON_BODY_BYTES } from './routes.js';

/*
 * View analytics over REST, against a real server and its storage (PGlite,
 * or PostgreSQL in the PostgreSQL pass): beacons in, a stream's report out.
 */

let server: TestServer;
let owner: { token: string; userId: string };
let streamId: string;

beforeAll(async () => {
  server = await startTestServer({
    devAuth: true,
    analytics: { sessionRate: { capacity: 6, refillPerSecond: 0.01 }, liveIntervalMs: 1000 },
  });
  owner = await server.token('Owner');
  streamId = await server.liveStream(owner.token, { title: 'Analytics' });
});
afterAll(() => server?.close());

const sessionId = () => `vs_${randomBytes(12).toString('base64url')}`;

/** A beacon of session `id` for the test's stream. */
function beacon(
  id: string,
  seq: number,
  metrics: Partial<ViewMetrics>,
  interval: Partial<ViewBeacon['interval']> = {},
  session: Partial<ViewBeacon['session']> = {},
): ViewBeacon {
  return viewBeacon(id, streamId, seq, { metrics, interval, session });
}

const send = (beacons: ViewBeacon[]) =>
  server.request('/v1/analytics/beacons', { method: 'POST', json: { beacons } });

async function report(token = owner.token, id = streamId) {
  const response = await server.request(`/v1/streams/${id}/analytics`, { token });
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('private, no-store');
  return StreamAnalyticsSchema.parse(await response.json());
}

async function error(response: Response, status: number) {
  expect(response.status).toBe(status);
  return ErrorEnvelopeSchema.parse(await response.json());
}

describe(`view analytics (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('sums view sessions into the QoE summary, the audience and the timeline', async () => {
    const [a, b, c, d] = [sessionId(), sessionId(), sessionId(), sessionId()];
    // Ada watches twice (two sessions, one viewer), one anonymous viewer, one who left before the start.
    const response = await send([
      beacon(
        a,
        0,
        { startupMs: 800, watchMs: 60_000, bitrateKbps: 2000, height: 720, latencyMean: 2 },
        { watchMs: 60_000, bitrateKbps: 2000 },
        { userId: 'ada' },
      ),
      beacon(
        b,
        0,
        {
          startupMs: 1200,
          watchMs: 30_000,
          rebufferCount: 2,
          rebufferMs: 3000,
          bitrateKbps: 1000,
          height: 480,
          latencyMean: 4,
        },
        { watchMs: 30_000, rebufferMs: 3000, rebufferCount: 2, bitrateKbps: 1000 },
        { userId: 'ada', engine: 'realtime' },
      ),
      beacon(c, 0, { startupMs: 3000, watchMs: 27_000, height: 360 }, { watchMs: 27_000 }),
      beacon(d, 0, { exitedBeforeStart: true, ended: true }),
    ]);
    expect(response.status).toBe(204);

    const analytics = await report();
    expect(analytics.streamId).toBe(streamId);
    expect(analytics.uniqueViewers).toBe(3); // ada once, c, d
    expect(analytics.totalWatchMs).toBe(117_000);
    expect(analytics.averageViewMs).toBe(Math.round(117_000 / 4));
    // 117 s watched within a second of the start: the average is held to the peak (2 per minute).
    expect(analytics.peakViewers).toBe(2);
    expect(analytics.averageViewers).toBe(2);
    expect(analytics.qoe).toMatchObject({
      views: 4,
      startedViews: 3,
      startupMsMedian: 1200,
      rebufferPercent: Math.round((3000 / 120_000) * 10_000) / 100,
      failurePercent: 0,
      exitBeforeStartPercent: 25,
      bitrateKbps: 1500,
      latencyMean: 3,
      byEngine: { hls: 3, realtime: 1 },
    });
    expect(analytics.qoe.rebufferPerMinute).toBeCloseTo(2 / (117_000 / 60_000), 3);
    expect(analytics.qoe.score).toBeGreaterThan(50);
    expect(analytics.qoe.score).toBeLessThan(100);
    // All four arrived within a minute or two: the timeline holds their watch time.
    const watched = analytics.timeline.reduce((sum, m) => sum + m.watchMs, 0);
    expect(watched).toBe(117_000);
    const minute = analytics.timeline.at(-1);
    expect(minute?.bitrateKbps).not.toBeNull();
  });

  it('counts a retried beacon once, and ignores one overtaken by a newer beacon', async () => {
    const id = sessionId();
    const before = await report();
    const first = beacon(id, 0, { startupMs: 500, watchMs: 10_000 }, { watchMs: 10_000 });
    expect((await send([first])).status).toBe(204);
    expect((await send([first])).status).toBe(204); // the same beacon again (a retry)
    const second = beacon(id, 1, { startupMs: 500, watchMs: 20_000 }, { watchMs: 10_000 });
    expect((await send([second])).status).toBe(204);
    expect((await send([first])).status).toBe(204); // late: older than what is stored
    const after = await report();
    expect(after.totalWatchMs - before.totalWatchMs).toBe(20_000);
    const timelineWatch = (a: typeof after) => a.timeline.reduce((sum, m) => sum + m.watchMs, 0);
    expect(timelineWatch(after) - timelineWatch(before)).toBe(20_000);
    expect(after.qoe.views - before.qoe.views).toBe(1);
  });

  it('accepts JSON sent as text/plain (navigator.sendBeacon)', async () => {
    const response = await server.request('/v1/analytics/beacons', {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ beacons: [beacon(sessionId(), 0, { watchMs: 1000 })] }),
    });
    expect(response.status).toBe(204);
    const notJson = await server.request('/v1/analytics/beacons', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{beacons',
    });
    expect((await error(notJson, 400)).code).toBe('BAD_REQUEST');
  });

  it('refuses bad beacons with typed errors, and stores nothing of them', async () => {
    const id = sessionId();
    const bad = { ...beacon(id, 0, { watchMs: 1000 }), seq: -1 };
    expect((await error(await send([bad]), 400)).code).toBe('VALIDATION_FAILED');
    const tooManyDimensions = beacon(
      id,
      0,
      {},
      {},
      { dimensions: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`d${i}`, 'x'])) },
    );
    expect((await error(await send([tooManyDimensions]), 400)).code).toBe('VALIDATION_FAILED');
    const unknown = beacon(id, 0, {}, {}, { streamId: 'str_missing' });
    expect((await error(await send([unknown]), 404)).code).toBe('NOT_FOUND');
    expect((await error(await send([]), 400)).code).toBe('VALIDATION_FAILED');
    const huge = await server.request('/v1/analytics/beacons', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ beacons: [], pad: 'x'.repeat(MAX_BEACON_BODY_BYTES) }),
    });
    expect((await error(huge, 413)).code).toBe('PAYLOAD_TOO_LARGE');
    expect((await report()).qoe.views).toBeGreaterThan(0);
    const views = (await report()).qoe.views;
    expect((await send([beacon(id, 0, { watchMs: 1 })])).status).toBe(204);
    expect((await report()).qoe.views).toBe(views + 1);
  });

  it('limits how often one view session reports', async () => {
    const id = sessionId();
    const statuses: number[] = [];
    for (let seq = 0; seq < 8; seq++) statuses.push((await send([beacon(id, seq, {})])).status);
    expect(statuses.slice(0, 6)).toEqual([204, 204, 204, 204, 204, 204]);
    const limited = await send([beacon(id, 9, {})]);
    const body = await error(limited, 429);
    expect(body.code).toBe('RATE_LIMITED');
    // Another session is not held back by this one.
    expect((await send([beacon(sessionId(), 0, {})])).status).toBe(204);
  });

  it('shows a stream’s analytics to its owner, its moderators and admins only', async () => {
    const stranger = await server.token('Stranger');
    const moderator = await server.token('Moderator', { moderates: [owner.userId] });
    const admin = await server.token('Admin', { roles: ['admin'] });
    expect((await report(moderator.token)).streamId).toBe(streamId);
    expect((await report(admin.token)).streamId).toBe(streamId);
    const forbidden = await server.request(`/v1/streams/${streamId}/analytics`, {
      token: stranger.token,
    });
    expect((await error(forbidden, 403)).code).toBe('FORBIDDEN');
    const anonymous = await server.request(`/v1/streams/${streamId}/analytics`);
    expect((await error(anonymous, 401)).code).toBe('UNAUTHORIZED');
    const missing = await server.request('/v1/streams/str_missing/analytics', {
      token: owner.token,
    });
    expect((await error(missing, 404)).code).toBe('NOT_FOUND');
  });

  it('keeps a private stream’s figures from moderators it does not invite', async () => {
    // A channel of its own: the channel report test below lists the test owner's streams.
    const host = await server.token('Private host');
    const open = await server.liveStream(host.token, { title: 'Public' });
    const hidden = await server.liveStream(host.token, { title: 'Private', privacy: 'private' });
    const [moderator, invited] = await Promise.all([
      server.token('Uninvited moderator', { moderates: [host.userId] }),
      server.token('Invited moderator', { moderates: [host.userId] }),
    ]);
    const invites = await server.request(`/v1/streams/${hidden}/invites`, {
      method: 'PUT',
      token: host.token,
      json: { userIds: [invited.userId] },
    });
    expect(invites.status).toBe(200);
    // The stream itself is hidden from the uninvited moderator; so are its figures.
    expect((await server.request(`/v1/streams/${hidden}`, { token: moderator.token })).status).toBe(
      404,
    );
    const refused = await server.request(`/v1/streams/${hidden}/analytics`, {
      token: moderator.token,
    });
    expect((await error(refused, 404)).code).toBe('NOT_FOUND');
    const csv = await server.request(`/v1/streams/${hidden}/analytics.csv`, {
      token: moderator.token,
    });
    expect((await error(csv, 404)).code).toBe('NOT_FOUND');
    expect((await report(invited.token, hidden)).streamId).toBe(hidden);
    expect((await report(host.token, hidden)).streamId).toBe(hidden);

    // One view of each stream: 3 s of the public one, 5 s of the private one.
    for (const [id, watchMs, userId] of [
      [open, 3000, 'pia'],
      [hidden, 5000, 'quinn'],
    ] as const) {
      const viewed = await send([
        beacon(sessionId(), 0, { watchMs }, { watchMs }, { userId, streamId: id }),
      ]);
      expect(viewed.status).toBe(204);
    }
    const channel = async (token: string) => {
      const response = await server.request(`/v1/channels/${host.userId}/analytics`, { token });
      expect(response.status).toBe(200);
      return ChannelAnalyticsSchema.parse(await response.json());
    };
    const listed = async (token: string) => (await channel(token)).streams.map((s) => s.streamId);
    // The totals leave the private stream out for the moderator it does not invite.
    expect((await channel(moderator.token)).totalWatchMs).toBe(3000);
    expect((await channel(moderator.token)).uniqueViewers).toBe(1);
    expect((await channel(invited.token)).totalWatchMs).toBe(8000);
    expect((await channel(host.token)).uniqueViewers).toBe(2);
    expect(await listed(moderator.token)).not.toContain(hidden);
    expect(await listed(moderator.token)).toContain(open);
    expect(await listed(invited.token)).toContain(hidden);
    expect(await listed(host.token)).toContain(hidden);
  });

  it("deletes a user's view sessions on a privacy request (admins, or the user themself)", async () => {
    const grace = await server.token('Grace');
    const stranger = await server.token('Stranger');
    const admin = await server.token('Admin', { roles: ['admin'] });
    const before = (await report()).qoe.views;
    for (const userId of [grace.userId, grace.userId, 'someone-else']) {
      const id = sessionId();
      expect((await send([beacon(id, 0, { watchMs: 1000 }, {}, { userId })])).status).toBe(204);
    }
    expect((await report()).qoe.views).toBe(before + 3);
    const path = `/v1/analytics/users/${grace.userId}`;
    const refused = await server.request(path, { method: 'DELETE', token: stranger.token });
    expect((await error(refused, 403)).code).toBe('FORBIDDEN');
    const own = await server.request(path, { method: 'DELETE', token: grace.token });
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ deletedSessions: 2 });
    expect((await report()).qoe.views).toBe(before + 1);
    const again = await server.request(path, { method: 'DELETE', token: admin.token });
    expect(await again.json()).toEqual({ deletedSessions: 0 });
  });

  it("counts the audience's chat, reactions, questions, votes and follows while live", async () => {
    const host = await server.token('Host');
    const id = await server.liveStream(host.token, { title: 'Engaging', qnaEnabled: true });
    const [ada, bob] = [await server.token('Ada'), await server.token('Bob')];
    const sockets = [];
    for (const who of [host, ada, bob]) {
      const socket = await server.socket(who.token);
      expect((await ask(socket, 'stream:join', { streamId: id })).ok).toBe(true);
      sockets.push(socket);
    }
    const [hostSocket, adaSocket, bobSocket] = sockets as [
      RealtimeClient,
      RealtimeClient,
      RealtimeClient,
    ];
    const chatFrom = Date.now();
    for (const text of ['hi', 'hello', 'hey']) {
      expect((await ask(adaSocket, 'chat:send', { streamId: id, text })).ok).toBe(true);
    }
    expect((await ask(bobSocket, 'chat:send', { streamId: id, text: 'yo' })).ok).toBe(true);
    for (const emoji of ['🔥', '❤️']) {
      expect((await ask(bobSocket, 'reaction:send', { streamId: id, emoji })).ok).toBe(true);
    }
    expect((await ask(adaSocket, 'qna:ask', { streamId: id, text: 'When?' })).ok).toBe(true);
    const poll = await ask(hostSocket, 'poll:create', {
      streamId: id,
      question: 'Tea?',
      options: ['yes', 'no'],
    });
    expect(poll.ok).toBe(true);
    for (const socket of [adaSocket, bobSocket]) {
      expect(
        (await ask(socket, 'poll:vote', { streamId: id, pollId: poll.data.id, option: 0 })).ok,
      ).toBe(true);
    }
    const followed = await server.request(`/v1/channels/${host.userId}/follow`, {
      method: 'PUT',
      token: ada.token,
    });
    expect(followed.status).toBe(200);
    // Reactions are counted per batch window: the report has them once it is written.
    await expect
      .poll(async () => (await report(host.token, id)).engagement, { timeout: 5000 })
      .toEqual({
        chatMessages: 4,
        chatters: 2,
        reactions: 2,
        questions: 1,
        pollVotes: 2,
        followsGained: 1,
      });
    // Ada and Bob watched (the owner's own connection is no viewer).
    const { peakViewers, timeline } = await report(host.token, id);
    expect(peakViewers).toBe(2);
    // The chat rate: every message in the minute it was sent (no one played, so no watch time).
    const minute = (at: number) => new Date(Math.floor(at / 60_000) * 60_000).toISOString();
    expect(timeline.reduce((sum, m) => sum + m.chatMessages, 0)).toBe(4);
    expect(timeline.every((m) => m.watchMs === 0 && m.bitrateKbps === null)).toBe(true);
    // The last minute is one the chat was sent in (the test may cross a minute's end).
    expect([minute(chatFrom), minute(Date.now())]).toContain(timeline.at(-1)?.at);
    const csv = await server.request(`/v1/streams/${id}/analytics.csv`, { token: host.token });
    const [header, ...rows] = (await csv.text()).trim().split('\r\n');
    expect(header?.split(',').at(-1)).toBe('chat_messages');
    expect(rows.map((row) => Number(row.split(',').at(-1))).reduce((a, b) => a + b, 0)).toBe(4);
  });

  it("keeps the owner's Publisher reports as the report's broadcast side, to the owner only", async () => {
    const host = await server.token('Publishing host');
    const id = await server.liveStream(host.token, { title: 'Publishing' });
    const viewer = await server.token('Publishing viewer');
    const publishReport = (
      body: Partial<PublishReport> & Pick<PublishReport, 'sessionId' | 'sampledMs'>,
    ): PublishReport => ({
      startedAt: Date.now(),
      bitrateKbps: null,
      frameRate: null,
      height: null,
      packetLoss: null,
      limitedMs: { cpu: 0, bandwidth: 0, other: 0 },
      reconnects: 0,
      ended: false,
      ...body,
    });
    const post = (json: unknown, token = host.token, stream = id) =>
      server.request(`/v1/streams/${stream}/publish-report`, { method: 'POST', token, json });
    const laptop = publishReport({
      sessionId: sessionId(),
      sampledMs: 20_000,
      bitrateKbps: 2000,
      frameRate: 30,
      height: 720,
      limitedMs: { cpu: 2000, bandwidth: 0, other: 0 },
      reconnects: 1,
    });
    const phone = publishReport({
      sessionId: sessionId(),
      sampledMs: 10_000,
      bitrateKbps: 500,
      frameRate: 15,
      height: 360,
      packetLoss: 0.02,
      limitedMs: { cpu: 0, bandwidth: 5000, other: 0 },
      ended: true,
    });
    for (const body of [laptop, phone, { ...laptop, sampledMs: 5000, bitrateKbps: 1 }]) {
      expect((await post(body)).status).toBe(204);
    }
    expect((await report(host.token, id)).broadcast).toEqual({
      sessions: 2,
      sampledMs: 30_000,
      // Means weighted by each session's time; the late, shorter report of the laptop changed nothing.
      bitrateKbps: 1500,
      frameRate: 25,
      height: 600,
      packetLoss: 0.02,
      limitedPercent: { cpu: 6.67, bandwidth: 16.67, other: 0 },
      reconnects: 1,
      ingest: NO_INGEST,
    });
    expect((await error(await post(laptop, viewer.token), 403)).code).toBe('FORBIDDEN');
    expect((await error(await post(laptop, host.token, 'str_missing'), 404)).code).toBe(
      'NOT_FOUND',
    );
    const bad = await post({ ...laptop, limitedMs: { cpu: -1, bandwidth: 0, other: 0 } });
    expect((await error(bad, 400)).code).toBe('VALIDATION_FAILED');
    const anonymous = await server.request(`/v1/streams/${id}/publish-report`, {
      method: 'POST',
      json: laptop,
    });
    expect((await error(anonymous, 401)).code).toBe('UNAUTHORIZED');
    expect((await report(host.token, id)).broadcast.sessions).toBe(2);
  });

  it('pushes a live stream’s report to its owner and moderators every interval, to no one else', async () => {
    const host = await server.token('Live host');
    const id = await server.liveStream(host.token, { title: 'Live feed' });
    const moderator = await server.token('Live moderator', { moderates: [host.userId] });
    const viewer = await server.token('Live viewer');
    const received = new Map<string, StreamAnalytics[]>();
    for (const [name, who] of [
      ['host', host],
      ['moderator', moderator],
      ['viewer', viewer],
    ] as const) {
      const socket = await server.socket(who.token);
      const reports: StreamAnalytics[] = [];
      received.set(name, reports);
      socket.on('stream:analytics', (payload) =>
        reports.push(StreamAnalyticsSchema.parse(payload)),
      );
      expect((await socket.emitWithAck('stream:join', { streamId: id })).ok).toBe(true);
    }
    const session = sessionId();
    const sent = await send([
      viewBeacon(session, id, 0, {
        metrics: { startupMs: 700, watchMs: 9000, rebufferCount: 1, rebufferMs: 1000 },
        interval: { watchMs: 9000, rebufferMs: 1000, rebufferCount: 1 },
      }),
    ]);
    expect(sent.status).toBe(204);
    // The next push (at most a second later) carries the beacon.
    await expect
      .poll(() => received.get('host')?.at(-1)?.qoe.views ?? 0, { timeout: 5000 })
      .toBe(1);
    const latest = received.get('host')?.at(-1);
    expect(latest?.streamId).toBe(id);
    expect(latest?.totalWatchMs).toBe(9000);
    expect(latest?.qoe.startupMsMedian).toBe(700);
    await expect
      .poll(() => received.get('moderator')?.at(-1)?.qoe.views ?? 0, { timeout: 5000 })
      .toBe(1);
    // Pushes keep coming while live: one a second here.
    const count = received.get('host')?.length ?? 0;
    await expect
      .poll(() => received.get('host')?.length ?? 0, { timeout: 5000 })
      .toBeGreaterThan(count);
    expect(received.get('viewer')).toEqual([]);
    // Once the stream ends, pushes stop.
    const ended = await server.request(`/v1/streams/${id}/end`, {
      method: 'POST',
      token: host.token,
    });
    expect(ended.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const afterEnd = received.get('host')?.length ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(received.get('host')?.length).toBe(afterEnd);
  });

  it("reports a channel's streams over a range, as JSON and CSV", async () => {
    // A title a spreadsheet would run as a formula.
    const formula = await server.liveStream(owner.token, { title: '=HYPERLINK("x","y")' });
    const id = sessionId();
    const at = { userId: 'carol' };
    expect(
      (
        await send([
          beacon(id, 0, { watchMs: 4000 }, { watchMs: 4000 }, { ...at, streamId: formula }),
        ])
      ).status,
    ).toBe(204);

    const response = await server.request(`/v1/channels/${owner.userId}/analytics`, {
      token: owner.token,
    });
    expect(response.status).toBe(200);
    const channel = ChannelAnalyticsSchema.parse(await response.json());
    expect(Date.parse(channel.to) - Date.parse(channel.from)).toBe(28 * 24 * 3600 * 1000);
    const [newest, older] = channel.streams;
    expect(newest).toMatchObject({
      streamId: formula,
      views: 1,
      uniqueViewers: 1,
      totalWatchMs: 4000,
    });
    expect(older?.streamId).toBe(streamId);
    const single = await report();
    expect(older).toMatchObject({
      views: single.qoe.views,
      uniqueViewers: single.uniqueViewers,
      totalWatchMs: single.totalWatchMs,
    });
    expect(channel.totalWatchMs).toBe(single.totalWatchMs + 4000);
    expect(channel.qoe.views).toBe(single.qoe.views + 1);

    const csv = await server.request(`/v1/channels/${owner.userId}/analytics.csv`, {
      token: owner.token,
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain('attachment; filename=');
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'stream_id,title,started_at,ended_at,views,unique_viewers,peak_viewers,watch_ms',
    );
    expect(lines[1]).toBe(`${formula},"'=HYPERLINK(""x"",""y"")",${newest?.startedAt},,1,1,0,4000`);
    expect(lines).toHaveLength(1 + channel.streams.length);

    const timeline = await server.request(`/v1/streams/${streamId}/analytics.csv`, {
      token: owner.token,
    });
    const rows = (await timeline.text()).trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'minute,average_viewers,watch_ms,rebuffer_ms,rebuffers,bitrate_kbps,chat_messages',
    );
    expect(rows).toHaveLength(1 + single.timeline.length);

    // Ranges: reversed, too long, or not a date are refused; a stranger is not let in.
    const query = (q: string) =>
      server.request(`/v1/channels/${owner.userId}/analytics?${q}`, { token: owner.token });
    const reversed = await query('from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect((await error(reversed, 400)).code).toBe('VALIDATION_FAILED');
    const long = await query('from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect((await error(long, 400)).code).toBe('VALIDATION_FAILED');
    expect((await error(await query('from=yesterday'), 400)).code).toBe('VALIDATION_FAILED');
    const past = ChannelAnalyticsSchema.parse(
      await (await query('from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z')).json(),
    );
    expect(past).toMatchObject({ streams: [], totalWatchMs: 0, uniqueViewers: 0 });
    const stranger = await server.token('Stranger');
    const refused = await server.request(`/v1/channels/${owner.userId}/analytics.csv`, {
      token: stranger.token,
    });
    expect((await error(refused, 403)).code).toBe('FORBIDDEN');
  });
});

describe('csvField', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('-5')).toBe("'-5");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
  });
});
