import type { Stream } from '@onair/protocol';
import type { Notification, NotificationKind } from '@onair/protocol/notifications';
import type { InternalBus } from '../../platform/events.js';
import type { StreamRepository } from '../streams/repository.js';
import { type Audience, type NotificationRepository, notificationId } from './repository.js';

/** Most users one `notifications:sent` event (a push, a webhook) names. */
export const NOTIFY_CHUNK = 1000;

/**
 * Most notifications an inbox keeps by default (`notifications.inboxLimit`):
 * past it the retention pass drops the oldest. The inbox is read in pages and
 * nobody scrolls back further; the cap keeps a user who follows many busy
 * channels from growing the table without bound.
 */
export const INBOX_LIMIT = 500;

/** Days a notification is kept by default (`notifications.retentionDays`). */
export const NOTIFICATION_RETENTION_DAYS = 90;

/**
 * How often the retention pass runs by default, ms
 * (`notifications.retentionCheckMs`): daily, and once at start.
 */
export const RETENTION_CHECK_MS = 24 * 3_600_000;

/** Users whose inboxes one statement of the retention pass prunes: short statements, short locks. */
const PRUNE_USERS = 1_000;

/** What {@link NotificationService} needs. */
export interface NotificationServiceDeps {
  notifications: NotificationRepository;
  streams: StreamRepository;
  bus: InternalBus;
  /** How long before a scheduled start reminders go out, ms. */
  reminderLeadMs: number;
  /** How often due reminders are looked for, ms. */
  reminderCheckMs: number;
  /** Retention of the inboxes; each default is the constant it names. */
  retention?: {
    /** Most notifications one inbox keeps. Default {@link INBOX_LIMIT}. */
    inboxLimit?: number;
    /** How long a notification is kept, ms. Default {@link NOTIFICATION_RETENTION_DAYS} days. */
    maxAgeMs?: number;
    /** How often the retention pass runs, ms. Default {@link RETENTION_CHECK_MS}. */
    checkMs?: number;
    /**
     * Servers sharing the database take turns: true for the one whose turn it
     * is (none for `intervalMs` after it), false for the others, which skip
     * that pass. Without it every pass runs.
     */
    turn?: (intervalMs: number) => Promise<boolean>;
  };
  log: (message: string) => void;
  now?: () => number;
}

/**
 * Who is told what about a stream. Only people who may see it hear of it:
 * followers of public and followers-only streams, the invite list of a
 * private one; of an unlisted or subscribers-only stream only those who
 * asked to be reminded (they had it before them). A reminder goes to those
 * who asked for it alone, whatever the privacy.
 */
function audienceOf(stream: Stream, kind: NotificationKind): Audience {
  const { privacy } = stream;
  if (kind === 'reminder') return { reminded: true };
  if (privacy === 'private') return { invited: true };
  const listed = privacy === 'public' || privacy === 'followers';
  switch (kind) {
    case 'live':
      return { reminded: true, ...(listed ? { followers: ['all', 'live'] as const } : {}) };
    case 'scheduled':
      return listed ? { followers: ['all'] } : {};
  }
}

/**
 * Notifications: a channel going live tells its followers (level `all` or
 * `live`) and whoever asked to be reminded of the stream; scheduling one
 * tells followers at level `all`; reminders go out `reminderLeadMs` before
 * a scheduled start (each once, whichever server finds it due, and once
 * more before each new start time). Every
 * delivery is stored in the users' inboxes, then announced on the bus
 * (`notifications:sent`, at most {@link NOTIFY_CHUNK} users an event) for the
 * realtime push and the host's webhook.
 *
 * Inboxes are kept bounded by a retention pass (at start, then every
 * `retention.checkMs`, run by one of the servers sharing the database):
 * notifications older than `retention.maxAgeMs` go, and each inbox keeps its
 * `retention.inboxLimit` newest. Nothing of it runs on
 * the delivery path.
 */
