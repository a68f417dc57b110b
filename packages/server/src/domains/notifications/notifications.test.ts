import { createECDH, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookEvent } from '@onair/protocol';
import {
  type Notification,
  NotificationPageSchema,
  NotificationSchema,
} from '@onair/protocol/notifications';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/webhook-receiver.js';

/*
 * Issue #21, item 1: followers are told when a channel goes live (and, if they
 * want everything, when it schedules a stream), people who asked are reminded
 * before a scheduled start, every notification lands in an inbox and is
 * pushed to the user's connections and to the host's webhook.
 */
let server: TestServer;
let receiver: WebhookReceiver;
const hooks: WebhookEvent[] = [];
/** A push service of the test's own, and the paths of the Web Pushes it received. */
let pushService: Server;
let pushServiceUrl = '';
const webPushes: string[] = [];
type User = { token: string; userId: string };
let owner: User;

beforeAll(async () => {
  receiver = await startWebhookReceiver((body) => {
    hooks.push(JSON.parse(body) as WebhookEvent);
    return 204;
  });
  pushService = createServer((request, response) => {
    request.resume().on('end', () => {
      webPushes.push(request.url ?? '');
      response.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => pushService.listen(0, '127.0.0.1', resolve));
  pushServiceUrl = `http://127.0.0.1:${(pushService.address() as AddressInfo).port}`;
  const vapid = webpush.generateVAPIDKeys();
  server = await startTestServer({
    // Reminders 10 minutes ahead, looked for every 50 ms.
    notifications: { reminderLeadMinutes: 10, reminderCheckMs: 50 },
    webhooks: [
      { url: receiver.url, secret: 'a-secret-of-16-chars', events: ['notifications.sent'] },
    ],
    webPush: { ...vapid, subject: 'mailto:ops@onair.test', allowInsecureEndpoints: true },
  });
  owner = await server.token('Channel');
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
  await new Promise((resolve) => pushService?.close(resolve));
});

async function call(method: string, path: string, user?: User, json?: unknown) {
  const response = await server.request(path, {
    method,
    ...(user ? { token: user.token } : {}),
    ...(json !== undefined ? { json } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function follower(name: string, level?: 'all' | 'live' | 'none'): Promise<User> {
  const user = await server.token(name);
  expect((await call('PUT', `/v1/channels/${owner.userId}/follow`, user)).status).toBe(200);
  if (level) {
    const set = await call('PUT', `/v1/channels/${owner.userId}/notifications`, user, { level });
    expect(set.body).toEqual({ channelId: owner.userId, level });
  }
  return user;
}

/** A user's whole inbox. */
async function inbox(user: User) {
  const { status, body } = await call('GET', '/v1/me/notifications?limit=100', user);
  expect(status).toBe(200);
  return NotificationPageSchema.parse(body);
}

/** Pushes a user's connection receives. */
async function pushes(user: User): Promise<Notification[]> {
  const socket = await server.socket(user.token);
  const seen: Notification[] = [];
  socket.on('notification:new', (n: unknown) => seen.push(NotificationSchema.parse(n)));
  return seen;
}

/**
 * What reaches a user outside the inbox, from now on: the ids of the
 * notifications pushed to a connection of theirs, and how many Web Pushes a
 * browser of theirs got.
 */
async function reach(user: User) {
  const realtime = await pushes(user);
  const path = `/push/${user.userId}`;
  const keys = createECDH('prime256v1');
  keys.generateKeys();
  const subscribed = await server.call('PUT', '/v1/me/push-subscriptions', user, {
    endpoint: `${pushServiceUrl}${path}`,
    keys: {
      p256dh: keys.getPublicKey().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    },
  });
  expect(subscribed.status).toBe(204);
  return {
    realtime: () => realtime.map((n) => n.id),
    webPushes: () => webPushes.filter((received) => received === path).length,
  };
}

/** Whom the host's webhook was told `kind` of a stream, sorted. */
const told = (streamId: string, kind: string) =>
  hooks
    .filter((h) => h.type === 'notifications.sent' && h.data.stream.id === streamId)
    .filter((h) => h.data.notification?.kind === kind)
    .flatMap((h) => h.data.notification?.userIds ?? [])
    .sort();

/** Lets deliveries that are not awaited (a push, a webhook) land before checking for none. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

const inFuture = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const kinds = async (user: User, streamId: string) =>
  (await inbox(user)).items.filter((n) => n.stream.id === streamId).map((n) => n.kind);

describe('notifications', () => {
  it('tells followers by their level when a channel schedules and goes live, pushed and by webhook', async () => {
    const [everything, liveOnly, nothing] = [
      await follower('Everything', 'all'),
      await follower('Live only'),
      await follower('Nothing', 'none'),
    ];
    const stranger = await server.token('Stranger');
    const seen = await pushes(liveOnly);
    const id = await server.liveStream(
      owner.token,
      { title: 'Launch day', scheduledAt: inFuture(120) },
      false,
    );
    await expect.poll(() => kinds(everything, id)).toEqual(['scheduled']);
    expect(await kinds(liveOnly, id)).toEqual([]);

    await call('POST', `/v1/streams/${id}/start`, owner);
    await expect.poll(() => seen.map((n) => n.id)).toEqual([`live-${id}`]);
    expect(seen[0]).toMatchObject({
      kind: 'live',
      read: false,
      stream: { id, title: 'Launch day', status: 'live', owner: { id: owner.userId } },
    });
    await expect.poll(() => kinds(everything, id)).toEqual(['live', 'scheduled']);
    expect(await kinds(liveOnly, id)).toEqual(['live']);
    expect(await kinds(nothing, id)).toEqual([]);
    expect(await kinds(stranger, id)).toEqual([]);
    expect(await kinds(owner, id)).toEqual([]);

    // The host's webhook names who was told, per kind.
    await expect.poll(() => told(id, 'live')).toEqual([everything.userId, liveOnly.userId].sort());
    expect(told(id, 'scheduled')).toEqual([everything.userId]);
  });

  it('keeps an inbox: newest first, in pages, with its unread count, read one by one or all', async () => {
    const reader = await follower('Reader', 'all');
    const ids: string[] = [];
    for (const title of ['One', 'Two', 'Three']) {
      ids.push(await server.liveStream(owner.token, { title }));
    }
    await expect.poll(async () => (await inbox(reader)).unread).toBe(3);
    const first = await call('GET', '/v1/me/notifications?limit=2', reader);
    const page1 = NotificationPageSchema.parse(first.body);
    expect(page1.items.map((n) => n.stream.title)).toEqual(['Three', 'Two']);
    const second = await call(
      'GET',
      `/v1/me/notifications?limit=2&cursor=${page1.nextCursor}`,
      reader,
    );
    const page2 = NotificationPageSchema.parse(second.body);
    expect(page2.items.map((n) => n.stream.title)).toEqual(['One']);
    expect(page2.nextCursor).toBeNull();

    const one = await call('POST', '/v1/me/notifications/read', reader, {
      ids: [`live-${ids[0]}`],
    });
    expect(one.body).toEqual({ unread: 2 });
    expect((await inbox(reader)).items.find((n) => n.stream.title === 'One')?.read).toBe(true);
    expect((await call('POST', '/v1/me/notifications/read', reader, {})).body).toEqual({
      unread: 0,
    });
    // Bad input is a typed error.
    for (const body of [{ ids: [] }, { ids: ['a b'] }, { all: true }]) {
      const bad = await call('POST', '/v1/me/notifications/read', reader, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await call('GET', '/v1/me/notifications')).status).toBe(401);
    expect((await call('GET', '/v1/me/notifications?cursor=nope', reader)).status).toBe(400);
  });

  it('reminds those who asked before a scheduled start, once, and tells them when it starts', async () => {
    const eager = await server.token('Eager');
    const seen = await pushes(eager);
    const soon = await server.liveStream(
      owner.token,
      { title: 'Soon', scheduledAt: inFuture(30) },
      false,
    );
    const later = await server.liveStream(
      owner.token,
      { title: 'Later', scheduledAt: inFuture(60) },
      false,
    );
    for (const id of [soon, later]) {
      expect((await call('PUT', `/v1/streams/${id}/reminder`, eager)).body).toEqual({
        streamId: id,
        reminded: true,
      });
    }
    expect((await call('GET', `/v1/streams/${soon}/reminder`, eager)).body.reminded).toBe(true);
    // A page of buttons asks once: in the order asked, a stream without a reminder (or none
    // by that id) is not reminded.
    const asked = [later, 'str_unknown', soon];
    const batch = await call('GET', `/v1/me/reminders?streams=${asked.join(',')}`, eager);
    expect(batch.body).toEqual({
      items: [
        { streamId: later, reminded: true },
        { streamId: 'str_unknown', reminded: false },
        { streamId: soon, reminded: true },
      ],
    });
    expect((await call('GET', `/v1/me/reminders?streams=${soon}`, owner)).body).toEqual({
      items: [{ streamId: soon, reminded: false }],
    });
    // Made private (not invited): the reminder would not go out, and the answer says no more
    // of the stream than of none; public again, it would.
    const batchOf = async (id: string) =>
      (await call('GET', `/v1/me/reminders?streams=${id}`, eager)).body;
    await call('PATCH', `/v1/streams/${later}`, owner, { privacy: 'private' });
    expect(await batchOf(later)).toEqual({ items: [{ streamId: later, reminded: false }] });
    expect((await call('GET', `/v1/streams/${later}/reminder`, eager)).status).toBe(404);
    await call('PATCH', `/v1/streams/${later}`, owner, { privacy: 'public' });
    expect(await batchOf(later)).toEqual({ items: [{ streamId: later, reminded: true }] });
    for (const bad of ['', `${soon},`, Array.from({ length: 101 }, () => soon).join(','), 'a b']) {
      const refused = await call(
        'GET',
        `/v1/me/reminders?streams=${encodeURIComponent(bad)}`,
        eager,
      );
      expect([refused.status, refused.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await call('GET', '/v1/me/reminders', eager)).status).toBe(400);
    expect((await call('GET', `/v1/me/reminders?streams=${soon}`)).status).toBe(401);
    // 30 minutes out: not due yet (the lead is 10). Moved to 5 minutes out: due.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toEqual([]);
    await call('PATCH', `/v1/streams/${soon}`, owner, { scheduledAt: inFuture(5) });
    await expect.poll(() => seen.map((n) => n.id)).toEqual([`reminder-${soon}`]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.map((n) => n.id)).toEqual([`reminder-${soon}`]);
    // Postponed past the lead: the reminder, which told of the old time, leaves the inbox;
    // moved into the lead again, it goes out again, new and unread.
    await call('POST', '/v1/me/notifications/read', eager, {});
    await call('PATCH', `/v1/streams/${soon}`, owner, { scheduledAt: inFuture(60) });
    await expect.poll(() => kinds(eager, soon)).toEqual([]);
    await settle();
    expect(seen).toHaveLength(1);
    await call('PATCH', `/v1/streams/${soon}`, owner, { scheduledAt: inFuture(5) });
    await expect
      .poll(() => seen.map((n) => n.id))
      .toEqual([`reminder-${soon}`, `reminder-${soon}`]);
    expect((await inbox(eager)).items.find((n) => n.stream.id === soon)).toMatchObject({
      kind: 'reminder',
      read: false,
    });
    expect((await call('GET', `/v1/streams/${soon}/reminder`, eager)).body.reminded).toBe(true);

    await call('POST', `/v1/streams/${soon}/start`, owner);
    await expect
      .poll(() => seen.map((n) => n.id))
      .toEqual([`reminder-${soon}`, `reminder-${soon}`, `live-${soon}`]);
    expect(await kinds(eager, later)).toEqual([]);
    // Only scheduled streams take reminders; stopping one works any time.
    const live = await call('PUT', `/v1/streams/${soon}/reminder`, eager);
    expect(live).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    expect((await call('DELETE', `/v1/streams/${later}/reminder`, eager)).body.reminded).toBe(
      false,
    );
  });

  it('tells only who may see the stream: inbox, realtime, Web Push and webhook alike', async () => {
    const fan = await follower('Fan', 'all');
    const invitee = await server.token('Invitee');
    const subscriber = await server.token('Subscriber', { subscriptions: { [owner.userId]: 1 } });
    const [toFan, toInvitee, toSubscriber] = await Promise.all([
      reach(fan),
      reach(invitee),
      reach(subscriber),
    ]);
    const privateId = await server.liveStream(owner.token, { privacy: 'private' }, false);
    await call('PUT', `/v1/streams/${privateId}/invites`, owner, { userIds: [invitee.userId] });
    const subscribersId = await server.liveStream(
      owner.token,
      { privacy: 'subscribers', scheduledAt: inFuture(60) },
      false,
    );
    expect((await call('PUT', `/v1/streams/${subscribersId}/reminder`, subscriber)).status).toBe(
      200,
    );
    const unlistedId = await server.liveStream(owner.token, { privacy: 'unlisted' });
    for (const id of [privateId, subscribersId])
      await call('POST', `/v1/streams/${id}/start`, owner);
    await expect.poll(() => kinds(invitee, privateId)).toEqual(['live']);
    await expect.poll(() => kinds(subscriber, subscribersId)).toEqual(['live']);
    // The inbox hides what one may not see when read: what went out is checked where it went.
    await expect.poll(() => toInvitee.realtime()).toEqual([`live-${privateId}`]);
    await expect.poll(() => toSubscriber.realtime()).toEqual([`live-${subscribersId}`]);
    await expect.poll(() => told(privateId, 'live')).toEqual([invitee.userId]);
    await expect.poll(() => told(subscribersId, 'live')).toEqual([subscriber.userId]);
    await expect.poll(() => [toInvitee.webPushes(), toSubscriber.webPushes()]).toEqual([1, 1]);
    await settle();
    for (const id of [privateId, subscribersId, unlistedId]) {
      expect(await kinds(fan, id)).toEqual([]);
      expect([id, told(id, 'scheduled'), told(id, 'reminder')]).toEqual([id, [], []]);
    }
    expect(told(unlistedId, 'live')).toEqual([]);
    expect([toFan.realtime(), toFan.webPushes()]).toEqual([[], 0]);
    // A reminder of a stream one may not see is refused as not found.
    const hidden = await server.liveStream(
      owner.token,
      { privacy: 'private', scheduledAt: inFuture(60) },
      false,
    );
    expect((await call('PUT', `/v1/streams/${hidden}/reminder`, fan)).status).toBe(404);
  });

  it('reminds only those who asked, on a private stream too, not its whole invite list', async () => {
    const [asker, other] = [await server.token('Asker'), await server.token('Other invitee')];
    const [toAsker, toOther] = [await reach(asker), await reach(other)];
    const id = await server.liveStream(owner.token, { privacy: 'private' }, false);
    await call('PUT', `/v1/streams/${id}/invites`, owner, {
      userIds: [asker.userId, other.userId],
    });
    expect((await call('PUT', `/v1/streams/${id}/reminder`, asker)).status).toBe(200);
    // Scheduled 5 minutes out: the invite list hears of it, and the asker is reminded.
    await call('PATCH', `/v1/streams/${id}`, owner, { scheduledAt: inFuture(5) });
    // (Both may go out within the same check: in either order.)
    await expect
      .poll(() => toAsker.realtime().sort())
      .toEqual([`reminder-${id}`, `scheduled-${id}`]);
    await expect.poll(() => told(id, 'reminder')).toEqual([asker.userId]);
    await expect.poll(() => toAsker.webPushes()).toBe(2);
    await settle();
    expect(told(id, 'scheduled')).toEqual([asker.userId, other.userId].sort());
    expect(told(id, 'reminder')).toEqual([asker.userId]);
    expect([toOther.realtime(), toOther.webPushes()]).toEqual([[`scheduled-${id}`], 1]);
    expect(await kinds(other, id)).toEqual(['scheduled']);
    expect((await kinds(asker, id)).sort()).toEqual(['reminder', 'scheduled']);
  });

  it('keeps inboxes and reminders to who may still see the stream: privacy changes, bans', async () => {
    const fan = await follower('Loyal', 'all');
    const outsider = await server.token('Outsider');
    const tiered = await server.token('Tiered', { subscriptions: { [owner.userId]: 2 } });
    // Made private and renamed after the fan heard of it: the notification goes, title and all.
    const secret = await server.liveStream(
      owner.token,
      { title: 'Open plans', scheduledAt: inFuture(60) },
      false,
    );
    await expect.poll(() => kinds(fan, secret)).toEqual(['scheduled']);
    const unreadBefore = (await inbox(fan)).unread;
    await call('PATCH', `/v1/streams/${secret}`, owner, { privacy: 'private', title: 'Layoffs' });
    expect(await kinds(fan, secret)).toEqual([]);
    expect((await inbox(fan)).unread).toBe(unreadBefore - 1);
    expect(JSON.stringify(await inbox(fan))).not.toContain('Layoffs');
    // Invited again, they see it (as it is now).
    await call('PUT', `/v1/streams/${secret}/invites`, owner, { userIds: [fan.userId] });
    expect((await inbox(fan)).items.find((n) => n.stream.id === secret)?.stream.title).toBe(
      'Layoffs',
    );

    // Reminders asked for while public, then the stream became followers- or subscribers-only.
    const forFollowers = await server.liveStream(
      owner.token,
      { title: 'Soon for followers', scheduledAt: inFuture(60) },
      false,
    );
    const forSubscribers = await server.liveStream(
      owner.token,
      { title: 'Soon for subscribers', scheduledAt: inFuture(60) },
      false,
    );
    for (const user of [fan, outsider, tiered]) {
      for (const id of [forFollowers, forSubscribers]) {
        expect((await call('PUT', `/v1/streams/${id}/reminder`, user)).status).toBe(200);
      }
    }
    await call('PATCH', `/v1/streams/${forFollowers}`, owner, { privacy: 'followers' });
    await call('PATCH', `/v1/streams/${forSubscribers}`, owner, {
      privacy: 'subscribers',
      minTier: 1,
    });
    // Their reminder would not go out: they are shown "Remind me" again, and ask again under
    // the new privacy (their tier is checked now).
    const stale = await call('GET', `/v1/streams/${forSubscribers}/reminder`, tiered);
    expect(stale.body.reminded).toBe(false);
    expect((await call('PUT', `/v1/streams/${forSubscribers}/reminder`, tiered)).status).toBe(200);
    const renewed = await call('GET', `/v1/streams/${forSubscribers}/reminder`, tiered);
    expect(renewed.body.reminded).toBe(true);
    for (const id of [forFollowers, forSubscribers]) {
      await call('PATCH', `/v1/streams/${id}`, owner, { scheduledAt: inFuture(5) });
    }
    await expect.poll(() => kinds(fan, forFollowers)).toEqual(['reminder', 'scheduled']);
    await expect.poll(() => kinds(tiered, forSubscribers)).toEqual(['reminder']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await kinds(outsider, forFollowers)).toEqual([]);
    expect(await kinds(outsider, forSubscribers)).toEqual([]);
    // Told of it while it was public; without a tier, that notification is hidden now.
    expect(await kinds(fan, forSubscribers)).toEqual([]);

    // A ban hides the channel's notifications and stops new ones.
    const banned = await follower('Banned', 'all');
    const before = await server.liveStream(
      owner.token,
      { title: 'Before the ban', scheduledAt: inFuture(60) },
      false,
    );
    await expect.poll(() => kinds(banned, before)).toEqual(['scheduled']);
    const host = await server.socket(owner.token);
    const ban = await host.emitWithAck('moderation:ban', {
      streamId: before,
      userId: banned.userId,
    });
    expect(ban.ok).toBe(true);
    expect(await kinds(banned, before)).toEqual([]);
    const after = await server.liveStream(owner.token, { title: 'After the ban' });
    await expect.poll(() => kinds(fan, after)).toEqual(['live']);
    expect(await kinds(banned, after)).toEqual([]);
    expect((await inbox(banned)).unread).toBe(0);
  });

  it('lists a channel’s followers for its staff only; levels need a follow', async () => {
    const mod = await server.token('Mod', { moderates: [owner.userId] });
    const someone = await follower('Someone');
    const list = await call('GET', `/v1/channels/${owner.userId}/followers?limit=100`, mod);
    expect(list.status).toBe(200);
    const items = list.body.items as Array<{ user: { id: string }; since: string }>;
    expect(items[0]?.user.id).toBe(someone.userId);
    expect(items.length).toBeGreaterThan(3);
    const refused = await call('GET', `/v1/channels/${owner.userId}/followers`, someone);
    expect(refused).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });

    const loner = await server.token('Loner');
    expect(
      (await call('GET', `/v1/channels/${owner.userId}/notifications`, loner)).body.level,
    ).toBe('none');
    const notFollowing = await call('PUT', `/v1/channels/${owner.userId}/notifications`, loner, {
      level: 'all',
    });
    expect(notFollowing).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    const bad = await call('PUT', `/v1/channels/${owner.userId}/notifications`, someone, {
      level: 'loud',
    });
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect((await call('GET', '/v1/channels/usr_nobody/notifications', someone)).status).toBe(404);
  });
});
