import { CreateStreamInputSchema } from '@onair/protocol/inputs';
import { NotificationPageSchema } from '@onair/protocol/notifications';
import { count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { scratchDatabase } from '../../../test/scratch-database.js';
import { hlsUrlFor } from '../../media/hls/urls.js';
import { InternalBus } from '../../platform/events.js';
import { MemoryState } from '../../platform/shared-state/memory-state.js';
import { openDatabase } from '../../storage/database.js';
import { notifications } from '../../storage/schema.js';
import { StreamRepository } from '../streams/repository.js';
import { NotificationRepository } from './repository.js';
import { NotificationService } from './service.js';

/*
 * Inboxes are bounded: a retention pass (here every 50 ms) keeps each user's
 * newest `inboxLimit` notifications (here 3) and drops those older than
 * `retentionDays` (the default 90); `unread` counts what is kept.
 */
let server: TestServer;
type User = { token: string; userId: string };

beforeAll(async () => {
  server = await startTestServer({ notifications: { inboxLimit: 3, retentionCheckMs: 50 } });
});
afterAll(() => server?.close());
afterEach(() => {
  vi.useRealTimers();
});

const DAY_MS = 24 * 3600 * 1000;

async function inbox(user: User) {
  const { status, body } = await server.call('GET', '/v1/me/notifications?limit=100', user);
  expect(status).toBe(200);
  const page = NotificationPageSchema.parse(body);
  return { ids: page.items.map((n) => n.stream.id), unread: page.unread };
}

/** A channel and one follower of it (told of every go-live). */
async function channelWithFollower(name: string): Promise<{ owner: User; reader: User }> {
  const owner = await server.token(`${name} channel`);
  const reader = await server.token(`${name} reader`);
  expect((await server.call('PUT', `/v1/channels/${owner.userId}/follow`, reader)).status).toBe(
    200,
  );
  return { owner, reader };
}

/** Starts a stream of `owner` and waits until `reader` was told of it (each told at its own ms). */
async function goLive(owner: User, reader: User): Promise<string> {
  const id = await server.liveStream(owner.token);
  await expect.poll(async () => (await inbox(reader)).ids).toContain(id);
  await new Promise((resolve) => setTimeout(resolve, 2));
  return id;
}

describe('inbox retention', () => {
  it("keeps a user's newest notifications only, and counts unread among those", async () => {
    const { owner, reader } = await channelWithFollower('Busy');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await goLive(owner, reader));
    const newestFirst = [...ids].reverse();
    await expect.poll(() => inbox(reader)).toEqual({ ids: newestFirst.slice(0, 3), unread: 3 });

    // One kept is read; the next go-live pushes out an unread one: 2 unread of the 3 kept.
    const read = await server.call('POST', '/v1/me/notifications/read', reader, {
      ids: [`live-${newestFirst[0]}`],
    });
    expect(read.body).toEqual({ unread: 2 });
    const next = await goLive(owner, reader);
    await expect
      .poll(() => inbox(reader))
      .toEqual({ ids: [next, ...newestFirst.slice(0, 2)], unread: 2 });
    // Another user's inbox is their own: under the cap, nothing of it goes.
    const other = await server.token('Quiet reader');
    await server.call('PUT', `/v1/channels/${owner.userId}/follow`, other);
    const last = await goLive(owner, other);
    expect(await inbox(other)).toEqual({ ids: [last], unread: 1 });
  });

  it('drops notifications older than the retention period', async () => {
    const { owner, reader } = await channelWithFollower('Old');
    const old = await goLive(owner, reader);
    expect(await inbox(reader)).toEqual({ ids: [old], unread: 1 });

    // 91 days on (only the clock moves; the server's timers run as they do).
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() + 91 * DAY_MS);
    // Tokens issued before the jump have expired: the same users sign in again.
    const later = {
      owner: { ...owner, token: await server.issueToken(owner.userId, 'Old channel') },
      reader: { ...reader, token: await server.issueToken(reader.userId, 'Old reader') },
    };
    const fresh = await server.liveStream(later.owner.token);
    await expect.poll(() => inbox(later.reader)).toEqual({ ids: [fresh], unread: 1 });
  });
});

