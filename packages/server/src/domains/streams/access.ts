import { OnAirError, type Stream, type StreamListQuery } from '@onair/protocol';
import { canModerate, type Identity } from '../../platform/auth/identity.js';
import type { SharedCaches } from '../../platform/caches.js';
import type { TtlCache } from '../../platform/ttl-cache.js';
import { identityOf, requireIdentity } from '../../transport/realtime/request.js';
import { roomOf } from '../../transport/realtime/rooms.js';
import type { OnAirSocket } from '../../transport/realtime/types.js';
import type { ModerationService } from '../moderation/service.js';
import { FOLLOWS_CACHE, followKey, INVITES_CACHE, PLAYBACK_CACHE } from './media-access.js';
import type { StreamRepository } from './repository.js';
import type { StreamService } from './service.js';

/** Name of the stream cache in {@link SharedCaches}. */
export const STREAM_CACHE = 'stream';

/**
 * Which streams a realtime connection may reach: the checks every domain's
 * handlers start with. Stream rows come from a cache invalidated on every
 * server when a stream changes (the hot path of chat, reactions, questions
 * and votes must not cost a database read).
 */
export class StreamAccess {
  private readonly cache: TtlCache<Stream | undefined>;

  constructor(
    private readonly service: StreamService,
    private readonly streams: StreamRepository,
    private readonly caches: SharedCaches,
    private readonly moderation: ModerationService,
  ) {
    this.cache = caches.register(STREAM_CACHE, 10_000);
  }

  /** The stream, if the caller may see it (else `NOT_FOUND`). */
  visible(socket: OnAirSocket, streamId: string): Promise<Stream> {
    return this.service.get(streamId, identityOf(socket));
  }

  /**
   * The stream, if the caller may see it (else `NOT_FOUND`) and is not banned
   * from its channel (else `BANNED`): what reading its chat history,
   * questions and polls and watching its media need.
   */
  async audience(socket: OnAirSocket, streamId: string): Promise<Stream> {
    const stream = await this.visible(socket, streamId);
    const who = identityOf(socket);
    if (who) await this.moderation.assertNotRestricted(stream, who, 'ban');
    return stream;
  }

  /**
   * The stream, if the caller may be in its room: may see it (else
   * `NOT_FOUND`) and is not banned from its channel (else `BANNED`, read
   * fresh). What `stream:join` checks, and what a connection in the room is
   * checked against again when its access changed (`auth:refresh`, a
   * recovered session).
   */
  async joinable(socket: OnAirSocket, streamId: string): Promise<Stream> {
    const stream = await this.visible(socket, streamId);
    const who = identityOf(socket);
    if (who) await this.moderation.assertNotRestricted(stream, who, 'ban', true);
    return stream;
  }

  /** A stream as stored, from the stream cache (for checks; never returned to a client). */
  stored(streamId: string): Promise<Stream | undefined> {
    return this.cache.get(streamId, () => this.streams.find(streamId));
  }

  /** Ids of a channel's live streams, whoever may see them. */
  async liveStreamsOf(channelId: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const query: StreamListQuery = { status: 'live', channel: channelId, limit: 100 };
      if (cursor) query.cursor = cursor;
      const page = await this.streams.list(query, { userId: undefined, admin: true });
      ids.push(...page.items.map((stream) => stream.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  /**
   * The stream, if the caller joined its room (else `FORBIDDEN`) and may still
   * see it (else `NOT_FOUND`), from the stream cache.
   */
  async joined(socket: OnAirSocket, streamId: string): Promise<Stream> {
    if (!socket.rooms.has(roomOf(streamId))) {
      throw new OnAirError('FORBIDDEN', 'Join the stream first');
    }
    const stream = await this.stored(streamId);
    if (!stream || !(await this.service.canSee(stream, identityOf(socket)))) {
      throw new OnAirError('NOT_FOUND', 'Stream not found');
    }
    return stream;
  }

  /** The caller and the stream, if the caller moderates the stream's channel (else `FORBIDDEN`). */
  async moderated(
    socket: OnAirSocket,
    streamId: string,
  ): Promise<{ who: Identity; stream: Stream }> {
    const who = requireIdentity(socket);
    const stream = await this.visible(socket, streamId);
    if (!canModerate(who, stream.owner.id)) {
      throw new OnAirError('FORBIDDEN', "Only this channel's owner and moderators may do this");
    }
    return { who, stream };
  }

  /** Forgets a cached stream and its playback access here and on the other servers (it changed). */
  changed(streamId: string): void {
    this.caches.invalidate(STREAM_CACHE, streamId);
    this.caches.invalidate(PLAYBACK_CACHE, streamId);
  }

  /** Forgets a stream's cached invite list here and on the other servers. */
  invitesChanged(streamId: string): void {
    this.caches.invalidate(INVITES_CACHE, streamId);
  }

  /** Forgets a cached follow of `channelId` by `userId` here and on the other servers. */
  followChanged(channelId: string, userId: string): void {
    this.caches.invalidate(FOLLOWS_CACHE, followKey(channelId, userId));
  }
}
