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
import { canModerate, type Identity } from '../../platform/auth/identity.js';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import { toEnvelope } from '../../platform/errors.js';
import type { InternalBus } from '../../platform/events.js';
import type { RateLimit } from '../http/rate-limit.js';
import type { MediaPlane } from '../../media/media-plane.js';
import type { ChannelRepository } from '../../domains/channels/repository.js';
import type { ChatRepository } from '../../domains/chat/repository.js';
import type { HealthRepository } from '../../domains/health/repository.js';
import type { PollRepository } from '../../domains/interaction/poll-repository.js';
import type { QuestionRepository } from '../../domains/interaction/question-repository.js';
import type { ReactionRepository } from '../../domains/interaction/reaction-repository.js';
import type { Restriction, RestrictionRepository } from '../../domains/moderation/repository.js';
import type { StreamRepository } from '../../domains/streams/repository.js';
import type { StreamService } from '../../domains/streams/service.js';
import type { ChatFilter } from '../../domains/chat/filter.js';
import type { ChatPacing } from '../../domains/chat/rules.js';
import type { RoomBatcher } from './room-batcher.js';
import type { SharedState } from '../../platform/shared-state/shared-state.js';
import type { TtlCache } from '../../platform/ttl-cache.js';

/** What the server keeps on each socket: the verified identity, or null for anonymous viewers. */
export interface SocketData {
  identity: Identity | null;
}

/** Messages between the servers of a deployment (through the Redis adapter). */
export interface InterServerEvents {
  /** Drop a cached entry: a stream changed, or a user was banned or unbanned. */
  'cache:invalidate': (cache: 'stream' | 'restriction', key: string) => void;
}

/** The server's typed socket.io instance. */
export type OnAirIo = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
/** One typed connection. */
export type OnAirSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** Rate limits of audience actions, per user (per connection for anonymous viewers). */
export interface AudienceRates {
  chat: RateLimit;
  reactions: RateLimit;
  questions: RateLimit;
}

/** What the realtime gateway needs. */
export interface RealtimeDeps {
  service: StreamService;
  streams: StreamRepository;
  channels: ChannelRepository;
  chat: ChatRepository;
  questions: QuestionRepository;
  polls: PollRepository;
  reactions: ReactionRepository;
  health: HealthRepository;
  restrictions: RestrictionRepository;
  tokens: TokenVerifier;
  bus: InternalBus;
  media: MediaPlane | undefined;
  state: SharedState;
  filter: ChatFilter;
  rates: AudienceRates;
  /** Batch window of room events, ms. */
  batchWindowMs: number;
  /** Whether other servers share the rooms (Redis): caches are invalidated across servers. */
  clustered: boolean;
  log: (message: string) => void;
}

/** Room of clients watching public stream changes (stream lists). */
export const PUBLIC_STREAMS_ROOM = 'streams:public';

/** Room name of a stream. */
export const roomOf = (streamId: string): string => `stream:${streamId}`;

/** Room of a stream's owner and admins (stream health). */
export const managersRoomOf = (streamId: string): string => `managers:${streamId}`;

/** Room holding every connection of one user (to reach them on any server). */
export const userRoom = (userId: string): string => `user:${userId}`;

/** Shared by the gateway's handler modules. */
export interface GatewayContext {
  io: OnAirIo;
  deps: RealtimeDeps;
  batcher: RoomBatcher;
  pacing: ChatPacing;
  /** Stream rows by id (invalidated on every server when a stream changes). */
  streamCache: TtlCache<Stream | undefined>;
  /** Active bans and timeouts by `channelId:userId` (invalidated on every server on a change). */
  restrictionCache: TtlCache<Restriction | null>;
  /** Drops a cached entry here and, with Redis, on the other servers. */
  invalidate(cache: 'stream' | 'restriction', key: string): void;
  /** Marks a stream's viewer count as changed (sent on the next flush). */
  countChanged(streamId: string): void;
}

type Handler<K extends ClientRequestName> = (
  payload: z.output<(typeof CLIENT_REQUESTS)[K]['request']>,
  socket: OnAirSocket,
) => Promise<ClientResponse<K>> | ClientResponse<K>;

/**
 * Registers a request handler: the payload is parsed with the protocol schema
 * and every outcome, including a thrown error, becomes a typed acknowledgement.
 */
