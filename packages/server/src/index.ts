/**
 * `@onair/server`: the OnAir reference server.
 *
 * @example
 * ```ts
 * import { createServer } from '@onair/server';
 * const server = await createServer({ jwtSecret: process.env.ONAIR_JWT_SECRET });
 * ```
 * @packageDocumentation
 */

export { STREAM_KEY_PREFIX } from './auth/stream-keys.js';
export type {
  MediaOptions,
  ResolvedServerOptions,
  ServerOptions,
  WebhookRetryPolicy,
  WebhookTarget,
} from './config.js';
export { createServer, type OnAirServer } from './server.js';
export { signWebhook } from './webhooks.js';
