import {
  type ChannelStreamSummary,
  type PublishReport,
  type StreamEngagement,
  VIEW_ENGINES,
  type ViewBeacon,
} from '@onair/protocol/analytics';
import { and, asc, desc, eq, gte, inArray, isNull, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../storage/database.js';
import {
  chatMessages,
  follows,
  polls,
  pollVotes,
  publishSessions,
  questions,
  reactionCounts,
  streamHealth,
  streamInvites,
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

/** Means of a stream's ingest health reports (null with none). */
export interface IngestTotals {
  reports: number;
  bitrateKbps: number | null;
  frameRate: number | null;
  packetLoss: number | null;
  score: number | null;
  lowestScore: number | null;
}

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
   * Writes beacons in one statement (so one transaction): each session's
   * newest figures, the events, and the intervals into the per-minute sums.
   * A beacon whose `seq` is not newer than the session's stored one (a
   * retry, or one overtaken) is left out; returns how many were written.
   */
  write(received: readonly ReceivedBeacon[]): Promise<number> {
    return this.writeEncoded(received.map((r, order) => encodeBeacon(r, order)));
  }

  /** {@link write} for beacons encoded as they arrived ({@link encodeBeacon}). */
  async writeEncoded(beacons: readonly EncodedBeacon[]): Promise<number> {
    if (beacons.length === 0) return 0;
    const result = (await this.db.execute(
      sql`${sql.raw(WRITE_BEACONS[0])}${sql.param(`[${beacons.join(',')}]`)}${sql.raw(WRITE_BEACONS[1])}`,
    )) as unknown as { rows: Array<{ applied: number }> };
    return Number(result.rows[0]?.applied ?? 0);
  }

  /** A stream's view sessions summed. */
  totals(streamId: string): Promise<SessionTotals> {
    return this.totalsWhere(eq(viewSessions.streamId, streamId));
  }

  /**
   * The view sessions of a channel's streams summed: sessions that started
   * from `from` to `to` (exclusive) on streams the channel owns (for a
   * moderator, `invitedOnly`, leaving out the private ones not inviting them).
   */
  channelTotals(
    channelId: string,
    from: Date,
    to: Date,
    invitedOnly?: string,
  ): Promise<SessionTotals> {
    return this.totalsWhere(
      and(
        inArray(
          viewSessions.streamId,
          this.db
            .select({ id: streams.id })
            .from(streams)
            .where(and(eq(streams.ownerId, channelId), this.invitedOrOpen(invitedOnly))),
        ),
        gte(viewSessions.startedAt, from),
        lt(viewSessions.startedAt, to),
      ),
    );
  }

  /**
   * For a moderator (`userId`), the streams they may see: any but the private
   * ones not inviting them; no condition for the channel's owner or an admin.
   */
  private invitedOrOpen(userId: string | undefined): SQL | undefined {
    if (userId === undefined) return undefined;
    return or(
      ne(streams.privacy, 'private'),
      inArray(
        streams.id,
        this.db
          .select({ id: streamInvites.streamId })
          .from(streamInvites)
          .where(eq(streamInvites.userId, userId)),
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
    /** A moderator's user id: private streams they are not invited to are left out. */
    invitedOnly?: string,
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
        uniqueViewers: sql<number>`(count(distinct ${viewSessions.userId}) + count(${viewSessions.id}) filter (where ${viewSessions.userId} is null))::int`,
        totalWatchMs: sql<number>`coalesce(sum(${viewSessions.watchMs}), 0)::float8`,
      })
      .from(streams)
      .leftJoin(viewSessions, eq(viewSessions.streamId, streams.id))
      .where(
        and(
          eq(streams.ownerId, channelId),
          gte(streams.startedAt, from),
          lt(streams.startedAt, to),
          this.invitedOrOpen(invitedOnly),
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

  /**
   * Sums the sessions `where` selects in one pass: unique viewers as
   * distinct user ids plus the sessions without one (no string built per
   * row), both startup percentiles from one sort, sessions per engine
   * counted alongside.
   */
  private async totalsWhere(where: SQL | undefined): Promise<SessionTotals> {
    const [row] = await this.db
      .select({
        views: sql<number>`count(*)::int`,
        startedViews: sql<number>`count(${viewSessions.startupMs})::int`,
        uniqueViewers: sql<number>`(count(distinct ${viewSessions.userId}) + count(*) filter (where ${viewSessions.userId} is null))::int`,
        startupMs: sql<Array<
          number | null
        > | null>`percentile_cont(array[0.5, 0.95]::float8[]) within group (order by ${viewSessions.startupMs})`,
        watchMs: sql<number>`coalesce(sum(${viewSessions.watchMs}), 0)::float8`,
        rebufferMs: sql<number>`coalesce(sum(${viewSessions.rebufferMs}), 0)::float8`,
        rebufferCount: sql<number>`coalesce(sum(${viewSessions.rebufferCount}), 0)::int`,
        failed: sql<number>`count(*) filter (where ${viewSessions.failed})::int`,
        exitedBeforeStart: sql<number>`count(*) filter (where ${viewSessions.exitedBeforeStart})::int`,
        bitrateKbps: sql<number | null>`avg(${viewSessions.bitrateKbps})`,
        height: sql<number | null>`avg(${viewSessions.height})`,
        latencyMean: sql<number | null>`avg(${viewSessions.latencyMean})`,
        byEngine: sql<Record<string, number>>`json_build_object(${sql.join(
          VIEW_ENGINES.map(
            (engine) =>
              sql`${engine}::text, count(*) filter (where ${viewSessions.engine} = ${engine})`,
          ),
          sql`, `,
        )})`,
      })
      .from(viewSessions)
      .where(where);
    const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    return {
      views: Number(row?.views ?? 0),
      startedViews: Number(row?.startedViews ?? 0),
      uniqueViewers: Number(row?.uniqueViewers ?? 0),
      startupMsMedian: num(row?.startupMs?.[0]),
      startupMsP95: num(row?.startupMs?.[1]),
      watchMs: Number(row?.watchMs ?? 0),
      rebufferMs: Number(row?.rebufferMs ?? 0),
      rebufferCount: Number(row?.rebufferCount ?? 0),
      failed: Number(row?.failed ?? 0),
      exitedBeforeStart: Number(row?.exitedBeforeStart ?? 0),
      bitrateKbps: num(row?.bitrateKbps),
      height: num(row?.height),
      latencyMean: num(row?.latencyMean),
      // Only the engines that have sessions.
      byEngine: Object.fromEntries(
        Object.entries(row?.byEngine ?? {})
          .map(([engine, count]) => [engine, Number(count)] as const)
          .filter(([, count]) => count > 0),
      ),
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

  /** A stream's chat messages (not deleted) per minute, oldest first. */
  async chatMinutes(streamId: string): Promise<Array<{ minute: Date; messages: number }>> {
    const minute = sql<Date>`date_trunc('minute', ${chatMessages.createdAt})`;
    const rows = await this.db
      .select({ minute, messages: sql<number>`count(*)::int` })
      .from(chatMessages)
      .where(and(eq(chatMessages.streamId, streamId), isNull(chatMessages.deletedAt)))
      .groupBy(minute)
      .orderBy(minute);
    return rows.map((row) => ({ minute: new Date(row.minute), messages: Number(row.messages) }));
  }

  /**
   * Keeps a Publisher's report of its session, unless the stored one
   * measured longer (reports may arrive out of order) or the session belongs
   * to another stream. Returns whether it was kept.
   */
  async writePublishReport(
    streamId: string,
    report: PublishReport,
    receivedAt: Date,
  ): Promise<boolean> {
    const rows = await this.db
      .insert(publishSessions)
      .values({
        id: report.sessionId,
        streamId,
        startedAt: new Date(report.startedAt),
        lastSeenAt: receivedAt,
        report,
      })
      .onConflictDoUpdate({
        target: publishSessions.id,
        set: { report, lastSeenAt: receivedAt },
        setWhere: sql`${publishSessions.streamId} = ${streamId} and (${publishSessions.report}->>'sampledMs')::bigint <= ${report.sampledMs}`,
      })
      .returning({ id: publishSessions.id });
    return rows.length > 0;
  }

  /** The reports of a stream's publish sessions, oldest first. */
  async publishReports(streamId: string): Promise<PublishReport[]> {
    const rows = await this.db
      .select({ report: publishSessions.report })
      .from(publishSessions)
      .where(eq(publishSessions.streamId, streamId))
      .orderBy(asc(publishSessions.startedAt));
    return rows.map((row) => row.report);
  }

  /** Means of a stream's stored ingest health reports (`stream:health`). */
  async ingestHealth(streamId: string): Promise<IngestTotals> {
    const field = (name: string) =>
      sql<number | null>`avg((${streamHealth.report}->>${name})::float8)`;
    const [row] = await this.db
      .select({
        reports: sql<number>`count(*)::int`,
        bitrateKbps: field('bitrateKbps'),
        frameRate: field('frameRate'),
        packetLoss: field('packetLoss'),
        score: field('score'),
        lowestScore: sql<number | null>`min((${streamHealth.report}->>'score')::float8)`,
      })
      .from(streamHealth)
      .where(eq(streamHealth.streamId, streamId));
    const number = (value: number | string | null | undefined) =>
      value === null || value === undefined ? null : Number(value);
    return {
      reports: Number(row?.reports ?? 0),
      bitrateKbps: number(row?.bitrateKbps),
      frameRate: number(row?.frameRate),
      packetLoss: number(row?.packetLoss),
      score: number(row?.score),
      lowestScore: number(row?.lowestScore),
    };
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
    await this.db.delete(publishSessions).where(lt(publishSessions.lastSeenAt, before));
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

/** The columns of a session row, in the order they are written (`sessionRow`'s keys). */
const SESSION_COLUMNS = [
  'id',
  'streamId',
  'startedAt',
  'device',
  'browser',
  'os',
  // The columns a newer beacon replaces:
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
] as const satisfies ReadonlyArray<keyof ReturnType<typeof sessionRow>>;

const quoted = (names: readonly string[]) => names.map((name) => `"${name}"`).join(', ');
const sessionColumn = (key: (typeof SESSION_COLUMNS)[number]) => viewSessions[key].name;

/** The figures of the session an applied beacon carries; a stored session takes only newer ones. */
const UPSERT_SESSIONS =
  `insert into "view_sessions" (${quoted(SESSION_COLUMNS.map(sessionColumn))}) ` +
  `select distinct on ("id") ${quoted(SESSION_COLUMNS)} from "applied" order by "id", "lastSeq" desc ` +
  `on conflict ("id") do update set ${SESSION_COLUMNS.slice(SESSION_COLUMNS.indexOf('userId'))
    .map((key) => `"${sessionColumn(key)}" = excluded."${sessionColumn(key)}"`)
    .join(', ')} where "view_sessions"."last_seq" < excluded."last_seq" returning "id"`;

/** The written beacons' events, numbered by their place in their beacon, on the server's clock. */
const INSERT_EVENTS =
  `insert into "view_events" ("session_id", "seq", "position", "stream_id", "at", "type", "data") ` +
  `select w."id", w."lastSeq", e.n - 1, w."streamId", to_timestamp((e."at" + w."offsetMs") / 1000), e."type", e."data" ` +
  `from "written" w cross join lateral rows from (json_to_recordset(w."events") as ("type" text, "at" float8, "data" jsonb)) ` +
  `with ordinality as e("type", "at", "data", n)`;

/** The written beacons' intervals, added into their stream's minutes (in key order). */
const ADD_MINUTES =
  `insert into "view_minutes" ("stream_id", "minute", "watch_ms", "rebuffer_ms", "rebuffer_count", "bitrate_weighted", "bitrate_ms") ` +
  `select "streamId", "minute", sum("intervalWatchMs"), sum("intervalRebufferMs"), sum("intervalRebufferCount"), ` +
  `coalesce(sum("intervalBitrateKbps" * "intervalWatchMs") filter (where "intervalBitrateKbps" is not null and "intervalWatchMs" > 0), 0), ` +
  `coalesce(sum("intervalWatchMs") filter (where "intervalBitrateKbps" is not null and "intervalWatchMs" > 0), 0) ` +
  `from "written" group by "streamId", "minute" order by "streamId", "minute" ` +
  `on conflict ("stream_id", "minute") do update set ${[
    'watch_ms',
    'rebuffer_ms',
    'rebuffer_count',
    'bitrate_weighted',
    'bitrate_ms',
  ]
    .map((column) => `"${column}" = "view_minutes"."${column}" + excluded."${column}"`)
    .join(', ')}`;

/**
 * The whole write as one statement around one JSON parameter (an array of
 * {@link beaconRow}s), in two halves that go either side of it. One
 * statement is one round trip and one transaction: with a statement per
 * table (and `begin`, the lock, `commit`) the round trips and the
 * per-statement work cost more than the rows, and a multi-row `values` list
 * costs a parameter per cell, built and bound one by one (a batch of 500
 * beacons carries 5,000 events).
 *
 * - `stored` locks the sessions already stored, in id order (another write
 *   may hold some: a concurrent batch, another server);
 * - `applied`: the beacons newer than their session's stored one, each
 *   (session, seq) once (a retry in the same batch counts once);
 * - `sessions`: each takes its newest applied beacon's figures (its
 *   identity and start stay), and only if newer than what is stored: a
 *   session that was not stored yet could not be locked, so a concurrent
 *   write may have stored that beacon, or a newer one, meanwhile;
 * - `written`: the applied beacons of the sessions so written, whose
 *   events and intervals are added; a beacon that lost such a race adds
 *   nothing, as if it had come after (so no event is written twice);
 * - the events, numbered by their place in their beacon, their times moved
 *   onto the server's clock;
 * - the intervals, added into their stream's minute (in key order) last:
 *   every concurrent write updates that row, and waits for it.
 */
const WRITE_BEACONS = [
  `with "incoming" as (select * from json_to_recordset(`,
  `::json) as b("k" integer, ${SESSION_COLUMNS.map((key) => `"${key}" ${viewSessions[key].getSQLType()}`).join(', ')}, ` +
    `"offsetMs" float8, "minute" timestamp with time zone, "intervalWatchMs" bigint, "intervalRebufferMs" bigint, ` +
    `"intervalRebufferCount" integer, "intervalBitrateKbps" double precision, "events" json)), ` +
    `"stored" as (select "id", "last_seq" from "view_sessions" where "id" = any(array(select "id" from "incoming")) order by "id" for update), ` +
    `"applied" as materialized (select distinct on (i."id", i."lastSeq") i.* from "incoming" i left join "stored" s on s."id" = i."id" ` +
    `where i."lastSeq" > coalesce(s."last_seq", -1) order by i."id", i."lastSeq", i."k"), ` +
    `"sessions" as (${UPSERT_SESSIONS}), ` +
    `"written" as materialized (select * from "applied" where "id" in (select "id" from "sessions")), ` +
    // PostgreSQL runs these two last to first: the minutes, whose rows every write updates, are
    // locked last and held only to the commit, so concurrent writes overlap up to there.
    `"minutes" as (${ADD_MINUTES}), "events" as (${INSERT_EVENTS}) ` +
    `select count(*)::int as "applied" from "written"`,
] as const;

declare const encoded: unique symbol;
/** A received beacon as the write statement takes it (JSON text). */
export type EncodedBeacon = string & { readonly [encoded]: true };

/**
 * Encodes a received beacon for {@link AnalyticsRepository.writeEncoded}.
 * Beacons waiting to be written are best held this way: one string each
 * rather than a tree of objects, which the garbage collector would copy
 * while they wait. `order` ranks it among copies of the same beacon in a
 * write (the lowest counts).
 */
export function encodeBeacon(received: ReceivedBeacon, order: number): EncodedBeacon {
  return JSON.stringify(beaconRow(received, order)) as EncodedBeacon;
}

/** One received beacon as the write statement takes it: its session's row, and what it adds. */
function beaconRow(received: ReceivedBeacon, k: number) {
  const { beacon, clockOffsetMs, receivedAt } = received;
  const { interval } = beacon;
  return {
    k,
    ...sessionRow(received),
    offsetMs: clockOffsetMs,
    minute: new Date(Math.floor(receivedAt / MINUTE_MS) * MINUTE_MS),
    intervalWatchMs: interval.watchMs,
    intervalRebufferMs: interval.rebufferMs,
    intervalRebufferCount: interval.rebufferCount,
    intervalBitrateKbps: interval.bitrateKbps,
    events: beacon.events,
  };
}

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
    device: session.device ?? 'other',
    browser: session.browser ?? '',
    os: session.os ?? '',
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