export class NotificationService {
  private timer: NodeJS.Timeout | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private pruning: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: NotificationServiceDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /**
   * Listens to the stream lifecycle, starts looking for due reminders and
   * runs the retention pass. Returns the stop, which waits for a pass or a
   * reminder check under way (the database closes after it).
   */
  start(): () => Promise<void> {
    const { bus } = this.deps;
    this.stopped = false;
    const offs = [
      bus.on('stream:started', (stream) => this.track(this.notify(stream, 'live'))),
      // Each user hears of a stream's schedule once: moving it is not announced again.
      bus.on('stream:scheduled', (stream) => this.track(this.notify(stream, 'scheduled'))),
      // But those who asked are reminded again, before the new time.
      bus.on('stream:scheduled', (stream) =>
        this.track(this.deps.notifications.rearmReminders(stream.id)),
      ),
    ];
    this.timer = setInterval(() => this.track(this.remindDue()), this.deps.reminderCheckMs);
    this.timer.unref();
    const retentionCheckMs = this.deps.retention?.checkMs ?? RETENTION_CHECK_MS;
    // A turn a little shorter than the interval (whole ms: Redis takes no fraction),
    // so the next tick is never refused for being early.
    const turnMs = Math.max(1, Math.floor(retentionCheckMs * 0.9));
    const inTurn = async () => {
      const turn = this.deps.retention?.turn;
      if (!turn || (await turn(turnMs))) await this.prune();
    };
    this.retentionTimer = setInterval(() => this.track(inTurn()), retentionCheckMs);
    this.retentionTimer.unref();
    this.track(inTurn());
    return async () => {
      this.stopped = true;
      for (const off of offs) off();
      clearInterval(this.timer);
      clearInterval(this.retentionTimer);
      await Promise.allSettled([this.checking, this.pruning]);
    };
  }

  private track(work: Promise<unknown>): void {
    work.catch((error: Error) => this.deps.log(`notifications failed: ${error.message}`));
  }

  /** Stores a notification of `kind` about `stream` for its audience, then announces it. */
  async notify(stream: Stream, kind: NotificationKind): Promise<number> {
    const at = new Date(this.now());
    const userIds = await this.deps.notifications.deliver(
      stream.id,
      stream.owner.id,
      kind,
      audienceOf(stream, kind),
      at,
    );
    const notification: Notification = {
      id: notificationId(kind, stream.id),
      kind,
      stream: {
        id: stream.id,
        title: stream.title,
        owner: stream.owner,
        status: stream.status,
        scheduledAt: stream.scheduledAt,
      },
      createdAt: at.toISOString(),
      read: false,
    };
    for (let i = 0; i < userIds.length; i += NOTIFY_CHUNK) {
      this.deps.bus.emit('notifications:sent', {
        stream,
        notification,
        userIds: userIds.slice(i, i + NOTIFY_CHUNK),
      });
    }
    return userIds.length;
  }

  /**
   * The retention pass (one at a time): every inbox, 1,000 users a statement,
   * loses what is older than the maximum age and all but its newest
   * `inboxLimit`. Stops between statements once the service stops. Nothing of
   * it runs on the delivery path: between passes an inbox may hold a day's
   * notifications more.
   */
  prune(): Promise<void> {
    this.pruning ??= (async () => {
      try {
        const { notifications, retention } = this.deps;
        const maxAgeMs = retention?.maxAgeMs ?? NOTIFICATION_RETENTION_DAYS * 24 * 3_600_000;
        const before = new Date(this.now() - maxAgeMs);
        const keep = retention?.inboxLimit ?? INBOX_LIMIT;
        let after: string | undefined = '';
        while (after !== undefined && !this.stopped) {
          ({ last: after } = await notifications.pruneInboxes({
            after,
            users: PRUNE_USERS,
            keep,
            before,
          }));
        }
      } finally {
        this.pruning = undefined;
      }
    })();
    return this.pruning;
  }

  /** Sends the reminders of streams starting within the lead time (one pass at a time). */
  remindDue(): Promise<void> {
    this.checking ??= (async () => {
      try {
        const now = this.now();
        const due = await this.deps.notifications.takeDueReminders(
          new Date(now + this.deps.reminderLeadMs),
          new Date(now),
        );
        for (const streamId of due) {
          const stream = await this.deps.streams.find(streamId);
          if (stream?.status === 'scheduled') await this.notify(stream, 'reminder');
        }
      } finally {
        this.checking = undefined;
      }
    })();
    return this.checking;
  }
}
