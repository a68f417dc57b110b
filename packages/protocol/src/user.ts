import * as z from 'zod';
import { IdSchema } from './common.js';

/** The public face of a user, as embedded in streams and chat messages. */
export const UserSummarySchema = z.object({
  id: IdSchema,
  displayName: z.string().min(1).max(64),
});

/** A user's id and display name. */
export type UserSummary = z.infer<typeof UserSummarySchema>;

/** Body of `POST /v1/dev/token` (development mode only). */
export const DevTokenRequestSchema = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, 'display name is required')
    .max(64, 'display name is at most 64 characters'),
});

/** Input of the development token issuer. */
export type DevTokenRequest = z.infer<typeof DevTokenRequestSchema>;

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

/**
 * Claims OnAir reads from the host app's JWT. `sub` and `exp` are required;
 * the rest default to a plain viewer. Unknown claims are ignored.
 */
export const TokenClaimsSchema = z.object({
  sub: IdSchema,
  name: z.string().min(1).max(64).optional(),
  /** Global roles. Default `['viewer']`. */
  roles: z.array(RoleSchema).max(10).optional(),
  /** Channel ids (user ids) this user moderates. */
  moderates: z.array(IdSchema).max(1000).optional(),
  /** Subscription tier per channel id (the host app handles payment). */
  subscriptions: z.record(IdSchema, z.number().int().min(1).max(3)).optional(),
});
/** The host app's token claims. */
export type TokenClaims = z.infer<typeof TokenClaimsSchema>;
