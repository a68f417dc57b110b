import type { PublishReport } from '@onair/protocol/analytics';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../../test/scratch-database.js';
import { NO_INGEST, viewBeacon } from '../../../test/view-beacons.js';
import { type OpenDatabase, openDatabase } from '../../storage/database.js';
import { HealthRepository } from '../health/repository.js';
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

  it('counts a beacon repeated in one write once, on the server clock, bitrate weighted by watch time', async () => {
    const at = Date.UTC(2026, 11, 4, 10, 0, 30);
    const once = received('vs_once_session_0001', 0, at);
    const skewed = { ...received('vs_once_session_0002', 0, at), clockOffsetMs: 5000 };
    skewed.beacon.interval = {
      watchMs: 30_000,
      rebufferMs: 0,
      rebufferCount: 0,
      bitrateKbps: 2000,
    };
    expect(await store.write([once, skewed, once])).toBe(2);

    const events = await database.db
      .select({
        position: sql<number>`position`,
        at: sql<number>`(extract(epoch from at) * 1000)::float8`,
        type: sql<string>`type`,
        data: sql<unknown>`data`,
      })
      .from(sql`view_events`)
      .where(sql`session_id = 'vs_once_session_0002'`)
      .orderBy(sql`position`);
    expect(events).toEqual([
      { position: 0, at: at - 10 + 5000, type: 'qualityChange', data: { from: 0, to: 1 } },
      { position: 1, at: at - 5 + 5000, type: 'pause', data: null },
    ]);
    const minute = (await store.minutes('str_analytics')).find(
      (m) => m.minute.getTime() === Date.UTC(2026, 11, 4, 10, 0),
    );
    expect(minute).toMatchObject({ watchMs: 40_000, bitrateMs: 40_000 });
    expect((minute?.bitrateWeighted ?? 0) / (minute?.bitrateMs ?? 1)).toBe(
      (800 * 10_000 + 2000 * 30_000) / 40_000,
    );
  });

  // Races need several connections (PostgreSQL): a new session cannot be locked before it is
  // stored, so two writes of it meet only at its row. Each test holds a minute the writes add
  // to (an uncommitted row) to make them meet there. They run in the PostgreSQL pass
  // (test:postgres), and are not declared in the PGlite one, which has one connection.
  const onPostgres = process.env.ONAIR_TEST_DATABASE_URL ? describe : () => undefined;
  onPostgres('racing writes of a new session', () => {
    /** A connection whose open transaction holds `minute` of the test stream. */
    async function holdMinute(minute: number): Promise<pg.Client> {
      const holder = new pg.Client(scratch?.url);
      await holder.connect();
      await holder.query('begin');
      await holder.query('insert into view_minutes values ($1, $2, 0, 0, 0, 0, 0)', [
        'str_analytics',
        new Date(minute).toISOString(),
      ]);
      return holder;
    }

    /** Resolves once `count` writes wait for a lock (watched from outside any transaction). */
    async function waitingWrites(count: number): Promise<void> {
      const observer = new pg.Client(scratch?.url);
      await observer.connect();
      try {
        for (let i = 0; i < 500; i++) {
          const { rows } = await observer.query(
            "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
          );
          if (rows[0].n >= count) return;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        throw new Error(`${count} writes never waited`);
      } finally {
        await observer.end();
      }
    }

    const sessionOf = async (id: string) => {
      const [row] = await database.db
        .select({
          lastSeq: sql<number>`last_seq`,
          watchMs: sql<number>`watch_ms::float8`,
          events: sql<number>`(select count(*)::int from view_events where session_id = ${id})`,
        })
        .from(sql`view_sessions`)
        .where(sql`id = ${id}`);
      return row;
    };

    it('keeps the newer figures when a newer beacon overtakes an older one', async () => {
      const at = Date.UTC(2026, 11, 5);
      // The older write looks for the session before the newer one stores it, and stores after.
      const olderMinute = await holdMinute(at);
      const newerMinute = await holdMinute(at + 60_000);
      try {
        const newer = store.write([received('vs_race_session_0001', 1, at + 60_000)]);
        await waitingWrites(1);
        const older = store.write([received('vs_race_session_0001', 0, at)]);
        await waitingWrites(2);
        await newerMinute.query('commit');
        expect(await newer).toBe(1);
        await olderMinute.query('commit');
        // Overtaken: it adds nothing, as if it had come after.
        expect(await older).toBe(0);
      } finally {
        await Promise.all([olderMinute.end(), newerMinute.end()]);
      }
      expect(await sessionOf('vs_race_session_0001')).toEqual({
        lastSeq: 1,
        watchMs: 20_000,
        events: 2,
      });
    });

    it('writes a beacon sent twice at once (a retry racing its first send) once', async () => {
      const at = Date.UTC(2026, 11, 6);
      const minute = await holdMinute(at);
      try {
        const first = store.write([received('vs_race_session_0002', 0, at)]);
        await waitingWrites(1);
        const again = store.write([received('vs_race_session_0002', 0, at)]);
        await waitingWrites(2);
        await minute.query('commit');
        expect([await first, await again]).toEqual([1, 0]);
      } finally {
        await minute.end();
      }
      expect(await sessionOf('vs_race_session_0002')).toEqual({
        lastSeq: 0,
        watchMs: 10_000,
        events: 2,
      });
    });
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

  it("keeps a publish session's longest report, for its own stream only, until retention", async () => {
    const at = Date.UTC(2026, 11, 3);
    const report = (sampledMs: number, bitrateKbps: number): PublishReport => ({
      sessionId: 'ps_publish_session_01',
      startedAt: at,
      sampledMs,
      bitrateKbps,
      frameRate: 30,
      height: 720,
      packetLoss: null,
      limitedMs: { cpu: 0, bandwidth: 0, other: 0 },
      reconnects: 0,
      ended: false,
    });
    const stored = () => store.publishReports('str_publishing');
    expect(
      await store.writePublishReport('str_publishing', report(20_000, 2500), new Date(at)),
    ).toBe(true);
    // An older report arriving late, and the same session id claimed for another stream, change nothing.
    expect(
      await store.writePublishReport('str_publishing', report(10_000, 900), new Date(at)),
    ).toBe(false);
    expect(await store.writePublishReport('str_other', report(30_000, 100), new Date(at))).toBe(
      false,
    );
    expect(await stored()).toEqual([report(20_000, 2500)]);
    expect(await store.publishReports('str_other')).toEqual([]);
    expect(
      await store.writePublishReport('str_publishing', report(30_000, 2400), new Date(at)),
    ).toBe(true);
    expect(await stored()).toEqual([report(30_000, 2400)]);
    await store.prune(new Date(at + 1));
    expect(await stored()).toEqual([]);
  });

  it("averages a stream's stored ingest health reports", async () => {
    const health = new HealthRepository(database.db);
    const at = Date.UTC(2026, 11, 3);
    expect(await store.ingestHealth('str_ingest')).toEqual(NO_INGEST);
    for (const [i, [bitrateKbps, score, packetLoss]] of [
      [3000, 100, 0],
      [1000, 60, 0.04],
    ].entries()) {
      await health.add({
        streamId: 'str_ingest',
        at: new Date(at + i * 5000).toISOString(),
        ingest: 'webrtc',
        bitrateKbps: bitrateKbps as number,
        frameRate: 30 - i * 10,
        width: 1280,
        height: 720,
        keyframeIntervalSeconds: 2,
        packetLoss: packetLoss as number,
        jitterMs: 3,
        score: score as number,
        issues: [],
      });
    }
    expect(await store.ingestHealth('str_ingest')).toEqual({
      reports: 2,
      bitrateKbps: 2000,
      frameRate: 25,
      packetLoss: 0.02,
      score: 80,
      lowestScore: 60,
    });
  });
});