export function handle<K extends ClientRequestName>(
  socket: OnAirSocket,
  name: K,
  handler: Handler<K>,
) {
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

/** The caller's identity, or undefined for anonymous viewers. */
export const identityOf = (socket: OnAirSocket): Identity | undefined =>
  socket.data.identity ?? undefined;

/** The caller's identity; `UNAUTHORIZED` for anonymous viewers. */
export function requireIdentity(socket: OnAirSocket, doing = 'do this'): Identity {
  const who = identityOf(socket);
  if (!who) throw new OnAirError('UNAUTHORIZED', `Sign in to ${doing}`);
  return who;
}

/** The stream, if the caller may see it (else `NOT_FOUND`). */
export const visibleStream = (ctx: GatewayContext, socket: OnAirSocket, streamId: string) =>
  ctx.deps.service.get(streamId, identityOf(socket));

/**
 * The stream, if the caller joined its room (else `FORBIDDEN`) and may still
 * see it (else `NOT_FOUND`). From the stream cache: the hot path of chat,
 * reactions, questions and votes.
 */
export async function joinedStream(
  ctx: GatewayContext,
  socket: OnAirSocket,
  streamId: string,
): Promise<Stream> {
  if (!socket.rooms.has(roomOf(streamId))) {
    throw new OnAirError('FORBIDDEN', 'Join the stream first');
  }
  const stream = await ctx.streamCache.get(streamId, () => ctx.deps.streams.find(streamId));
  if (!stream || !(await ctx.deps.service.canSee(stream, identityOf(socket)))) {
    throw new OnAirError('NOT_FOUND', 'Stream not found');
  }
  return stream;
}

/** The user's active ban or timeout in a channel, through the restriction cache. */
export function activeRestriction(
  ctx: GatewayContext,
  channelId: string,
  userId: string,
): Promise<Restriction | null> {
  return ctx.restrictionCache.get(`${channelId}:${userId}`, () =>
    ctx.deps.restrictions.active(channelId, userId),
  );
}

/** The caller and the stream, if the caller moderates the stream's channel (else `FORBIDDEN`). */
export async function requireModerator(
  ctx: GatewayContext,
  socket: OnAirSocket,
  streamId: string,
): Promise<{ who: Identity; stream: Stream }> {
  const who = requireIdentity(socket);
  const stream = await visibleStream(ctx, socket, streamId);
  if (!canModerate(who, stream.owner.id)) {
    throw new OnAirError('FORBIDDEN', "Only this channel's owner and moderators may do this");
  }
  return { who, stream };
}

/**
 * Refuses a banned or timed-out user (`BANNED`, with `until` for a timeout).
 * The channel's owner is never restricted. `fresh` reads the database (joins
 * do, so a ban holds on reconnect even before caches catch up).
 */
export async function assertNotRestricted(
  ctx: GatewayContext,
  stream: Stream,
  who: Identity,
  only?: 'ban',
  fresh = false,
): Promise<void> {
  if (who.userId === stream.owner.id) return;
  const restriction = fresh
    ? await ctx.deps.restrictions.active(stream.owner.id, who.userId)
    : await activeRestriction(ctx, stream.owner.id, who.userId);
  if (!restriction || (only === 'ban' && restriction.kind !== 'ban')) return;
  if (restriction.kind === 'timeout' && (restriction.until?.getTime() ?? 0) <= Date.now()) return;
  if (restriction.kind === 'ban') {
    throw new OnAirError('BANNED', 'You are banned from this channel', { until: null });
  }
  const until = restriction.until?.toISOString() ?? null;
  const seconds = Math.ceil(((restriction.until?.getTime() ?? Date.now()) - Date.now()) / 1000);
  throw new OnAirError('BANNED', `You are timed out for ${seconds} s`, {
    until,
    retryAfterSeconds: seconds,
  });
}

/** Takes from a rate-limit bucket; `RATE_LIMITED` with `retryAfterSeconds` when empty. */
export async function takeRate(
  ctx: GatewayContext,
  key: string,
  rate: RateLimit,
  message: string,
): Promise<void> {
  const wait = await ctx.deps.state.take(key, rate);
  if (wait > 0) {
    throw new OnAirError('RATE_LIMITED', message, { retryAfterSeconds: Math.ceil(wait / 1000) });
  }
}
