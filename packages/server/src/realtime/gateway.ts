import {
  type Ack,
  CLIENT_REQUESTS,
  type ClientRequestName,
  type ClientResponse,
  type ClientToServerEvents,
  OnAirError,
  parseOrError,
  type ServerToClientEvents,
  type Stream,
} from '@onair/protocol';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { badgesIn, canModerate, type Identity, subscriptionTier } from '../auth/identity.js';
import type { TokenVerifier } from '../auth/tokens.js';
import { toEnvelope } from '../errors.js';
import type { InternalBus } from '../events.js';
import type { MediaPlane } from '../media/media-plane.js';
import type { ChannelRepository } from '../storage/channels.js';
import type { ChatRepository } from '../storage/chat.js';
import type { StreamRepository } from '../storage/streams.js';
import type { StreamService } from '../streams/stream-service.js';
import { ChatPacing, isEmoteOnly } from './chat-rules.js';

/** What the server keeps on each socket: the verified identity, or null for anonymous viewers. */
export interface SocketData {
  identity: Identity | null;
}

/** The server's typed socket.io instance. */
export type OnAirIo = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
type OnAirSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** What the realtime gateway needs. */
export interface RealtimeDeps {
  service: StreamService;
  streams: StreamRepository;
  channels: ChannelRepository;
  chat: ChatRepository;
  tokens: TokenVerifier;
  bus: InternalBus;
  media: MediaPlane | undefined;
  /** Per-user chat rate limit. Default: 3 messages per 2 s. */
  chatRate?: { capacity: number; refillPerSecond: number };
  log: (message: string) => void;
}

const VIEWER_COUNT_FLUSH_MS = 250;
const RECENT_MESSAGES = 50;

/** Room of clients watching public stream changes (stream lists). */
export const PUBLIC_STREAMS_ROOM = 'streams:public';

/** Room name of a stream. */
export const roomOf = (streamId: string): string => `stream:${streamId}`;

type Handler<K extends ClientRequestName> = (
  payload: z.output<(typeof CLIENT_REQUESTS)[K]['request']>,
  socket: OnAirSocket,
) => Promise<ClientResponse<K>> | ClientResponse<K>;

/**
 * Registers a request handler: the payload is parsed with the protocol schema
 * and every outcome, including a thrown error, becomes a typed acknowledgement.
 */
function handle<K extends ClientRequestName>(socket: OnAirSocket, name: K, handler: Handler<K>) {
  const listener = async (payload: unknown, ack: unknown) => {
    if (typeof ack !== 'function') return;
    const reply = ack as (response: Ack<ClientResponse<K>>) => void;
    const parsed = parseOrError(CLIENT_REQUESTS[name].request, payload);
    if (!parsed.ok) return reply({ ok: false, error: parsed.error });
    try {
      reply({ ok: true, data: await handler(parsed.value as never, socket) });
    } catch (error) {
      reply({ ok: false, error: toEnvelope(error) });
    }
  };
  socket.on(name as never, listener as never);
}

