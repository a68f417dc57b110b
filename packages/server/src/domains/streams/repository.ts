import {
  type CreateStreamInput,
  DEFAULT_CHAT_SETTINGS,
  MAX_SUBSCRIBER_TIER,
  OnAirError,
  type Page,
  type Stream,
  type StreamListQuery,
  type StreamPrivacy,
  type StreamStatus,
  type UpdateStreamInput,
} from '@onair/protocol';
import {
  and,
  asc,
  count,
  desc,
  eq,
  exists,
  getTableColumns,
  gt,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { posterUrlFor } from '../../media/hls/urls.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../storage/cursor.js';
import type { Database } from '../../storage/database.js';
import { channels, follows, streamInvites, streams, users } from '../../storage/schema.js';

/** A stream's columns as read (its search document left in the database). */
const { search: _search, ...streamColumns } = getTableColumns(streams);
type StreamRow = Omit<typeof streams.$inferSelect, 'search'>;
type UserRow = typeof users.$inferSelect;

/** A stream's owner, privacy and access version: what its playback tokens are checked against. */
export interface PlaybackAccess {
  ownerId: string;
  privacy: StreamPrivacy;
  accessVersion: number;
}

/** Who is listing: decides which non-public streams a list may include. */
export interface ListViewer {
  userId: string | undefined;
  admin: boolean;
  /** Channels the viewer moderates (their followers- and subscribers-only streams are listed). */
  moderates?: readonly string[];
  /** The viewer's subscription tier per channel, from their token. */
  subscriptions?: Readonly<Record<string, number>>;
}

/** Sort column and direction of each list. */
const LISTS = {
  live: { status: 'live', column: streams.startedAt, direction: 'desc' },
  scheduled: { status: 'scheduled', column: streams.scheduledAt, direction: 'asc' },
  past: { status: 'ended', column: streams.endedAt, direction: 'desc' },
} as const;

/**
 * A user as their latest token names them. Their picture is the token's:
 * a token without one clears the picture kept, as a renamed user's name changes.
 */
export interface StoredUser {
  id: string;
  displayName: string;
  avatarUrl?: string | undefined;
}

const userRow = (user: StoredUser) => ({
  id: user.id,
  displayName: user.displayName,
  avatarUrl: user.avatarUrl ?? null,
});

const userUpdate = (user: StoredUser) => ({
  target: users.id,
  set: { displayName: user.displayName, avatarUrl: user.avatarUrl ?? null },
});

/** Reads and writes streams. */
export class StreamRepository {
  constructor(
    private readonly db: Database,
    /** Where a live stream's HLS is (unsigned: the service signs it per viewer). */
    private readonly hlsUrlFor: (streamId: string) => string,
  ) {}

  /** What the media authorizer checks a playback token against; undefined for no such stream. */
  async playbackAccess(id: string): Promise<PlaybackAccess | undefined> {
    const rows = await this.db
      .select({
        ownerId: streams.ownerId,
        privacy: streams.privacy,
        accessVersion: streams.accessVersion,
      })
      .from(streams)
      .where(eq(streams.id, id))
      .limit(1);
    return rows[0];
  }

  /** The access versions of some streams (playback tokens are signed under them). */
  async accessVersions(ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .select({ id: streams.id, version: streams.accessVersion })
      .from(streams)
      .where(inArray(streams.id, [...ids]));
    return new Map(rows.map((row) => [row.id, row.version]));
  }

  /** Creates or renames a user on sight (name and picture), with their channel. */
  async upsertUser(user: StoredUser): Promise<void> {
    await this.db.insert(users).values(userRow(user)).onConflictDoUpdate(userUpdate(user));
    await this.db.insert(channels).values({ id: user.id }).onConflictDoNothing();
  }

  /** Creates a stream; `streamKeyHash` is the HMAC of its key. */
  async create(ownerId: string, input: CreateStreamInput, streamKeyHash: string): Promise<Stream> {
    const id = newId('str');
    await this.db.insert(streams).values(newStreamRow(id, ownerId, input, streamKeyHash));
    return this.require(id);
  }

  /**
   * Records the owner (as {@link upsertUser} does) and creates their stream,
   * unless their channel already has `maxUpcoming` streams that have not
   * started (status `scheduled`): undefined then, and no stream is created.
   * The count and the insert run in one transaction holding the owner's row
   * locked, so concurrent creates of one channel take turns and cannot pass
   * the cap together (PGlite runs one transaction at a time anyway).
   */
  async createWithin(
    owner: StoredUser,
    input: CreateStreamInput,
    streamKeyHash: string,
    maxUpcoming: number,
  ): Promise<Stream | undefined> {
    const id = newId('str');
    const created = await this.db.transaction(async (tx) => {
      await tx.insert(users).values(userRow(owner)).onConflictDoUpdate(userUpdate(owner));
      await tx.insert(channels).values({ id: owner.id }).onConflictDoNothing();
      // The upsert holds the row already: the lock is the channel's turn, held to the commit.
      await tx.select({ id: users.id }).from(users).where(eq(users.id, owner.id)).for('update');
      const [upcoming] = await tx
        .select({ n: count() })
        .from(streams)
        .where(and(eq(streams.ownerId, owner.id), eq(streams.status, 'scheduled')));
      if (Number(upcoming?.n ?? 0) >= maxUpcoming) return false;
      await tx.insert(streams).values(newStreamRow(id, owner.id, input, streamKeyHash));
      return true;
    });
    return created ? this.require(id) : undefined;
  }

  /** Keeps a stream's peak of concurrent viewers when `peak` is higher than the one kept. */
  async recordPeak(id: string, peak: number): Promise<void> {
    await this.db
      .update(streams)
      .set({ peakViewers: peak })
      .where(and(eq(streams.id, id), lt(streams.peakViewers, peak)));
  }

  /** A stream's kept peak of concurrent viewers (0 for none or no stream). */
  async peakViewers(id: string): Promise<number> {
    const [row] = await this.db
      .select({ peak: streams.peakViewers })
      .from(streams)
      .where(eq(streams.id, id));
    return row?.peak ?? 0;
  }

  /** A stream by id, or undefined. */
  async find(id: string): Promise<Stream | undefined> {
    const rows = await this.db
      .select({ stream: streamColumns, owner: users })
      .from(streams)
      .innerJoin(users, eq(users.id, streams.ownerId))
      .where(eq(streams.id, id))
      .limit(1);
    const row = rows[0];
    return row ? this.toStream(row.stream, row.owner) : undefined;
  }

  /** A stream by id; `NOT_FOUND` when it does not exist. */
  async require(id: string): Promise<Stream> {
    const stream = await this.find(id);
    if (!stream) throw new OnAirError('NOT_FOUND', 'Stream not found');
    return stream;
  }

  /** The stored HMAC of a stream's key. */
  async streamKeyHash(id: string): Promise<string | undefined> {
    const rows = await this.db
      .select({ hash: streams.streamKeyHash })
      .from(streams)
      .where(eq(streams.id, id));
    return rows[0]?.hash;
  }

  /** The stream whose key has this HMAC (encoders present only their key). */
  async findByKeyHash(hash: string): Promise<Stream | undefined> {
    const rows = await this.db
      .select({ id: streams.id })
      .from(streams)
      .where(eq(streams.streamKeyHash, hash))
      .limit(1);
    return rows[0] ? this.find(rows[0].id) : undefined;
  }

  /**
   * Records where an ended stream's replay is (`url`) and which node's disk
   * holds it (`node`, its URL for peers), unless a replay was recorded
   * already (by another node, say): the stream, or undefined then.
   */
  async setRecordingUrl(id: string, url: string, node?: string): Promise<Stream | undefined> {
    const set = await this.db
      .update(streams)
      .set({ recordingUrl: url, recordingNode: node ?? null, updatedAt: new Date() })
      .where(and(eq(streams.id, id), isNull(streams.recordingUrl)))
      .returning({ id: streams.id });
    return set.length > 0 ? this.require(id) : undefined;
  }

  /** The URL of the node whose disk holds a stream's recording, if one was kept. */
  async recordingNodeOf(id: string): Promise<string | undefined> {
    const rows = await this.db
      .select({ node: streams.recordingNode })
      .from(streams)
      .where(and(eq(streams.id, id), isNotNull(streams.recordingUrl)))
      .limit(1);
    return rows[0]?.node ?? undefined;
  }

  /**
   * Marks a stream's recording incomplete (a file could not be written, or a
   * crash cut it). True when it was not marked before.
   */
  async markRecordingIncomplete(id: string): Promise<boolean> {
    const rows = await this.db
      .update(streams)
      .set({ recordingIncomplete: true, updatedAt: new Date() })
      .where(and(eq(streams.id, id), eq(streams.recordingIncomplete, false)))
      .returning({ id: streams.id });
    return rows.length > 0;
  }

  /** Ids of every stream marked live (at start: those a stopped or crashed server left live). */
  async liveStreamIds(): Promise<string[]> {
    const rows = await this.db
      .select({ id: streams.id })
      .from(streams)
      .where(eq(streams.status, 'live'));
    return rows.map((row) => row.id);
  }

  /** Replaces a stream's key hash (rotation). */
  async setStreamKeyHash(id: string, hash: string): Promise<void> {
    await this.db
      .update(streams)
      .set({ streamKeyHash: hash, updatedAt: new Date() })
      .where(eq(streams.id, id));
  }

  /**
   * Applies an edit while the stream is still in `expected` status (so an edit
   * racing with the end of the stream fails instead of changing an ended one).
   */
  async update(id: string, input: UpdateStreamInput, expected: StreamStatus): Promise<Stream> {
    const current = await this.require(id);
    const chat = input.chat ? { ...current.chat, ...input.chat } : undefined;
    const set: PgUpdateSetSource<typeof streams> = { updatedAt: new Date() };
    if (input.title !== undefined) set.title = input.title;
    if (input.description !== undefined) set.description = input.description;
    if (input.category !== undefined) set.category = input.category;
    if (input.tags !== undefined) set.tags = input.tags;
    if (input.thumbnailUrl !== undefined) set.thumbnailUrl = input.thumbnailUrl;
    if (input.privacy !== undefined && input.privacy !== current.privacy) {
      set.privacy = input.privacy;
      // Every playback token signed under the old privacy stops working at once.
      set.accessVersion = sql`${streams.accessVersion} + 1`;
    }
    if (input.minTier !== undefined && input.minTier !== current.minTier) {
      set.minTier = input.minTier;
      // A subscriber below the new tier loses their URL at once, like a privacy change.
      set.accessVersion = sql`${streams.accessVersion} + 1`;
    }
    if (input.qualityPreset !== undefined) set.qualityPreset = input.qualityPreset;
    if (input.externalId !== undefined) set.externalId = input.externalId;
    if (input.metadata !== undefined) set.metadata = input.metadata;
    if (input.recording !== undefined) set.recording = input.recording;
    if (input.viewerLimit !== undefined) set.viewerLimit = input.viewerLimit;
    if (input.reactionsEnabled !== undefined) set.reactionsEnabled = input.reactionsEnabled;
    if (input.qnaEnabled !== undefined) set.qnaEnabled = input.qnaEnabled;
    if (input.scheduledAt !== undefined) {
      set.scheduledAt = input.scheduledAt ? new Date(input.scheduledAt) : null;
    }
    if (chat) {
      set.chatEnabled = chat.enabled;
      set.chatMode = chat.mode;
      set.slowModeSeconds = chat.slowModeSeconds;
      set.emoteOnly = chat.emoteOnly;
    }
    const updated = await this.db
      .update(streams)
      .set(set)
      .where(and(eq(streams.id, id), eq(streams.status, expected)))
      .returning({ id: streams.id });
    if (updated.length === 0)
      throw new OnAirError('CONFLICT', 'The stream changed meanwhile; try again');
    return this.require(id);
  }

  /** Moves a stream from `from` to `to` if it is still in `from`. */
  async transition(id: string, from: StreamStatus, to: StreamStatus): Promise<Stream> {
    const now = new Date();
    const updated = await this.db
      .update(streams)
      .set({
        status: to,
        updatedAt: now,
        ...(to === 'live' ? { startedAt: now } : {}),
        ...(to === 'ended' || to === 'cancelled' ? { endedAt: now } : {}),
      })
      .where(and(eq(streams.id, id), eq(streams.status, from)))
      .returning({ id: streams.id });
    if (updated.length === 0)
      throw new OnAirError('CONFLICT', 'The stream changed meanwhile; try again');
    return this.require(id);
  }

  /** Whether `userId` is on a stream's invite list. */
  async isInvited(streamId: string, userId: string): Promise<boolean> {
    const rows = await this.db
      .select({ userId: streamInvites.userId })
      .from(streamInvites)
      .where(and(eq(streamInvites.streamId, streamId), eq(streamInvites.userId, userId)))
      .limit(1);
    return rows.length > 0;
  }

  /** A stream's invite list. */
  async invites(streamId: string): Promise<string[]> {
    const rows = await this.db
      .select({ userId: streamInvites.userId })
      .from(streamInvites)
      .where(eq(streamInvites.streamId, streamId))
      .orderBy(asc(streamInvites.userId));
    return rows.map((r) => r.userId);
  }

  /** Replaces a stream's invite list. */
  async setInvites(streamId: string, userIds: readonly string[]): Promise<string[]> {
    const unique = [...new Set(userIds)];
    await this.db.transaction(async (tx) => {
      await tx.delete(streamInvites).where(eq(streamInvites.streamId, streamId));
      if (unique.length) {
        await tx.insert(streamInvites).values(unique.map((userId) => ({ streamId, userId })));
      }
    });
    return unique.sort();
  }

  /**
   * One page of a list (live, scheduled or past), with the filters of `query`,
   * restricted to what `viewer` may see: public streams, their own, followers-only
   * streams of channels they follow, private streams they are invited to; all
   * for admins. Unlisted streams are never listed (except to their owner).
   */
  async list(query: StreamListQuery, viewer: ListViewer): Promise<Page<Stream>> {
    const spec = LISTS[query.status];
    const filters: SQL[] = [eq(streams.status, spec.status), isNotNull(spec.column)];
    if (query.channel) filters.push(eq(streams.ownerId, query.channel));
    if (query.category) filters.push(eq(streams.category, query.category));
    if (query.externalId) filters.push(eq(streams.externalId, query.externalId));
    if (query.tag) filters.push(sql`${streams.tags} @> ${JSON.stringify([query.tag])}::jsonb`);
    if (query.q !== undefined) {
      const words = searchQuery(query.q);
      // Nothing searchable (punctuation alone): nothing found.
      if (!words) return { items: [], nextCursor: null };
      const found = sql`to_tsquery('simple', ${words})`;
      // Channels whose name matches: `users` holds every viewer who ever signed in, so only
      // those with a stream of this status count, and all of them (a cut would drop matching
      // channels at random). Up to NAMED_CHANNELS_LISTED of them are found first and listed
      // in the query: PostgreSQL then knows how many there are and walks the list's order
      // index, stopping at a page (0.4 ms for 500 channels of 100,000 streams). More (a word
      // thousands of channels share) are gathered in the database as an array instead, which
      // keeps the query's size bounded but leaves PostgreSQL guessing how many: p95 15 ms in
      // the search benchmark (2,000 channels owning the oldest streams). An OR
      // with an `IN (subquery)` across the join would make it read every stream.
      // A new builder each time: drizzle's `limit` changes the builder it is called on.
      const named = () =>
        this.db
          .select({ id: users.id })
          .from(users)
          .where(
            and(
              sql`to_tsvector('simple', ${users.displayName}) @@ ${found}`,
              query.channel ? eq(users.id, query.channel) : undefined,
              exists(
                this.db
                  .select({ one: sql`1` })
                  .from(streams)
                  .where(and(eq(streams.ownerId, users.id), eq(streams.status, spec.status))),
              ),
            ),
          );
      const listed = await named().limit(NAMED_CHANNELS_LISTED + 1);
      const owners =
        listed.length > NAMED_CHANNELS_LISTED
          ? sql`${streams.ownerId} = any(array(${named()}))`
          : listed.length > 0
            ? inArray(
                streams.ownerId,
                listed.map((c) => c.id),
              )
            : undefined;
      const inText = sql`${streams.search} @@ ${found}`;
      filters.push(owners ? (or(inText, owners) as SQL) : inText);
    }
    if (query.following) {
      // Gathered once as an array (an InitPlan), so that PostgreSQL reads those channels' streams
      // by index and sorts them: as a semi-join it walked every stream of the status in owner
      // order (70 ms against 11 ms on 100,000 streams).
      const followed = this.db
        .select({ id: follows.channelId })
        .from(follows)
        .where(eq(follows.followerId, viewer.userId ?? ''));
      filters.push(sql`${streams.ownerId} = any(array(${followed}))`);
    }
    if (query.status === 'past' && query.recorded !== undefined) {
      filters.push(query.recorded ? isNotNull(streams.recordingUrl) : eq(streams.recording, false));
    }
    const visible = visibleTo(this.db, viewer);
    if (visible) filters.push(visible);
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      const beyond = spec.direction === 'desc' ? lt : gt;
      const page = or(
        beyond(spec.column, after.at),
        and(eq(spec.column, after.at), beyond(streams.id, after.id)),
      );
      if (page) filters.push(page);
    }
    const order = spec.direction === 'desc' ? desc : asc;
    const rows = await this.db
      .select({ stream: streamColumns, owner: users })
      .from(streams)
      .innerJoin(users, eq(users.id, streams.ownerId))
      .where(and(...filters))
      .orderBy(order(spec.column), order(streams.id))
      .limit(query.limit + 1);
    const key = (row: StreamRow) =>
      query.status === 'live'
        ? row.startedAt
        : query.status === 'scheduled'
          ? row.scheduledAt
          : row.endedAt;
    return this.page(rows, query.limit, key);
  }

  /** A user's own streams, all statuses, newest first. */
  async listOwned(ownerId: string, limit: number, cursor?: string): Promise<Page<Stream>> {
    const filters: SQL[] = [eq(streams.ownerId, ownerId)];
    if (cursor) {
      const after = decodeCursor(cursor);
      const page = or(
        lt(streams.createdAt, after.at),
        and(eq(streams.createdAt, after.at), lt(streams.id, after.id)),
      );
      if (page) filters.push(page);
    }
    const rows = await this.db
      .select({ stream: streamColumns, owner: users })
      .from(streams)
      .innerJoin(users, eq(users.id, streams.ownerId))
      .where(and(...filters))
      .orderBy(desc(streams.createdAt), desc(streams.id))
      .limit(limit + 1);
    return this.page(rows, limit, (row) => row.createdAt);
  }

  private page(
    rows: Array<{ stream: StreamRow; owner: UserRow }>,
    limit: number,
    key: (row: StreamRow) => Date | null,
  ): Page<Stream> {
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const lastKey = last ? key(last.stream) : null;
    return {
      items: items.map((r) => this.toStream(r.stream, r.owner)),
      nextCursor:
        rows.length > limit && last && lastKey ? encodeCursor(lastKey, last.stream.id) : null,
    };
  }

  private toStream(row: StreamRow, owner: UserRow): Stream {
    return {
      id: row.id,
      owner: { id: owner.id, displayName: owner.displayName },
      title: row.title,
      description: row.description,
      category: row.category,
      tags: row.tags,
      // The host's image, else OnAir's poster: the newest frame while live, the recording's after.
      thumbnailUrl:
        row.thumbnailUrl ??
        (row.status === 'live' || row.recordingUrl ? posterUrlFor(row.id) : null),
      status: row.status,
      privacy: row.privacy,
      minTier: row.minTier,
      qualityPreset: row.qualityPreset,
      recording: row.recording,
      viewerLimit: row.viewerLimit,
      chat: {
        enabled: row.chatEnabled,
        mode: row.chatMode,
        slowModeSeconds: row.slowModeSeconds,
        emoteOnly: row.emoteOnly,
      },
      reactionsEnabled: row.reactionsEnabled,
      qnaEnabled: row.qnaEnabled,
      scheduledAt: row.scheduledAt?.toISOString() ?? null,
      startedAt: row.startedAt?.toISOString() ?? null,
      endedAt: row.endedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      hlsUrl: row.status === 'live' ? this.hlsUrlFor(row.id) : null,
      viewerCount: null,
      recordingUrl: row.recordingUrl,
      recordingIncomplete: row.recordingIncomplete,
      externalId: row.externalId,
      metadata: row.metadata,
    };
  }
}

