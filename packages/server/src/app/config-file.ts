import { readFileSync } from 'node:fs';
import { ROLES, WEBHOOK_EVENT_TYPES } from '@onair/protocol';
import { z } from 'zod';
import { NODE_URL_PATTERN } from '../media/cluster/registry.js';
import { LADDER_PRESETS, type LadderPresetName } from '../media/hls/ladder.js';
import { MAX_WEBHOOK_SECRETS } from '../platform/webhooks.js';
import { LOG_LEVELS } from '../transport/http/logging.js';
import { METRICS_TOKEN, type ServerOptions } from './config.js';

const port = z
  .number({ error: 'must be a port number (0–65535)' })
  .int('must be a port number (0–65535)')
  .min(0, 'must be a port number (0–65535)')
  .max(65_535, 'must be a port number (0–65535)');
const oneOf = (values: readonly string[]) => ({ error: `must be one of ${values.join(', ')}` });
const positive = z.number().positive();
const rate = z.strictObject({
  capacity: z.number().int().min(1),
  refillPerSecond: z.number().positive(),
});
const httpUrl = z.string().regex(/^https?:\/\/[^/]+/, 'must be an http(s) URL');
/** `*` or an origin exactly as browsers send it: scheme, host and port, no path. */
const origin = z.string().refine((value) => value === '*' || isOrigin(value), {
  message: 'must be "*" or an origin like https://app.example.com (scheme and host, no path)',
});
const rateOrFalse = 'must be { capacity, refillPerSecond } or false';
const presetNames = Object.keys(LADDER_PRESETS) as [LadderPresetName, ...LadderPresetName[]];

const MediaConfigSchema = z
  .strictObject({
    enabled: z.boolean(),
    ffmpegPath: z.string().min(1),
    hlsDir: z.string().min(1),
    announcedAddresses: z.array(z.string().min(1)),
    hlsSegmentSeconds: positive,
    hlsPartSeconds: positive,
    dvrWindowSeconds: positive,
    ladder: z.array(
      z.union(
        [
          z.enum(presetNames),
          z.strictObject({
            name: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be letters, digits, - or _'),
            height: z.number().int().min(64).max(4320),
            videoKbps: positive,
            audioKbps: positive,
            frameRate: positive.optional(),
          }),
        ],
        {
          error: `must be a preset (${presetNames.join(', ')}) or { name, height, videoKbps, audioKbps }`,
        },
      ),
    ),
    encoder: z.enum(['x264', 'nvenc', 'qsv', 'vaapi'], oneOf(['x264', 'nvenc', 'qsv', 'vaapi'])),
    av1: z.boolean(),
    x264Preset: z.string().min(1),
    vaapiDevice: z.string().min(1),
    thumbnailSeconds: z.number().min(0),
    keyframeIntervalMs: positive,
    rtmpPort: z.union([port, z.literal(false)], { error: 'must be a port (0–65535) or false' }),
    rtmpHost: z.string().min(1),
    rtmpPublicUrl: z.string().regex(/^rtmps?:\/\/[^/]+/, 'must be an rtmp:// or rtmps:// URL'),
    reconnectGraceSeconds: z.number().min(0),
    maxRealtimeViewers: z.number().int().min(0),
    maxRealtimeStreamsPerConnection: z.number().int().min(1),
    realtimeIdleSeconds: positive,
    whepSessionsPerClient: z.number().int().min(0),
    whepCreateRate: z.union([rate, z.literal(false)], { error: rateOrFalse }),
    hlsTokenSeconds: z.number().int().positive(),
    iceServers: z.array(
      z.strictObject({
        urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
        username: z.string().optional(),
        credential: z.string().optional(),
      }),
    ),
    nodeUrl: z
      .string()
      .regex(
        NODE_URL_PATTERN,
        'must be an http(s) URL without query or fragment, e.g. http://10.0.0.2:8080',
      ),
  })
  .partial();

/**
 * Every {@link ServerOptions} field that JSON can express (all but the
 * `chatReview` hook and `logStream`), checked the way `createServer` checks
 * them. Unknown fields are refused, so a typo is an error, not a silent
 * default. The CLI validates its config file, its flags and its environment
 * with it.
 */
