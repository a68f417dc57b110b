import * as z from 'zod/mini';
import { IdSchema, pageSchema, TimestampSchema } from './common.js';
import { UserSummarySchema } from './user.js';

/** Lifecycle states of a stream: `scheduled → live → ended`, `scheduled → cancelled`. */
export const STREAM_STATUSES = ['scheduled', 'live', 'ended', 'cancelled'] as const;
/** Schema of {@link StreamStatus}. */
export const StreamStatusSchema = z.enum(STREAM_STATUSES);
/** One of {@link STREAM_STATUSES}. */
export type StreamStatus = z.infer<typeof StreamStatusSchema>;

/**
 * Who may see a stream: `public` (everyone, listed), `unlisted` (anyone with
 * the link, not listed), `followers` (the channel's followers), `subscribers`
 * (the channel's subscribers of at least the stream's `minTier`, as the host
 * app's token says), `private` (the invite list).
 */
export const STREAM_PRIVACIES = [
  'public',
  'unlisted',
  'followers',
  'subscribers',
  'private',
] as const;
/** Schema of {@link StreamPrivacy}. */
export const StreamPrivacySchema = z.enum(STREAM_PRIVACIES);
/** One of {@link STREAM_PRIVACIES}. */
export type StreamPrivacy = z.infer<typeof StreamPrivacySchema>;

/** Encoding ladders a stream may ask for; the top rung never exceeds the source. */
export const QUALITY_PRESETS = ['360p', '480p', '720p', '1080p'] as const;
/** Schema of {@link QualityPreset}. */
export const QualityPresetSchema = z.enum(QUALITY_PRESETS);
/** One of {@link QUALITY_PRESETS}. */
export type QualityPreset = z.infer<typeof QualityPresetSchema>;

/** Highest subscription tier a host app's token may give (`TokenClaims.subscriptions`). */
export const MAX_SUBSCRIBER_TIER = 3;
/** Schema of a subscription tier, 1 to {@link MAX_SUBSCRIBER_TIER}. */
export const SubscriberTierSchema = z.number().check(z.int(), z.gte(1), z.lte(MAX_SUBSCRIBER_TIER));

/** Who may chat: everyone signed in, the channel's followers, or its subscribers. */
export const CHAT_MODES = ['open', 'followers', 'subscribers'] as const;
/** Schema of {@link ChatMode}. */
export const ChatModeSchema = z.enum(CHAT_MODES);
/** One of {@link CHAT_MODES}. */
export type ChatMode = z.infer<typeof ChatModeSchema>;

/** Longest slow mode, in seconds (one hour). */
export const MAX_SLOW_MODE_SECONDS = 3600;

/** Chat settings of a stream. */
export const ChatSettingsSchema = z.object({
  enabled: z.boolean(),
  mode: ChatModeSchema,
  slowModeSeconds: z.number().check(z.int(), z.gte(0), z.lte(MAX_SLOW_MODE_SECONDS)),
  emoteOnly: z.boolean(),
});
/** Chat settings. */
export type ChatSettings = z.infer<typeof ChatSettingsSchema>;

/** Defaults of {@link ChatSettings}. */
export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  enabled: true,
  mode: 'open',
  slowModeSeconds: 0,
  emoteOnly: false,
};

/** The Stream resource. */
export const StreamSchema = z.object({
  id: IdSchema,
  /** The broadcaster; their channel id is `owner.id`. */
  owner: UserSummarySchema,
  title: z.string().check(z.minLength(1), z.maxLength(140)),
  description: z.string().check(z.maxLength(5000)),
  category: z.nullable(z.string().check(z.maxLength(60))),
  tags: z.array(z.string()).check(z.maxLength(10)),
  thumbnailUrl: z.nullable(z.string()),
  status: StreamStatusSchema,
  privacy: StreamPrivacySchema,
  /** Lowest subscription tier that may watch a `subscribers` stream (1: every subscriber). */
  minTier: z.optional(SubscriberTierSchema),
  qualityPreset: QualityPresetSchema,
  recording: z.boolean(),
  /** Most concurrent viewers; null for no limit. */
  viewerLimit: z.nullable(z.number().check(z.int(), z.positive())),
  chat: ChatSettingsSchema,
  reactionsEnabled: z.boolean(),
  qnaEnabled: z.boolean(),
  scheduledAt: z.nullable(TimestampSchema),
  startedAt: z.nullable(TimestampSchema),
  endedAt: z.nullable(TimestampSchema),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  /** Where viewers play the stream over HLS; null unless live. */
  hlsUrl: z.nullable(z.string()),
  /**
   * Viewers when this was read, as `viewers:count`'s `count`: signed-in users
   * once each plus anonymous connections, the owner not included; null unless live.
   */
  viewerCount: z.nullable(z.number().check(z.int(), z.nonnegative())),
  /** Replay of an ended, recorded stream; null until the recording is ready. */
  recordingUrl: z.nullable(z.string()),
  /**
   * True when part of the recording could not be written (a full disk, a
   * failed write) or was cut by a server crash: the replay has gaps or ends early.
   */
  recordingIncomplete: z.optional(z.boolean()),
  /** The host app's id of what the stream belongs to (a lesson, a chat channel); null without one. */
  externalId: z.optional(z.nullable(z.string())),
  /** The host app's own data about the stream (JSON); `{}` without. */
  metadata: z.optional(z.record(z.string(), z.unknown())),
});

/** A live stream, past or future. */
export type Stream = z.infer<typeof StreamSchema>;

/**
 * Response of `POST /v1/streams` and of key rotation: the stream key is shown
 * only here; the server keeps only an HMAC of it.
 */
export const CreatedStreamSchema = z.object({
  stream: StreamSchema,
  streamKey: z.string(),
});

/** A freshly created stream and its one-time stream key. */
export type CreatedStream = z.infer<typeof CreatedStreamSchema>;

/** Response of `POST /v1/streams/:id/key`. */
export const RotatedStreamKeySchema = z.object({ streamKey: z.string() });
/** A new stream key, shown once. */
export type RotatedStreamKey = z.infer<typeof RotatedStreamKeySchema>;

/** A page of streams. */
export const StreamPageSchema = pageSchema(StreamSchema);
/** A page of streams. */
export type StreamPage = z.infer<typeof StreamPageSchema>;

/** Which list `GET /v1/streams` returns. */
export const STREAM_LISTS = ['live', 'scheduled', 'past'] as const;

/** Body of `PUT /v1/streams/:id/invites`: the full invite list of a private stream. */
export const StreamInvitesSchema = z.strictObject({
  userIds: z.array(IdSchema).check(z.maxLength(1000, 'at most 1000 invites')),
});
/** A stream's invite list. */
export type StreamInvites = z.infer<typeof StreamInvitesSchema>;

/** Transitions the lifecycle allows, keyed by the current status. */
export const STREAM_TRANSITIONS: Readonly<Record<StreamStatus, readonly StreamStatus[]>> = {
  scheduled: ['live', 'cancelled'],
  live: ['ended'],
  ended: [],
  cancelled: [],
};

/** Whether a stream in `from` may move to `to`. */
export function canTransition(from: StreamStatus, to: StreamStatus): boolean {
  return STREAM_TRANSITIONS[from].includes(to);
}
