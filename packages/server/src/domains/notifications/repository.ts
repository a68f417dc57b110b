import type { Page } from '@onair/protocol';
import type {
  FollowerPage,
  Notification,
  NotificationKind,
  NotifyLevel,
} from '@onair/protocol/notifications';
import { and, count, desc, eq, inArray, isNull, lte, notInArray, type SQL, sql } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../../storage/cursor.js';
import type { Database } from '../../storage/database.js';
import {
  channelRestrictions,
  follows,
  notifications,
  streamInvites,
  streamReminders,
  streams,
  users,
} from '../../storage/schema.js';
import { type ListViewer, visibleTo } from '../streams/repository.js';

/** Who a notification about a stream goes to. */
export interface Audience {
  /** Followers of the stream's channel at these levels. */
  followers?: readonly NotifyLevel[];
  /** Those who asked to be reminded of the stream. */
  reminded?: boolean;
  /** The stream's invite list. */
  invited?: boolean;
}

/** Who reads an inbox: their id and the claims that open streams to them. */
export type InboxViewer = ListViewer & { userId: string };

/** A notification's id: what it tells about which stream (`<kind>-<stream id>`). */
export const notificationId = (kind: NotificationKind, streamId: string): string =>
  `${kind}-${streamId}`;

/** Users' notification inboxes, follow levels, followers and stream reminders. */
export class NotificationRepository {
  constructor(private readonly db: Database) {}

  /**
   * Adds a notification of `kind` about a stream to the inbox of everyone in
   * `audience` (once per user, however many ways they are in it; never twice
   * for the same kind and stream) except `except`; returns who got it.
   */
  async deliver(
    streamId: string,
    ownerId: string,
    kind: NotificationKind,
    audience: Audience,
    at: Date,
  ): Promise<string[]> {
    const sources = [];
    if (audience.followers?.length) {
      sources.push(
        sql`select ${follows.followerId} as user_id from ${follows} where ${follows.channelId} = ${ownerId} and ${inArray(follows.notify, [...audience.followers])}`,
      );
    }
    if (audience.reminded) {
      // Those who asked and may still see the stream: a reminder asked for while it was public
      // does not outlive a change to followers- or subscribers-only, or to private without
      // an invitation.
      sources.push(sql`select r.user_id from ${streamReminders} r
        join ${streams} s on s.id = r.stream_id
        where r.stream_id = ${streamId} and ${reminderDue()}`);
    }
    if (audience.invited) {
      sources.push(
        sql`select ${streamInvites.userId} as user_id from ${streamInvites} where ${streamInvites.streamId} = ${streamId}`,
      );
    }
    if (sources.length === 0) return [];
    const result = (await this.db.execute(sql`
      insert into ${notifications} (user_id, kind, stream_id, created_at)
      select audience.user_id, ${kind}, ${streamId}, ${at.toISOString()}::timestamptz
      from (${sql.join(sources, sql` union `)}) as audience
      where audience.user_id <> ${ownerId}
        and not exists (select 1 from ${channelRestrictions} b where b.channel_id = ${ownerId}
          and b.user_id = audience.user_id and b.kind = 'ban')
      -- In the order of the indexes' first column: each index page is written once, not
      -- once a row (half the time of a go-live to 100,000 followers). The union made each once.
      order by audience.user_id
      on conflict do nothing
      returning user_id`)) as unknown as { rows: Array<{ user_id: string }> };
    return result.rows.map((row) => row.user_id);
  }

