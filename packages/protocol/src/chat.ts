import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import { UserSummarySchema } from './user.js';

/** Longest chat message, in Unicode code points. */
export const CHAT_MESSAGE_MAX_CODE_POINTS = 500;

/** Chat text: trimmed, non-empty, at most {@link CHAT_MESSAGE_MAX_CODE_POINTS} code points. */
export const ChatTextSchema = z
  .string()
  .trim()
  .min(1, 'message is empty')
  .refine((text) => [...text].length <= CHAT_MESSAGE_MAX_CODE_POINTS, {
    message: `message is longer than ${CHAT_MESSAGE_MAX_CODE_POINTS} characters`,
  });

/** A chat message as stored and delivered. */
export const ChatMessageSchema = z.object({
  id: IdSchema,
  streamId: IdSchema,
  author: UserSummarySchema,
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
  clientId: z.string().max(64).optional(),
});

/** What a client sends to post a chat message. */
export type SendChatInput = z.infer<typeof SendChatInputSchema>;
