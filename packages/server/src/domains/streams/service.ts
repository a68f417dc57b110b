import {
  type CreatedStream,
  type CreateStreamInput,
  OnAirError,
  type Page,
  type Role,
  type Stream,
  type StreamListQuery,
  type StreamStatus,
  type UpdateStreamInput,
} from '@onair/protocol';
import { MODERATOR_EDITABLE_FIELDS } from '@onair/protocol/inputs';
import { SIGNED_PRIVACY } from '../../media/hls/tokens.js';
import { HLS_PREFIX } from '../../media/hls/urls.js';
import { THUMBNAILS_PREFIX } from '../../media/images/thumbnail.js';
import {
  canModerate,
  type Identity,
  isAdmin,
  subscriptionTier,
  userOf,
} from '../../platform/auth/identity.js';
import type { StreamKeys } from '../../platform/auth/stream-keys.js';
import type { InternalBus } from '../../platform/events.js';
import type { ChannelRepository } from '../channels/repository.js';
import type { StreamRepository } from './repository.js';

/** Streams a channel may have that have not started (scheduled or waiting to go live). */
export const MAX_UPCOMING_STREAMS = 100;
/** What the stream service needs. */
export interface StreamServiceDeps {
  streams: StreamRepository;
  channels: ChannelRepository;
  keys: StreamKeys;
  bus: InternalBus;
  creatorRoles: readonly Role[];
  /** Q&A and reactions of a stream whose create request leaves them out. */
  streamDefaults: { qnaEnabled: boolean; reactionsEnabled: boolean };
  /** Current viewers of a stream (realtime room size). */
  viewerCount: (streamId: string) => number;
  /** Signs a playback URL for one viewer (followers-only and private streams). */
  signPlayback: (url: string, streamId: string, grant: ViewerGrant) => string;
}

/** Whom a playback URL is signed for, under which access version of the stream. */
export interface ViewerGrant {
  subject: string;
  version: number;
  /** Seen as the channel's moderator or an admin (not checked against follows or invites). */
  staff: boolean;
  /**
   * When the URL must stop working at the latest (Unix seconds): a subscriber's
   * URL lasts no longer than the host app's token that says they subscribe.
   */
  notAfter?: number;
}

/** Whether a thumbnail URL is served by this server (the live poster, an upload), not the host. */
const isOurs = (url: string | null): url is string =>
  !!url && (url.startsWith(`${HLS_PREFIX}/`) || url.startsWith(`${THUMBNAILS_PREFIX}/`));

/** A URL of an open stream: the same for everyone. */
const unchanged = <T>(url: T): T => url;

const notFound = () => new OnAirError('NOT_FOUND', 'Stream not found');

/** Most live streams ranked by viewers (the newest that many, when more are live). */
export const MAX_RANKED = 1000;

/**
 * The rules of streams, shared by REST and realtime: who may see, create,
 * edit and run a stream, and which lifecycle moves are legal. A stream the
 * caller may not see is reported as not found, so its existence does not leak.
 */
export class StreamService {
  constructor(private readonly deps: StreamServiceDeps) {}

  /** Adds what only the running server knows (viewer count) to a stored stream. */
  private live(stream: Stream): Stream {
    return {
      ...stream,
      viewerCount: stream.status === 'live' ? this.deps.viewerCount(stream.id) : null,
    };
  }

  private emit(
    name:
      | 'stream:updated'
      | 'stream:scheduled'
      | 'stream:started'
      | 'stream:ended'
      | 'stream:cancelled',
    stream: Stream,
  ): void {
    this.deps.bus.emit(name, stream);
  }

