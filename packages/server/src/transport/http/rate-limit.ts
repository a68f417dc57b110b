import { createHash } from 'node:crypto';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import { OnAirError } from '@onair/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { bearerToken } from '../../platform/auth/bearer.js';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import type { RateLimit } from '../../platform/shared-state/token-buckets.js';
import { TtlCache } from '../../platform/ttl-cache.js';

/** Options of {@link registerRateLimit}. */
export interface RestRateLimitOptions {
  /** State-changing calls (POST, PUT, PATCH, DELETE). */
  writes: RateLimit;
  /** Reads (GET, HEAD); `false`: not limited. */
  reads: RateLimit | false;
  /** Verifies bearer tokens, so that only a valid one earns its subject an allowance. */
  tokens: Pick<TokenVerifier, 'verify'>;
  /** Shares the counters between servers when set. */
  redis: Redis | undefined;
  /** Prefix of the Redis keys. */
  redisPrefix: string;
  /** Paths under `/v1/` limited by their own routes instead (analytics beacons). */
  exempt?: readonly string[];
}

/** How long a token's verification (valid: its subject; invalid: none) is reused, ms. */
const VERIFIED_TTL_MS = 10_000;

/**
 * Limits REST calls under `/v1/` per caller with `@fastify/rate-limit`
 * (counters in Redis when servers share it). The caller is the verified
 * subject of a valid bearer token, else the client address (`request.ip`, so
 * X-Forwarded-For only behind `trustProxy`; IPv6 by /64): spellings of one
 * token, forged tokens and missing ones get no allowance of their own. Reads
 * and writes have separate allowances. Health checks, HLS, WHIP and WHEP are
 * outside `/v1/` and not limited here (players poll playlists fast), nor are
 * the `exempt` paths (analytics beacons: their route limits them per session
 * and address). Over the
 * limit: 429 `RATE_LIMITED` with `retryAfterSeconds` and `Retry-After`.
 */
export async function registerRateLimit(
  app: FastifyInstance,
  options: RestRateLimitOptions,
): Promise<void> {
  const { writes, reads, tokens } = options;
  // Keyed by a hash of the token so the cache holds no bearer secrets; null: not valid.
  const verified = new TtlCache<string | null>(VERIFIED_TTL_MS, 10_000);
  const subjectOf = (token: string) =>
    verified.get(createHash('sha256').update(token).digest('base64url'), () =>
      tokens.verify(token).then(
        (who) => who.userId,
        () => null,
      ),
    );
  const callerOf = async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    const subject = token ? await subjectOf(token) : null;
    return subject ? `user:${subject}` : `ip:${normalizeIP(request.ip)}`;
  };
  const isRead = (request: FastifyRequest) => request.method === 'GET' || request.method === 'HEAD';
  // The plugin counts in fixed windows, not token buckets: `capacity` calls per
  // `capacity / refillPerSecond` seconds keeps the configured burst and the
  // same long-run rate (a caller may fit two bursts across a window's edge).
  const windowMs = (limit: RateLimit) => Math.ceil((limit.capacity / limit.refillPerSecond) * 1000);
  const limitOf = (key: string): RateLimit => (key.startsWith('read:') && reads ? reads : writes);

  await app.register(fastifyRateLimit, {
    global: false,
    ...(options.redis ? { redis: options.redis } : {}),
    nameSpace: `${options.redisPrefix}rest:`,
    // A Redis outage must not take the API down with it: the limit is skipped meanwhile.
    skipOnError: true,
    cache: 50_000,
    keyGenerator: async (request) =>
      `${isRead(request) ? 'read' : 'write'}:${await callerOf(request)}`,
    max: (_request, key) => limitOf(key).capacity,
    timeWindow: (_request, key) => windowMs(limitOf(key)),
    errorResponseBuilder: (_request, context) => {
      const wait = Math.max(1, Math.ceil(context.ttl / 1000));
      return new OnAirError('RATE_LIMITED', `Too many requests; retry in ${wait} s`, {
        retryAfterSeconds: wait,
      });
    },
  });
  const limit = app.rateLimit();
  app.addHook('onRequest', async (request, reply) => {
    // The route matched, not the URL as sent: routing decodes `/%761/streams` to `/v1/streams`.
    const path = request.routeOptions.url ?? decodedPath(request.url);
    if (!path.startsWith('/v1/') || request.method === 'OPTIONS') return;
    if (options.exempt?.some((prefix) => path.startsWith(prefix))) return;
    if (isRead(request) && !reads) return;
    await limit.call(app, request, reply);
  });
}

/** The path of a URL with its percent-escapes decoded (as sent, if they are malformed). */
function decodedPath(url: string): string {
  const path = url.split('?', 1)[0] ?? '';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
