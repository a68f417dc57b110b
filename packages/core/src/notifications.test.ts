import { createECDH, randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OnAirServer } from '@onair/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealServer } from '../test/real-server.js';
import { disablePush, enablePush, NotificationStore } from './notifications.js';
import { OnAirClient } from './transport/client.js';

// A real server: the store is thin over the wire, so the wire is what to test.
let server: OnAirServer;
const clients: OnAirClient[] = [];
/** A push service of the test's own, on loopback: what it received. */
let pushService: Server;
let pushUrl = '';
const pushed: string[] = [];
/** A VAPID key pair (P-256): the public key uncompressed, both base64url. */
const vapid = createECDH('prime256v1');
vapid.generateKeys();

async function clientFor(name: string): Promise<OnAirClient & { userId: string }> {
  const userId = `usr_${name.toLowerCase()}_${randomBytes(3).toString('hex')}`;
  const client = new OnAirClient({
    baseUrl: server.url,
    token: await server.issueToken(userId, name),
  });
  clients.push(client);
  return Object.assign(client, { userId });
}

beforeAll(async () => {
  pushService = createHttpServer((request, response) => {
    pushed.push(request.url ?? '');
    request.resume().on('end', () => response.writeHead(201).end());
  });
  await new Promise<void>((resolve) => pushService.listen(0, '127.0.0.1', resolve));
  pushUrl = `http://127.0.0.1:${(pushService.address() as AddressInfo).port}`;
  server = await startRealServer({
    notifications: { reminderLeadMinutes: 10, reminderCheckMs: 50 },
    webPush: {
      publicKey: vapid.getPublicKey().toString('base64url'),
      privateKey: vapid.getPrivateKey().toString('base64url'),
      subject: 'mailto:ops@onair.test',
      allowInsecureEndpoints: true,
    },
  });
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.close();
  await new Promise((resolve) => pushService?.close(resolve));
});

/**
 * A service worker registration whose push manager stands in for the
 * browser's push service (there is none here): it records the key it was
 * given and hands out a subscription to the test's own push service.
 */
function registration(path: string) {
  const keys = createECDH('prime256v1');
  keys.generateKeys();
  let current: PushSubscription | null = null;
  const given: { key?: Uint8Array; unsubscribed: boolean } = { unsubscribed: false };
  const subscription = {
    endpoint: `${pushUrl}${path}`,
    toJSON: () => ({
      endpoint: `${pushUrl}${path}`,
      expirationTime: null,
      keys: {
        p256dh: keys.getPublicKey().toString('base64url'),
        auth: randomBytes(16).toString('base64url'),
      },
    }),
    unsubscribe: async () => {
      given.unsubscribed = true;
      current = null;
      return true;
    },
  } as unknown as PushSubscription;
  const pushManager = {
    getSubscription: async () => current,
    subscribe: async (options: PushSubscriptionOptionsInit) => {
      given.key = new Uint8Array(options.applicationServerKey as Uint8Array);
      current = subscription;
      return subscription;
    },
  };
  return { registration: { pushManager } as unknown as ServiceWorkerRegistration, given };
}

const settle = (ok: () => boolean) => expect.poll(ok, { timeout: 5000 }).toBe(true);
const inFuture = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

