/**
 * Replay with chat: a recording plays back with the chat, questions and
 * reactions of its stream at the moment they happened, and with chapters
 * from the markers its owner or moderators set while it was live. Times are
 * offsets in the recording (seconds from its first frame), the player's
 * `currentTime`: the server maps wall-clock times onto the recording,
 * leaving out what happened while nothing was recorded.
 * @packageDocumentation
 */
import * as z from 'zod/mini';
import { ChatMessageSchema } from './chat.js';
import { IdSchema, singleLineText, TimestampSchema } from './common.js';
import { QuestionSchema } from './interaction.js';
import { UserSummarySchema } from './user.js';

/** Longest window of one `GET /v1/streams/:id/replay`, seconds. */
export const MAX_REPLAY_WINDOW_SECONDS = 300;

/** Where in the recording something happened, seconds. */
const OffsetSchema = z.number().check(z.nonnegative());

/** A chapter: a marker set while live, placed in the recording. */
export const ChapterSchema = z.object({
  id: IdSchema,
  title: z.string(),
  /** Where it starts in the recording; null when it was set while nothing was recorded. */
  offsetSeconds: z.nullable(OffsetSchema),
  createdBy: UserSummarySchema,
  /** When it was set (wall clock). */
  at: TimestampSchema,
});
/** A chapter of a recording. */
export type Chapter = z.infer<typeof ChapterSchema>;

/** `GET /v1/streams/:id/chapters`: in the recording's order. */
export const ChapterListSchema = z.object({ items: z.array(ChapterSchema) });
/** A stream's chapters. */
export type ChapterList = z.infer<typeof ChapterListSchema>;

// `/* @__PURE__ */` before a `.check()`: a bundle that never reads the schema
// leaves it out (bundlers keep a method call they cannot tell is pure).

/** Body of `POST /v1/streams/:id/markers`: a chapter title, set at the live moment. */
export const CreateMarkerInputSchema = z.strictObject({
  title: /* @__PURE__ */ z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'title is required'),
      z.maxLength(100, 'title is at most 100 characters'),
      singleLineText,
    ),
});
/** A marker to set. */
export type CreateMarkerInput = z.infer<typeof CreateMarkerInputSchema>;

/** A chat message of a replay, where it was sent in the recording. */
export const ReplayMessageSchema = z.extend(ChatMessageSchema, { offsetSeconds: OffsetSchema });
/** A chat message of a replay. */
export type ReplayMessage = z.infer<typeof ReplayMessageSchema>;

/**
 * A question of a replay, where it was asked; `answerOffsetSeconds` is where
 * it was answered (null when it was not, or not while recording).
 */
export const ReplayQuestionSchema = z.extend(QuestionSchema, {
  offsetSeconds: OffsetSchema,
  answerOffsetSeconds: z.nullable(OffsetSchema),
});
/** A question of a replay. */
export type ReplayQuestion = z.infer<typeof ReplayQuestionSchema>;

/** Reactions of one emoji in one minute of the stream, from where that minute starts in the recording. */
export const ReplayReactionSchema = z.object({
  emoji: z.string(),
  count: z.number().check(z.int(), z.positive()),
  offsetSeconds: OffsetSchema,
  /** How much of the recording the count spreads over (the minute, cut at gaps), seconds. */
  spanSeconds: z.number().check(z.positive()),
});
/** Reactions of a replay. */
export type ReplayReaction = z.infer<typeof ReplayReactionSchema>;

/**
 * `GET /v1/streams/:id/replay?from=&to=`: what happened in `[from, to)` of
 * the recording, each list in the recording's order. Messages a moderator
 * deleted and hidden questions are left out.
 */
export const ReplayWindowSchema = z.object({
  streamId: IdSchema,
  from: OffsetSchema,
  to: OffsetSchema,
  messages: z.array(ReplayMessageSchema),
  questions: z.array(ReplayQuestionSchema),
  reactions: z.array(ReplayReactionSchema),
  /** More messages happened in the window than were sent (the first 500 were): ask for a shorter one. */
  truncated: z.boolean(),
});
/** One window of a replay. */
export type ReplayWindow = z.infer<typeof ReplayWindowSchema>;

/** Query of `GET /v1/streams/:id/replay`. */
export const ReplayQuerySchema = /* @__PURE__ */ z
  .strictObject({
    from: /* @__PURE__ */ z.coerce.number().check(z.nonnegative()),
    to: /* @__PURE__ */ z.coerce.number().check(z.positive()),
  })
  .check(
    z.refine((q) => q.to > q.from && q.to - q.from <= MAX_REPLAY_WINDOW_SECONDS, {
      message: `to must be after from, by at most ${MAX_REPLAY_WINDOW_SECONDS} s`,
    }),
  );