  /**
   * A user's notifications, newest first, and how many are unread in all:
   * those about streams they may still see (the title is the stream's as it
   * is now), of channels that have not banned them.
   */
  async inbox(
    viewer: InboxViewer,
    limit: number,
    cursor?: string,
  ): Promise<Page<Notification> & { unread: number }> {
    const { userId } = viewer;
    const filters = [eq(notifications.userId, userId), ...this.stillVisible(viewer)];
    if (cursor) {
      const after = decodeCursor(cursor);
      const dash = after.id.indexOf('-');
      const [kind, streamId] = [after.id.slice(0, dash), after.id.slice(dash + 1)];
      filters.push(
        sql`(${notifications.createdAt}, ${notifications.streamId}, ${notifications.kind}) < (${after.at.toISOString()}::timestamptz, ${streamId}, ${kind})`,
      );
    }
    const rows = await this.db
      .select({ n: notifications, stream: streams, owner: users })
      .from(notifications)
      .innerJoin(streams, eq(streams.id, notifications.streamId))
      .innerJoin(users, eq(users.id, streams.ownerId))
      .where(and(...filters))
      .orderBy(
        desc(notifications.createdAt),
        desc(notifications.streamId),
        desc(notifications.kind),
      )
      .limit(limit + 1);
    const items = rows.slice(0, limit).map(({ n, stream, owner }) => ({
      id: notificationId(n.kind, n.streamId),
      kind: n.kind,
      stream: {
        id: stream.id,
        title: stream.title,
        owner: { id: owner.id, displayName: owner.displayName },
        status: stream.status,
        scheduledAt: stream.scheduledAt?.toISOString() ?? null,
      },
      createdAt: n.createdAt.toISOString(),
      read: n.readAt !== null,
    }));
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > limit && last ? encodeCursor(new Date(last.createdAt), last.id) : null,
      unread: await this.unread(viewer),
    };
  }

  /** How many of a user's notifications are unread (those the inbox shows). */
  async unread(viewer: InboxViewer): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(notifications)
      .innerJoin(streams, eq(streams.id, notifications.streamId))
      .where(
        and(
          eq(notifications.userId, viewer.userId),
          isNull(notifications.readAt),
          ...this.stillVisible(viewer),
        ),
      );
    return Number(row?.n ?? 0);
  }

  /** Conditions (on `streams`) of the notifications a user may still read. */
  private stillVisible(viewer: InboxViewer): SQL[] {
    const banned = this.db
      .select({ id: channelRestrictions.channelId })
      .from(channelRestrictions)
      .where(
        and(eq(channelRestrictions.userId, viewer.userId), eq(channelRestrictions.kind, 'ban')),
      );
    const visible = visibleTo(this.db, viewer, { unlisted: true });
    return [notInArray(streams.ownerId, banned), ...(visible ? [visible] : [])];
  }

  /** Marks some of a user's notifications read (by id), or all of them. */
  async markRead(userId: string, ids: readonly string[] | undefined, at: Date): Promise<void> {
    const filters = [eq(notifications.userId, userId), isNull(notifications.readAt)];
    if (ids) {
      filters.push(
        inArray(sql`${notifications.kind} || '-' || ${notifications.streamId}`, [...ids]),
      );
    }
    await this.db
      .update(notifications)
      .set({ readAt: at })
      .where(and(...filters));
  }

  /**
   * One step of the retention pass over every inbox: the next `users` users
   * with notifications, in id order after `after`, lose those created before
   * `before` and all but their `keep` newest (in the inbox's order, read or
   * not: `unread` counts what is kept). One statement, by the primary key and
   * `notifications_inbox_idx`, touching those users' rows only. Returns the
   * last user it looked at (undefined once there are no more) and how many
   * notifications it dropped.
   */
  async pruneInboxes(step: {
    after: string;
    users: number;
    keep: number;
    before: Date;
  }): Promise<{ last: string | undefined; dropped: number }> {
    const result = (await this.db.execute(sql`
      with owners as (
        select distinct user_id from ${notifications}
        where user_id > ${step.after} order by user_id limit ${step.users}
      ), cut as (
        select o.user_id, last.created_at, last.stream_id, last.kind
        from owners o
        -- The oldest kept, ordered as the index is built (and as the inbox reads).
        left join lateral (
          select k.created_at, k.stream_id, k.kind from ${notifications} k
          where k.user_id = o.user_id
          order by k.created_at desc, k.stream_id desc, k.kind desc
          offset ${step.keep - 1} limit 1) as last on true
      ), gone as (
        delete from ${notifications} n using cut
        where n.user_id = cut.user_id and (
          n.created_at < ${step.before.toISOString()}::timestamptz
          or (n.created_at, n.stream_id, n.kind) < (cut.created_at, cut.stream_id, cut.kind))
        returning 1
      )
      select (select max(user_id) from owners) as last, (select count(*) from gone)::int as dropped`)) as unknown as {
      rows: Array<{ last: string | null; dropped: number }>;
    };
    const row = result.rows[0];
    return { last: row?.last ?? undefined, dropped: Number(row?.dropped ?? 0) };
  }

  /** A follower's level for a channel; undefined when they do not follow it. */
  async level(followerId: string, channelId: string): Promise<NotifyLevel | undefined> {
    const [row] = await this.db
      .select({ notify: follows.notify })
      .from(follows)
      .where(and(eq(follows.followerId, followerId), eq(follows.channelId, channelId)));
    return row?.notify;
  }

  /** Sets a follower's level; false when they do not follow the channel. */
  async setLevel(followerId: string, channelId: string, level: NotifyLevel): Promise<boolean> {
    const updated = await this.db
      .update(follows)
      .set({ notify: level })
      .where(and(eq(follows.followerId, followerId), eq(follows.channelId, channelId)))
      .returning({ id: follows.channelId });
    return updated.length > 0;
  }

  /** A channel's followers, newest first. */
  async followers(channelId: string, limit: number, cursor?: string): Promise<FollowerPage> {
    const filters = [eq(follows.channelId, channelId)];
    if (cursor) {
      const after = decodeCursor(cursor);
      filters.push(
        sql`(${follows.createdAt}, ${follows.followerId}) < (${after.at.toISOString()}::timestamptz, ${after.id})`,
      );
    }
    const rows = await this.db
      .select({ user: users, since: follows.createdAt })
      .from(follows)
      .innerJoin(users, eq(users.id, follows.followerId))
      .where(and(...filters))
      .orderBy(desc(follows.createdAt), desc(follows.followerId))
      .limit(limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(({ user, since }) => ({
        user: { id: user.id, displayName: user.displayName },
        since: since.toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.since, last.user.id) : null,
    };
  }

  /** Asks for (or stops asking for) a reminder of a stream. */
  async setReminder(streamId: string, userId: string, on: boolean): Promise<void> {
    if (on) {
      // Under the stream's privacy and tier as they are now (the caller checked the user may see it).
      const accessVersion = sql`(select ${streams.accessVersion} from ${streams} where ${streams.id} = ${streamId})`;
      await this.db
        .insert(streamReminders)
        .values({ streamId, userId, accessVersion })
        .onConflictDoUpdate({
          target: [streamReminders.streamId, streamReminders.userId],
          set: { accessVersion },
        });
    } else {
      await this.db
        .delete(streamReminders)
        .where(and(eq(streamReminders.streamId, streamId), eq(streamReminders.userId, userId)));
    }
  }

  /**
   * Whether a user asked to be reminded of a stream, and the reminder will go
   * out ({@link reminderDue}): one asked for under another privacy or tier
   * does not (the user is shown "Remind me" again, and what they may see is
   * checked when they ask).
   */
  async hasReminder(streamId: string, userId: string): Promise<boolean> {
    return (await this.remindedOf([streamId], userId)).has(streamId);
  }

  /**
   * Which of `streamIds` a user is reminded of, as {@link hasReminder} tells of one: those whose
   * reminder would go out (see {@link reminderDue}). A stream the user may no longer see is
   * not among them (it tells nothing of it).
   */
  async remindedOf(streamIds: readonly string[], userId: string): Promise<Set<string>> {
    if (streamIds.length === 0) return new Set();
    const result = (await this.db.execute(sql`select r.stream_id from ${streamReminders} r
      join ${streams} s on s.id = r.stream_id
      where r.user_id = ${userId}
        and r.stream_id in (${sql.join(
          streamIds.map((id) => sql`${id}`),
          sql`, `,
        )})
        and ${reminderDue()}`)) as unknown as { rows: Array<{ stream_id: string }> };
    return new Set(result.rows.map((row) => row.stream_id));
  }

  /**
   * A stream got a new start time: the reminders already sent of it go out
   * again before that time, and the ones in the inboxes (which told of the
   * old time) go until then, so that the next lands as new and unread
   * (a notification is stored once per user, kind and stream). One statement;
   * the inbox rows are found by their key, through the reminders cleared.
   */
  async rearmReminders(streamId: string): Promise<void> {
    await this.db.execute(sql`
      with rearmed as (
        update ${streamReminders} set reminded_at = null
        where ${streamReminders.streamId} = ${streamId} and ${streamReminders.remindedAt} is not null
        returning ${streamReminders.userId} as user_id
      )
      delete from ${notifications} n using rearmed
      where n.user_id = rearmed.user_id and n.kind = 'reminder' and n.stream_id = ${streamId}`);
  }

  /**
   * Scheduled streams starting by `until` with reminders not yet sent, and
   * marks those reminders sent (so each goes out once, whichever server asks).
   */
  async takeDueReminders(until: Date, at: Date): Promise<string[]> {
    const due = this.db
      .select({ id: streams.id })
      .from(streams)
      .where(and(eq(streams.status, 'scheduled'), lte(streams.scheduledAt, until)));
    const taken = await this.db
      .update(streamReminders)
      .set({ remindedAt: at })
      .where(and(isNull(streamReminders.remindedAt), inArray(streamReminders.streamId, due)))
      .returning({ streamId: streamReminders.streamId });
    return [...new Set(taken.map((row) => row.streamId))];
  }
}

/**
 * Whether the reminder `r` of the stream `s` (those aliases) goes out: the user may still see
 * the stream. One asked for while it was public does not outlive a change to followers- or
 * subscribers-only (another tier), or to private without an invitation.
 */
function reminderDue(): SQL {
  return sql`(
    s.privacy in ('public', 'unlisted')
    or (s.privacy = 'followers' and exists (select 1 from ${follows} f
      where f.channel_id = s.owner_id and f.follower_id = r.user_id))
    or (s.privacy = 'subscribers' and r.access_version = s.access_version)
    or (s.privacy = 'private' and exists (select 1 from ${streamInvites} i
      where i.stream_id = s.id and i.user_id = r.user_id)))`;
}
