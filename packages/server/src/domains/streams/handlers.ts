import { OnAirError, type Stream } from '@onair/protocol';
import { SIGNED_PRIVACY } from '../../media/hls/tokens.js';
import type { MediaPlane } from '../../media/media-plane.js';
import { canModerate, type Identity } from '../../platform/auth/identity.js';
import type { InternalBus } from '../../platform/events.js';
import { handle, identityOf } from '../../transport/realtime/request.js';
import {
  joinedStreams,
  managersRoomOf,
  PUBLIC_STREAMS_ROOM,
  roomOf,
  userRoom,
} from '../../transport/realtime/rooms.js';
import { onAccessChanged } from '../../transport/realtime/token-expiry.js';
import type { OnAirIo, OnAirSocket } from '../../transport/realtime/types.js';
import type { StreamAccess } from './access.js';
import type { StreamService } from './service.js';

/** Registers watching the public stream list's changes (`streams:watch`, `streams:unwatch`). */
export function registerStreamHandlers(socket: OnAirSocket): void {
  handle(socket, 'streams:watch', async () => {
    await socket.join(PUBLIC_STREAMS_ROOM);
    return {};
  });

  handle(socket, 'streams:unwatch', async () => {
    await socket.leave(PUBLIC_STREAMS_ROOM);
    return {};
  });
}

/** What {@link relayStreamEvents} needs. */
export interface StreamRelayDeps {
  io: OnAirIo;
  bus: InternalBus;
  access: StreamAccess;
  service: StreamService;
  /** Undefined when media is turned off on this server. */
  media: MediaPlane | undefined;
  /** A connection left a stream's audience (presence forgets it). */
  left(streamId: string, socketId: string): Promise<void>;
  /**
   * Re-checks the stream's playback outside realtime (WHEP sessions), on
   * every server: only `userId`'s sessions when given. Undefined when no
   * server of the deployment plays WHEP (media off, not clustered).
   */
  recheckPlayback: ((streamId: string, userId?: string) => Promise<void>) | undefined;
  /**
   * Servers share rooms (Redis): a stream's media may be on another one
   * (its publisher there, relays of it everywhere), so media ends are told to all.
   */
  clustered: boolean;
  log: (message: string) => void;
}

/**
 * Tells realtime clients what happens to streams: every change to the
 * stream's room (and public ones to stream lists), the SFU's producers
 * coming and going to the room, and a transport the server closed to its
 * owner. An ended stream's media ends; a rotated key disconnects its
 * publishers: on every server, whichever server the request reached. A
 * connection whose `auth:refresh` brought less access is checked again in
 * every stream room it is in (see {@link recheckConnection}); one whose user
 * stopped following a channel, in that channel's followers-only streams
 * (see {@link recheckFollower}). Returns the function that stops it.
 */
