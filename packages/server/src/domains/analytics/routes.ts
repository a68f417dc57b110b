import { normalizeIP } from '@fastify/rate-limit';
import { OnAirError } from '@onair/protocol';
import { ViewBeaconBatchSchema } from '@onair/protocol/analytics';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import { type SharedState, takeToken } from '../../platform/shared-state/shared-state.js';
import type { RateLimit } from '../../platform/shared-state/token-buckets.js';
import { requireIdentity } from '../../transport/http/auth.js';
import { parse } from '../../transport/http/parse.js';
import { StreamParamsSchema } from '../streams/routes.js';
import type { AnalyticsService } from './service.js';

/** The beacon endpoint, outside the REST write allowance (it has its own). */
export const BEACONS_PATH = '/v1/analytics/beacons';

/** Largest beacon request body, bytes. */
export const MAX_BEACON_BODY_BYTES = 64 * 1024;

/** Path parameters `:userId` (a host app's user id, as beacons carry it). */
const UserParamsSchema = z.strictObject({ userId: z.string().min(1).max(128) });

/** What the analytics routes need. */
export interface AnalyticsRoutesDeps {
  service: AnalyticsService;
  tokens: TokenVerifier;
  state: Pick<SharedState, 'take' | 'count'>;
  /** Beacon requests per client address; `false`: not limited. */
  addressRate: RateLimit | false;
}

/**
 * Registers `POST /v1/analytics/beacons` (players; no token needed; JSON, or
 * JSON sent as `text/plain` by `navigator.sendBeacon`) and
 * `GET /v1/streams/:id/analytics` (the stream's owner, moderators, admins)
 * and `DELETE /v1/analytics/users/:userId` (a privacy request: admins, or
 * the user themself).
 */
export function registerAnalyticsRoutes(app: FastifyInstance, deps: AnalyticsRoutesDeps): void {
  const { service, tokens, state } = deps;

  app.post(BEACONS_PATH, { bodyLimit: MAX_BEACON_BODY_BYTES }, async (request, reply) => {
    if (deps.addressRate) {
      await takeToken(
        state,
        `beacons:${normalizeIP(request.ip)}`,
        deps.addressRate,
        'Too many analytics beacons from this address',
      );
    }
    let body = request.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        throw new OnAirError('BAD_REQUEST', 'The body is not JSON');
      }
    }
    const { beacons } = parse(ViewBeaconBatchSchema, body);
    await service.ingest(beacons);
    return reply.status(204).send();
  });

  app.delete('/v1/analytics/users/:userId', async (request) => {
    const { userId } = parse(UserParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    return { deletedSessions: await service.forgetUser(userId, who) };
  });

  app.get('/v1/streams/:id/analytics', async (request, reply) => {
    const { id } = parse(StreamParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    const { peak } = await state.count(id);
    const body = await service.streamAnalytics(id, who, peak);
    return reply.header('cache-control', 'private, no-store').send(body);
  });
}
