import { OnAirError, type ProducerInfo } from '@onair/protocol';
import { canModerate } from '../../platform/auth/identity.js';
import type { PresenceMember } from '../../platform/shared-state/shared-state.js';
import { handle, identityOf } from '../../transport/realtime/request.js';
import { joinedStreams, managersRoomOf, roomOf } from '../../transport/realtime/rooms.js';
import type { OnAirSocket } from '../../transport/realtime/types.js';
import type { ChatService } from '../chat/service.js';
import type { ModerationService } from '../moderation/service.js';
import type { StreamAccess } from '../streams/access.js';
import type { StreamService } from '../streams/service.js';
import type { PresenceService } from './service.js';

/** Room of a stream's owner connections: they broadcast, so they are not counted as viewers. */
export const broadcasterRoomOf = (streamId: string): string => `broadcaster:${streamId}`;

/** Whether a connection in a stream's room counts as one of its viewers (its owner does not). */
export const countsAsViewer = (socket: OnAirSocket, streamId: string): boolean =>
  !socket.rooms.has(broadcasterRoomOf(streamId));

/**
 * A connection's presence entry in a stream's room: its user (null for an
 * anonymous viewer) and when it joined (kept on the socket: the heartbeat
 * sends the same).
 */
export function presenceMemberOf(socket: OnAirSocket, streamId: string): PresenceMember {
  const who = socket.data.identity;
  socket.data.joinedAt ??= {};
  socket.data.joinedAt[streamId] ??= Date.now();
  return {
    socketId: socket.id,
    user: who ? { id: who.userId, displayName: who.displayName } : null,
    since: socket.data.joinedAt[streamId],
  };
}

/** What the presence handlers need. */
export interface PresenceHandlerDeps {
  presence: PresenceService;
  access: StreamAccess;
  streamService: StreamService;
  moderation: ModerationService;
  chat: ChatService;
  /** The stream's media producers (real-time viewing), none without a media plane. */
  producersOf(streamId: string): ProducerInfo[];
  /** Whether anonymous viewers take seats of `viewerLimit` (else only seats signed-in viewers left free). */
  countAnonymousInViewerLimit: boolean;
}

/**
 * Registers joining and leaving a stream's room (the join answers with what
 * a client needs to show the stream: chat, viewers, its restriction, the
 * pinned message, media producers), the viewer list, and presence upkeep
 * when a connection drops or comes back.
 */
export function registerPresenceHandlers(socket: OnAirSocket, deps: PresenceHandlerDeps): void {
  const { presence, access, moderation } = deps;

  handle(socket, 'stream:join', async ({ streamId, since }) => {
    const stream = await access.visible(socket, streamId);
    const who = identityOf(socket);
    if (who) await moderation.assertNotRestricted(stream, who, 'ban', true);
    const room = roomOf(streamId);
    if (
      !socket.rooms.has(room) &&
      stream.viewerLimit !== null &&
      !canModerate(who, stream.owner.id)
    ) {
      const count = await presence.count(streamId);
      // A signed-in viewer only competes with signed-in ones when anonymous viewers are not counted.
      const seated = who && !deps.countAnonymousInViewerLimit ? count.signedIn : count.count;
      if (seated >= stream.viewerLimit) {
        throw new OnAirError('STREAM_FULL', 'This stream has reached its viewer limit', {
          viewerLimit: stream.viewerLimit,
        });
      }
    }
    await socket.join(room);
    // Health reports and live analytics: the owner, the channel's moderators, admins.
    if (canModerate(who, stream.owner.id)) {
      await socket.join(managersRoomOf(streamId));
      await presence.watch(streamId);
    }
    if (who?.userId === stream.owner.id) await socket.join(broadcasterRoomOf(streamId));
    else {
      await presence.join(streamId, presenceMemberOf(socket, streamId), stream.status === 'live');
    }
    const chat = await deps.chat.snapshot(streamId, since);
    const restriction = who ? await moderation.active(stream.owner.id, who.userId, true) : null;
    return {
      stream,
      recentMessages: chat.recentMessages,
      gap: chat.gap,
      historyCursor: chat.historyCursor,
      viewers: await presence.count(streamId),
      restricted: restriction
        ? { streamId, kind: restriction.kind, until: restriction.until?.toISOString() ?? null }
        : null,
      pinned: chat.pinned,
      producers: deps.producersOf(streamId),
    };
  });

  handle(socket, 'stream:leave', async ({ streamId }) => {
    await socket.leave(roomOf(streamId));
    await socket.leave(managersRoomOf(streamId));
    await socket.leave(broadcasterRoomOf(streamId));
    delete socket.data.joinedAt?.[streamId];
    await presence.leave(streamId, socket.id);
    return {};
  });

  handle(socket, 'presence:list', async ({ streamId }) => {
    await access.moderated(socket, streamId);
    return presence.list(streamId);
  });

  socket.on('disconnecting', () => {
    for (const streamId of joinedStreams(socket)) {
      void presence.leave(streamId, socket.id).catch(() => undefined);
    }
  });

  // A room that cannot be left (Redis down) is left with the connection: nothing to report.
  if (socket.recovered) recheckRecovered(socket, deps).catch(() => undefined);
}

/**
 * A recovered session gets its rooms back: it leaves the rooms of streams the
 * user may no longer see or was banned from meanwhile, and is told of a ban.
 */
async function recheckRecovered(socket: OnAirSocket, deps: PresenceHandlerDeps): Promise<void> {
  for (const streamId of joinedStreams(socket)) {
    try {
      const stream = await deps.access.visible(socket, streamId);
      const who = identityOf(socket);
      const restriction = who
        ? await deps.moderation.active(stream.owner.id, who.userId, true)
        : null;
      if (restriction?.kind === 'ban' && who?.userId !== stream.owner.id) {
        await socket.leave(roomOf(streamId));
        socket.emit('moderation:restricted', { streamId, kind: 'ban', until: null });
      }
    } catch {
      await socket.leave(roomOf(streamId));
    }
  }
}
