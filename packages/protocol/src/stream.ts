import * as z from 'zod';
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
 * the link, not listed), `followers` (the channel's followers), `private`
 * (the invite list).
 */
export const STREAM_PRIVACIES = ['public', 'unlisted', 'followers', 'private'] as const;
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
  slowModeSeconds: z.number().int().min(0).max(MAX_SLOW_MODE_SECONDS),
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

const TagSchema = z
  .string()
  .trim()
  .min(1, 'tags cannot be empty')
  .max(25, 'a tag is at most 25 characters')
  .regex(/^[\p{L}\p{N} _-]+$/u, 'tags may hold letters, digits, spaces, _ and -');

const HttpUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048, 'URL is too long');

/** The Stream resource. */
export const StreamSchema = z.object({
  id: IdSchema,
  /** The broadcaster; their channel id is `owner.id`. */
  owner: UserSummarySchema,
  title: z.string().min(1).max(140),
  description: z.string().max(5000),
  category: z.string().max(60).nullable(),
  tags: z.array(z.string()).max(10),
  thumbnailUrl: z.string().nullable(),
  status: StreamStatusSchema,
  privacy: StreamPrivacySchema,
  qualityPreset: QualityPresetSchema,
  recording: z.boolean(),
  /** Most concurrent viewers; null for no limit. */
  viewerLimit: z.number().int().positive().nullable(),
  chat: ChatSettingsSchema,
  reactionsEnabled: z.boolean(),
  qnaEnabled: z.boolean(),
  scheduledAt: TimestampSchema.nullable(),
  startedAt: TimestampSchema.nullable(),
  endedAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  /** Where viewers play the stream over HLS; null unless live. */
  hlsUrl: z.string().nullable(),
  /** Viewers in the stream's room when this was read; null unless live. */
  viewerCount: z.number().int().nonnegative().nullable(),
  /** Replay of an ended, recorded stream; null until the recording is ready. */
  recordingUrl: z.string().nullable(),
});

/** A live stream, past or future. */
export type Stream = z.infer<typeof StreamSchema>;

/** Fields an owner (and, for some, a moderator) may set. Shared by create and update. */
const editableFields = {
  title: z.string().trim().min(1, 'title is required').max(140, 'title is at most 140 characters'),
  description: z.string().max(5000, 'description is at most 5000 characters'),
  category: z.string().trim().min(1).max(60, 'category is at most 60 characters').nullable(),
  tags: z.array(TagSchema).max(10, 'at most 10 tags'),
  thumbnailUrl: HttpUrlSchema.nullable(),
  privacy: StreamPrivacySchema,
  qualityPreset: QualityPresetSchema,
  recording: z.boolean(),
  viewerLimit: z.number().int().min(1).max(1_000_000).nullable(),
  chat: ChatSettingsSchema.partial().strict(),
  reactionsEnabled: z.boolean(),
  qnaEnabled: z.boolean(),
  scheduledAt: TimestampSchema.nullable(),
};

/**
 * Body of `POST /v1/streams`. Unknown fields are refused, so a client cannot
 * set protected properties (status, owner).
 */
export const CreateStreamInputSchema = z.strictObject({
  ...editableFields,
  description: editableFields.description.default(''),
  category: editableFields.category.default(null),
  tags: editableFields.tags.default([]),
  thumbnailUrl: editableFields.thumbnailUrl.default(null),
  privacy: editableFields.privacy.default('public'),
  qualityPreset: editableFields.qualityPreset.default('720p'),
  recording: editableFields.recording.default(false),
  viewerLimit: editableFields.viewerLimit.default(null),
  chat: editableFields.chat.default({}),
  reactionsEnabled: editableFields.reactionsEnabled.default(true),
  qnaEnabled: editableFields.qnaEnabled.default(false),
  scheduledAt: editableFields.scheduledAt.default(null),
});

/** Input accepted when creating a stream (defaults filled in). */
export type CreateStreamInput = z.infer<typeof CreateStreamInputSchema>;
/** Input a caller may send when creating a stream (defaults optional). */
export type CreateStreamRequest = z.input<typeof CreateStreamInputSchema>;

/** Body of `PATCH /v1/streams/:id`: one or more editable fields; unknown fields are refused. */
export const UpdateStreamInputSchema = z
  .strictObject(editableFields)
  .partial()
  .refine((input) => Object.keys(input).length > 0, 'nothing to update');
/** A partial stream update. */
export type UpdateStreamInput = z.infer<typeof UpdateStreamInputSchema>;

/** Fields a channel moderator may change (the rest is the owner's). */
export const MODERATOR_EDITABLE_FIELDS = [
  'title',
  'description',
  'category',
  'tags',
  'chat',
] as const satisfies readonly (keyof UpdateStreamInput)[];

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

/** Query of `GET /v1/streams`. */
export const StreamListQuerySchema = z.strictObject({
  status: z.enum(STREAM_LISTS).default('live'),
  channel: IdSchema.optional(),
  category: z.string().trim().min(1).max(60).optional(),
  /** Past streams only: keep those with a recording. */
  recorded: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
/** Parsed list query. */
export type StreamListQuery = z.infer<typeof StreamListQuerySchema>;
/** List query a caller may send. */
export type StreamListRequest = z.input<typeof StreamListQuerySchema>;

/** Body of `PUT /v1/streams/:id/invites`: the full invite list of a private stream. */
export const StreamInvitesSchema = z.strictObject({
  userIds: z.array(IdSchema).max(1000, 'at most 1000 invites'),
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
