import * as z from 'zod/mini';
import { IdSchema, multiLineText, SafeTextSchema, TimestampSchema } from './common.js';
import { UserSummarySchema } from './user.js';

/** Longest chat message, in Unicode code points. */
export const CHAT_MESSAGE_MAX_CODE_POINTS = 500;

// `/* @__PURE__ */` before a `.check()`: a bundle that never reads the schema
// leaves it out (bundlers keep a method call they cannot tell is pure).

/**
 * Chat text: trimmed, non-empty, at most {@link CHAT_MESSAGE_MAX_CODE_POINTS}
 * code points, no control characters but tabs and line breaks.
 */
export const ChatTextSchema = /* @__PURE__ */ z.string().check(
  z.trim(),
  z.minLength(1, 'message is empty'),
  z.refine((text) => [...text].length <= CHAT_MESSAGE_MAX_CODE_POINTS, {
    message: `message is longer than ${CHAT_MESSAGE_MAX_CODE_POINTS} characters`,
  }),
  multiLineText,
);

/**
 * Badges shown next to an author's name, from the host app's token claims at
 * the time of sending: the channel's owner, its moderators, admins, and
 * subscribers by tier.
 */
export const CHAT_BADGES = [
  'owner',
  'moderator',
  'admin',
  'subscriber-1',
  'subscriber-2',
  'subscriber-3',
] as const;
/** Schema of {@link ChatBadge}. */
export const ChatBadgeSchema = z.enum(CHAT_BADGES);
/** One of {@link CHAT_BADGES}. */
export type ChatBadge = z.infer<typeof ChatBadgeSchema>;

/** A chat message as stored and delivered. */
export const ChatMessageSchema = z.object({
  id: IdSchema,
  streamId: IdSchema,
  author: z.extend(UserSummarySchema, { badges: z.array(ChatBadgeSchema) }),
  text: z.string(),
  createdAt: TimestampSchema,
});

/** A chat message. */
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** Payload of the `chat:send` realtime request. */
export const SendChatInputSchema = z.object({
  streamId: IdSchema,
  text: ChatTextSchema,
  /** Client-chosen id so an optimistic message can be matched to its acknowledgement. */
  clientId: z.optional(/* @__PURE__ */ SafeTextSchema.check(z.maxLength(64))),
});

/** What a client sends to post a chat message. */
export type SendChatInput = z.infer<typeof SendChatInputSchema>;

/** `chat:delete` request: remove a message for everyone (the channel's owner, moderators, admins). */
export const DeleteChatMessageSchema = z.object({ streamId: IdSchema, messageId: IdSchema });

/** `chat:deleted` event. */
export const ChatMessageDeletedSchema = z.object({ streamId: IdSchema, messageId: IdSchema });
/** A message removed by a moderator. */
export type ChatMessageDeleted = z.infer<typeof ChatMessageDeletedSchema>;

/** `chat:pin` request: pin a message (one per stream), or unpin with `null`. */
export const PinChatMessageSchema = z.object({
  streamId: IdSchema,
  messageId: z.nullable(IdSchema),
});

/** `chat:pinned` event: the stream's pinned message, or null. */
export const ChatPinnedSchema = z.object({
  streamId: IdSchema,
  message: z.nullable(ChatMessageSchema),
});
/** The pinned message of a stream. */
export type ChatPinned = z.infer<typeof ChatPinnedSchema>;

/** `chat:history` request: messages older than `before` (a cursor), newest page first. */
export const ChatHistoryRequestSchema = z.object({
  streamId: IdSchema,
  before: z.optional(/* @__PURE__ */ z.string().check(z.maxLength(300))),
  limit: z._default(/* @__PURE__ */ z.number().check(z.int(), z.gte(1), z.lte(100)), 50),
});

/** `chat:history` response: oldest first; `nextCursor` fetches the page before. */
export const ChatHistoryPageSchema = z.object({
  items: z.array(ChatMessageSchema),
  nextCursor: z.nullable(z.string()),
});
/** A page of chat history. */
export type ChatHistoryPage = z.infer<typeof ChatHistoryPageSchema>;
