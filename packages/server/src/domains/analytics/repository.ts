import type { ChannelStreamSummary, StreamEngagement, ViewBeacon } from '@onair/protocol/analytics';
import { and, asc, desc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../storage/database.js';
import {
  chatMessages,
  follows,
  polls,
  pollVotes,
  questions,
  reactionCounts,
  streams,
  viewEvents,
  viewMinutes,
  viewSessions,
} from '../../storage/schema.js';

/** A beacon as the server keeps it: its times moved onto the server's clock. */
export interface ReceivedBeacon {
  beacon: ViewBeacon;
  /** Server time minus the player's clock, ms (added to every time the beacon carries). */
  clockOffsetMs: number;
  /** When the server received it, ms since the epoch. */
  receivedAt: number;
}

/** A stream's view sessions, summed: the inputs of its QoE summary. */
export interface SessionTotals {
  views: number;
  startedViews: number;
  uniqueViewers: number;
  startupMsMedian: number | null;
  startupMsP95: number | null;
  watchMs: number;
  rebufferMs: number;
  rebufferCount: number;
  failed: number;
  exitedBeforeStart: number;
  bitrateKbps: number | null;
  height: number | null;
  latencyMean: number | null;
  byEngine: Record<string, number>;
}

/** One minute of a stream's timeline, as stored. */
export interface MinuteRow {
  minute: Date;
  watchMs: number;
  rebufferMs: number;
  rebufferCount: number;
  bitrateWeighted: number;
  bitrateMs: number;
}

const MINUTE_MS = 60_000;

/** `view_events_2026_12` for December 2026 (UTC). */
const partitionName = (year: number, month: number) =>
  `view_events_${year}_${String(month + 1).padStart(2, '0')}`;

/**
 * Stored view analytics: sessions with their newest figures, their events
 * (append only, partitioned by month) and per-minute sums per stream.
 */
export class AnalyticsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Creates the months of `view_events` from `now`'s to `monthsAhead` later
   * (idempotent), so that events land in their month rather than the
   * default partition.
   */
  async ensurePartitions(now: Date, monthsAhead = 1): Promise<void> {
    for (let i = 0; i <= monthsAhead; i++) {
      const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1));
      const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
      const name = partitionName(from.getUTCFullYear(), from.getUTCMonth());
      await this.db.execute(
        sql.raw(
          `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "view_events" FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
        ),
      );
    }
  }

  /**
   * Writes beacons in one transaction: each session's newest figures, the
   * events, and the intervals into the per-minute sums. A beacon whose `seq`
   * is not newer than the session's stored one (a retry, or one overtaken)
   * is left out; returns how many were applied.
   */
  async write(received: readonly ReceivedBeacon[]): Promise<number> {
    if (received.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      const ids = [...new Set(received.map((r) => r.beacon.session.id))].sort();
      // Locks the sessions already stored (another server may write the same ones).
      const stored = await tx
        .select({ id: viewSessions.id, lastSeq: viewSessions.lastSeq })
        .from(viewSessions)
        .where(inArray(viewSessions.id, ids))
        .orderBy(asc(viewSessions.id))
        .for('update');
      const lastSeq = new Map(stored.map((row) => [row.id, row.lastSeq]));
      const applied: ReceivedBeacon[] = [];
      for (const r of [...received].sort((a, b) => a.beacon.seq - b.beacon.seq)) {
        const { id } = r.beacon.session;
        if (r.beacon.seq <= (lastSeq.get(id) ?? -1)) continue;
        lastSeq.set(id, r.beacon.seq);
        applied.push(r);
      }
      if (applied.length === 0) return 0;

      // The newest beacon of each session carries its figures.
      const newest = new Map<string, ReceivedBeacon>();
      for (const r of applied) newest.set(r.beacon.session.id, r);
      const sessionRows = [...newest.values()]
        .sort((a, b) => (a.beacon.session.id < b.beacon.session.id ? -1 : 1))
        .map(sessionRow);
      await tx
        .insert(viewSessions)
        .values(sessionRows)
        .onConflictDoUpdate({
          target: viewSessions.id,
          set: Object.fromEntries(
            UPDATED_COLUMNS.map((column) => [
              column,
              sql.raw(`excluded."${COLUMN_NAMES[column]}"`),
            ]),
          ),
        });

      const events = applied.flatMap(({ beacon, clockOffsetMs }) =>
        beacon.events.map((event, position) => ({
          sessionId: beacon.session.id,
          seq: beacon.seq,
          position,
          streamId: beacon.session.streamId,
          at: new Date(event.at + clockOffsetMs),
          type: event.type,
          data: event.data ?? null,
        })),
      );
      for (let i = 0; i < events.length; i += 1000) {
        await tx
          .insert(viewEvents)
          .values(events.slice(i, i + 1000))
          .onConflictDoNothing();
      }

      const minutes = new Map<string, typeof viewMinutes.$inferInsert>();
      for (const { beacon, receivedAt } of applied) {
        const { interval } = beacon;
        const minute = Math.floor(receivedAt / MINUTE_MS) * MINUTE_MS;
        const key = `${beacon.session.streamId}\n${minute}`;
        const row = minutes.get(key) ?? {
          streamId: beacon.session.streamId,
          minute: new Date(minute),
          watchMs: 0,
          rebufferMs: 0,
          rebufferCount: 0,
          bitrateWeighted: 0,
          bitrateMs: 0,
        };
        row.watchMs = (row.watchMs ?? 0) + interval.watchMs;
        row.rebufferMs = (row.rebufferMs ?? 0) + interval.rebufferMs;
        row.rebufferCount = (row.rebufferCount ?? 0) + interval.rebufferCount;
        if (interval.bitrateKbps !== null && interval.watchMs > 0) {
          row.bitrateWeighted =
            (row.bitrateWeighted ?? 0) + interval.bitrateKbps * interval.watchMs;
          row.bitrateMs = (row.bitrateMs ?? 0) + interval.watchMs;
        }
        minutes.set(key, row);
      }
      const minuteRows = [...minutes.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, row]) => row);
      await tx
        .insert(viewMinutes)
        .values(minuteRows)
        .onConflictDoUpdate({
          target: [viewMinutes.streamId, viewMinutes.minute],
          set: {
            watchMs: sql`${viewMinutes.watchMs} + excluded.watch_ms`,
            rebufferMs: sql`${viewMinutes.rebufferMs} + excluded.rebuffer_ms`,
            rebufferCount: sql`${viewMinutes.rebufferCount} + excluded.rebuffer_count`,
            bitrateWeighted: sql`${viewMinutes.bitrateWeighted} + excluded.bitrate_weighted`,
            bitrateMs: sql`${viewMinutes.bitrateMs} + excluded.bitrate_ms`,
          },
        });
      return applied.length;
    });
  }

  /** A stream's view sessions summed (one query over its sessions, one by engine). */
  totals(streamId: string): Promise<SessionTotals> {
    return this.totalsWhere(eq(viewSessions.streamId, streamId));
  }

  /**
   * The view sessions of a channel's streams summed: sessions that started
   * from `from` to `to` (exclusive) on streams the channel owns.
   */
  channelTotals(channelId: string, from: Date, to: Date): Promise<SessionTotals> {
    return this.totalsWhere(
      and(
        inArray(
          viewSessions.streamId,
          this.db.select({ id: streams.id }).from(streams).where(eq(streams.ownerId, channelId)),
        ),
        gte(viewSessions.startedAt, from),
        lt(viewSessions.startedAt, to),
      ),
    );
  }

  /**
   * A channel's streams that started from `from` to `to` (exclusive), newest
   * first, each with its sessions summed.
   */
  async channelStreams(
    channelId: string,
    from: Date,
    to: Date,
    limit = 500,
  ): Promise<ChannelStreamSummary[]> {
    const rows = await this.db
      .select({
        streamId: streams.id,
        title: streams.title,
        startedAt: streams.startedAt,
        endedAt: streams.endedAt,
        peakViewers: streams.peakViewers,
        views: sql<number>`count(${viewSessions.id})::int`,
        uniqueViewers: sql<number>`count(distinct coalesce('u:' || ${viewSessions.userId}, ${viewSessions.id}))::int`,
        totalWatchMs: sql<number>`coalesce(sum(${viewSessions.watchMs}), 0)::float8`,
      })
      .from(streams)
      .leftJoin(viewSessions, eq(viewSessions.streamId, streams.id))
      .where(
        and(
          eq(streams.ownerId, channelId),
          gte(streams.startedAt, from),
          lt(streams.startedAt, to),
        ),
      )
      .groupBy(streams.id)
      .orderBy(desc(streams.startedAt), desc(streams.id))
      .limit(limit);
    return rows.map((row) => ({
      streamId: row.streamId,
      title: row.title,
      startedAt: (row.startedAt ?? from).toISOString(),
      endedAt: row.endedAt ? row.endedAt.toISOString() : null,
      views: Number(row.views),
      uniqueViewers: Number(row.uniqueViewers),
      peakViewers: row.peakViewers,
      totalWatchMs: Number(row.totalWatchMs),
    }));
  }

  /** Follows of a channel made from `from` to `to` (exclusive). */
  async followsBetween(channelId: string, from: Date, to: Date): Promise<number> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int` })
      .from(follows)
      .where(
        and(
          eq(follows.channelId, channelId),
          gte(follows.createdAt, from),
          lt(follows.createdAt, to),
        ),
      );
    return Number(row?.count ?? 0);
  }

  private async totalsWhere(where: SQL | undefined): Promise<SessionTotals> {
    const [row] = await this.db
      .select({
        views: sql<number>`count(*)::int`,
        startedViews: sql<number>`count(${viewSessions.startupMs})::int`,
        uniqueViewers: sql<number>`count(distinct coalesce('u:' || ${viewSessions.userId}, ${viewSessions.id}))::int`,
        startupMsMedian: sql<
          number | null
        >`percentile_cont(0.5) within group (order by ${viewSessions.startupMs})`,
        startupMsP95: sql<
          number | null
        >`percentile_cont(0.95) within group (order by ${viewSessions.startupMs})`,
        watchMs: sql<number>`coalesce(sum(${viewSessions.watchMs}), 0)::float8`,
        rebufferMs: sql<number>`coalesce(sum(${viewSessions.rebufferMs}), 0)::float8`,
        rebufferCount: sql<number>`coalesce(sum(${viewSessions.rebufferCount}), 0)::int`,
        failed: sql<number>`count(*) filter (where ${viewSessions.failed})::int`,
        exitedBeforeStart: sql<number>`count(*) filter (where ${viewSessions.exitedBeforeStart})::int`,
        bitrateKbps: sql<number | null>`avg(${viewSessions.bitrateKbps})`,
        height: sql<number | null>`avg(${viewSessions.height})`,
        latencyMean: sql<number | null>`avg(${viewSessions.latencyMean})`,
      })
      .from(viewSessions)
      .where(where);
    const engines = await this.db
      .select({ engine: viewSessions.engine, count: sql<number>`count(*)::int` })
      .from(viewSessions)
      .where(where)
      .groupBy(viewSessions.engine);
    const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    return {
      views: Number(row?.views ?? 0),
      startedViews: Number(row?.startedViews ?? 0),
      uniqueViewers: Number(row?.uniqueViewers ?? 0),
      startupMsMedian: num(row?.startupMsMedian),
      startupMsP95: num(row?.startupMsP95),
      watchMs: Number(row?.watchMs ?? 0),
      rebufferMs: Number(row?.rebufferMs ?? 0),
      rebufferCount: Number(row?.rebufferCount ?? 0),
      failed: Number(row?.failed ?? 0),
      exitedBeforeStart: Number(row?.exitedBeforeStart ?? 0),
      bitrateKbps: num(row?.bitrateKbps),
      height: num(row?.height),
      latencyMean: num(row?.latencyMean),
      byEngine: Object.fromEntries(engines.map((e) => [e.engine, Number(e.count)])),
    };
  }

  /**
   * What a stream's audience did, from the other domains' tables in one
   * query: chat (not deleted), reactions, questions (not hidden), poll
   * votes, and follows of `channelId` between `from` and `to` (live time).
   */
  async engagement(
    streamId: string,
    channelId: string,
    from: Date | null,
    to: Date,
  ): Promise<StreamEngagement> {
    const since = from ?? to;
    const [row] = await this.db
      .select({
        chatMessages: sql<number>`(select count(*)::int from ${chatMessages} where ${chatMessages.streamId} = ${streamId} and ${chatMessages.deletedAt} is null)`,
        chatters: sql<number>`(select count(distinct ${chatMessages.authorId})::int from ${chatMessages} where ${chatMessages.streamId} = ${streamId} and ${chatMessages.deletedAt} is null)`,
        reactions: sql<number>`(select coalesce(sum(${reactionCounts.count}), 0)::int from ${reactionCounts} where ${reactionCounts.streamId} = ${streamId})`,
        questions: sql<number>`(select count(*)::int from ${questions} where ${questions.streamId} = ${streamId} and not ${questions.hidden})`,
        pollVotes: sql<number>`(select count(*)::int from ${pollVotes} join ${polls} on ${polls.id} = ${pollVotes.pollId} where ${polls.streamId} = ${streamId})`,
        followsGained: sql<number>`(select count(*)::int from ${follows} where ${follows.channelId} = ${channelId} and ${follows.createdAt} >= ${since} and ${follows.createdAt} <= ${to})`,
      })
      .from(sql`(select 1) as one`);
    return {
      chatMessages: Number(row?.chatMessages ?? 0),
      chatters: Number(row?.chatters ?? 0),
      reactions: Number(row?.reactions ?? 0),
      questions: Number(row?.questions ?? 0),
      pollVotes: Number(row?.pollVotes ?? 0),
      followsGained: Number(row?.followsGained ?? 0),
    };
  }

  /** A stream's per-minute sums, oldest first. */
  async minutes(streamId: string): Promise<MinuteRow[]> {
    const rows = await this.db
      .select()
      .from(viewMinutes)
      .where(eq(viewMinutes.streamId, streamId))
      .orderBy(asc(viewMinutes.minute));
    return rows.map((row) => ({
      minute: row.minute,
      watchMs: Number(row.watchMs),
      rebufferMs: Number(row.rebufferMs),
      rebufferCount: row.rebufferCount,
      bitrateWeighted: row.bitrateWeighted,
      bitrateMs: Number(row.bitrateMs),
    }));
  }

  /** Forgets a user's view sessions and their events (a privacy request); returns how many sessions. */
  async deleteUser(userId: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const sessions = tx
        .select({ id: viewSessions.id })
        .from(viewSessions)
        .where(eq(viewSessions.userId, userId));
      await tx.delete(viewEvents).where(inArray(viewEvents.sessionId, sessions));
      const deleted = await tx
        .delete(viewSessions)
        .where(eq(viewSessions.userId, userId))
        .returning({ id: viewSessions.id });
      return deleted.length;
    });
  }

  /**
   * Drops what is older than `before`: sessions last seen and minutes before
   * it, and every month of events that ended before it (whole partitions).
   */
  async prune(before: Date): Promise<void> {
    await this.db.delete(viewSessions).where(lt(viewSessions.lastSeenAt, before));
    await this.db.delete(viewMinutes).where(lt(viewMinutes.minute, before));
    await this.db
      .delete(viewEvents)
      .where(and(lt(viewEvents.at, before), sql`tableoid = 'view_events_default'::regclass`));
    const months = await this.db
      .select({ name: sql<string>`c.relname` })
      .from(
        sql`pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent`,
      )
      .where(sql`p.relname = 'view_events'`);
    for (const { name } of months) {
      const month = /^view_events_(\d{4})_(\d{2})$/.exec(name);
      if (!month) continue;
      const end = Date.UTC(Number(month[1]), Number(month[2]), 1);
      if (end <= before.getTime()) await this.db.execute(sql.raw(`DROP TABLE IF EXISTS "${name}"`));
    }
  }
}