export function relayStreamEvents(deps: StreamRelayDeps): () => void {
  const { io, bus, access, media, log } = deps;
  const closeMedia = (socketId: string, streamId: string) =>
    media?.router.closeOwnerStream(socketId, streamId, 'access-revoked');
  // Another server took one of this server's connections out of a stream: its media closes here.
  io.on('media:revoke', (socketId, streamId) => {
    void closeMedia(socketId, streamId)?.catch((error: Error) => log(`revoke: ${error.message}`));
  });
  const endMedia = (streamId: string) =>
    media
      ?.endStream(streamId)
      .catch((error: Error) => log(`ending the media of ${streamId}: ${error.message}`));
  const endPublishers = (streamId: string) =>
    media
      ?.endPublishers(streamId)
      .catch((error: Error) =>
        log(`disconnecting the publishers of ${streamId}: ${error.message}`),
      );
  io.on('media:end', endMedia);
  io.on('media:endPublishers', endPublishers);
  const recheck = (stream: Stream) =>
    Promise.all([
      recheckAudience(deps, stream, closeMedia),
      deps.recheckPlayback?.(stream.id),
    ]).catch((error: Error) =>
      log(`re-checking the audience of ${stream.id} failed: ${error.message}`),
    );
  const offs = [
    // A connection whose refreshed token carries less (a subscription, a moderated channel,
    // a role gone) leaves what it may no longer reach before its refresh is answered.
    onAccessChanged(io, (socket) =>
      recheckConnection(deps, socket, closeMedia).catch((error: Error) =>
        log(`re-checking the rooms of ${socket.id} failed: ${error.message}`),
      ),
    ),
    bus.on('stream:updated', (stream) => {
      access.changed(stream.id);
      if (SIGNED_PRIVACY.has(stream.privacy)) {
        // Never a signed URL to a room: each viewer still allowed gets their own.
        void recheck(stream);
      } else {
        // One emit to both rooms: a socket in both gets the event once.
        const rooms =
          stream.privacy === 'public'
            ? [roomOf(stream.id), PUBLIC_STREAMS_ROOM]
            : [roomOf(stream.id)];
        io.to(rooms).emit('stream:updated', stream);
      }
      if (stream.status === 'ended' || stream.status === 'cancelled') {
        void endMedia(stream.id);
        if (deps.clustered) io.serverSideEmit('media:end', stream.id);
      }
    }),
    bus.on('stream:accessChanged', ({ streamId }) => {
      access.invitesChanged(streamId);
      void deps.service
        .find(streamId)
        .then((stream) => {
          if (stream && SIGNED_PRIVACY.has(stream.privacy)) return recheck(stream);
        })
        .catch((error: Error) => log(`re-checking ${streamId} failed: ${error.message}`));
    }),
    bus.on('channel:followChanged', ({ channelId, userId, following }) => {
      access.followChanged(channelId, userId);
      if (following) return;
      void recheckFollower(deps, channelId, userId, closeMedia).catch((error: Error) =>
        log(`re-checking the follower streams of ${channelId} failed: ${error.message}`),
      );
    }),
    bus.on('stream:keyRotated', ({ streamId }) => {
      void endPublishers(streamId);
      if (deps.clustered) io.serverSideEmit('media:endPublishers', streamId);
    }),
  ];
  if (media) {
    const { router } = media;
    // Producers are this server's (a viewer consumes on the server it is connected to; another
    // node's viewers get the relayed producers of theirs): told to this server's sockets only.
    offs.push(
      router.on('producer', (info) =>
        io.local.to(roomOf(info.streamId)).emit('media:producer', info),
      ),
      router.on('producerClosed', (info) =>
        io.local.to(roomOf(info.streamId)).emit('media:producerClosed', info),
      ),
      router.on('transportClosed', ({ owner, transportId, reason }) =>
        io.to(owner).emit('media:transportClosed', { transportId, reason }),
      ),
    );
  }
  return () => {
    for (const off of offs) off();
    io.removeAllListeners('media:revoke');
    io.removeAllListeners('media:end');
    io.removeAllListeners('media:endPublishers');
  };
}

/**
 * Re-checks every connection in a followers-only or private stream's room,
 * on every server: one still allowed gets the stream with its own signed
 * URLs; one that lost access is told (`stream:access-revoked`), leaves the
 * room and the audience, and its real-time media closes.
 */
async function recheckAudience(
  deps: StreamRelayDeps,
  stream: Stream,
  closeMedia: (socketId: string, streamId: string) => Promise<void> | undefined,
): Promise<void> {
  const { io, service } = deps;
  const room = roomOf(stream.id);
  for (const remote of await io.in(room).fetchSockets()) {
    const who = remote.data.identity ?? undefined;
    if (await service.canSee(stream, who)) {
      remote.emit('stream:updated', await service.signedFor(stream, who));
      continue;
    }
    await revoke(deps, remote, stream.id, closeMedia);
  }
}

/** A connection here or on another server: what taking it out of a stream needs of it. */
type Member = Pick<OnAirSocket, 'id' | 'leave'> & {
  emit(name: 'stream:access-revoked', payload: { streamId: string }): unknown;
};

/**
 * Takes a connection that lost a stream out of it: it is told
 * (`stream:access-revoked`), leaves the room and the audience, and its
 * real-time media of the stream closes on the server it is connected to.
 */
async function revoke(
  deps: StreamRelayDeps,
  member: Member,
  streamId: string,
  closeMedia: (socketId: string, streamId: string) => Promise<void> | undefined,
): Promise<void> {
  const { io } = deps;
  member.emit('stream:access-revoked', { streamId });
  await member.leave(roomOf(streamId));
  await member.leave(managersRoomOf(streamId));
  await deps.left(streamId, member.id);
  // The connection's transports live on the server it is connected to.
  if (io.sockets.sockets.has(member.id)) await closeMedia(member.id, streamId);
  else io.serverSideEmit('media:revoke', member.id, streamId);
}

