import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../../test/scratch-database.js';
import { viewBeacon } from '../../../test/view-beacons.js';
import { type OpenDatabase, openDatabase } from '../../storage/database.js';
import { AnalyticsRepository, type ReceivedBeacon } from './repository.js';

/*
 * The analytics tables as the server keeps them (PGlite, or PostgreSQL in
 * `pnpm test:postgres`): events in their month's partition, written once
 * however often a beacon arrives, dropped a whole month at a time.
 */
let scratch: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
let database: OpenDatabase;
let store: AnalyticsRepository;

beforeAll(async () => {
  const base = process.env.ONAIR_TEST_DATABASE_URL;
  scratch = base ? await scratchDatabase(base) : undefined;
  database = await openDatabase({ databaseUrl: scratch?.url });
  store = new AnalyticsRepository(database.db);
});
afterAll(async () => {
  await database?.close();
  await scratch?.drop();
});

function received(id: string, seq: number, at: number, userId?: string): ReceivedBeacon {
  const beacon = viewBeacon(id, 'str_analytics', seq, {
    at,
    session: {
      startedAt: at - 1000,
      device: 'mobile',
      browser: 'Safari',
      os: 'iOS',
      ...(userId ? { userId } : {}),
    },
    metrics: { startupMs: 900, watchMs: 10_000 * (seq + 1), bitrateKbps: 800, height: 360 },
    interval: { watchMs: 10_000, bitrateKbps: 800 },
    events: [
      { type: 'qualityChange', at: at - 10, data: { from: 0, to: 1 } },
      { type: 'pause', at: at - 5 },
    ],
  });
  return { beacon, clockOffsetMs: 0, receivedAt: at };
}

async function partitionsOfEvents(): Promise<Array<{ partition: string; count: number }>> {
  return database.db
    .select({ partition: sql<string>`tableoid::regclass::text`, count: sql<number>`count(*)::int` })
    .from(sql`view_events`)
    .groupBy(sql`tableoid`)
    .orderBy(sql`1`);
}

describe(`AnalyticsRepository (${process.env.ONAIR_TEST_DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('writes events once into their month, and drops whole months past retention', async () => {
    const october = Date.UTC(2026, 9, 15);
    const december = Date.UTC(2026, 11, 2);
    await store.ensurePartitions(new Date(october), 2); // October to December
    await store.ensurePartitions(new Date(october), 2); // idempotent

    expect(await store.write([received('vs_oct_session_0001', 0, october, 'ada')])).toBe(1);
    expect(await store.write([received('vs_dec_session_0001', 0, december)])).toBe(1);
    // The same beacon again, and both beacons of one session in one write.
    expect(await store.write([received('vs_dec_session_0001', 0, december)])).toBe(0);
    expect(
      await store.write([
        received('vs_dec_session_0001', 2, december + 20_000),
        received('vs_dec_session_0001', 1, december + 10_000),
      ]),
    ).toBe(2);
    expect(await partitionsOfEvents()).toEqual([
      { partition: 'view_events_2026_10', count: 2 },
      { partition: 'view_events_2026_12', count: 6 },
    ]);
    const totals = await store.totals('str_analytics');
    expect(totals).toMatchObject({ views: 2, uniqueViewers: 2, watchMs: 10_000 + 30_000 });
    const minutes = await store.minutes('str_analytics');
    expect(minutes.reduce((sum, m) => sum + m.watchMs, 0)).toBe(40_000);

    // Retention to the 1st of November: October's month goes whole, its session and minutes too.
    await store.prune(new Date(Date.UTC(2026, 10, 1)));
    expect(await partitionsOfEvents()).toEqual([{ partition: 'view_events_2026_12', count: 6 }]);
    expect((await store.totals('str_analytics')).views).toBe(1);
    expect(
      (await store.minutes('str_analytics')).every((m) => m.minute.getTime() >= december),
    ).toBe(true);
  });

  it('keeps an event outside every month in the default partition rather than losing it', async () => {
    const far = Date.UTC(2031, 0, 1);
    expect(await store.write([received('vs_far_session_0001', 0, far)])).toBe(1);
    const partitions = await partitionsOfEvents();
    expect(partitions).toContainEqual({ partition: 'view_events_default', count: 2 });
  });

  it("forgets a user's sessions and their events", async () => {
    const at = Date.UTC(2026, 11, 3);
    await store.write([received('vs_user_session_0001', 0, at, 'grace')]);
    await store.write([received('vs_user_session_0002', 0, at, 'grace')]);
    const before = await partitionsOfEvents();
    expect(await store.deleteUser('grace')).toBe(2);
    const after = await partitionsOfEvents();
    const december = (rows: typeof before) =>
      rows.find((row) => row.partition === 'view_events_2026_12')?.count ?? 0;
    expect(december(before) - december(after)).toBe(4);
    expect(await store.deleteUser('grace')).toBe(0);
  });
});