describe('notifications', () => {
  it('a store follows the inbox live: pushes, marking read, levels and reminders', async () => {
    const host = await clientFor('Host');
    const fan = await clientFor('Fan');
    // The host's channel exists once they created a stream.
    const { stream } = await host.streams.create({ title: 'First show' });
    await fan.channels.setFollowing(host.userId, true);
    expect(await fan.notifications.level(host.userId)).toBe('live');
    const inbox = new NotificationStore(fan);
    const off = inbox.subscribe(() => {});
    await settle(() => inbox.getSnapshot().status === 'ready');
    expect(inbox.getSnapshot()).toMatchObject({ items: [], unread: 0, hasMore: false });

    await host.streams.start(stream.id);
    await settle(() => inbox.getSnapshot().unread === 1);
    expect(inbox.getSnapshot().items[0]).toMatchObject({
      id: `live-${stream.id}`,
      kind: 'live',
      read: false,
      stream: { title: 'First show' },
    });
    await inbox.markRead();
    expect(inbox.getSnapshot()).toMatchObject({ unread: 0, items: [{ read: true }] });
    // The server agrees: a second store starts with nothing unread.
    const again = new NotificationStore(fan);
    const offAgain = again.subscribe(() => {});
    await settle(() => again.getSnapshot().status === 'ready');
    expect(again.getSnapshot().unread).toBe(0);
    offAgain();

    // "Everything" adds scheduled streams; a reminder comes before the start.
    await fan.notifications.setLevel(host.userId, 'all');
    const { stream: next } = await host.streams.create({
      title: 'Next show',
      scheduledAt: inFuture(5),
    });
    expect(await fan.notifications.reminder(next.id)).toBe(false);
    expect((await fan.notifications.setReminder(next.id, true)).reminded).toBe(true);
    await settle(() =>
      ['scheduled', 'reminder'].every((kind) =>
        inbox.getSnapshot().items.some((n) => n.id === `${kind}-${next.id}`),
      ),
    );
    expect(inbox.getSnapshot().unread).toBe(2);
    await inbox.markRead([`reminder-${next.id}`]);
    expect(inbox.getSnapshot().unread).toBe(1);

    // "None" stops go-live notices; the follower list is the channel's staff's.
    await fan.notifications.setLevel(host.userId, 'none');
    const { stream: quiet } = await host.streams.create({ title: 'Quiet show' });
    await host.streams.start(quiet.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(inbox.getSnapshot().items.some((n) => n.stream.id === quiet.id)).toBe(false);
    const followers = await host.notifications.followers(host.userId);
    expect(followers.items.map((f) => f.user.id)).toEqual([fan.userId]);
    await expect(fan.notifications.followers(host.userId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(host.notifications.setLevel(fan.userId, 'all')).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    off();
  });

  it('turns Web Push on in a browser, pushes a go-live to it, and turns it off', async () => {
    const host = await clientFor('PushHost');
    const fan = await clientFor('PushFan');
    const { stream } = await host.streams.create({ title: 'Pushed' });
    await fan.channels.setFollowing(host.userId, true);
    const device = registration('/push/fan');
    await enablePush(fan, device.registration);
    // The browser was given the server's key, as bytes.
    expect(Buffer.from(device.given.key ?? []).toString('base64url')).toBe(
      vapid.getPublicKey().toString('base64url'),
    );
    await host.streams.start(stream.id);
    await expect.poll(() => pushed, { timeout: 5000 }).toContain('/push/fan');

    await disablePush(fan, device.registration);
    expect(device.given.unsubscribed).toBe(true);
    pushed.length = 0;
    const { stream: next } = await host.streams.create({ title: 'Not pushed' });
    await host.streams.start(next.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(pushed).toEqual([]);
  });

  it('refuses a push key answer without a key, INTERNAL, before asking the browser', async () => {
    const device = registration('/push/nobody');
    for (const body of ['{}', '{"publicKey":42}', 'not json']) {
      const client = new OnAirClient({
        baseUrl: 'http://127.0.0.1:1',
        fetch: async () => new Response(body, { status: 200 }),
      });
      await expect(enablePush(client, device.registration)).rejects.toMatchObject({
        code: 'INTERNAL',
      });
      client.destroy();
    }
    expect(device.given.key).toBeUndefined();
  });

  it('reads the reminders of many streams in one request, in the order asked', async () => {
    const host = await clientFor('Scheduler');
    const reader = await clientFor('Reader');
    const [a, b, c] = await Promise.all(
      ['A', 'B', 'C'].map(
        async (title) =>
          (await host.streams.create({ title, scheduledAt: inFuture(60) })).stream.id,
      ),
    );
    for (const id of [a, c]) await reader.notifications.setReminder(id as string, true);
    expect(await reader.notifications.reminders([c, 'str_none', b, a] as string[])).toEqual([
      { streamId: c, reminded: true },
      { streamId: 'str_none', reminded: false },
      { streamId: b, reminded: false },
      { streamId: a, reminded: true },
    ]);
    // An id holding a comma is split by the query into two real ones: the answer still lines up.
    expect(await reader.notifications.reminders([`${a},${c}`, b as string])).toEqual([
      { streamId: `${a},${c}`, reminded: false },
      { streamId: b, reminded: false },
    ]);
    for (const refused of [[], ['not an id'], Array.from({ length: 101 }, () => a as string)]) {
      await expect(reader.notifications.reminders(refused)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    }
  });
});
