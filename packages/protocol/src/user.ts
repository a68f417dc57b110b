import { z } from 'zod';
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
