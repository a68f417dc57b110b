import { OnAirError, type ProducerInfo } from '@onair/protocol';
import { canModerate } from '../../platform/auth/identity.js';
import type { PresenceMember } from '../../platform/shared-state/shared-state.js';
import { type RateLimit, TokenBuckets } from '../../platform/shared-state/token-buckets.js';
import { dropMissedPackets, releaseMissedPackets } from '../../transport/realtime/recovery.js';
import { handle, identityOf } from '../../transport/realtime/request.js';
import { joinedStreams, managersRoomOf, roomOf } from '../../transport/realtime/rooms.js';
import type { OnAirSocket } from '../../transport/realtime/types.js';
import type { ChatService } from '../chat/service.js';
import type { ModerationService } from '../moderation/service.js';
import type { StreamAccess } from '../streams/access.js';
import type { StreamService } from '../streams/service.js';
import type { PresenceService } from './service.js';

/**
 * Streams' rooms one connection may be in at once: a page shows one stream,
 * or a few side by side (stream lists follow `streams:watch`, no stream room).
 * Each room makes the connection a viewer and sends it the room's events.
 */
export const MAX_STREAMS_PER_SOCKET = 10;

/**
 * `stream:join`s one connection may send: a burst of 20 (rejoining
 * {@link MAX_STREAMS_PER_SOCKET} rooms after a reconnection, twice), then one
 * a second. A join is the costliest request (reads, a presence write, a
 * viewer session, up to 501 chat messages back), so it has a limit of its own
 * besides the connection's.
 */
export const JOIN_RATE: RateLimit = { capacity: 20, refillPerSecond: 1 };

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
  const joins = new TokenBuckets(JOIN_RATE, Date.now, 'ms');
  /** Streams this connection is joining (not yet in their rooms): they count toward the cap. */
  const joining = new Set<string>();

  handle(socket, 'stream:join', async ({ streamId, since }) => {
    const wait = joins.take('');
    if (wait > 0) {
      throw new OnAirError('RATE_LIMITED', 'You are joining streams too fast', {
        retryAfterSeconds: Math.ceil(wait / 1000),
      });
    }
    const room = roomOf(streamId);
    // Claimed before anything is awaited: joins sent together cannot pass the cap together.
    const claims = !socket.rooms.has(room) && !joining.has(streamId);
    if (claims) {
      const held = new Set([...joinedStreams(socket), ...joining]);
      if (held.size >= MAX_STREAMS_PER_SOCKET) {
        throw new OnAirError(
          'UNPROCESSABLE',
          `A connection may be in ${MAX_STREAMS_PER_SOCKET} streams at once: leave one first`,
          { maxStreams: MAX_STREAMS_PER_SOCKET },
        );
      }
      joining.add(streamId);
    }
    try {
      return await joinRoom(streamId, since);
    } finally {
      if (claims) joining.delete(streamId);
    }
  });

  const joinRoom = async (streamId: string, since: string | undefined) => {
    const stream = await access.joinable(socket, streamId);
    const who = identityOf(socket);
    const room = roomOf(streamId);
    const again = socket.rooms.has(room);
    if (!again && stream.viewerLimit !== null && !canModerate(who, stream.owner.id)) {
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
    if (!again) {
      // An access change (an unfollow, a privacy or invite change, a ban) re-checks the
      // room's members it finds once stored: a join checked before it was stored, and in the
      // room only after, is checked again here, in the room (fresh, as the first check), so
      // one of the two catches it.
      try {
        await access.joinable(socket, streamId);
      } catch (error) {
        await socket.leave(room);
        throw error;
      }
    }
    // Health reports and live analytics: the owner, the channel's moderators, admins.
    if (canModerate(who, stream.owner.id)) {
      await socket.join(managersRoomOf(streamId));
      await presence.watch(streamId);
    }
    if (who?.userId === stream.owner.id) await socket.join(broadcasterRoomOf(streamId));
    else {
      const member = presenceMemberOf(socket, streamId);
      await presence.join(streamId, member, stream.status === 'live', again);
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
  };

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

  // A room that cannot be left (Redis down) is left with the connection: nothing to report,
  // but nothing it missed is sent either.
  if (socket.recovered) {
    recheckRecovered(socket, deps).catch(() => dropMissedPackets(socket));
  }
}

/**
 * A recovered session gets its rooms back (the gateway already refused the
 * recovery to a connection whose identity changed, see `forgetChangedSession`):
 * each stream's room is checked again as `stream:join` checks it, the
 * managers' room as joining it is. A connection that may no longer be in one
 * leaves it and is told (`moderation:restricted` for a ban,
 * `stream:access-revoked` when it may no longer see the stream; a failed
 * check leaves the room too). The events it missed are sent only if it kept
 * every room (which lost room each was for is not known).
 */
async function recheckRecovered(socket: OnAirSocket, deps: PresenceHandlerDeps): Promise<void> {
  let lost = false;
  for (const streamId of joinedStreams(socket)) {
    try {
      const stream = await deps.access.joinable(socket, streamId);
      if (
        socket.rooms.has(managersRoomOf(streamId)) &&
        !canModerate(identityOf(socket), stream.owner.id)
      ) {
        lost = true;
        await socket.leave(managersRoomOf(streamId));
      }
    } catch (error) {
      lost = true;
      await socket.leave(roomOf(streamId));
      await socket.leave(managersRoomOf(streamId));
      await socket.leave(broadcasterRoomOf(streamId));
      delete socket.data.joinedAt?.[streamId];
      await deps.presence.leave(streamId, socket.id).catch(() => undefined);
      const code = error instanceof OnAirError ? error.code : undefined;
      if (code === 'BANNED') {
        socket.emit('moderation:restricted', { streamId, kind: 'ban', until: null });
      } else if (code === 'NOT_FOUND') {
        socket.emit('stream:access-revoked', { streamId });
      }
    }
  }
  if (lost) dropMissedPackets(socket);
  else releaseMissedPackets(socket);
}
