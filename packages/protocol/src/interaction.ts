import * as z from 'zod';
import { IdSchema, multiLineText, singleLineText, TimestampSchema } from './common.js';
import { UserSummarySchema } from './user.js';

// ---------------------------------------------------------------- reactions

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (text: string): number => {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
};

/**
 * A reaction: one emoji (with modifiers and joiners) or a channel emote
 * `:code:`. The server checks the emote exists.
 */
export const ReactionEmojiSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(
    /^(?::[A-Za-z0-9_]{2,25}:|(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u200d|\ufe0f|[\u{E0020}-\u{E007F}])+)$/u,
    'must be one emoji or a channel emote (:code:)',
  )
  .refine((value) => value.startsWith(':') || graphemes(value) === 1, {
    message: 'must be one emoji or a channel emote (:code:)',
  });

/** `reaction:send` request. `x` is where on the video it was sent, 0 (left) to 1 (right). */
export const SendReactionSchema = z.object({
  streamId: IdSchema,
  emoji: ReactionEmojiSchema,
  x: z.number().min(0).max(1).optional(),
});
/** What a client sends to react. */
export type SendReaction = z.infer<typeof SendReactionSchema>;

/** The reactions of one emoji in one batch window. */
export const ReactionCountSchema = z.object({
  emoji: ReactionEmojiSchema,
  count: z.number().int().positive(),
  /** Up to 8 sample positions (0–1) of the window's reactions, for the overlay. */
  positions: z.array(z.number().min(0).max(1)).max(8),
});
/** Reactions of one emoji in a window. */
export type ReactionCount = z.infer<typeof ReactionCountSchema>;

/** `reactions` event: reactions of a room aggregated over one batch window. */
export const ReactionBurstSchema = z.object({
  streamId: IdSchema,
  reactions: z.array(ReactionCountSchema),
});
/** Aggregated reactions. */
export type ReactionBurst = z.infer<typeof ReactionBurstSchema>;

/** Reaction totals per minute, for analytics (`reaction:stats`, owner and moderators). */
export const ReactionStatsSchema = z.object({
  streamId: IdSchema,
  total: z.number().int().nonnegative(),
  byEmoji: z.record(z.string(), z.number().int().nonnegative()),
  perMinute: z.array(z.object({ at: TimestampSchema, count: z.number().int().nonnegative() })),
});
/** Reaction analytics of a stream. */
export type ReactionStats = z.infer<typeof ReactionStatsSchema>;

// ---------------------------------------------------------------------- Q&A

/** Longest question, in code points. */
export const QUESTION_MAX_CODE_POINTS = 300;

/** A question of a stream's Q&A. */
export const QuestionSchema = z.object({
  id: IdSchema,
  streamId: IdSchema,
  author: UserSummarySchema,
  text: z.string(),
  upvotes: z.number().int().nonnegative(),
  answered: z.boolean(),
  /** Hidden by a moderator: clients drop it. */
  hidden: z.boolean(),
  createdAt: TimestampSchema,
});
/** A question. */
export type Question = z.infer<typeof QuestionSchema>;

/** `qna:ask` request. */
export const AskQuestionSchema = z.object({
  streamId: IdSchema,
  text: z
    .string()
    .trim()
    .min(1, 'question is empty')
    .refine((t) => [...t].length <= QUESTION_MAX_CODE_POINTS, {
      message: `question is longer than ${QUESTION_MAX_CODE_POINTS} characters`,
    })
    .check(multiLineText),
});

/** `qna:upvote`, `qna:hide` requests. */
export const QuestionRefSchema = z.object({ streamId: IdSchema, questionId: IdSchema });

/** `qna:answer` request: mark answered (or not). */
export const AnswerQuestionSchema = QuestionRefSchema.extend({ answered: z.boolean() });

/** How a question list is sorted. */
export const QuestionSortSchema = z.enum(['votes', 'recent']);
/** `votes` (most upvoted first) or `recent` (newest first). */
export type QuestionSort = z.infer<typeof QuestionSortSchema>;

/** `qna:list` request. */
export const ListQuestionsSchema = z.object({
  streamId: IdSchema,
  sort: QuestionSortSchema.default('votes'),
});

/** `qna:list` response: visible questions and which of them the caller upvoted. */
export const QuestionListSchema = z.object({
  items: z.array(QuestionSchema),
  myUpvotes: z.array(IdSchema),
});
/** A list of questions. */
export type QuestionList = z.infer<typeof QuestionListSchema>;

// -------------------------------------------------------------------- polls

/** A poll with its live results. */
export const PollSchema = z.object({
  id: IdSchema,
  streamId: IdSchema,
  question: z.string(),
  options: z.array(z.object({ text: z.string(), votes: z.number().int().nonnegative() })),
  totalVotes: z.number().int().nonnegative(),
  closed: z.boolean(),
  createdAt: TimestampSchema,
});
/** A poll. */
export type Poll = z.infer<typeof PollSchema>;