describe('the retention pass', () => {
  it('prunes every inbox: the cap, read or not, and the maximum age, under the cap too', async () => {
    const base = process.env.ONAIR_TEST_DATABASE_URL;
    const scratch = base ? await scratchDatabase(base) : undefined;
    const database = await openDatabase({ databaseUrl: scratch?.url });
    try {
      const { db } = database;
      const streams = new StreamRepository(db, hlsUrlFor);
      await streams.upsertUser({ id: 'usr_owner', displayName: 'Owner' });
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const input = CreateStreamInputSchema.parse({ title: `Stream ${i}` });
        ids.push((await streams.create('usr_owner', input, `key${i}`)).id);
      }
      const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
      const tell = (userId: string, from: number, to: number, at = minutesAgo) =>
        db.insert(notifications).values(
          ids.slice(from, to).map((streamId, i) => ({
            userId,
            kind: 'live' as const,
            streamId,
            createdAt: at(10 - from - i),
            readAt: i % 2 ? new Date() : null,
          })),
        );
      const kept = async (userId: string) =>
        (
          await db
            .select({ streamId: notifications.streamId })
            .from(notifications)
            .where(eq(notifications.userId, userId))
        )
          .map((row) => row.streamId)
          .sort();
      await tell('usr_a', 0, 5);
      await tell('usr_b', 0, 2);
      await tell('usr_c', 0, 1, () => new Date(Date.now() - 31 * 24 * 3600_000));
      await tell('usr_c', 1, 2);
      // More inboxes than one statement prunes (1,000): each past the age once.
      const many = Array.from({ length: 1_001 }, (_, i) => `usr_m${String(i).padStart(4, '0')}`);
      await db.insert(notifications).values(
        many.map((userId) => ({
          userId,
          kind: 'live' as const,
          streamId: ids[0] as string,
          createdAt: minutesAgo(31 * 24 * 60),
        })),
      );
      const service = new NotificationService({
        notifications: new NotificationRepository(db),
        streams,
        bus: new InternalBus(() => undefined),
        reminderLeadMs: 600_000,
        reminderCheckMs: 30_000,
        log: () => undefined,
        retention: { inboxLimit: 3, maxAgeMs: 30 * 24 * 3600_000 },
      });
      await service.prune();
      expect(await kept('usr_a')).toEqual(ids.slice(2, 5).sort());
      expect(await kept('usr_b')).toEqual(ids.slice(0, 2).sort());
      expect(await kept('usr_c')).toEqual([ids[1]]);
      expect(await kept('usr_m1000')).toEqual([]);
      // The next pass finds more to drop where more came.
      await tell('usr_b', 2, 6);
      await service.prune();
      expect(await kept('usr_b')).toEqual(ids.slice(3, 6).sort());
      const [left] = await db.select({ n: count() }).from(notifications);
      expect(left?.n).toBe(7);
    } finally {
      await database.close();
      await scratch?.drop();
    }
  });

  it('runs once per interval among servers that share the database, not once on each', async () => {
    const database = await openDatabase({});
    const state = new MemoryState();
    const services = [0, 1].map(
      () =>
        new NotificationService({
          notifications: new NotificationRepository(database.db),
          streams: new StreamRepository(database.db, hlsUrlFor),
          bus: new InternalBus(() => undefined),
          reminderLeadMs: 600_000,
          reminderCheckMs: 30_000,
          log: () => undefined,
          retention: {
            checkMs: 333,
            // Redis takes whole milliseconds only.
            turn: async (ms) =>
              Number.isInteger(ms) && (await state.slowMode('retention', ms)) === 0,
          },
        }),
    );
    const passes = services.map((service) => vi.spyOn(service, 'prune'));
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const stops = services.map((service) => service.start());
    try {
      // Both start (each would prune at once), then tick three times each in a second:
      // one pass at start and one a tick, where each on its own would make eight.
      await vi.advanceTimersByTimeAsync(1_000);
      const total = passes.reduce((sum, pass) => sum + pass.mock.calls.length, 0);
      expect(total).toBe(4);
    } finally {
      await Promise.all(stops.map((stop) => stop()));
      await database.close();
    }
  });
});
