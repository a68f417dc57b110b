import { OnAirError } from '@onair/protocol';
import { toEnvelope } from '../../platform/errors.js';
import { registerChatHandlers } from '../../domains/chat/handlers.js';
import { ChatPacing } from '../../domains/chat/rules.js';
import {
  type GatewayContext,
  type OnAirIo,
  type OnAirSocket,
  PUBLIC_STREAMS_ROOM,
  type RealtimeDeps,
  roomOf,
  userRoom,
} from './context.js';
import { registerInteractionHandlers } from '../../domains/interaction/handlers.js';
import { registerMediaHandlers } from '../../domains/streams/media-handlers.js';
import { registerModerationHandlers } from '../../domains/moderation/service.js';
import { RoomBatcher } from './room-batcher.js';
import { PRESENCE_HEARTBEAT_MS } from '../../platform/shared-state/shared-state.js';
import { TtlCache } from '../../platform/ttl-cache.js';

export {
  type InterServerEvents,
  type OnAirIo,
  PUBLIC_STREAMS_ROOM,
  type RealtimeDeps,
  roomOf,
  type SocketData,
} from './context.js';

const VIEWER_COUNT_FLUSH_MS = 250;
const REACTION_FLUSH_MS = 5_000;

/** The attached gateway. */
export interface Realtime {
  /** Last known viewer count of a stream across servers (this server's room size until counted). */
  viewerCount(streamId: string): number;
  /** Flushes queued events and stops timers. */
  close(): Promise<void>;
}

const joinedStreams = (socket: OnAirSocket): string[] =>
  [...socket.rooms].filter((r) => r.startsWith('stream:')).map((r) => r.slice(7));

/**
 * Wires authentication, rooms, chat, moderation, reactions, Q&A, polls,
 * presence and media signalling onto socket.io. Room events leave in batches
 * (one `batch` event per room and window).
 */
