import { OnAirError } from '@onair/protocol';
import type { ViewerHistory } from '@onair/protocol/analytics';
import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { newId } from '../../platform/ids.js';
import type { Database } from '../../storage/database.js';
import { viewerSessions } from '../../storage/schema.js';

/** Offset cursors of the viewer history: `o<offset>`; another is `VALIDATION_FAILED`. */
const offsetOf = (cursor: string | undefined) => {
  if (cursor === undefined) return 0;
  const match = /^o(\d{1,7})$/.exec(cursor);
  if (!match) {
    throw new OnAirError('VALIDATION_FAILED', 'cursor: not a cursor this server issued');
  }
  return Number(match[1]);
};

/**
 * Viewers' sessions in streams' rooms, kept for the stream's staff: who
 * watched, when and how long. One row a connection and stream, opened when
 * it joins and closed when it leaves (or disconnects), or when the stream
 * ends for a connection a crashed server could not close.
 */
export class ViewerSessionRepository {
  constructor(private readonly db: Database) {}

  /**
   * A connection joined a stream's room (again while there: nothing new).
   * With `resume` (it opened too many visits lately) its last session of the
   * stream is reopened, continuing that visit, rather than a row added.
   */
  async open(
    streamId: string,
    socketId: string,
    userId: string | null,
    at: Date,
    resume = false,
  ): Promise<void> {
    if (resume) {
      const ofSocket = and(
        eq(viewerSessions.streamId, streamId),
        eq(viewerSessions.socketId, socketId),
      );
      const reopened = await this.db
        .update(viewerSessions)
        .set({ leftAt: null })
        .where(
          and(
            eq(
              viewerSessions.id,
              this.db
                .select({ id: viewerSessions.id })
                .from(viewerSessions)
                .where(ofSocket)
                .orderBy(desc(viewerSessions.joinedAt))
                .limit(1),
            ),
            isNotNull(viewerSessions.leftAt),
          ),
        )
        .returning({ id: viewerSessions.id });
      if (reopened.length > 0) return;
    }
    await this.db
      .insert(viewerSessions)
      .values({ id: newId('vws'), streamId, socketId, userId, joinedAt: at })
      .onConflictDoNothing();
  }

  /** A connection left a stream's room. */
  async close(streamId: string, socketId: string, at: Date): Promise<void> {
    await this.db
      .update(viewerSessions)
      .set({ leftAt: at })
      .where(
        and(
          eq(viewerSessions.streamId, streamId),
          eq(viewerSessions.socketId, socketId),
          isNull(viewerSessions.leftAt),
        ),
      );
  }

  /** The stream ended: every session still open closes then. */
  async closeAll(streamId: string, at: Date): Promise<void> {
    await this.db
      .update(viewerSessions)
      .set({ leftAt: at })
      .where(and(eq(viewerSessions.streamId, streamId), isNull(viewerSessions.leftAt)));
  }

  /**
   * A stream's signed-in viewers, longest watched first: each user's
   * sessions merged where they overlap (several tabs count once), then
   * summed; a page at a time, with the totals.
   */
  async history(streamId: string, limit: number, cursor?: string): Promise<ViewerHistory> {
    const offset = offsetOf(cursor);
    const result = (await this.db.execute(sql`
      with s as (
        -- Within the stream's live time: a session a crashed server left open ends with it.
        select v.user_id, v.joined_at,
          least(coalesce(v.left_at, now()), coalesce(st.ended_at, now())) as left_at
        from ${viewerSessions} v join streams st on st.id = v.stream_id
        where v.stream_id = ${streamId} and v.user_id is not null
      ), o as (
        select *, max(left_at) over (
          partition by user_id order by joined_at, left_at
          rows between unbounded preceding and 1 preceding
        ) as before_end
        from s
      ), g as (
        select *, sum(case when before_end is null or joined_at > before_end then 1 else 0 end)
          over (partition by user_id order by joined_at, left_at) as visit
        from o
      ), visits as (
        select user_id, min(joined_at) as came, max(left_at) as went from g group by user_id, visit
        having max(left_at) > min(joined_at)
      )
      select v.user_id, u.display_name,
        min(v.came) as first_joined, max(v.went) as last_seen,
        sum(extract(epoch from v.went - v.came)) as watched, count(*) as visits
      from visits v join users u on u.id = v.user_id
      group by v.user_id, u.display_name
      order by watched desc, v.user_id
      limit ${limit + 1} offset ${offset}`)) as unknown as {
      rows: Array<{
        user_id: string;
        display_name: string;
        first_joined: string | Date;
        last_seen: string | Date;
        watched: string | number;
        visits: string | number;
      }>;
    };
    const [totals] = (
      (await this.db.execute(sql`
        select count(distinct user_id) as viewers,
          count(*) filter (where user_id is null) as anonymous
        from ${viewerSessions} where stream_id = ${streamId}`)) as unknown as {
        rows: Array<{ viewers: string | number; anonymous: string | number }>;
      }
    ).rows;
    const iso = (value: string | Date) => new Date(value).toISOString();
    return {
      items: result.rows.slice(0, limit).map((row) => ({
        user: { id: row.user_id, displayName: row.display_name },
        firstJoinedAt: iso(row.first_joined),
        lastSeenAt: iso(row.last_seen),
        watchedSeconds: Math.round(Number(row.watched) * 10) / 10,
        visits: Number(row.visits),
      })),
      nextCursor: result.rows.length > limit ? `o${offset + limit}` : null,
      totals: {
        viewers: Number(totals?.viewers ?? 0),
        anonymousVisits: Number(totals?.anonymous ?? 0),
      },
    };
  }
}