/**
 * After `userId` stopped following `channelId`: each of their connections, on
 * every server, in a room of the channel's followers-only streams is checked
 * again and revoked if it may no longer see the stream ({@link revoke}); the
 * WHEP playback of the channel's live followers-only streams is checked again,
 * and the user leaves those they no longer see (`audience:lost`: a raised hand
 * goes), connected or not.
 */
async function recheckFollower(
  deps: StreamRelayDeps,
  channelId: string,
  userId: string,
  closeMedia: (socketId: string, streamId: string) => Promise<void> | undefined,
): Promise<void> {
  const { io, access, service } = deps;
  const followersOnly: Stream[] = [];
  for (const streamId of await access.liveStreamsOf(channelId)) {
    const stream = await access.stored(streamId);
    if (stream?.privacy === 'followers') followersOnly.push(stream);
  }
  const remotes = await io.in(userRoom(userId)).fetchSockets();
  // Each step runs whatever became of the others.
  const steps = await Promise.allSettled([
    (async () => {
      for (const remote of remotes) {
        for (const streamId of joinedStreams(remote)) {
          // Any followers-only room of the channel: a scheduled stream's too.
          const stream = await access.stored(streamId);
          if (stream?.owner.id !== channelId || stream.privacy !== 'followers') continue;
          if (!(await service.canSee(stream, remote.data.identity ?? undefined))) {
            await revoke(deps, remote, streamId, closeMedia);
          }
        }
      }
    })(),
    ...followersOnly.map((stream) => deps.recheckPlayback?.(stream.id, userId)),
    // Without a connection there are no claims to go by (a moderator sees the stream
    // unfollowed): with none, or none that still sees it, the user lost it.
    lostUnlessSeen(
      deps,
      userId,
      followersOnly.map((stream) => stream.id),
      remotes,
    ),
  ]);
  const failed = steps.find((step) => step.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Checks every stream room one of this server's connections is in again, as
 * `stream:join` checks it (after its access changed): a stream it may no
 * longer see, or whose channel banned it, is revoked ({@link revoke}), and
 * lost to the user unless another of their connections there still sees it
 * ({@link lostUnlessSeen}: a raised hand goes); a managers' room it may no
 * longer be in (no longer the channel's moderator or an admin), left.
 */
async function recheckConnection(
  deps: StreamRelayDeps,
  socket: OnAirSocket,
  closeMedia: (socketId: string, streamId: string) => Promise<void> | undefined,
): Promise<void> {
  const revoked: string[] = [];
  let failure: unknown;
  for (const streamId of joinedStreams(socket)) {
    let stream: Stream;
    try {
      stream = await deps.access.joinable(socket, streamId);
    } catch (error) {
      // Refused (NOT_FOUND, BANNED) or not checked: either way it may not stay.
      await revoke(deps, socket, streamId, closeMedia);
      revoked.push(streamId);
      if (!(error instanceof OnAirError)) failure ??= error;
      continue;
    }
    if (!canModerate(identityOf(socket), stream.owner.id)) {
      await socket.leave(managersRoomOf(streamId));
    }
  }
  const userId = identityOf(socket)?.userId;
  if (userId && revoked.length > 0) {
    const remotes = await deps.io.in(userRoom(userId)).fetchSockets();
    await lostUnlessSeen(deps, userId, revoked, remotes).catch((error: unknown) => {
      failure ??= error;
    });
  }
  if (failure) throw failure;
}

/**
 * Tells `audience:lost` (a raised hand goes) for the streams of `streamIds`
 * that none of `userId`'s connections in the stream's room (`remotes`: theirs
 * on every server) still sees: a moderator's other tab keeps the hand, a tab
 * elsewhere with older claims does not.
 */
async function lostUnlessSeen(
  deps: StreamRelayDeps,
  userId: string,
  streamIds: readonly string[],
  remotes: ReadonlyArray<{ rooms: Set<string>; data: { identity?: Identity | null } }>,
): Promise<void> {
  const lost: string[] = [];
  for (const streamId of streamIds) {
    const stream = await deps.access.stored(streamId);
    let seen = false;
    for (const remote of stream ? remotes : []) {
      const who = remote.data.identity ?? undefined;
      if (!remote.rooms.has(roomOf(streamId)) || who?.userId !== userId) continue;
      seen = await deps.service.canSee(stream as Stream, who);
      if (seen) break;
    }
    if (!seen) lost.push(streamId);
  }
  if (lost.length > 0) deps.bus.emit('audience:lost', { userId, streamIds: lost });
}
