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
export type { MediaOptions, ResolvedServerOptions, ServerOptions } from './config.js';
export { type OnAirServer, createServer } from './server.js';
export { STREAM_KEY_PREFIX } from './auth/stream-keys.js';
