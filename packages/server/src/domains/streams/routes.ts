import {
  type CreatedStream,
  type DevTokenResponse,
  IdSchema,
  OnAirError,
  type RotatedStreamKey,
  StreamInvitesSchema,
} from '@onair/protocol';
import {
  CreateStreamInputSchema,
  DevTokenRequestSchema,
  PageQuerySchema,
  StreamListQuerySchema,
  UpdateStreamInputSchema,
} from '@onair/protocol/inputs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import { newId } from '../../platform/ids.js';
import { optionalIdentity, requireIdentity } from '../../transport/http/auth.js';
import { parse } from '../../transport/http/parse.js';
import type { StreamRepository } from './repository.js';
import type { StreamService } from './service.js';

/** Largest body of `PUT /v1/streams/:id/invites`: a full invite list and room. */
const INVITES_BODY_BYTES = 96 * 1024;
/** What the stream routes need from the rest of the server. */
export interface StreamRoutesDeps {
  service: StreamService;
  streams: StreamRepository;
  tokens: TokenVerifier;
  devAuth: boolean;
}

const DEV_TOKEN_TTL_SECONDS = 12 * 60 * 60;

/** Path parameters `:id`. */
export const StreamParamsSchema = z.strictObject({ id: IdSchema });

/** Registers `/v1/streams`, `/v1/me/streams` and, in development mode, `/v1/dev/token`. */
export function registerStreamRoutes(app: FastifyInstance, deps: StreamRoutesDeps): void {
  const { service, streams, tokens } = deps;

  app.post('/v1/dev/token', async (request, reply) => {
    if (!deps.devAuth) throw new OnAirError('NOT_FOUND', 'Route not found');
    const { displayName } = parse(DevTokenRequestSchema, request.body);
    const identity = { userId: newId('usr', 9), displayName, roles: ['broadcaster' as const] };
    const { token, expiresAt } = await tokens.issue(identity, DEV_TOKEN_TTL_SECONDS);
    await streams.upsertUser({ id: identity.userId, displayName });
    const body: DevTokenResponse = {
      token,
      user: { id: identity.userId, displayName },
      expiresAt: expiresAt.toISOString(),
    };
    return reply.status(201).send(body);
  });

  app.post('/v1/streams', async (request, reply) => {
    const who = await requireIdentity(request, tokens);
    const input = parse(CreateStreamInputSchema, request.body);
    const body: CreatedStream = await service.create(who, input);
    return reply.status(201).header('cache-control', 'no-store').send(body);
  });

  app.get('/v1/streams', async (request) => {
    const query = parse(StreamListQuerySchema, request.query);
    return service.list(query, await optionalIdentity(request, tokens));
  });

  app.get('/v1/me/streams', async (request) => {
    const who = await requireIdentity(request, tokens);
    const query = parse(z.strictObject(PageQuerySchema.shape), request.query);
    return service.listOwned(who, query.limit, query.cursor);
  });

  app.get('/v1/streams/:id', async (request) => {
    const { id } = parse(StreamParamsSchema, request.params);
    return service.get(id, await optionalIdentity(request, tokens));
  });

  app.patch('/v1/streams/:id', async (request) => {
    const { id } = parse(StreamParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    return service.update(id, who, parse(UpdateStreamInputSchema, request.body));
  });

  for (const [action, status] of [
    ['start', 'live'],
    ['end', 'ended'],
    ['cancel', 'cancelled'],
  ] as const) {
    app.post(`/v1/streams/:id/${action}`, async (request) => {
      const { id } = parse(StreamParamsSchema, request.params);
      return service.transition(id, await requireIdentity(request, tokens), status);
    });
  }

  app.post('/v1/streams/:id/key', async (request, reply) => {
    const { id } = parse(StreamParamsSchema, request.params);
    const body: RotatedStreamKey = {
      streamKey: await service.rotateKey(id, await requireIdentity(request, tokens)),
    };
    return reply.header('cache-control', 'no-store').send(body);
  });

  app.get('/v1/streams/:id/invites', async (request) => {
    const { id } = parse(StreamParamsSchema, request.params);
    return { userIds: await service.invites(id, await requireIdentity(request, tokens)) };
  });

  // A full list (1000 ids of up to 64 characters) is about 67 kB of JSON: over the API's 64 KiB.
  app.put('/v1/streams/:id/invites', { bodyLimit: INVITES_BODY_BYTES }, async (request) => {
    const { id } = parse(StreamParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    const { userIds } = parse(StreamInvitesSchema, request.body);
    return { userIds: await service.setInvites(id, who, userIds) };
  });
}
