import {
  type ChannelNotify,
  ChannelNotifySchema,
  type FollowerPage,
  FollowerPageSchema,
  type Notification,
  type NotificationPage,
  NotificationPageSchema,
  NotificationSchema,
  type NotifyLevel,
  ReminderListSchema,
  type ReminderState,
  ReminderStateSchema,
  UnreadCountSchema,
} from '@onair/protocol/notifications';
import type { RealtimeConnection } from './realtime.js';
import type { RestTransport } from './rest.js';

const channelPath = (id: string) => `/v1/channels/${encodeURIComponent(id)}`;
const reminderPath = (id: string) => `/v1/streams/${encodeURIComponent(id)}/reminder`;
const cursorQuery = (cursor?: string) => (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');

/**
 * The signed-in user's notifications, what they are told about the channels
 * they follow, "remind me" on scheduled streams, and a channel's followers
 * for its staff (`client.notifications`). `NotificationStore` of
 * `@onair/core/notifications` keeps the inbox live on top of it.
 */
export class NotificationsApi {
  constructor(
    private readonly rest: RestTransport,
    private readonly realtime: RealtimeConnection,
  ) {}

  /** A page of the inbox, newest first, with the unread count in all. */
  list(limit = 20, cursor?: string): Promise<NotificationPage> {
    return this.rest.request(
      NotificationPageSchema,
      `/v1/me/notifications?limit=${limit}${cursorQuery(cursor)}`,
    );
  }

  /** Marks some notifications read, or all of them without `ids`; resolves with the unread count. */
  async markRead(ids?: readonly string[]): Promise<number> {
    const answer = await this.rest.request(UnreadCountSchema, '/v1/me/notifications/read', {
      method: 'POST',
      body: ids ? { ids: [...ids] } : {},
    });
    return answer.unread;
  }

  /**
   * Listens to notifications pushed to the signed-in user (every connection
   * of theirs gets each); connects the realtime connection. Returns an unsubscribe.
   */
  onNew(listener: (notification: Notification) => void): () => void {
    const off = this.realtime.on('notification:new', (payload) => {
      const parsed = NotificationSchema.safeParse(payload);
      if (parsed.success) listener(parsed.data);
    });
    void this.realtime.connect().catch(() => undefined);
    return off;
  }

  /** What the signed-in user is told about a channel (`none` unless they follow it). */
  async level(channelId: string): Promise<NotifyLevel> {
    const answer = await this.rest.request(
      ChannelNotifySchema,
      `${channelPath(channelId)}/notifications`,
    );
    return answer.level;
  }

  /** Chooses what a follower is told about a channel; `CONFLICT` unless they follow it. */
  setLevel(channelId: string, level: NotifyLevel): Promise<ChannelNotify> {
    return this.rest.request(ChannelNotifySchema, `${channelPath(channelId)}/notifications`, {
      method: 'PUT',
      body: { level },
    });
  }

  /** Whether the signed-in user asked to be reminded of a stream. */
  async reminder(streamId: string): Promise<boolean> {
    return (await this.rest.request(ReminderStateSchema, reminderPath(streamId))).reminded;
  }

  /**
   * Whether the signed-in user asked to be reminded of each of `streamIds`
   * (1 to 100), in one request and in the order asked: a page of "Remind me"
   * buttons asks once (`<onair-remind-button>` does). A stream without a
   * reminder, one the user may no longer see, or none by that id, is not
   * reminded; `VALIDATION_FAILED` for a malformed id or more than 100. The
   * answer is one state per id asked, matched by id: an id holding a comma,
   * which the query splits in two (both counted toward the 100), is not
   * reminded.
   */
  async reminders(streamIds: readonly string[]): Promise<ReminderState[]> {
    const path = `/v1/me/reminders?streams=${streamIds.map(encodeURIComponent).join(',')}`;
    const { items } = await this.rest.request(ReminderListSchema, path);
    const reminded = new Set(items.filter((i) => i.reminded).map((i) => i.streamId));
    return streamIds.map((streamId) => ({ streamId, reminded: reminded.has(streamId) }));
  }

  /**
   * Asks to be reminded of a scheduled stream (before it starts, and when it
   * does), or stops asking; `CONFLICT` for a stream no longer scheduled.
   */
  setReminder(streamId: string, reminded: boolean): Promise<ReminderState> {
    return this.rest.request(ReminderStateSchema, reminderPath(streamId), {
      method: reminded ? 'PUT' : 'DELETE',
    });
  }

  /** A page of a channel's followers, newest first (its owner, moderators and admins). */
  followers(channelId: string, limit = 20, cursor?: string): Promise<FollowerPage> {
    return this.rest.request(
      FollowerPageSchema,
      `${channelPath(channelId)}/followers?limit=${limit}${cursorQuery(cursor)}`,
    );
  }
}
