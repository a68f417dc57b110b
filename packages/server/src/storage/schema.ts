import type { StreamHealth } from '@onair/protocol';
import type { PublishReport, ViewEngine } from '@onair/protocol/analytics';
import type { StageRole } from '@onair/protocol/stage';
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A PostgreSQL full-text document (read only through SQL). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Users known to the server: created on first authenticated request (so
 * every viewer who signed in, not only channels). A search's channel names
 * are found through the index of their words.
 */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    displayName: text('display_name').notNull(),
    /** The `picture` claim of their latest token, if it had one. */
    avatarUrl: text('avatar_url'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('users_display_name_search_idx').using(
      'gin',
      sql`to_tsvector('simple', ${table.displayName})`,
    ),
  ],
);

/** One channel per user (its id is the user's id): profile and custom emotes. */
export const channels = pgTable('channels', {
  id: text('id')
    .primaryKey()
    .references(() => users.id),
  avatarUrl: text('avatar_url'),
  bannerUrl: text('banner_url'),
  description: text('description').notNull().default(''),
  emotes: jsonb('emotes').$type<Array<{ code: string; url: string }>>().notNull().default([]),
  followerCount: integer('follower_count').notNull().default(0),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/** Who follows which channel. */
export const follows = pgTable(
  'follows',
  {
    followerId: text('follower_id')
      .notNull()
      .references(() => users.id),
    channelId: text('channel_id')
      .notNull()
      .references(() => users.id),
    createdAt: at('created_at').notNull().defaultNow(),
    /** What the follower is told about the channel: `all`, `live` or `none`. */
    notify: text('notify', { enum: ['all', 'live', 'none'] })
      .notNull()
      .default('live'),
  },
  (table) => [
    primaryKey({ columns: [table.followerId, table.channelId] }),
    index('follows_channel_idx').on(table.channelId),
  ],
);

/** Streams and their lifecycle. The stream key is kept only as an HMAC. */
export const streams = pgTable(
  'streams',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    category: text('category'),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    thumbnailUrl: text('thumbnail_url'),
    status: text('status', { enum: ['scheduled', 'live', 'ended', 'cancelled'] }).notNull(),
    privacy: text('privacy', {
      enum: ['public', 'unlisted', 'followers', 'subscribers', 'private'],
    }).notNull(),
    /** Lowest subscription tier that may watch a `subscribers` stream. */
    minTier: integer('min_tier').notNull().default(1),
    qualityPreset: text('quality_preset', { enum: ['360p', '480p', '720p', '1080p'] })
      .notNull()
      .default('720p'),
    recording: boolean('recording').notNull().default(false),
    recordingUrl: text('recording_url'),
    /**
     * Where peers reach the node whose disk holds the recording (its node
     * URL): other nodes answer a replay request from there when their own
     * media folder lacks the file.
     */
    recordingNode: text('recording_node'),
    /** Part of the recording could not be written, or a crash cut it. */
    recordingIncomplete: boolean('recording_incomplete').notNull().default(false),
    viewerLimit: integer('viewer_limit'),
    pinnedMessageId: text('pinned_message_id'),
    chatEnabled: boolean('chat_enabled').notNull().default(true),
    chatMode: text('chat_mode', { enum: ['open', 'followers', 'subscribers'] })
      .notNull()
      .default('open'),
    slowModeSeconds: integer('slow_mode_seconds').notNull().default(0),
    emoteOnly: boolean('emote_only').notNull().default(false),
    reactionsEnabled: boolean('reactions_enabled').notNull().default(true),
    qnaEnabled: boolean('qna_enabled').notNull().default(false),
    scheduledAt: at('scheduled_at'),
    startedAt: at('started_at'),
    endedAt: at('ended_at'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    streamKeyHash: text('stream_key_hash').notNull(),
    /** Bumped by every privacy change: playback tokens signed under an older version stop working. */
    accessVersion: integer('access_version').notNull().default(0),
    /** Most concurrent viewers presence counted (analytics), kept when it rises. */
    peakViewers: integer('peak_viewers').notNull().default(0),
    /** How HLS shows the stage's people composed: `grid` or `speaker`; null: the server's default. */
    stageLayout: text('stage_layout'),
    /** The host app's id of what the stream belongs to (a lesson, a chat channel). */
    externalId: text('external_id'),
    /** The host app's own data about the stream (JSON, size-limited by the protocol). */
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    /** What `GET /v1/streams?q=` searches: title, description, category and tags, as words. */
    search: tsvector('search').generatedAlwaysAs(
      sql`to_tsvector('simple', title || ' ' || description || ' ' || coalesce(category, '') || ' ' || tags::text)`,
    ),
  },
  (table) => [
    // Keyset indexes, one per list: live (all, by channel, by category), scheduled, past, a user's.
    index('streams_status_started_idx').on(table.status, table.startedAt, table.id),
    index('streams_owner_status_started_idx').on(
      table.ownerId,
      table.status,
      table.startedAt,
      table.id,
    ),
    index('streams_category_status_started_idx').on(
      table.category,
      table.status,
      table.startedAt,
      table.id,
    ),
    index('streams_status_scheduled_idx').on(table.status, table.scheduledAt, table.id),
    index('streams_status_ended_idx').on(table.status, table.endedAt, table.id),
    index('streams_owner_idx').on(table.ownerId, table.createdAt),
    // The streams of one of the host app's things (`GET /v1/streams?externalId=`).
    index('streams_external_idx').on(table.externalId),
    // Search (`q`) and tags (`tag`).
    index('streams_search_idx').using('gin', table.search),
    index('streams_tags_idx').using('gin', table.tags),
    // Encoders (RTMP, WHIP) present only their key: its HMAC finds the stream.
    uniqueIndex('streams_key_hash_idx').on(table.streamKeyHash),
  ],
);

/** Invite list of private streams. */
export const streamInvites = pgTable(
  'stream_invites',
  {
    streamId: text('stream_id')
      .notNull()
      .references(() => streams.id),
    userId: text('user_id').notNull(),
  },
  (table) => [primaryKey({ columns: [table.streamId, table.userId] })],
);

/** Chat messages, kept for history and replay. */
export const chatMessages = pgTable(
  'chat_messages',
  {
    id: text('id').primaryKey(),
    /**
     * Insertion order, from the database: history pages and resyncs follow it,
     * so messages of the same millisecond (from any server) keep one order.
     */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    streamId: text('stream_id')
      .notNull()
      .references(() => streams.id),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    text: text('text').notNull(),
    /** Badges of the author when the message was sent. */
    badges: jsonb('badges').$type<string[]>().notNull().default([]),
    createdAt: at('created_at').notNull().defaultNow(),
    /** Set when a moderator removed it: kept for the record, never delivered again. */
    deletedAt: at('deleted_at'),
    deletedBy: text('deleted_by'),
  },
  (table) => [
    index('chat_messages_stream_created_idx').on(table.streamId, table.createdAt, table.id),
    index('chat_messages_stream_seq_idx').on(table.streamId, table.seq),
  ],
);

/** Bans and timeouts of a channel's chat (a channel's id is its owner's user id). */
export const channelRestrictions = pgTable(
  'channel_restrictions',
  {
    channelId: text('channel_id').notNull(),
    userId: text('user_id').notNull(),
    kind: text('kind', { enum: ['ban', 'timeout'] }).notNull(),
    /** End of a timeout; null for a ban. */
    until: at('until'),
    by: text('by').notNull(),
    reason: text('reason'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.channelId, table.userId] })],
);

