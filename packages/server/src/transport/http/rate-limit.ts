import { OnAirError } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { bearerToken } from '../../platform/auth/bearer.js';
import type { SharedState } from '../../platform/shared-state/shared-state.js';
import type { RateLimit } from '../../platform/shared-state/token-buckets.js';

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
