import * as z from 'zod/mini';
import { IdSchema } from './common.js';

/** The public face of a user, as embedded in streams and chat messages. */
export const UserSummarySchema = z.object({
  id: IdSchema,
  displayName: z.string().check(z.minLength(1), z.maxLength(64)),
  /**
   * Picture of the user, from the `picture` claim of their latest host-app
   * token (an http(s) URL); absent when that token has none. Chat messages
   * carry their author's.
   */
  avatarUrl: z.optional(z.string().check(z.maxLength(2048))),
});

/** A user's id, display name and, when the host app gives one, picture. */
export type UserSummary = z.infer<typeof UserSummarySchema>;

/** Response of `POST /v1/dev/token`. */
export const DevTokenResponseSchema = z.object({
  token: z.string(),
  user: UserSummarySchema,
  expiresAt: z.iso.datetime({ offset: true }),
});

/** A development token and the user it names. */
export type DevTokenResponse = z.infer<typeof DevTokenResponseSchema>;

/** Roles a host app may grant in its tokens. Moderation is per channel (`moderates`). */
export const ROLES = ['viewer', 'broadcaster', 'admin'] as const;
/** Schema of {@link Role}. */
export const RoleSchema = z.enum(ROLES);
/** One of {@link ROLES}. */
export type Role = z.infer<typeof RoleSchema>;