/** The session columns a newer beacon replaces. */
const UPDATED_COLUMNS = [
  'userId',
  'lastSeenAt',
  'lastSeq',
  'engine',
  'dimensions',
  'startupMs',
  'watchMs',
  'rebufferCount',
  'rebufferMs',
  'bitrateKbps',
  'height',
  'qualitySwitches',
  'latencyMean',
  'latencyP95',
  'droppedFrames',
  'errors',
  'fallbacks',
  'failed',
  'exitedBeforeStart',
  'ended',
] as const;

const COLUMN_NAMES = Object.fromEntries(
  UPDATED_COLUMNS.map((column) => [column, viewSessions[column].name]),
) as Record<(typeof UPDATED_COLUMNS)[number], string>;

function sessionRow({ beacon, clockOffsetMs, receivedAt }: ReceivedBeacon) {
  const { session, metrics } = beacon;
  return {
    id: session.id,
    streamId: session.streamId,
    userId: session.userId ?? null,
    startedAt: new Date(Math.min(session.startedAt + clockOffsetMs, receivedAt)),
    lastSeenAt: new Date(receivedAt),
    lastSeq: beacon.seq,
    engine: session.engine,
    device: session.device,
    browser: session.browser,
    os: session.os,
    dimensions: session.dimensions ?? {},
    startupMs: metrics.startupMs,
    watchMs: metrics.watchMs,
    rebufferCount: metrics.rebufferCount,
    rebufferMs: metrics.rebufferMs,
    bitrateKbps: metrics.bitrateKbps,
    height: metrics.height,
    qualitySwitches: metrics.qualitySwitches,
    latencyMean: metrics.latencyMean,
    latencyP95: metrics.latencyP95,
    droppedFrames: metrics.droppedFrames,
    errors: metrics.errors,
    fallbacks: metrics.fallbacks,
    failed: metrics.failed,
    exitedBeforeStart: metrics.exitedBeforeStart,
    ended: metrics.ended,
  };
}
