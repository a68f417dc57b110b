import * as z from 'zod/mini';
import { count, IdSchema, multiLineText, singleLineText, TimestampSchema } from './common.js';
import { UserSummarySchema } from './user.js';

// `/* @__PURE__ */` before a `.check()` (or a `new`): a bundle that never reads
// the schema leaves it out (bundlers keep a method call they cannot tell is pure).

/** A position across the video: 0 (left) to 1 (right). A new schema each call; pure, as `count`. */
const fraction = /* @__NO_SIDE_EFFECTS__ */ () => z.number().check(z.gte(0), z.lte(1));

// ---------------------------------------------------------------- reactions

const segmenter = /* @__PURE__ */ new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (text: string): number => {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
};

/**
 * A reaction: one emoji (with modifiers and joiners) or a channel emote
 * `:code:`. The server checks the emote exists.
 */
export const ReactionEmojiSchema = /* @__PURE__ */ z.string().check(
  z.minLength(1),
  z.maxLength(32),
  z.regex(
    /^(?::[A-Za-z0-9_]{2,25}:|(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u200d|\ufe0f|[\u{E0020}-\u{E007F}])+)$/u,
    'must be one emoji or a channel emote (:code:)',
  ),
  z.refine((value) => value.startsWith(':') || graphemes(value) === 1, {
    message: 'must be one emoji or a channel emote (:code:)',
  }),
);

/** `reaction:send` request. `x` is where on the video it was sent, 0 (left) to 1 (right). */
export const SendReactionSchema = z.object({
  streamId: IdSchema,
  emoji: ReactionEmojiSchema,
  x: z.optional(fraction()),
});
/** What a client sends to react. */
export type SendReaction = z.infer<typeof SendReactionSchema>;

/** The reactions of one emoji in one batch window. */
export const ReactionCountSchema = z.object({
  emoji: ReactionEmojiSchema,
  count: /* @__PURE__ */ z.number().check(z.int(), z.positive()),
  /** Up to 8 sample positions (0–1) of the window's reactions, for the overlay. */
  positions: /* @__PURE__ */ z.array(fraction()).check(z.maxLength(8)),
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
  total: count(),
  byEmoji: z.record(z.string(), count()),
  perMinute: z.array(z.object({ at: TimestampSchema, count: count() })),
});
/** Reaction analytics of a stream. */
export type ReactionStats = z.infer<typeof ReactionStatsSchema>;

// ---------------------------------------------------------------------- Q&A

/** Longest question, in code points. */
export const QUESTION_MAX_CODE_POINTS = 300;

/** Longest written answer to a question, in code points. */
export const ANSWER_MAX_CODE_POINTS = 1000;

/** How a question was answered: the written answer (empty when answered aloud), by whom, when. */
export const QuestionAnswerSchema = z.object({
  text: z.string(),
  by: UserSummarySchema,
  at: TimestampSchema,
});
/** A question's answer. */
export type QuestionAnswer = z.infer<typeof QuestionAnswerSchema>;

/** A question of a stream's Q&A. */
export const QuestionSchema = z.object({
  id: IdSchema,
  streamId: IdSchema,
  author: UserSummarySchema,
  text: z.string(),
  upvotes: count(),
  answered: z.boolean(),
  /** The answer of an answered question; null otherwise. */
  answer: z.optional(z.nullable(QuestionAnswerSchema)),
  /** Being answered now, on air (at most one question of a stream at a time). */
  answering: z.optional(z.boolean()),
  /** Hidden by a moderator: clients drop it. */
  hidden: z.boolean(),
  createdAt: TimestampSchema,
});
/** A question. */
export type Question = z.infer<typeof QuestionSchema>;

/** `qna:ask` request. */
export const AskQuestionSchema = z.object({
  streamId: IdSchema,
  text: /* @__PURE__ */ z.string().check(
    z.trim(),
    z.minLength(1, 'question is empty'),
    z.refine((t) => [...t].length <= QUESTION_MAX_CODE_POINTS, {
      message: `question is longer than ${QUESTION_MAX_CODE_POINTS} characters`,
    }),
    multiLineText,
  ),
});

/** `qna:upvote`, `qna:hide` requests. */
export const QuestionRefSchema = z.object({ streamId: IdSchema, questionId: IdSchema });

/**
 * `qna:answer` request: mark answered, with an optional written answer (or
 * not answered, which drops the answer). Answering a question ends its
 * "answering now".
 */
export const AnswerQuestionSchema = z.extend(QuestionRefSchema, {
  answered: z.boolean(),
  text: z.optional(
    /* @__PURE__ */ z.string().check(
      z.trim(),
      z.refine((t) => [...t].length <= ANSWER_MAX_CODE_POINTS, {
        message: `answer is longer than ${ANSWER_MAX_CODE_POINTS} characters`,
      }),
      multiLineText,
    ),
  ),
});

/**
 * `qna:answering` request: the question the stream is answering now, shown
 * to every viewer (over the player too); null: none. Moving it to another
 * question ends the previous one's.
 */
export const AnsweringQuestionSchema = z.object({
  streamId: IdSchema,
  questionId: z.nullable(IdSchema),
});

/** How a question list is sorted. */
export const QuestionSortSchema = z.enum(['votes', 'recent']);
/** `votes` (most upvoted first) or `recent` (newest first). */
export type QuestionSort = z.infer<typeof QuestionSortSchema>;