  /** Whether `who` may see `stream`. */
  async canSee(stream: Stream, who: Identity | undefined): Promise<boolean> {
    if (stream.privacy === 'public' || stream.privacy === 'unlisted') return true;
    if (!who) return false;
    if (who.userId === stream.owner.id || isAdmin(who)) return true;
    if (stream.privacy === 'followers') {
      return (
        canModerate(who, stream.owner.id) ||
        (await this.deps.channels.isFollowing(who.userId, stream.owner.id))
      );
    }
    if (stream.privacy === 'subscribers') {
      return (
        canModerate(who, stream.owner.id) ||
        subscriptionTier(who, stream.owner.id) >= (stream.minTier ?? 1)
      );
    }
    return this.deps.streams.isInvited(stream.id, who.userId);
  }

  /** A stream `who` may see; `NOT_FOUND` otherwise. Its playback URLs are signed for `who`. */
  async get(id: string, who: Identity | undefined): Promise<Stream> {
    return this.signedFor(await this.visibleTo(id, who), who);
  }

  /** A stream by id as stored (URLs unsigned: for checks, never returned to a client). */
  async find(id: string): Promise<Stream | undefined> {
    const stream = await this.deps.streams.find(id);
    return stream && this.live(stream);
  }

  /** A stream `who` may see, URLs unsigned (for checks; never returned to a client). */
  private async visibleTo(id: string, who: Identity | undefined): Promise<Stream> {
    const stream = await this.deps.streams.find(id);
    if (!stream || !(await this.canSee(stream, who))) throw notFound();
    return this.live(stream);
  }

  /**
   * A stream as `who` receives it: the media URLs of a followers-only or
   * private stream carry a playback token of their own (nobody else's URL
   * opens it for them, theirs opens it for nobody else). `who` must already
   * be allowed to see the stream.
   */
  async signedFor(stream: Stream, who: Identity | undefined): Promise<Stream> {
    return (await this.allSignedFor([stream], who))[0] as Stream;
  }

  /** {@link signedFor} for a list (one database read for every signed stream of it). */
  async allSignedFor(list: Stream[], who: Identity | undefined): Promise<Stream[]> {
    const signed = list.filter((stream) => SIGNED_PRIVACY.has(stream.privacy));
    if (signed.length === 0) return list;
    const versions = who
      ? await this.deps.streams.accessVersions(signed.map((stream) => stream.id))
      : new Map<string, number>();
    return list.map((stream) => {
      const sign = this.signer(stream, who, versions.get(stream.id));
      return sign === unchanged
        ? stream
        : {
            ...stream,
            hlsUrl: sign(stream.hlsUrl),
            recordingUrl: sign(stream.recordingUrl),
            // OnAir's poster and an upload are the stream's; a host's own image is theirs to guard.
            thumbnailUrl: isOurs(stream.thumbnailUrl)
              ? sign(stream.thumbnailUrl)
              : stream.thumbnailUrl,
          };
    });
  }

  /**
   * Media URLs of a stream's things (its clips) signed for `who` like the
   * stream's own ({@link signedFor}), each under its own scope (`scopeOf`,
   * e.g. `clip:<id>`): such a token opens that thing and nothing else of the
   * stream. Unchanged for open streams, null when `who` may not have a URL
   * of it. `who` must already be allowed to see the stream.
   */
  async signUrls<K extends string>(
    stream: Stream,
    who: Identity | undefined,
    records: ReadonlyArray<Record<K, string | null>>,
    scopeOf: (index: number) => string,
  ): Promise<Array<Record<K, string | null>>> {
    if (!SIGNED_PRIVACY.has(stream.privacy)) return [...records];
    const version = who
      ? (await this.deps.streams.accessVersions([stream.id])).get(stream.id)
      : undefined;
    return records.map((urls, index) => {
      const sign = this.signer(stream, who, version, scopeOf(index));
      const signed = { ...urls };
      for (const key of Object.keys(urls) as K[]) signed[key] = sign(urls[key]);
      return signed;
    });
  }

