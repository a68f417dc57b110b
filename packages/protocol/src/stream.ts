import { z } from 'zod';
import { IdSchema, pageSchema, TimestampSchema } from './common.js';
import { UserSummarySchema } from './user.js';

/** Lifecycle states of a stream: `scheduled → live → ended`, `scheduled → cancelled`. */
export const STREAM_STATUSES = ['scheduled', 'live', 'ended', 'cancelled'] as const;
/** Schema of {@link StreamStatus}. */
export const StreamStatusSchema = z.enum(STREAM_STATUSES);
/** One of {@link STREAM_STATUSES}. */
export type StreamStatus = z.infer<typeof StreamStatusSchema>;

/** Who may see a stream. */
export const STREAM_PRIVACIES = ['public', 'unlisted', 'followers', 'private'] as const;
/** Schema of {@link StreamPrivacy}. */
export const StreamPrivacySchema = z.enum(STREAM_PRIVACIES);
/** One of {@link STREAM_PRIVACIES}. */
export type StreamPrivacy = z.infer<typeof StreamPrivacySchema>;

/** The Stream resource. */
export const StreamSchema = z.object({
  id: IdSchema,
  owner: UserSummarySchema,
  title: z.string().min(1).max(140),
  description: z.string().max(5000),
  status: StreamStatusSchema,
  privacy: StreamPrivacySchema,
  scheduledAt: TimestampSchema.nullable(),
  startedAt: TimestampSchema.nullable(),
  endedAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  /** Where viewers play the stream over HLS; null until media is flowing. */
  hlsUrl: z.string().nullable(),
});

/** A live stream, past or future. */
export type Stream = z.infer<typeof StreamSchema>;

/** Body of `POST /v1/streams`. */
export const CreateStreamInputSchema = z.object({
  title: z.string().trim().min(1, 'title is required').max(140, 'title is at most 140 characters'),
  description: z.string().max(5000, 'description is at most 5000 characters').default(''),
  privacy: StreamPrivacySchema.default('public'),
  scheduledAt: TimestampSchema.nullable().default(null),
});

/** Input accepted when creating a stream (defaults filled in). */
export type CreateStreamInput = z.infer<typeof CreateStreamInputSchema>;
/** Input a caller may send when creating a stream (defaults optional). */
export type CreateStreamRequest = z.input<typeof CreateStreamInputSchema>;

/**
 * Response of `POST /v1/streams`: the stream and its stream key. The key is
 * shown only here; the server keeps only an HMAC of it.
 */
export const CreatedStreamSchema = z.object({
  stream: StreamSchema,
  streamKey: z.string(),
});

/** A freshly created stream and its one-time stream key. */
export type CreatedStream = z.infer<typeof CreatedStreamSchema>;

/** A page of streams. */
export const StreamPageSchema = pageSchema(StreamSchema);
/** A page of streams. */
export type StreamPage = z.infer<typeof StreamPageSchema>;

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