/** Q&A questions. */
export const questions = pgTable(
  'questions',
  {
    id: text('id').primaryKey(),
    streamId: text('stream_id')
      .notNull()
      .references(() => streams.id),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    text: text('text').notNull(),
    upvotes: integer('upvotes').notNull().default(0),
    answered: boolean('answered').notNull().default(false),
    /** The written answer of an answered question ('' when answered aloud). */
    answerText: text('answer_text'),
    /** Who marked it answered. */
    answeredBy: text('answered_by').references(() => users.id),
    answeredAt: at('answered_at'),
    /** The question the stream is answering now (at most one per stream). */
    answering: boolean('answering').notNull().default(false),
    hidden: boolean('hidden').notNull().default(false),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('questions_stream_idx').on(table.streamId, table.createdAt),
    uniqueIndex('questions_answering_idx').on(table.streamId).where(sql`${table.answering}`),
  ],
);

/** One upvote per user and question. */
export const questionVotes = pgTable(
  'question_votes',
  {
    questionId: text('question_id')
      .notNull()
      .references(() => questions.id),
    userId: text('user_id').notNull(),
  },
  (table) => [primaryKey({ columns: [table.questionId, table.userId] })],
);

/** Polls. */
export const polls = pgTable(
  'polls',
  {
    id: text('id').primaryKey(),
    streamId: text('stream_id')
      .notNull()
      .references(() => streams.id),
    question: text('question').notNull(),
    options: jsonb('options').$type<string[]>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    closedAt: at('closed_at'),
  },
  (table) => [index('polls_stream_idx').on(table.streamId, table.createdAt)],
);

