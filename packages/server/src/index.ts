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

export type { MediaOptions, ResolvedServerOptions, ServerOptions } from './app/config.js';
export { createServer, type OnAirServer } from './app/server.js';
export { STREAM_KEY_PREFIX } from './platform/auth/stream-keys.js';
export {
  signWebhook,
  type WebhookRetryPolicy,
  type WebhookTarget,
} from './platform/webhooks.js';
