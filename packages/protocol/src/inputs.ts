/**
 * What the server parses from callers and never sends back: REST bodies and
 * queries, and the claims of the host app's tokens. They live apart from the
 * resources so that client bundles, which send these but parse none of them,
 * leave this module out (the package has no side effects).
 * @packageDocumentation
 */
import * as z from 'zod/mini';
import { EmoteSchema } from './channel.js';
import {
  IdSchema,
  multiLineText,
  singleLineText,
  stripBidiControls,
  TimestampSchema,
} from './common.js';
import { NotifyLevelSchema } from './notification.js';
import {
  ChatSettingsSchema,
  QualityPresetSchema,
  STREAM_LISTS,
  StreamPrivacySchema,
  SubscriberTierSchema,
} from './stream.js';
import { RoleSchema } from './user.js';

// ----------------------------------------------------------------- pagination

/** Query parameters shared by every paginated list. */
export const PageQuerySchema = z.object({
  cursor: z.optional(z.string().check(z.maxLength(200))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
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
  .check(
    z.overwrite(stripBidiControls),
    z.trim(),
    z.minLength(1, 'display name is required'),
    z.maxLength(64, 'display name is at most 64 characters'),
    singleLineText,
  );

/** Body of `POST /v1/dev/token` (development mode only). */
export const DevTokenRequestSchema = z.object({
  /** Bidirectional controls are stripped; control characters are refused ({@link DisplayNameSchema}). */
  displayName: DisplayNameSchema,
});

/** Input of the development token issuer. */
export type DevTokenRequest = z.infer<typeof DevTokenRequestSchema>;

/** An absolute http(s) URL of at most 2,048 characters. */
const HttpUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .check(z.maxLength(2048, 'URL is too long'));

/**
 * A user's picture as OnAir keeps and sends it: an http(s) URL without a user
 * name or password, in its normal form (`new URL(url).href`: a quote, a space
 * or an angle bracket percent-encoded), of at most 2,048 characters.
 */
export const PictureUrlSchema = z.pipe(
  HttpUrlSchema.check(
    // Runs after a failed URL check too: a string that is no URL is left to that one.
    z.refine((url) => !/^[a-z]+:\/\/[^/?#]*@/i.test(url), 'must not hold a user name or password'),
  ),
  z.pipe(
    z.transform((url: string) => new URL(url).href),
    z.string().check(z.maxLength(2048, 'URL is too long')),
  ),
);

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
  name: z.optional(
    z
      .string()
      .check(z.overwrite(stripBidiControls), z.minLength(1), z.maxLength(64), singleLineText),
  ),
  /** Global roles. Default `['viewer']`. */
  roles: z.optional(z.array(RoleSchema).check(z.maxLength(10))),
  /** Channel ids (user ids) this user moderates. */
  moderates: z.optional(z.array(IdSchema).check(z.maxLength(1000))),
  /** Subscription tier per channel id (the host app handles payment). */
  subscriptions: z.optional(z.record(IdSchema, SubscriberTierSchema)),
  /**
   * The user's picture (OpenID Connect's standard claim), kept as
   * {@link PictureUrlSchema} makes it. A value it refuses is ignored (no
   * picture), as an unknown claim is: tokens made for other services pass.
   */
  picture: z.optional(z.catch(z.optional(PictureUrlSchema), undefined)),
});
/** The host app's token claims. */
export type TokenClaims = z.infer<typeof TokenClaimsSchema>;

// ------------------------------------------------------------------- channels

const OptionalUrl = z.nullable(HttpUrlSchema);

/** Body of `PATCH /v1/channels/me`; unknown fields are refused. */
export const UpdateChannelInputSchema = z
  .partial(
    z.strictObject({
      /** Bidirectional controls are stripped ({@link DisplayNameSchema}). */
      displayName: DisplayNameSchema,
      avatarUrl: OptionalUrl,
      bannerUrl: OptionalUrl,
      description: z.string().check(z.maxLength(2000), multiLineText),
      emotes: z.array(EmoteSchema).check(
        z.maxLength(50, 'at most 50 emotes'),
        z.refine(
          (list) => new Set(list.map((e) => e.code)).size === list.length,
          'emote codes must be unique',
        ),
      ),
    }),
  )
  .check(z.refine((input) => Object.keys(input).length > 0, 'nothing to update'));
/** A partial channel update. */
export type UpdateChannelInput = z.infer<typeof UpdateChannelInputSchema>;

// -------------------------------------------------------------------- streams

const TagSchema = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, 'tags cannot be empty'),
    z.maxLength(25, 'a tag is at most 25 characters'),
    z.regex(/^[\p{L}\p{N} _-]+$/u, 'tags may hold letters, digits, spaces, _ and -'),
  );

/** The host app's id of what a stream belongs to: 1–128 characters on one line. */
const ExternalIdSchema = z.string().check(z.minLength(1), z.maxLength(128), singleLineText);

/** Most bytes a stream's `metadata` takes as JSON (UTF-8). */
export const METADATA_MAX_BYTES = 4096;

/** U+0000 or an unpaired surrogate: text a JSON escape can carry but PostgreSQL's `jsonb` refuses. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding it is the point
const UNSTORABLE_IN_JSONB = /\u0000|\p{Surrogate}/u;

/**
 * Whether a JSON value holds, in a key or a string at any depth, text that
 * PostgreSQL's `jsonb` refuses ({@link UNSTORABLE_IN_JSONB}). A loop, not
 * recursion: how deep a value nests is bounded before it gets here.
 */
function holdsUnstorableText(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (UNSTORABLE_IN_JSONB.test(next)) return true;
    } else if (Array.isArray(next)) {
      pending.push(...next);
    } else if (next !== null && typeof next === 'object') {
      for (const [key, item] of Object.entries(next)) {
        if (UNSTORABLE_IN_JSONB.test(key)) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/** Fields an owner (and, for some, a moderator) may set. Shared by create and update. */
const editableFields = {
  title: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'title is required'),
      z.maxLength(140, 'title is at most 140 characters'),
      singleLineText,
    ),
  description: z
    .string()
    .check(z.maxLength(5000, 'description is at most 5000 characters'), multiLineText),
  category: z.nullable(
    z
      .string()
      .check(
        z.trim(),
        z.minLength(1),
        z.maxLength(60, 'category is at most 60 characters'),
        singleLineText,
      ),
  ),
  tags: z.array(TagSchema).check(z.maxLength(10, 'at most 10 tags')),
  thumbnailUrl: z.nullable(HttpUrlSchema),
  privacy: StreamPrivacySchema,
  minTier: SubscriberTierSchema,
  qualityPreset: QualityPresetSchema,
  recording: z.boolean(),
  viewerLimit: z.nullable(z.number().check(z.int(), z.gte(1), z.lte(1_000_000))),
  chat: z.partial(z.strictObject(ChatSettingsSchema.shape)),
  reactionsEnabled: z.boolean(),
  qnaEnabled: z.boolean(),
  scheduledAt: z.nullable(TimestampSchema),
  externalId: z.nullable(ExternalIdSchema),
  metadata: z.record(z.string().check(z.maxLength(64)), z.json()).check(
    z.refine(
      (value) => !holdsUnstorableText(value),
      'metadata must not hold U+0000 or an unpaired surrogate',
    ),
    z.refine(
      (value) => new TextEncoder().encode(JSON.stringify(value)).length <= METADATA_MAX_BYTES,
      `metadata is at most ${METADATA_MAX_BYTES} bytes of JSON`,
    ),
  ),
};

/**
 * Body of `POST /v1/streams`. Unknown fields are refused, so a client cannot
 * set protected properties (status, owner). `reactionsEnabled` and `qnaEnabled`
 * stay `undefined` when omitted: the server fills in its configured defaults.
 */
export const CreateStreamInputSchema = z.strictObject({
  ...editableFields,
  description: z._default(editableFields.description, ''),
  category: z._default(editableFields.category, null),
  tags: z._default(editableFields.tags, []),
  thumbnailUrl: z._default(editableFields.thumbnailUrl, null),
  privacy: z._default(editableFields.privacy, 'public'),
  minTier: z._default(editableFields.minTier, 1),
  qualityPreset: z._default(editableFields.qualityPreset, '720p'),
  recording: z._default(editableFields.recording, false),
  viewerLimit: z._default(editableFields.viewerLimit, null),
  chat: z._default(editableFields.chat, {}),
  reactionsEnabled: z.optional(editableFields.reactionsEnabled),
  qnaEnabled: z.optional(editableFields.qnaEnabled),
  scheduledAt: z._default(editableFields.scheduledAt, null),
  externalId: z._default(editableFields.externalId, null),
  metadata: z._default(editableFields.metadata, {}),
});

/** Input accepted when creating a stream (defaults filled in). */
export type CreateStreamInput = z.infer<typeof CreateStreamInputSchema>;
/** Input a caller may send when creating a stream (defaults optional). */
export type CreateStreamRequest = z.input<typeof CreateStreamInputSchema>;

/** Body of `PATCH /v1/streams/:id`: one or more editable fields; unknown fields are refused. */
export const UpdateStreamInputSchema = z
  .partial(z.strictObject(editableFields))
  .check(z.refine((input) => Object.keys(input).length > 0, 'nothing to update'));
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
  status: z._default(z.enum(STREAM_LISTS), 'live'),
  channel: z.optional(IdSchema),
  category: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(60), singleLineText)),
  /** The streams of one of the host app's things (`Stream.externalId`). */
  externalId: z.optional(ExternalIdSchema),
  /**
   * Words to find in the title, description, category, tags or channel name
   * (each word, or a word it begins: `alg` finds "Algebra"), at most 100 characters.
   */
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100), singleLineText)),
  /** Streams with this tag. */
  tag: z.optional(TagSchema),
  /** `true`: only the channels the caller follows (signed in). */
  following: z.optional(
    z.pipe(
      z.enum(['true', 'false']),
      z.transform((v) => v === 'true'),
    ),
  ),
  /** Past streams only: keep those with a recording. */
  recorded: z.optional(
    z.pipe(
      z.enum(['true', 'false']),
      z.transform((v) => v === 'true'),
    ),
  ),
  /**
   * `recent` (the default: newest first, scheduled soonest first) or, for
   * live streams only, `viewers`: most watched now first.
   */
  sort: z.optional(z.enum(['recent', 'viewers'])),
  cursor: z.optional(z.string().check(z.maxLength(300))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
});
/** Parsed list query. */
export type StreamListQuery = z.infer<typeof StreamListQuerySchema>;
/** List query a caller may send. */
export type StreamListRequest = z.input<typeof StreamListQuerySchema>;