export function attachRealtime(io: OnAirIo, deps: RealtimeDeps): Realtime {
  const { tokens, bus, media, state, streams, channels } = deps;
  const dirtyCounts = new Set<string>();
  const lastCounts = new Map<string, number>();
  const reactionTotals = new Map<string, Map<string, number>>();

  const batcher = new RoomBatcher(
    (room, events) => io.to(room).emit('batch', events),
    deps.batchWindowMs,
    (room, counts) => {
      const streamId = room.slice(room.indexOf(':') + 1);
      const totals = reactionTotals.get(streamId) ?? new Map<string, number>();
      for (const [emoji, n] of counts) totals.set(emoji, (totals.get(emoji) ?? 0) + n);
      reactionTotals.set(streamId, totals);
    },
  );
  const ctx: GatewayContext = {
    io,
    deps,
    batcher,
    pacing: new ChatPacing(state, deps.rates.chat),
    // Invalidated on change on every server; the TTL only bounds a missed invalidation.
    streamCache: new TtlCache(10_000),
    restrictionCache: new TtlCache(30_000),
    invalidate: (cache, key) => {
      (cache === 'stream' ? ctx.streamCache : ctx.restrictionCache).delete(key);
      if (deps.clustered) io.serverSideEmit('cache:invalidate', cache, key);
    },
    countChanged: (streamId) => dirtyCounts.add(streamId),
  };

  const flushCounts = setInterval(() => {
    const streamIds = [...dirtyCounts];
    dirtyCounts.clear();
    for (const streamId of streamIds) {
      state.count(streamId).then(
        (counts) => {
          lastCounts.set(streamId, counts.count);
          batcher.emit(roomOf(streamId), 'viewers:count', { streamId, ...counts }, 'viewers');
        },
        (error: unknown) => deps.log(`viewer count failed: ${(error as Error).message}`),
      );
    }
  }, VIEWER_COUNT_FLUSH_MS);
  flushCounts.unref();

  // Refreshes this server's viewers so their entries outlive the TTL; a
  // crashed server's viewers expire on their own.
  const heartbeat = setInterval(() => {
    const byStream = new Map<string, OnAirSocket[]>();
    for (const socket of io.sockets.sockets.values()) {
      for (const streamId of joinedStreams(socket)) {
        byStream.set(streamId, [...(byStream.get(streamId) ?? []), socket]);
      }
    }
    for (const [streamId, sockets] of byStream) {
      void state
        .present(
          streamId,
          sockets.map((s) => ({
            socketId: s.id,
            user: s.data.identity
              ? { id: s.data.identity.userId, displayName: s.data.identity.displayName }
              : null,
          })),
        )
        .catch((error: unknown) =>
          deps.log(`presence heartbeat failed: ${(error as Error).message}`),
        );
      dirtyCounts.add(streamId);
    }
  }, PRESENCE_HEARTBEAT_MS);
  heartbeat.unref();

  const flushReactions = async () => {
    const pending = [...reactionTotals];
    reactionTotals.clear();
    for (const [streamId, counts] of pending) {
      await deps.reactions
        .add(streamId, new Date(), counts)
        .catch((error: unknown) => deps.log(`reaction stats failed: ${(error as Error).message}`));
    }
  };
  const reactionTimer = setInterval(() => void flushReactions(), REACTION_FLUSH_MS);
  reactionTimer.unref();

  const emoteCache = new Map<string, { codes: Set<string>; at: number }>();
  const emotesOf = async (channelId: string) => {
    const cached = emoteCache.get(channelId);
    if (cached && Date.now() - cached.at < 10_000) return cached.codes;
    const channel = await channels.require(channelId, undefined);
    const codes = new Set(channel.emotes.map((e) => e.code));
    emoteCache.set(channelId, { codes, at: Date.now() });
    return codes;
  };

  // Runs on every connection, recovered ones included (skipMiddlewares: false),
  // so an expired or revoked token never resumes a session.
  io.use(async (socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    socket.data.identity = null;
    if (token === undefined || token === null || token === '') return next();
    try {
      if (typeof token !== 'string') throw new OnAirError('UNAUTHORIZED', 'token must be a string');
      const identity = await tokens.verify(token);
      await streams.upsertUser(identity.userId, identity.displayName);
      socket.data.identity = identity;
      next();
    } catch (error) {
      const err = new Error('Unauthorized') as Error & { data: unknown };
      err.data = toEnvelope(error);
      next(err);
    }
  });

  io.on('cache:invalidate', (cache, key) => {
    (cache === 'stream' ? ctx.streamCache : ctx.restrictionCache).delete(key);
  });

  io.on('connection', (socket) => {
    const who = socket.data.identity;
    if (who) void socket.join(userRoom(who.userId));
    if (socket.recovered) void recheckRecovered(socket);
    registerChatHandlers(ctx, socket);
    registerModerationHandlers(ctx, socket);
    registerInteractionHandlers(ctx, socket, emotesOf);
    registerMediaHandlers(ctx, socket);
    socket.on('disconnecting', () => {
      for (const streamId of joinedStreams(socket)) {
        void state.absent(streamId, socket.id).catch(() => undefined);
        dirtyCounts.add(streamId);
      }
    });
  });

  // A recovered session gets its rooms back: drop the rooms of streams the
  // user may no longer see or was banned from meanwhile, and tell them.
  const recheckRecovered = async (socket: OnAirSocket) => {
    for (const streamId of joinedStreams(socket)) {
      try {
        const stream = await deps.service.get(streamId, socket.data.identity ?? undefined);
        const who = socket.data.identity;
        const restriction = who
          ? await deps.restrictions.active(stream.owner.id, who.userId)
          : null;
        if (restriction?.kind === 'ban' && who?.userId !== stream.owner.id) {
          await socket.leave(roomOf(streamId));
          socket.emit('moderation:restricted', { streamId, kind: 'ban', until: null });
        }
      } catch {
        await socket.leave(roomOf(streamId));
      }
    }
  };

  const offProducer = media?.on('producer', (info) =>
    io.to(roomOf(info.streamId)).emit('media:producer', info),
  );
  const offProducerClosed = media?.on('producerClosed', (info) =>
    io.to(roomOf(info.streamId)).emit('media:producerClosed', info),
  );
  const offTransportClosed = media?.on('transportClosed', ({ owner, transportId, reason }) =>
    io.to(owner).emit('media:transportClosed', { transportId, reason }),
  );
  const offStream = bus.on('stream:updated', (stream) => {
    ctx.invalidate('stream', stream.id);
    // One emit to both rooms: a socket in both gets the event once.
    const rooms =
      stream.privacy === 'public' ? [roomOf(stream.id), PUBLIC_STREAMS_ROOM] : [roomOf(stream.id)];
    io.to(rooms).emit('stream:updated', stream);
    if (stream.status === 'ended' || stream.status === 'cancelled') {
      void media?.endStream(stream.id);
    }
  });
  const offKey = bus.on('stream:keyRotated', ({ streamId }) => {
    void media?.endPublishers(streamId);
  });

  return {
    viewerCount: (streamId) =>
      lastCounts.get(streamId) ?? io.sockets.adapter.rooms.get(roomOf(streamId))?.size ?? 0,
    async close() {
      clearInterval(flushCounts);
      clearInterval(heartbeat);
      clearInterval(reactionTimer);
      batcher.close();
      await flushReactions();
      offProducer?.();
      offProducerClosed?.();
      offTransportClosed?.();
      offStream();
      offKey();
    },
  };
}