/** One vote per user and poll. */
export const pollVotes = pgTable(
  'poll_votes',
  {
    pollId: text('poll_id')
      .notNull()
      .references(() => polls.id),
    userId: text('user_id').notNull(),
    option: integer('option').notNull(),
  },
  (table) => [primaryKey({ columns: [table.pollId, table.userId] })],
);

/** Reaction counts per stream, minute and emoji (analytics). */
export const reactionCounts = pgTable(
  'reaction_counts',
  {
    streamId: text('stream_id').notNull(),
    minute: at('minute').notNull(),
    emoji: text('emoji').notNull(),
    count: integer('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.streamId, table.minute, table.emoji] })],
);

/** Stream health reports (every 5 s while a publisher sends), for the owner's analytics. */
export const streamHealth = pgTable(
  'stream_health',
  {
    streamId: text('stream_id').notNull(),
    at: at('at').notNull(),
    report: jsonb('report').$type<StreamHealth>().notNull(),
  },
  (table) => [primaryKey({ columns: [table.streamId, table.at] })],
);

/**
 * Webhook deliveries not yet made (the outbox): one row per event and
 * endpoint, written before the first attempt and deleted once delivered or
 * given up, so a restart retries what was pending. A server claims due rows
 * for a while (`claimedUntil`) so that servers sharing the database never
 * deliver the same row at once. Secrets stay in the configuration.
 */
export const webhookOutbox = pgTable(
  'webhook_outbox',
  {
    id: text('id').primaryKey(),
    /** The event's id: the same in every attempt, for the receiver to deduplicate. */
    eventId: text('event_id').notNull(),
    targetUrl: text('target_url').notNull(),
    /** The JSON body, exactly as signed and sent. */
    body: text('body').notNull(),
    /** Attempts made (or under way) so far. */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
    claimedUntil: at('claimed_until'),
    lastError: text('last_error'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [index('webhook_outbox_due_idx').on(table.nextAttemptAt)],
);

/**
 * View sessions (one playback each), with their newest figures from the
 * player's beacons: what a stream's QoE summary and unique viewers are
 * computed from. `lastSeq` is the newest beacon applied (older ones and
 * retries count once).
 */
export const viewSessions = pgTable(
  'view_sessions',
  {
    id: text('id').primaryKey(),
    streamId: text('stream_id').notNull(),
    /** Only when the host app passed one. */
    userId: text('user_id'),
    startedAt: at('started_at').notNull(),
    lastSeenAt: at('last_seen_at').notNull(),
    lastSeq: integer('last_seq').notNull(),
    engine: text('engine').$type<ViewEngine>().notNull(),
    device: text('device').notNull(),
    browser: text('browser').notNull(),
    os: text('os').notNull(),
    dimensions: jsonb('dimensions').$type<Record<string, string>>().notNull().default({}),
    startupMs: integer('startup_ms'),
    watchMs: bigint('watch_ms', { mode: 'number' }).notNull(),
    rebufferCount: integer('rebuffer_count').notNull(),
    rebufferMs: bigint('rebuffer_ms', { mode: 'number' }).notNull(),
    bitrateKbps: doublePrecision('bitrate_kbps'),
    height: doublePrecision('height'),
    qualitySwitches: integer('quality_switches').notNull(),
    latencyMean: doublePrecision('latency_mean'),
    latencyP95: doublePrecision('latency_p95'),
    droppedFrames: integer('dropped_frames').notNull(),
    errors: integer('errors').notNull(),
    fallbacks: integer('fallbacks').notNull(),
    failed: boolean('failed').notNull(),
    exitedBeforeStart: boolean('exited_before_start').notNull(),
    ended: boolean('ended').notNull(),
  },
  (table) => [
    index('view_sessions_stream_idx').on(table.streamId, table.startedAt),
    index('view_sessions_user_idx').on(table.userId),
    index('view_sessions_seen_idx').on(table.lastSeenAt),
  ],
);

/**
 * What view sessions reported as it happened, append only. Partitioned by
 * month on `at` (the migration declares it; the server creates the months
 * ahead and drops those past retention).
 */
export const viewEvents = pgTable(
  'view_events',
  {
    sessionId: text('session_id').notNull(),
    /** The beacon that carried it, and its place there: a retried beacon's events count once. */
    seq: integer('seq').notNull(),
    position: integer('position').notNull(),
    streamId: text('stream_id').notNull(),
    at: at('at').notNull(),
    type: text('type').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (table) => [
    primaryKey({ columns: [table.sessionId, table.seq, table.position, table.at] }),
    index('view_events_stream_idx').on(table.streamId, table.at),
  ],
);

/** Per stream and minute: what its viewers played (the timeline), summed from beacons' intervals. */
export const viewMinutes = pgTable(
  'view_minutes',
  {
    streamId: text('stream_id').notNull(),
    minute: at('minute').notNull(),
    watchMs: bigint('watch_ms', { mode: 'number' }).notNull(),
    rebufferMs: bigint('rebuffer_ms', { mode: 'number' }).notNull(),
    rebufferCount: integer('rebuffer_count').notNull(),
    /** Sum of bitrate × playing time (kbit/s × ms), and the playing time it covers. */
    bitrateWeighted: doublePrecision('bitrate_weighted').notNull(),
    bitrateMs: bigint('bitrate_ms', { mode: 'number' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.streamId, table.minute] })],
);

/**
 * What browser Publishers measured of their publish sessions (one row per
 * session, replaced by a report that measured longer): the broadcast side of
 * a stream's analytics.
 */
export const publishSessions = pgTable(
  'publish_sessions',
  {
    id: text('id').primaryKey(),
    streamId: text('stream_id').notNull(),
    startedAt: at('started_at').notNull(),
    lastSeenAt: at('last_seen_at').notNull(),
    report: jsonb('report').$type<PublishReport>().notNull(),
  },
  (table) => [
    index('publish_sessions_stream_idx').on(table.streamId),
    index('publish_sessions_seen_idx').on(table.lastSeenAt),
  ],
);

/** Co-hosts and guests on a stream's stage (docs/stage.md); the owner is never listed. */
export const stageMembers = pgTable(
  'stage_members',
  {
    streamId: text('stream_id')
      .notNull()
      .references(() => streams.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role').$type<StageRole>().notNull(),
    mutedByHost: boolean('muted_by_host').notNull().default(false),
    invitedAt: at('invited_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.streamId, table.userId] })],
);

/** Viewers who asked to come on a stream's stage, in the order they asked. */
export const stageHands = pgTable(
  'stage_hands',
  {
    streamId: text('stream_id')
      .notNull()
      .references(() => streams.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    raisedAt: at('raised_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.streamId, table.userId] })],
);

/**
 * Users' notification inboxes: one row per user, kind and stream (a user is
 * told each thing about a stream once).
 */
export const notifications = pgTable(
  'notifications',
  {
    userId: text('user_id').notNull(),
    kind: text('kind', { enum: ['live', 'scheduled', 'reminder'] }).notNull(),
    streamId: text('stream_id')
      .notNull()
      .references(() => streams.id),
    createdAt: at('created_at').notNull(),
    readAt: at('read_at'),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.kind, table.streamId] }),
    // The inbox, newest first, in the order pages are read (no sort), and its unread count.
    // NULLS FIRST is what a plain DESC sorts by: with NULLS LAST each page sorted its rows.
    index('notifications_inbox_desc_idx').on(
      table.userId,
      table.createdAt.desc().nullsFirst(),
      table.streamId.desc().nullsFirst(),
      table.kind.desc().nullsFirst(),
    ),
    index('notifications_unread_idx').on(table.userId).where(sql`${table.readAt} is null`),
  ],
);

/**
 * "Remind me" of scheduled streams; `remindedAt` once the reminder went out.
 * `accessVersion` is the stream's when it was asked for: a subscribers-only
 * stream reminds only those who asked under its current privacy and tier
 * (their tier was checked then; it cannot be checked without their token).
 */
export const streamReminders = pgTable(
  'stream_reminders',
  {
    streamId: text('stream_id')
      .notNull()
      .references(() => streams.id),
    userId: text('user_id').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    remindedAt: at('reminded_at'),
    accessVersion: integer('access_version').notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.streamId, table.userId] }),
    index('stream_reminders_user_idx').on(table.userId),
  ],
);

/**
 * Clips cut from streams (their MP4 and poster are files under the media
 * folder's `.clips/<id>/`); deleted with their stream.
 */
export const clips = pgTable(
  'clips',
  {
    id: text('id').primaryKey(),
    streamId: text('stream_id')
      .notNull()
      .references(() => streams.id, { onDelete: 'cascade' }),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    title: text('title').notNull(),
    /** Where it starts in the recording, seconds from the stream's first frame. */
    startSeconds: doublePrecision('start_seconds').notNull(),
    durationSeconds: doublePrecision('duration_seconds').notNull(),
    /** Whether a poster was written (a stream without video has none). */
    hasPoster: boolean('has_poster').notNull(),
    /**
     * Where peers reach the node whose disk holds its files (servers sharing
     * Redis): other nodes answer for them from there.
     */
    node: text('node'),
    createdAt: at('created_at').notNull(),
  },
  // A stream's clips, newest first, in the order pages are read.
  (table) => [
    index('clips_stream_desc_idx').on(
      table.streamId,
      table.createdAt.desc().nullsFirst(),
      table.id.desc().nullsFirst(),
    ),
  ],
);

/**
 * Clips deleted while the node keeping their files did not answer: that
 * node deletes the files when it is back (a tombstone, not an absence: a
 * node started against an empty or restored database deletes nothing).
 */
export const clipFileDrops = pgTable(
  'clip_file_drops',
  {
    clipId: text('clip_id').primaryKey(),
    /** Where peers reach the node keeping the files (as stored with the clip). */
    node: text('node').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [index('clip_file_drops_node_idx').on(table.node, table.clipId)],
);

/** Markers set while a stream is live: the chapters of its recording. */
export const streamMarkers = pgTable(
  'stream_markers',
  {
    id: text('id').primaryKey(),
    streamId: text('stream_id')
      .notNull()
      .references(() => streams.id, { onDelete: 'cascade' }),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    title: text('title').notNull(),
    at: at('at').notNull(),
  },
  (table) => [index('stream_markers_stream_idx').on(table.streamId, table.at)],
);

/** Browsers' Web Push subscriptions (the push service's endpoint and the keys to encrypt to). */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    endpoint: text('endpoint').primaryKey(),
    userId: text('user_id').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (table) => [index('push_subscriptions_user_idx').on(table.userId, table.createdAt)],
);

/**
 * Viewers' presence in streams' rooms, one row a connection and stream
 * (`leftAt` null while there): who watched, when, for how long.
 */
export const viewerSessions = pgTable(
  'viewer_sessions',
  {
    id: text('id').primaryKey(),
    streamId: text('stream_id')
      .notNull()
      .references(() => streams.id, { onDelete: 'cascade' }),
    socketId: text('socket_id').notNull(),
    /** Null for an anonymous viewer. */
    userId: text('user_id'),
    joinedAt: at('joined_at').notNull(),
    leftAt: at('left_at'),
  },
  (table) => [
    // A connection is in a room once: joining again while there opens nothing.
    uniqueIndex('viewer_sessions_open_idx')
      .on(table.streamId, table.socketId)
      .where(sql`${table.leftAt} is null`),
    index('viewer_sessions_user_idx').on(table.streamId, table.userId, table.joinedAt),
  ],
);