/** Body of `POST /v1/me/notifications/read`: these (at most 100), or every one without `ids`. */
export const MarkNotificationsReadInputSchema = z.strictObject({
  ids: z.optional(z.array(IdSchema).check(z.minLength(1), z.maxLength(100))),
});
/** Which notifications to mark read. */
export type MarkNotificationsReadInput = z.infer<typeof MarkNotificationsReadInputSchema>;

/** Most streams `GET /v1/me/reminders` answers for at once. */
export const MAX_REMINDERS_ASKED = 100;

/** Query of `GET /v1/me/reminders`: `streams`, 1–100 stream ids joined by commas. */
export const RemindersQuerySchema = z.object({
  streams: z.pipe(
    z.string().check(z.maxLength(MAX_REMINDERS_ASKED * 65)),
    z.pipe(
      z.transform((list: string) => list.split(',')),
      z.array(IdSchema).check(z.minLength(1), z.maxLength(MAX_REMINDERS_ASKED)),
    ),
  ),
});
/** Parsed query of `GET /v1/me/reminders`. */
export type RemindersQuery = z.infer<typeof RemindersQuerySchema>;

/** Body of `PUT /v1/channels/:id/notifications`. */
export const ChannelNotifyInputSchema = z.strictObject({ level: NotifyLevelSchema });
/** A follower's new notification level. */
export type ChannelNotifyInput = z.infer<typeof ChannelNotifyInputSchema>;

/** A base64url string of `min`–`max` characters (a Web Push key). */
const base64url = (min: number, max: number) =>
  z.string().check(z.minLength(min), z.maxLength(max), z.regex(/^[A-Za-z0-9_-]+={0,2}$/));

/**
 * Body of `PUT /v1/me/push-subscriptions`: a browser's `PushSubscription`
 * as its `toJSON()` gives it (the push service's endpoint and the keys the
 * payload is encrypted to).
 */
export const PushSubscriptionInputSchema = z.strictObject({
  endpoint: z.string().check(z.minLength(8), z.maxLength(2048), singleLineText),
  expirationTime: z.optional(z.nullable(z.number())),
  keys: z.strictObject({
    /** The subscription's P-256 public key: 65 bytes, uncompressed. */
    p256dh: base64url(86, 90),
    /** Its authentication secret: 16 bytes. */
    auth: base64url(22, 24),
  }),
});
/** A push subscription to store. */
export type PushSubscriptionInput = z.infer<typeof PushSubscriptionInputSchema>;

/** Body of `DELETE /v1/me/push-subscriptions`: the endpoint to forget. */
export const PushUnsubscribeInputSchema = z.strictObject({
  endpoint: PushSubscriptionInputSchema.shape.endpoint,
});