/** Wires authentication, rooms, chat, viewer counts and media signalling onto socket.io. */
export function attachRealtime(io: OnAirIo, deps: RealtimeDeps): () => void {
  const { service, streams, channels, chat, tokens, bus, media } = deps;
  const dirtyCounts = new Set<string>();

  const flushCounts = setInterval(() => {
    for (const streamId of dirtyCounts) {
      io.to(roomOf(streamId)).emit('viewers:count', { streamId, count: viewerCount(streamId) });
    }
    dirtyCounts.clear();
  }, VIEWER_COUNT_FLUSH_MS);
  flushCounts.unref();

  const viewerCount = (streamId: string): number =>
    io.sockets.adapter.rooms.get(roomOf(streamId))?.size ?? 0;

  const joinedStreams = (socket: OnAirSocket): string[] =>
    [...socket.rooms].filter((r) => r.startsWith('stream:')).map((r) => r.slice(7));

  const pacing = new ChatPacing(deps.chatRate);

  /**
   * Chat settings the server enforces: chat on or off, followers-only,
   * subscribers-only, emote-only, slow mode and the per-user rate limit.
   * The channel's owner, moderators and admins are exempt.
   */
  const assertMayChat = async (stream: Stream, who: Identity, text: string) => {
    if (canModerate(who, stream.owner.id)) return;
    if (!stream.chat.enabled)
      throw new OnAirError('FORBIDDEN', 'Chat is turned off for this stream');
    if (stream.chat.mode === 'subscribers' && subscriptionTier(who, stream.owner.id) === 0) {
      throw new OnAirError('FORBIDDEN', 'Only subscribers can chat right now');
    }
    if (
      stream.chat.mode === 'followers' &&
      !(await channels.isFollowing(who.userId, stream.owner.id))
    ) {
      throw new OnAirError('FORBIDDEN', 'Only followers can chat right now');
    }
    if (stream.chat.emoteOnly) {
      const channel = await channels.require(stream.owner.id, undefined);
      if (!isEmoteOnly(text.trim(), new Set(channel.emotes.map((e) => e.code)))) {
        throw new OnAirError('FORBIDDEN', 'Emote-only chat: send emoji or the channel’s emotes');
      }
    }
    pacing.check(stream, who.userId);
  };

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

  io.on('connection', (socket) => {
    const identityOf = () => socket.data.identity ?? undefined;
    const visibleStream = (streamId: string) => service.get(streamId, identityOf());

    const requireOwner = async (streamId: string) => {
      const stream = await visibleStream(streamId);
      if (!service.isManager(stream, identityOf())) {
        throw new OnAirError('FORBIDDEN', 'Only the stream owner may publish');
      }
      return stream;
    };

    handle(socket, 'stream:join', async ({ streamId }) => {
      const stream = await visibleStream(streamId);
      const who = identityOf();
      if (
        !socket.rooms.has(roomOf(streamId)) &&
        stream.viewerLimit !== null &&
        viewerCount(streamId) >= stream.viewerLimit &&
        !canModerate(who, stream.owner.id)
      ) {
        throw new OnAirError('STREAM_FULL', 'This stream has reached its viewer limit', {
          viewerLimit: stream.viewerLimit,
        });
      }
      await socket.join(roomOf(streamId));
      dirtyCounts.add(streamId);
      return {
        stream,
        viewerCount: viewerCount(streamId),
        ...(await (async () => {
          const page = await chat.history(streamId, RECENT_MESSAGES);
          return { recentMessages: page.items, historyCursor: page.nextCursor };
        })()),
        pinned: await chat.pinned(streamId),
        producers: media?.producersOf(streamId) ?? [],
      };
    });

    handle(socket, 'streams:watch', async () => {
      await socket.join(PUBLIC_STREAMS_ROOM);
      return {};
    });

    handle(socket, 'streams:unwatch', async () => {
      await socket.leave(PUBLIC_STREAMS_ROOM);
      return {};
    });

    handle(socket, 'stream:leave', async ({ streamId }) => {
      await socket.leave(roomOf(streamId));
      dirtyCounts.add(streamId);
      return {};
    });

    handle(socket, 'chat:send', async ({ streamId, text }) => {
      const identity = identityOf();
      if (!identity) throw new OnAirError('UNAUTHORIZED', 'Sign in to chat');
      if (!socket.rooms.has(roomOf(streamId))) {
        throw new OnAirError('FORBIDDEN', 'Join the stream before chatting');
      }
      const stream = await visibleStream(streamId);
      if (stream.status === 'ended' || stream.status === 'cancelled') {
        throw new OnAirError('STREAM_NOT_LIVE', `Chat is closed: the stream is ${stream.status}`);
      }
      await assertMayChat(stream, identity, text);
      const message = await chat.append(
        streamId,
        {
          id: identity.userId,
          displayName: identity.displayName,
          badges: badgesIn(identity, stream.owner.id),
        },
        text,
      );
      io.to(roomOf(streamId)).emit('chat:message', message);
      return message;
    });

    handle(socket, 'chat:history', async ({ streamId, before, limit }) => {
      await visibleStream(streamId);
      return chat.history(streamId, limit, before);
    });

    const requireModerator = async (streamId: string) => {
      const who = identityOf();
      if (!who) throw new OnAirError('UNAUTHORIZED', 'Sign in first');
      const stream = await visibleStream(streamId);
      if (!canModerate(who, stream.owner.id)) {
        throw new OnAirError('FORBIDDEN', "Only this channel's owner and moderators may do this");
      }
      return who;
    };

    handle(socket, 'chat:delete', async ({ streamId, messageId }) => {
      const who = await requireModerator(streamId);
      const wasPinned = (await chat.pinned(streamId))?.id === messageId;
      if (!(await chat.delete(streamId, messageId, who.userId))) {
        throw new OnAirError('NOT_FOUND', 'Message not found');
      }
      io.to(roomOf(streamId)).emit('chat:deleted', { streamId, messageId });
      if (wasPinned) io.to(roomOf(streamId)).emit('chat:pinned', { streamId, message: null });
      return {};
    });

    handle(socket, 'chat:pin', async ({ streamId, messageId }) => {
      await requireModerator(streamId);
      const message = messageId ? await chat.find(streamId, messageId) : null;
      if (messageId && !message) throw new OnAirError('NOT_FOUND', 'Message not found');
      await chat.setPinned(streamId, messageId);
      io.to(roomOf(streamId)).emit('chat:pinned', { streamId, message: message ?? null });
      return {};
    });

    const requireMedia = () => {
      if (!media) throw new OnAirError('MEDIA_UNAVAILABLE', 'Media is disabled on this server');
      return media;
    };

    handle(socket, 'media:capabilities', async ({ streamId }) => {
      await visibleStream(streamId);
      return requireMedia().capabilities();
    });

    handle(socket, 'media:createTransport', async ({ streamId, direction }) => {
      const plane = requireMedia();
      if (direction === 'send') {
        const stream = await requireOwner(streamId);
        if (stream.status !== 'live') {
          throw new OnAirError('STREAM_NOT_LIVE', 'Start the stream before publishing');
        }
      } else {
        await visibleStream(streamId);
      }
      return plane.createTransport(streamId, direction, socket.id);
    });

    handle(socket, 'media:connectTransport', ({ transportId, dtlsParameters }) => {
      requireMedia().connectTransport(transportId, dtlsParameters, socket.id);
      return {};
    });

    handle(socket, 'media:produce', (request) => requireMedia().produce(request, socket.id));

    handle(socket, 'media:consume', () => {
      throw new OnAirError('MEDIA_UNAVAILABLE', 'Real-time viewing is not available yet; use HLS');
    });

    handle(socket, 'media:resume', () => {
      throw new OnAirError('NOT_FOUND', 'Consumer not found');
    });

    handle(socket, 'media:close', async ({ transportId }) => {
      await requireMedia().closeTransport(transportId, socket.id);
      return {};
    });

    socket.on('disconnecting', () => {
      for (const streamId of joinedStreams(socket)) dirtyCounts.add(streamId);
    });
    socket.on('disconnect', () => {
      void media?.closeOwner(socket.id);
    });
  });

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

  return () => {
    clearInterval(flushCounts);
    offProducer?.();
    offProducerClosed?.();
    offTransportClosed?.();
    offStream();
    offKey();
  };
}
