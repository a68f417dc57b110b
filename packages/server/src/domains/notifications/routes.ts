import {
  type ChannelNotify,
  IdSchema,
  OnAirError,
  type ReminderList,
  type ReminderState,
  type UnreadCount,
} from '@onair/protocol';
import {
  ChannelNotifyInputSchema,
  MarkNotificationsReadInputSchema,
  PageQuerySchema,
  RemindersQuerySchema,
} from '@onair/protocol/inputs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { canModerate, type Identity, isAdmin } from '../../platform/auth/identity.js';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import { requireIdentity } from '../../transport/http/auth.js';
import { parse } from '../../transport/http/parse.js';
import type { ChannelRepository } from '../channels/repository.js';
import type { StreamService } from '../streams/service.js';
import type { InboxViewer, NotificationRepository } from './repository.js';

/** What the notification routes need. */
export interface NotificationRoutesDeps {
  notifications: NotificationRepository;
  channels: ChannelRepository;
  streams: StreamService;
  tokens: TokenVerifier;
}

const ParamsSchema = z.strictObject({ id: IdSchema });

/** The reader of an inbox, with the claims that open streams to them. */
const inboxViewer = (who: Identity): InboxViewer => ({
  userId: who.userId,
  admin: isAdmin(who),
  moderates: who.moderates,
  subscriptions: who.subscriptions,
});
const PageSchema = z.strictObject(PageQuerySchema.shape);

/**
 * Registers the inbox (`/v1/me/notifications`), a follower's level per
 * channel, a channel's followers (its owner, moderators and admins) and
 * "remind me" on scheduled streams.
 */
export function registerNotificationRoutes(
  app: FastifyInstance,
  deps: NotificationRoutesDeps,
): void {
  const { notifications, channels, streams, tokens } = deps;

  app.get('/v1/me/notifications', async (request) => {
    const who = await requireIdentity(request, tokens);
    const { limit, cursor } = parse(PageSchema, request.query);
    return notifications.inbox(inboxViewer(who), limit, cursor);
  });

  app.post('/v1/me/notifications/read', async (request): Promise<UnreadCount> => {
    const who = await requireIdentity(request, tokens);
    const { ids } = parse(MarkNotificationsReadInputSchema, request.body ?? {});
    await notifications.markRead(who.userId, ids, new Date());
    return { unread: await notifications.unread(inboxViewer(who)) };
  });

  app.get('/v1/channels/:id/notifications', async (request): Promise<ChannelNotify> => {
    const { id } = parse(ParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    await channels.require(id, undefined);
    return { channelId: id, level: (await notifications.level(who.userId, id)) ?? 'none' };
  });

  app.put('/v1/channels/:id/notifications', async (request): Promise<ChannelNotify> => {
    const { id } = parse(ParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    const { level } = parse(ChannelNotifyInputSchema, request.body);
    await channels.require(id, undefined);
    if (!(await notifications.setLevel(who.userId, id, level))) {
      throw new OnAirError('CONFLICT', 'Follow the channel first');
    }
    return { channelId: id, level };
  });

  app.get('/v1/channels/:id/followers', async (request) => {
    const { id } = parse(ParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    const { limit, cursor } = parse(PageSchema, request.query);
    await channels.require(id, undefined);
    if (!canModerate(who, id)) {
      throw new OnAirError(
        'FORBIDDEN',
        "Only the channel's owner and moderators see its followers",
      );
    }
    return notifications.followers(id, limit, cursor);
  });

  // A page of "Remind me" buttons asks once. A stream the caller may not see (or that is gone)
  // is one they are not reminded of: the answer tells nothing of it.
  app.get('/v1/me/reminders', async (request): Promise<ReminderList> => {
    const who = await requireIdentity(request, tokens);
    const { streams: asked } = parse(RemindersQuerySchema, request.query);
    const reminded = await notifications.remindedOf(asked, who.userId);
    return { items: asked.map((streamId) => ({ streamId, reminded: reminded.has(streamId) })) };
  });

  app.get('/v1/streams/:id/reminder', async (request): Promise<ReminderState> => {
    const { id } = parse(ParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    await streams.get(id, who);
    return { streamId: id, reminded: await notifications.hasReminder(id, who.userId) };
  });

  for (const [method, reminded] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/v1/streams/:id/reminder',
      handler: async (request): Promise<ReminderState> => {
        const { id } = parse(ParamsSchema, request.params);
        const who = await requireIdentity(request, tokens);
        const stream = await streams.get(id, who);
        if (reminded && stream.status !== 'scheduled') {
          throw new OnAirError('CONFLICT', 'Only a scheduled stream can be reminded of');
        }
        await notifications.setReminder(id, who.userId, reminded);
        return { streamId: id, reminded };
      },
    });
  }
}