  /**
   * Signs a URL of `stream` for `who` under the access `version` (null: no
   * URL for them), for `scope`: the stream itself by default.
   */
  private signer(
    stream: Stream,
    who: Identity | undefined,
    version: number | undefined,
    scope = stream.id,
  ): (url: string | null) => string | null {
    if (!SIGNED_PRIVACY.has(stream.privacy)) return unchanged;
    if (!who || version === undefined) return () => null;
    // Staff skip the follow and invite checks of media requests; a private stream is its
    // owner's, its invitees' and admins' only, so its moderators stay subject to the list.
    const staff =
      who.userId !== stream.owner.id &&
      (isAdmin(who) || (stream.privacy !== 'private' && canModerate(who, stream.owner.id)));
    const grant: ViewerGrant = { subject: who.userId, version, staff };
    if (stream.privacy === 'subscribers' && !staff && who.userId !== stream.owner.id) {
      if (who.exp !== undefined) grant.notAfter = who.exp;
    }
    return (url) => (url === null ? null : this.deps.signPlayback(url, scope, grant));
  }

  /** Whether `who` runs the stream: its owner or an admin. */
  isManager(stream: Stream, who: Identity | undefined): boolean {
    return !!who && (who.userId === stream.owner.id || isAdmin(who));
  }

  private async managed(id: string, who: Identity | undefined): Promise<Stream> {
    if (!who) throw new OnAirError('UNAUTHORIZED', 'Sign in first');
    const stream = await this.visibleTo(id, who);
    if (!this.isManager(stream, who)) {
      throw new OnAirError('FORBIDDEN', 'Only the stream owner may do this');
    }
    return stream;
  }

  /** Creates a stream owned by `who`; the key is in the result only. */
  async create(who: Identity | undefined, input: CreateStreamInput): Promise<CreatedStream> {
    if (!who) throw new OnAirError('UNAUTHORIZED', 'Sign in first');
    if (!who.roles.some((role) => this.deps.creatorRoles.includes(role))) {
      throw new OnAirError('FORBIDDEN', 'Your role may not create streams', {
        allowedRoles: [...this.deps.creatorRoles],
      });
    }
    assertFuture(input.scheduledAt);
    const streamKey = this.deps.keys.generate();
    const { streamDefaults } = this.deps;
    // Each one may tell every follower (`stream.scheduled`), and each holds a stream key:
    // counted and created in one transaction, so concurrent creates cannot pass the cap together.
    const stream = await this.deps.streams.createWithin(
      userOf(who),
      {
        ...input,
        qnaEnabled: input.qnaEnabled ?? streamDefaults.qnaEnabled,
        reactionsEnabled: input.reactionsEnabled ?? streamDefaults.reactionsEnabled,
      },
      this.deps.keys.hash(streamKey),
      MAX_UPCOMING_STREAMS,
    );
    if (!stream) {
      throw new OnAirError(
        'UNPROCESSABLE',
        `A channel has at most ${MAX_UPCOMING_STREAMS} streams that have not started: cancel one first`,
        { maxUpcomingStreams: MAX_UPCOMING_STREAMS },
      );
    }
    if (stream.scheduledAt) this.deps.bus.emit('stream:scheduled', stream);
    return { stream: await this.signedFor(stream, who), streamKey };
  }