/** A new stream's row: `scheduled`, with the input's settings and the default chat ones. */
function newStreamRow(
  id: string,
  ownerId: string,
  input: CreateStreamInput,
  streamKeyHash: string,
): typeof streams.$inferInsert {
  const chat = { ...DEFAULT_CHAT_SETTINGS, ...input.chat };
  // Millisecond timestamps from JS, not now(): keyset cursors carry milliseconds.
  const now = new Date();
  return {
    id,
    createdAt: now,
    updatedAt: now,
    ownerId,
    title: input.title,
    description: input.description,
    category: input.category,
    tags: input.tags,
    thumbnailUrl: input.thumbnailUrl,
    privacy: input.privacy,
    minTier: input.minTier,
    qualityPreset: input.qualityPreset,
    recording: input.recording,
    viewerLimit: input.viewerLimit,
    chatEnabled: chat.enabled,
    chatMode: chat.mode,
    slowModeSeconds: chat.slowModeSeconds,
    emoteOnly: chat.emoteOnly,
    reactionsEnabled: input.reactionsEnabled,
    qnaEnabled: input.qnaEnabled,
    status: 'scheduled',
    scheduledAt: input.scheduledAt ? new Date(input.scheduledAt) : null,
    externalId: input.externalId,
    metadata: input.metadata,
    streamKeyHash,
  };
}

