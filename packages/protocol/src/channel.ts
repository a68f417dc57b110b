import * as z from 'zod/mini';
import { IdSchema, pageSchema, singleLineText } from './common.js';

/** A channel's custom emote: `:code:` in chat shows `url`. */
export const EmoteSchema = z.strictObject({
  code: z
    .string()
    .check(z.regex(/^[A-Za-z0-9_]{2,25}$/, 'emote codes are 2–25 letters, digits or _')),
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .check(z.maxLength(2048), singleLineText),
});
/** A custom emote. */
export type Emote = z.infer<typeof EmoteSchema>;

/** A broadcaster's channel: one per user, its id is the user's id. */
export const ChannelSchema = z.object({
  id: IdSchema,
  displayName: z.string().check(z.minLength(1), z.maxLength(64)),
  avatarUrl: z.nullable(z.string()),
  bannerUrl: z.nullable(z.string()),
  description: z.string().check(z.maxLength(2000)),
  emotes: z.array(EmoteSchema),
  followerCount: z.number().check(z.int(), z.nonnegative()),
  /** Whether the caller follows it; null for anonymous callers. */
  following: z.nullable(z.boolean()),
});
/** A channel. */
export type Channel = z.infer<typeof ChannelSchema>;

/** Response of follow and unfollow. */
export const FollowStateSchema = z.object({
  channelId: IdSchema,
  following: z.boolean(),
  followerCount: z.number().check(z.int(), z.nonnegative()),
});
/** Whether the caller follows a channel, and its follower count. */
export type FollowState = z.infer<typeof FollowStateSchema>;

/** A page of channels. */
export const ChannelPageSchema = pageSchema(ChannelSchema);