  /**
   * Edits a stream. Owners and admins may change every editable field;
   * channel moderators only the stream's info and chat settings. Ended and
   * cancelled streams cannot change; only scheduled ones can be rescheduled.
   */
  async update(id: string, who: Identity | undefined, input: UpdateStreamInput): Promise<Stream> {
    if (!who) throw new OnAirError('UNAUTHORIZED', 'Sign in first');
    const stream = await this.visibleTo(id, who);
    if (!this.isManager(stream, who)) {
      if (!canModerate(who, stream.owner.id)) {
        throw new OnAirError('FORBIDDEN', 'Only the owner or a moderator may edit this stream');
      }
      const allowed: readonly string[] = MODERATOR_EDITABLE_FIELDS;
      const denied = Object.keys(input).filter((field) => !allowed.includes(field));
      if (denied.length) {
        throw new OnAirError('FORBIDDEN', `Moderators cannot change ${denied.join(', ')}`, {
          fields: denied,
        });
      }
    }
    if (stream.status === 'ended' || stream.status === 'cancelled') {
      throw new OnAirError('CONFLICT', `A ${stream.status} stream cannot be edited`);
    }
    if (input.scheduledAt !== undefined) {
      if (stream.status !== 'scheduled') {
        throw new OnAirError('CONFLICT', 'Only a scheduled stream can be rescheduled');
      }
      assertFuture(input.scheduledAt);
    }
    const updated = this.live(await this.deps.streams.update(id, input, stream.status));
    this.emit('stream:updated', updated);
    // The same instant may be written another way ("…+01:00" for "…Z"): compare instants.
    if (
      input.scheduledAt &&
      (!stream.scheduledAt || Date.parse(input.scheduledAt) !== Date.parse(stream.scheduledAt))
    ) {
      this.emit('stream:scheduled', updated);
    }
    return this.signedFor(updated, who);
  }

  /** Moves a stream along its lifecycle (owner or admin); illegal moves are `CONFLICT`. */
  async transition(id: string, who: Identity | undefined, to: StreamStatus): Promise<Stream> {
    const stream = await this.managed(id, who);
    const legal: Record<StreamStatus, StreamStatus[]> = {
      scheduled: ['live', 'cancelled'],
      live: ['ended'],
      ended: [],
      cancelled: [],
    };
    if (!legal[stream.status].includes(to)) {
      throw new OnAirError('CONFLICT', `A ${stream.status} stream cannot become ${to}`, {
        status: stream.status,
      });
    }
    const updated = this.live(await this.deps.streams.transition(id, stream.status, to));
    this.emit('stream:updated', updated);
    const event = (
      { live: 'stream:started', ended: 'stream:ended', cancelled: 'stream:cancelled' } as const
    )[to as 'live' | 'ended' | 'cancelled'];
    if (event) this.emit(event, updated);
    return this.signedFor(updated, who);
  }

  /**
   * An encoder (RTMP, WHIP) presents a stream key: the stream it may publish
   * to. A scheduled stream goes live; an ended or cancelled one refuses. The
   * key is compared by its HMAC and never logged.
   */
  async authorizeIngest(key: string): Promise<Stream> {
    const stream = key
      ? await this.deps.streams.findByKeyHash(this.deps.keys.hash(key))
      : undefined;
    if (!stream) throw new OnAirError('UNAUTHORIZED', 'Unknown stream key');
    if (stream.status === 'ended' || stream.status === 'cancelled') {
      throw new OnAirError('CONFLICT', `This stream is ${stream.status}`, {
        status: stream.status,
      });
    }
    if (stream.status === 'live') return this.live(stream);
    const updated = this.live(await this.deps.streams.transition(stream.id, stream.status, 'live'));
    this.emit('stream:updated', updated);
    this.emit('stream:started', updated);
    return updated;
  }

  /**
   * Ends a live stream on the server's own account (its publisher did not
   * come back within the grace period). No-op unless it is still live.
   */
  async endByServer(id: string): Promise<Stream | undefined> {
    const stream = await this.deps.streams.find(id);
    if (stream?.status !== 'live') return undefined;
    const updated = this.live(await this.deps.streams.transition(id, 'live', 'ended'));
    this.emit('stream:updated', updated);
    this.emit('stream:ended', updated);
    return updated;
  }

  /** Issues a new stream key (shown once) and disconnects a live publisher using the old one. */
  async rotateKey(id: string, who: Identity | undefined): Promise<string> {
    const stream = await this.managed(id, who);
    if (stream.status === 'ended' || stream.status === 'cancelled') {
      throw new OnAirError('CONFLICT', `A ${stream.status} stream has no key to rotate`);
    }
    const streamKey = this.deps.keys.generate();
    await this.deps.streams.setStreamKeyHash(id, this.deps.keys.hash(streamKey));
    this.deps.bus.emit('stream:keyRotated', { streamId: id });
    return streamKey;
  }