const PollTextSchema = z.string().trim().min(1).max(200).check(singleLineText);

/** `poll:create` request (owner and moderators): 2 to 10 distinct options. */
export const CreatePollSchema = z.object({
  streamId: IdSchema,
  question: PollTextSchema,
  options: z
    .array(z.string().trim().min(1).max(80).check(singleLineText))
    .min(2, 'a poll needs at least 2 options')
    .max(10, 'a poll has at most 10 options')
    .refine((o) => new Set(o.map((x) => x.toLowerCase())).size === o.length, {
      message: 'options must differ',
    }),
});

/** `poll:vote` request: the index of the chosen option. */
export const VotePollSchema = z.object({
  streamId: IdSchema,
  pollId: IdSchema,
  option: z.number().int().min(0).max(9),
});

/** `poll:close` request. */
export const PollRefSchema = z.object({ streamId: IdSchema, pollId: IdSchema });

/** `poll:list` response: the stream's polls, newest first, and the caller's votes. */
export const PollListSchema = z.object({
  items: z.array(PollSchema),
  /** Option index the caller chose, per poll id. */
  myVotes: z.record(z.string(), z.number().int()),
});
/** Polls of a stream. */
export type PollList = z.infer<typeof PollListSchema>;

// ----------------------------------------------------------------- presence

/**
 * `viewers:count` event: who is watching now, and the peak. The broadcaster
 * (the stream's owner) is never counted as a viewer.
 */
export const ViewerCountSchema = z.object({
  streamId: IdSchema,
  /** Everyone watching: `signedIn` plus `anonymous`. */
  count: z.number().int().nonnegative(),
  /** Signed-in users, once each however many tabs they watch in. */
  signedIn: z.number().int().nonnegative(),
  /** Anonymous connections, each counted (a server caps them per client address). */
  anonymous: z.number().int().nonnegative(),
  /** Highest `count` seen since the stream's room opened. */
  peak: z.number().int().nonnegative(),
});
/** A viewer count update. */
export type ViewerCount = z.infer<typeof ViewerCountSchema>;

/** `presence:list` response (owner and moderators): signed-in viewers (not the owner) and the anonymous count. */
export const ViewerListSchema = z.object({
  viewers: z.array(UserSummarySchema),
  anonymous: z.number().int().nonnegative(),
});
/** The viewer list. */
export type ViewerList = z.infer<typeof ViewerListSchema>;

// --------------------------------------------------------------- moderation

/** `moderation:command` request: a chat command such as `/slow 30` or `/ban name`. */
export const ModerationCommandSchema = z.object({
  streamId: IdSchema,
  command: z.string().trim().startsWith('/').max(200).check(singleLineText),
});

/** `moderation:command` response: a line to show the moderator. */
export const ModerationResultSchema = z.object({ notice: z.string() });
/** What a command did. */
export type ModerationResult = z.infer<typeof ModerationResultSchema>;

/** Longest timeout: two weeks. */
export const MAX_TIMEOUT_SECONDS = 14 * 24 * 3600;

/** `moderation:timeout` request. */
export const TimeoutUserSchema = z.object({
  streamId: IdSchema,
  userId: IdSchema,
  seconds: z.number().int().min(1).max(MAX_TIMEOUT_SECONDS),
});

/** `moderation:ban` and `moderation:unban` requests. */
export const BanUserSchema = z.object({
  streamId: IdSchema,
  userId: IdSchema,
  reason: z.string().max(200).check(singleLineText).optional(),
});

/** `chat:userCleared` event: every message of `userId` was removed (ban, timeout, `/clear`). */
export const ChatUserClearedSchema = z.object({
  streamId: IdSchema,
  /** `null`: the whole chat was cleared. */
  userId: IdSchema.nullable(),
});
/** Messages removed in bulk. */
export type ChatUserCleared = z.infer<typeof ChatUserClearedSchema>;

/** `moderation:restricted` event, sent to the user concerned: banned or timed out in a stream. */
export const RestrictedSchema = z.object({
  streamId: IdSchema,
  kind: z.enum(['ban', 'timeout']),
  /** End of a timeout; null for a ban. */
  until: TimestampSchema.nullable(),
});
/** A restriction on the current user. */
export type Restricted = z.infer<typeof RestrictedSchema>;

// -------------------------------------------------------------- batch delivery

/**
 * `batch` event: room events of one window (100–250 ms), in order. Each entry
 * is `[eventName, payload]`; clients validate each payload with its schema
 * from `SERVER_EVENTS`.
 */
export const EventBatchSchema = z.array(z.tuple([z.string(), z.unknown()])).max(10_000);