export const ServerConfigSchema = z
  .strictObject({
    port,
    host: z.string().min(1),
    databaseUrl: z.string().min(1),
    dataDir: z.string().min(1),
    jwtSecret: z.string().min(32),
    jwksUrl: httpUrl,
    jwtAlgorithms: z
      .array(z.string().refine((alg) => !alg.startsWith('HS') && alg !== 'none'))
      .min(1),
    jwtIssuer: z.string().min(1),
    jwtAudience: z.string().min(1),
    creatorRoles: z
      .array(z.enum(ROLES, oneOf(ROLES)))
      .min(1, 'may not be empty: nobody could create streams'),
    streamDefaults: z
      .strictObject({ qnaEnabled: z.boolean(), reactionsEnabled: z.boolean() })
      .partial(),
    webhooks: z.array(
      z.strictObject({
        url: httpUrl,
        secret: z.union([
          z.string().min(16),
          z.array(z.string().min(16)).min(1).max(MAX_WEBHOOK_SECRETS),
        ]),
        events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).optional(),
      }),
    ),
    webhookRetry: z
      .strictObject({
        maxAttempts: z.number().int().min(1),
        baseDelayMs: z.number().int().min(0),
        timeoutMs: z.number().int().min(1),
      })
      .partial(),
    restRateLimit: z.union([rate, z.literal(false)], { error: rateOrFalse }),
    restReadRateLimit: z.union([rate, z.literal(false)], { error: rateOrFalse }),
    trustProxy: z.union([z.boolean(), z.array(z.string().min(1)).min(1)], {
      error: 'must be true, false or a list of proxy addresses',
    }),
    maxConnectionsPerIp: z.number().int().min(0),
    countAnonymousInViewerLimit: z.boolean(),
    analytics: z
      .strictObject({
        retentionDays: z.number().int().min(1),
        sessionRate: rate,
        addressRate: z.union([rate, z.literal(false)], { error: rateOrFalse }),
        liveIntervalMs: z.number().int().min(1000).max(60_000),
        summaryDelayMs: z.number().int().min(0).max(300_000),
      })
      .partial(),
    notifications: z
      .strictObject({
        reminderLeadMinutes: z.number().int().min(0).max(1440),
        reminderCheckMs: z.number().int().min(50).max(600_000),
        inboxLimit: z.number().int().min(1).max(10_000),
        retentionDays: z.number().int().min(1).max(3650),
        retentionCheckMs: z.number().int().min(50).max(86_400_000),
      })
      .partial(),
    stage: z
      .strictObject({
        limit: z.number().int().min(2).max(16),
        layout: z.enum(['grid', 'speaker']),
      })
      .partial(),
    metrics: z
      .strictObject({
        enabled: z.boolean(),
        token: z
          .string()
          .regex(METRICS_TOKEN, 'must be at least 16 visible ASCII characters, without spaces'),
      })
      .partial(),
    chatRate: rate,
    reactionRate: rate,
    questionRate: rate,
    clipRate: rate,
    clipsPerDay: z.number().int().min(1),
    webPush: z.strictObject({
      publicKey: z.string().min(1),
      privateKey: z.string().min(1),
      subject: z.string().min(1),
      allowInsecureEndpoints: z.boolean().optional(),
    }),
    chatFilter: z.strictObject({
      words: z.array(z.string().min(1)),
      action: z.enum(['mask', 'deny']).optional(),
    }),
    redisUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
    redisPrefix: z.string(),
    batchWindowMs: z.number().int().min(10).max(1000),
    tokenGraceMs: z.number().int().min(0).max(3_600_000),
    streamKeySecret: z.string().min(16),
    devAuth: z.boolean(),
    staticDir: z.string().min(1),
    corsOrigins: z.array(origin),
    logLevel: z.enum(LOG_LEVELS, oneOf(LOG_LEVELS)),
    media: MediaConfigSchema,
  })
  .partial();

/** Server options as a config file or the CLI gives them (see {@link ServerConfigSchema}). */
export type ServerConfig = z.input<typeof ServerConfigSchema>;

/** A config file, flag or environment variable the CLI cannot use. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Checks `value` against {@link ServerConfigSchema}; a `ConfigError` names
 * where it came from (`source`) and each field that is wrong, never a value
 * (a field may hold a secret).
 */
export function parseServerConfig(value: unknown, source: string): ServerOptions {
  const result = checkServerConfig(value);
  if (!result.ok) {
    const problems = result.problems.map(
      ({ path, message }) => `${fieldName(path) || '(top level)'}: ${message}`,
    );
    throw new ConfigError(`${source}: ${problems.join('; ')}`);
  }
  return result.options;
}

/** A field that fails {@link ServerConfigSchema}: where, and what is wrong (never its value). */
export interface ConfigProblem {
  path: PropertyKey[];
  message: string;
}

/** {@link ServerConfigSchema} as a result: the options, or every problem found. */
export function checkServerConfig(
  value: unknown,
): { ok: true; options: ServerOptions } | { ok: false; problems: ConfigProblem[] } {
  const result = ServerConfigSchema.safeParse(value);
  if (result.success) return { ok: true, options: withoutUndefined(result.data) as ServerOptions };
  return {
    ok: false,
    problems: result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: [...issue.path, key], message: 'unknown option' }))
        : [{ path: issue.path, message: issue.message }],
    ),
  };
}

/** Reads and checks a JSON config file (`onair-server --config FILE`). */
export function loadConfigFile(path: string): ServerOptions {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not JSON: ${(error as Error).message}`);
  }
  return parseServerConfig(json, path);
}

/**
 * Layers of options, later ones winning field by field (`media`,
 * `streamDefaults` and `metrics` merged one level down).
 */
export function mergeServerOptions(...layers: ServerOptions[]): ServerOptions {
  const merged: ServerOptions = {};
  for (const layer of layers) {
    const { media, streamDefaults, metrics, ...rest } = layer;
    Object.assign(merged, rest);
    if (metrics) merged.metrics = { ...merged.metrics, ...metrics };
    if (media) merged.media = { ...merged.media, ...media };
    if (streamDefaults) merged.streamDefaults = { ...merged.streamDefaults, ...streamDefaults };
  }
  return merged;
}

function fieldName(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** JSON has no undefined, but zod's optional fields type it: drop it for exact optional types. */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, withoutUndefined(v)]),
  ) as T;
}
