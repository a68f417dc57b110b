/**
 * What the server parses from callers and never sends back: REST bodies and
 * queries, and the claims of the host app's tokens. They live apart from the
 * resources so that client bundles, which send these but parse none of them,
 * leave this module out (the package has no side effects).
 * @packageDocumentation
 */
import * as z from 'zod';
import { EmoteSchema } from './channel.js';
import {
  IdSchema,
  multiLineText,
  singleLineText,
  stripBidiControls,
  TimestampSchema,
} from './common.js';
import {
  ChatSettingsSchema,
  QualityPresetSchema,
  STREAM_LISTS,
  StreamPrivacySchema,
} from './stream.js';
import { RoleSchema } from './user.js';

// ----------------------------------------------------------------- pagination

/** Query parameters shared by every paginated list. */
export const PageQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** Parsed pagination query. */
export type PageQuery = z.infer<typeof PageQuerySchema>;

// ---------------------------------------------------------------------- users

/**
 * A display name as input: bidirectional controls stripped, trimmed,
 * 1–64 characters, single-line ({@link singleLineText}).
 */
export const DisplayNameSchema = z
  .string()
  .overwrite(stripBidiControls)
  .trim()
  .min(1, 'display name is required')
  .max(64, 'display name is at most 64 characters')
  .check(singleLineText);

/** Body of `POST /v1/dev/token` (development mode only). */
export const DevTokenRequestSchema = z.object({
  /** Bidirectional controls are stripped; control characters are refused ({@link DisplayNameSchema}). */
  displayName: DisplayNameSchema,
});

/** Input of the development token issuer. */
export type DevTokenRequest = z.infer<typeof DevTokenRequestSchema>;

/**
 * Claims OnAir reads from the host app's JWT. `sub` and `exp` are required;
 * the rest default to a plain viewer. Unknown claims are ignored.
 *
 * `name` has its bidirectional controls stripped (a right-to-left name keeps
 * its letters, a spoofing override is dropped); a name with a C0 control
 * character or DEL fails, and with it the whole token: fix the name in the
 * host app.
 */
export const TokenClaimsSchema = z.object({
  sub: IdSchema,
  name: z.string().overwrite(stripBidiControls).min(1).max(64).check(singleLineText).optional(),
  /** Global roles. Default `['viewer']`. */
  roles: z.array(RoleSchema).max(10).optional(),
  /** Channel ids (user ids) this user moderates. */
  moderates: z.array(IdSchema).max(1000).optional(),
  /** Subscription tier per channel id (the host app handles payment). */
  subscriptions: z.record(IdSchema, z.number().int().min(1).max(3)).optional(),
});
/** The host app's token claims. */
export type TokenClaims = z.infer<typeof TokenClaimsSchema>;

// ------------------------------------------------------------------- channels

const OptionalUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048)
  .nullable();

/** Body of `PATCH /v1/channels/me`; unknown fields are refused. */
export const UpdateChannelInputSchema = z
  .strictObject({
    /** Bidirectional controls are stripped ({@link DisplayNameSchema}). */
    displayName: DisplayNameSchema,
    avatarUrl: OptionalUrl,
    bannerUrl: OptionalUrl,
    description: z.string().max(2000).check(multiLineText),
    emotes: z
      .array(EmoteSchema)
      .max(50, 'at most 50 emotes')
      .refine(
        (list) => new Set(list.map((e) => e.code)).size === list.length,
        'emote codes must be unique',
      ),
  })
  .partial()
  .refine((input) => Object.keys(input).length > 0, 'nothing to update');
/** A partial channel update. */
export type UpdateChannelInput = z.infer<typeof UpdateChannelInputSchema>;

// -------------------------------------------------------------------- streams

const TagSchema = z
  .string()
  .trim()
  .min(1, 'tags cannot be empty')
  .max(25, 'a tag is at most 25 characters')
  .regex(/^[\p{L}\p{N} _-]+$/u, 'tags may hold letters, digits, spaces, _ and -');

const HttpUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048, 'URL is too long');

/** Fields an owner (and, for some, a moderator) may set. Shared by create and update. */
const editableFields = {
  title: z
    .string()
    .trim()
    .min(1, 'title is required')
    .max(140, 'title is at most 140 characters')
    .check(singleLineText),
  description: z.string().max(5000, 'description is at most 5000 characters').check(multiLineText),
  category: z
    .string()
    .trim()
    .min(1)
    .max(60, 'category is at most 60 characters')
    .check(singleLineText)
    .nullable(),
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

/** Query of `GET /v1/streams`. */
export const StreamListQuerySchema = z.strictObject({
  status: z.enum(STREAM_LISTS).default('live'),
  channel: IdSchema.optional(),
  category: z.string().trim().min(1).max(60).check(singleLineText).optional(),
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