/**
 * A tsquery of the words of a search (`a&b:*`-style, every word required,
 * each matching the words it begins), from letters and digits only, so no
 * input makes a malformed query; empty when there is no word.
 */
export function searchQuery(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words
    .slice(0, 10)
    .map((word) => `${word}:*`)
    .join(' & ');
}

/**
 * How many channels matching a search's words are listed in its query by id;
 * beyond, the query gathers them itself (see {@link StreamRepository.list}).
 */
const NAMED_CHANNELS_LISTED = 1000;

/**
 * The streams `viewer` may see, as a condition on `streams`: public ones
 * (and unlisted ones with `unlisted`: a list never shows those, a link
 * opens them), their own, followers-only ones of channels they follow or
 * moderate, subscribers-only ones their tier opens, private ones they are
 * invited to; all for an admin (undefined). Bans are not in it.
 */
export function visibleTo(
  db: Database,
  viewer: ListViewer,
  options: { unlisted?: boolean } = {},
): SQL | undefined {
  if (viewer.admin) return undefined;
  const me = viewer.userId;
  const open = options.unlisted
    ? inArray(streams.privacy, ['public', 'unlisted'])
    : eq(streams.privacy, 'public');
  if (!me) return open;
  return or(
    open,
    eq(streams.ownerId, me),
    and(
      eq(streams.privacy, 'followers'),
      inArray(
        streams.ownerId,
        db.select({ id: follows.channelId }).from(follows).where(eq(follows.followerId, me)),
      ),
    ),
    ...subscribed(viewer),
    viewer.moderates?.length
      ? and(
          inArray(streams.privacy, ['followers', 'subscribers']),
          inArray(streams.ownerId, [...viewer.moderates]),
        )
      : undefined,
    and(
      eq(streams.privacy, 'private'),
      inArray(
        streams.id,
        db
          .select({ id: streamInvites.streamId })
          .from(streamInvites)
          .where(eq(streamInvites.userId, me)),
      ),
    ),
  );
}

/**
 * The subscribers-only streams a viewer's tiers open: one clause per tier
 * (a tier-2 subscriber sees the streams asking for tier 1 or 2).
 */
function subscribed(viewer: ListViewer): SQL[] {
  const tiers = Object.entries(viewer.subscriptions ?? {});
  const clauses: SQL[] = [];
  for (let tier = 1; tier <= MAX_SUBSCRIBER_TIER; tier++) {
    const channels = tiers.filter(([, held]) => held >= tier).map(([channel]) => channel);
    const clause =
      channels.length > 0
        ? and(
            eq(streams.privacy, 'subscribers'),
            eq(streams.minTier, tier),
            inArray(streams.ownerId, channels),
          )
        : undefined;
    if (clause) clauses.push(clause);
  }
  return clauses;
}
