import { OnAirError } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import type { SharedState } from '../../platform/shared-state/shared-state.js';
import { bearerToken } from './auth.js';

/** A token bucket: `capacity` requests at once, refilled at `refillPerSecond`. */
export interface RateLimit {
  capacity: number;
  refillPerSecond: number;
}

const MAX_BUCKETS = 50_000;

/**
 * Per-caller token buckets in memory (`MemoryState` uses them; `RedisState`
 * keeps the same buckets in Redis). Keys are opaque strings.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => Date.now(),
    private readonly unit: 's' | 'ms' = 's',
  ) {}

  /** Takes one token; returns 0 when allowed, else the time (in `unit`) until one is available. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.capacity, at: now };
    bucket.tokens = Math.min(
      this.limit.capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * this.limit.refillPerSecond,
    );
    bucket.at = now;
    if (this.buckets.size >= MAX_BUCKETS && !this.buckets.has(key)) this.prune(now);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    const seconds = (1 - bucket.tokens) / this.limit.refillPerSecond;
    return this.unit === 'ms' ? Math.ceil(seconds * 1000) : Math.ceil(seconds);
  }

  // Full buckets carry no information: drop them first.
  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const tokens = bucket.tokens + ((now - bucket.at) / 1000) * this.limit.refillPerSecond;
      if (tokens >= this.limit.capacity) this.buckets.delete(key);
    }
    if (this.buckets.size >= MAX_BUCKETS) this.buckets.clear();
  }
}

/**
 * Limits state-changing REST calls (POST, PUT, PATCH, DELETE) per caller: the
 * bearer token's subject when present (unverified here; a forged one only
 * limits itself), the client address otherwise. The buckets are in the
 * shared state (Redis with `REDIS_URL`). Over the limit: 429
 * `RATE_LIMITED` with `Retry-After`.
 */
export function registerRateLimit(
  app: FastifyInstance,
  limit: RateLimit,
  state: Pick<SharedState, 'take'>,
): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS')
      return;
    if (!request.url.startsWith('/v1/')) return;
    const token = bearerToken(request.headers.authorization);
    const key = token ? `t:${token.slice(-43)}` : `ip:${request.ip}`;
    // Shared by every server when Redis is configured.
    const wait = Math.ceil((await state.take(`rest:${key}`, limit)) / 1000);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new OnAirError('RATE_LIMITED', `Too many requests; retry in ${wait} s`, {
        retryAfterSeconds: wait,
      });
    }
  });
}
