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

export {
  CLI_DEFAULTS,
  CLI_FLAGS,
  type CliCommand,
  type CliFlag,
  cliHelp,
  parseCli,
} from './app/cli-options.js';
export type {
  AnalyticsOptions,
  MediaOptions,
  MetricsOptions,
  NotificationOptions,
  ResolvedServerOptions,
  ServerOptions,
  StreamDefaults,
} from './app/config.js';
export {
  ConfigError,
  loadConfigFile,
  type ServerConfig,
  ServerConfigSchema,
} from './app/config-file.js';
export { createServer, type OnAirServer } from './app/server.js';
export { STREAM_KEY_PREFIX } from './platform/auth/stream-keys.js';
export {
  MAX_WEBHOOK_SECRETS,
  signWebhook,
  type WebhookRetryPolicy,
  type WebhookTarget,
} from './platform/webhooks.js';