  /** The invite list (owner or admin). */
  async invites(id: string, who: Identity | undefined): Promise<string[]> {
    await this.managed(id, who);
    return this.deps.streams.invites(id);
  }

  /** Replaces the invite list (owner or admin). */
  async setInvites(
    id: string,
    who: Identity | undefined,
    userIds: readonly string[],
  ): Promise<string[]> {
    await this.managed(id, who);
    const invites = await this.deps.streams.setInvites(id, userIds);
    // Whoever left the list loses the stream now: its room and its media are re-checked.
    this.deps.bus.emit('stream:accessChanged', { streamId: id });
    return invites;
  }

  /** A page of a public list, as `who` may see it. */
  async list(query: StreamListQuery, who: Identity | undefined): Promise<Page<Stream>> {
    if (query.following && !who) {
      throw new OnAirError('UNAUTHORIZED', 'Sign in to see the channels you follow');
    }
    const viewer = {
      userId: who?.userId,
      admin: isAdmin(who),
      ...(who ? { moderates: who.moderates, subscriptions: who.subscriptions } : {}),
    };
    if (query.sort === 'viewers') return this.mostWatched(query, viewer, who);
    const page = await this.deps.streams.list(query, viewer);
    return { ...page, items: await this.allSignedFor(page.items.map(this.live, this), who) };
  }

  /**
   * Live streams most watched now first (ties: newest first). Viewer counts
   * live in memory (or Redis), not in the table: the live streams matching
   * the filters (at most {@link MAX_RANKED}, the newest) are read and ranked
   * here; the cursor is a position in that ranking (`v<n>`).
   */
  private async mostWatched(
    query: StreamListQuery,
    viewer: Parameters<StreamRepository['list']>[1],
    who: Identity | undefined,
  ): Promise<Page<Stream>> {
    if (query.status !== 'live') {
      throw new OnAirError('VALIDATION_FAILED', 'sort=viewers lists live streams only', {
        issues: [{ path: 'sort', message: 'viewers: only with status=live' }],
      });
    }
    const at = query.cursor === undefined ? 0 : Number(/^v(\d{1,5})$/.exec(query.cursor)?.[1]);
    if (!Number.isInteger(at)) {
      throw new OnAirError('VALIDATION_FAILED', 'cursor: not a cursor this server issued');
    }
    const live: Stream[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.streams.list({ ...query, limit: 100, cursor }, viewer);
      live.push(...page.items.map(this.live, this));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && live.length < MAX_RANKED);
    const ranked = live
      .slice(0, MAX_RANKED)
      .sort((a, b) => (b.viewerCount ?? 0) - (a.viewerCount ?? 0));
    const items = ranked.slice(at, at + query.limit);
    const next = at + query.limit;
    return {
      items: await this.allSignedFor(items, who),
      nextCursor: next < ranked.length ? `v${next}` : null,
    };
  }

  /** The caller's own streams. */
  async listOwned(
    who: Identity | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<Stream>> {
    if (!who) throw new OnAirError('UNAUTHORIZED', 'Sign in first');
    const page = await this.deps.streams.listOwned(who.userId, limit, cursor);
    return { ...page, items: await this.allSignedFor(page.items.map(this.live, this), who) };
  }
}

/** A scheduled time must lie in the future (a minute of clock skew is tolerated). */
function assertFuture(scheduledAt: string | null | undefined): void {
  if (scheduledAt && Date.parse(scheduledAt) < Date.now() - 60_000) {
    throw new OnAirError('UNPROCESSABLE', 'scheduledAt: must be in the future', {
      issues: [{ path: 'scheduledAt', message: 'must be in the future' }],
    });
  }
}