/** `qna:list` request. */
export const ListQuestionsSchema = z.object({
  streamId: IdSchema,
  sort: z._default(QuestionSortSchema, 'votes'),
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
  options: z.array(z.object({ text: z.string(), votes: count() })),
  totalVotes: count(),
  closed: z.boolean(),
  createdAt: TimestampSchema,
});
/** A poll. */
export type Poll = z.infer<typeof PollSchema>;

const PollTextSchema = /* @__PURE__ */ z
  .string()
  .check(z.trim(), z.minLength(1), z.maxLength(200), singleLineText);

/** `poll:create` request (owner and moderators): 2 to 10 distinct options. */
export const CreatePollSchema = z.object({
  streamId: IdSchema,
  question: PollTextSchema,
  options: /* @__PURE__ */ z
    .array(
      /* @__PURE__ */ z.string().check(z.trim(), z.minLength(1), z.maxLength(80), singleLineText),
    )
    .check(
      z.minLength(2, 'a poll needs at least 2 options'),
      z.maxLength(10, 'a poll has at most 10 options'),
      z.refine((o) => new Set(o.map((x) => x.toLowerCase())).size === o.length, {
        message: 'options must differ',
      }),
    ),
});

/** `poll:vote` request: the index of the chosen option. */
export const VotePollSchema = z.object({
  streamId: IdSchema,
  pollId: IdSchema,
  option: /* @__PURE__ */ z.number().check(z.int(), z.gte(0), z.lte(9)),
});

/** `poll:close` request. */
export const PollRefSchema = z.object({ streamId: IdSchema, pollId: IdSchema });

/** `poll:list` response: the stream's polls, newest first, and the caller's votes. */
export const PollListSchema = z.object({
  items: z.array(PollSchema),
  /** Option index the caller chose, per poll id. */
  myVotes: z.record(z.string(), /* @__PURE__ */ z.number().check(z.int())),
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
  count: count(),
  /** Signed-in users, once each however many tabs they watch in. */
  signedIn: count(),
  /** Anonymous connections, each counted (a server caps them per client address). */
  anonymous: count(),
  /** Highest `count` seen since the stream's room opened. */
  peak: count(),
});
/** A viewer count update. */
export type ViewerCount = z.infer<typeof ViewerCountSchema>;

/** Signed-in viewers, once each, with when they started watching (their earliest connection in the room). */
const ViewersSchema = z.array(z.extend(UserSummarySchema, { since: z.optional(TimestampSchema) }));

/** `presence:list` response (owner and moderators): signed-in viewers (not the owner) and the anonymous count. */
export const ViewerListSchema = z.object({
  /** Signed-in viewers, once each, with when they started watching (their earliest connection in the room). */
  viewers: ViewersSchema,
  anonymous: count(),
});
/** The viewer list. */
export type ViewerList = z.infer<typeof ViewerListSchema>;

/**
 * `presence:changed` event (owner and moderators, at most every 250 ms): the
 * signed-in viewers who started watching (their first connection joined) and
 * the ids of those who stopped (their last connection left) since the last one.
 */
export const PresenceChangeSchema = z.object({
  streamId: IdSchema,
  joined: ViewersSchema,
  left: z.array(IdSchema),
});
/** Viewers who joined or left. */
export type PresenceChange = z.infer<typeof PresenceChangeSchema>;

// --------------------------------------------------------------- moderation

/** `moderation:command` request: a chat command such as `/slow 30` or `/ban name`. */
export const ModerationCommandSchema = z.object({
  streamId: IdSchema,
  command: /* @__PURE__ */ z
    .string()
    .check(z.trim(), z.startsWith('/'), z.maxLength(200), singleLineText),
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
  seconds: /* @__PURE__ */ z.number().check(z.int(), z.gte(1), z.lte(MAX_TIMEOUT_SECONDS)),
});

/** `moderation:ban` and `moderation:unban` requests. */
export const BanUserSchema = z.object({
  streamId: IdSchema,
  userId: IdSchema,
  reason: z.optional(/* @__PURE__ */ z.string().check(z.maxLength(200), singleLineText)),
});

/** `chat:userCleared` event: every message of `userId` was removed (ban, timeout, `/clear`). */
export const ChatUserClearedSchema = z.object({
  streamId: IdSchema,
  /** `null`: the whole chat was cleared. */
  userId: z.nullable(IdSchema),
});
/** Messages removed in bulk. */
export type ChatUserCleared = z.infer<typeof ChatUserClearedSchema>;

/** `moderation:restricted` event, sent to the user concerned: banned or timed out in a stream. */
export const RestrictedSchema = z.object({
  streamId: IdSchema,
  kind: z.enum(['ban', 'timeout']),
  /** End of a timeout; null for a ban. */
  until: z.nullable(TimestampSchema),
});
/** A restriction on the current user. */
export type Restricted = z.infer<typeof RestrictedSchema>;

// -------------------------------------------------------------- batch delivery

/**
 * `batch` event: room events of one window (100–250 ms), in order. Each entry
 * is `[eventName, payload]`; clients validate each payload with its schema
 * from `SERVER_EVENTS`.
 */
export const EventBatchSchema = /* @__PURE__ */ z
  .array(z.tuple([z.string(), z.unknown()]))
  .check(z.maxLength(10_000));
