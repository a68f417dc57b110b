import * as z from 'zod/mini';
import { IdSchema, pageSchema, TimestampSchema } from './common.js';
import { StreamStatusSchema } from './stream.js';
import { UserSummarySchema } from './user.js';

/**
 * What a notification tells: a followed channel went `live` (or a stream one
 * asked to be reminded of started), `scheduled` a stream (followers who want
 * `all`), or a stream one asked to be reminded of starts soon (`reminder`).
 */
export const NOTIFICATION_KINDS = ['live', 'scheduled', 'reminder'] as const;
/** Schema of {@link NotificationKind}. */
export const NotificationKindSchema = z.enum(NOTIFICATION_KINDS);
/** One of {@link NOTIFICATION_KINDS}. */
export type NotificationKind = z.infer<typeof NotificationKindSchema>;

/**
 * What a follower is told about a channel: `all` (it goes live and it
 * schedules a stream), `live` (it goes live; the default) or `none`.
 */
export const NOTIFY_LEVELS = ['all', 'live', 'none'] as const;
/** Schema of {@link NotifyLevel}. */
export const NotifyLevelSchema = z.enum(NOTIFY_LEVELS);
/** One of {@link NOTIFY_LEVELS}. */
export type NotifyLevel = z.infer<typeof NotifyLevelSchema>;

/**
 * One notification of a user's inbox, also pushed as `notification:new`.
 * Its id is `<kind>-<stream id>`: a user is told each thing about a stream once.
 */
export const NotificationSchema = z.object({
  id: IdSchema,
  kind: NotificationKindSchema,
  stream: z.object({
    id: IdSchema,
    title: z.string(),
    owner: UserSummarySchema,
    status: StreamStatusSchema,
    scheduledAt: z.nullable(TimestampSchema),
  }),
  createdAt: TimestampSchema,
  read: z.boolean(),
});
/** A notification. */
export type Notification = z.infer<typeof NotificationSchema>;

/** `GET /v1/me/notifications`: newest first, and how many are unread in all. */
export const NotificationPageSchema = z.object({
  items: z.array(NotificationSchema),
  nextCursor: z.nullable(z.string()),
  unread: z.number().check(z.int(), z.nonnegative()),
});
/** A page of notifications. */
export type NotificationPage = z.infer<typeof NotificationPageSchema>;

/** Response of `POST /v1/me/notifications/read`: how many stay unread. */
export const UnreadCountSchema = z.object({ unread: z.number().check(z.int(), z.nonnegative()) });
/** How many notifications are unread. */
export type UnreadCount = z.infer<typeof UnreadCountSchema>;

/** `GET` and `PUT /v1/channels/:id/notifications`: what the caller, a follower, is told. */
export const ChannelNotifySchema = z.object({ channelId: IdSchema, level: NotifyLevelSchema });
/** A follower's notification level for a channel. */
export type ChannelNotify = z.infer<typeof ChannelNotifySchema>;

/** `PUT` and `DELETE /v1/streams/:id/reminder`: whether the caller is reminded of a scheduled stream. */
export const ReminderStateSchema = z.object({ streamId: IdSchema, reminded: z.boolean() });
/** Whether the caller asked to be reminded. */
export type ReminderState = z.infer<typeof ReminderStateSchema>;

/**
 * `GET /v1/me/reminders?streams=<id>,<id>…`: whether the caller is reminded of each stream
 * asked (at most 100 at once), in the order asked: a page of "Remind me" buttons in one request.
 */
export const ReminderListSchema = z.object({ items: z.array(ReminderStateSchema) });
/** The caller's reminders of the streams asked. */
export type ReminderList = z.infer<typeof ReminderListSchema>;

/** `GET /v1/channels/:id/followers` (owner, moderators, admins): newest first. */
export const FollowerPageSchema = pageSchema(
  z.object({ user: UserSummarySchema, since: TimestampSchema }),
);
/** A page of a channel's followers. */
export type FollowerPage = z.infer<typeof FollowerPageSchema>;

/** `GET /v1/push/key`: the server's VAPID public key, for `pushManager.subscribe`'s `applicationServerKey`. */
export const PushKeySchema = z.object({ publicKey: z.string() });
/** The server's Web Push key. */
export type PushKey = z.infer<typeof PushKeySchema>;
