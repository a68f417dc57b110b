import {
  type CreatedStream,
  CreateStreamInputSchema,
  DevTokenRequestSchema,
  type DevTokenResponse,
  IdSchema,
  OnAirError,
  PageQuerySchema,
  parseOrError,
  type Stream,
} from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { StreamKeys } from '../auth/stream-keys.js';
import type { Identity, TokenVerifier } from '../auth/tokens.js';
import type { InternalBus } from '../events.js';
import { newId } from '../ids.js';
import type { StreamRepository } from '../storage/streams.js';
import { optionalIdentity, requireIdentity } from './auth.js';

/** What the stream routes need from the rest of the server. */
export interface StreamRoutesDeps {
  streams: StreamRepository;
  tokens: TokenVerifier;
  streamKeys: StreamKeys;
  bus: InternalBus;
  devAuth: boolean;
}

const DEV_TOKEN_TTL_SECONDS = 12 * 60 * 60;

const StreamParamsSchema = z.object({ id: IdSchema });
const ListQuerySchema = PageQuerySchema.extend({ status: z.literal('live').default('live') });

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = parseOrError(schema, input);
  if (!result.ok) {
    throw new OnAirError(result.error.code, result.error.message, result.error.details);
  }
  return result.value;
}

/**
 * Whether `viewer` may see `stream`. Streams a caller may not see answer 404,
 * so their existence does not leak.
 */
export function canView(stream: Stream, viewer: Identity | undefined): boolean {
  if (stream.privacy === 'public' || stream.privacy === 'unlisted') return true;
  return viewer?.userId === stream.owner.id;
}

/** Registers `/v1/streams` and, in development mode, `/v1/dev/token`. */
export function registerStreamRoutes(app: FastifyInstance, deps: StreamRoutesDeps): void {
  const { streams, tokens, streamKeys, bus } = deps;

  app.post('/v1/dev/token', async (request, reply) => {
    if (!deps.devAuth) throw new OnAirError('NOT_FOUND', 'Route not found');
    const { displayName } = parse(DevTokenRequestSchema, request.body);
    const identity = { userId: newId('usr', 9), displayName };
    const { token, expiresAt } = await tokens.issue(identity, DEV_TOKEN_TTL_SECONDS);
    await streams.upsertUser(identity.userId, displayName);
    const body: DevTokenResponse = {
      token,
      user: { id: identity.userId, displayName },
      expiresAt: expiresAt.toISOString(),
    };
    return reply.status(201).send(body);
  });

  app.post('/v1/streams', async (request, reply) => {
    const identity = await requireIdentity(request, tokens);
    const input = parse(CreateStreamInputSchema, request.body);
    await streams.upsertUser(identity.userId, identity.displayName);
    const streamKey = streamKeys.generate();
    const stream = await streams.create(identity.userId, input, streamKeys.hash(streamKey));
    const body: CreatedStream = { stream, streamKey };
    return reply.status(201).header('cache-control', 'no-store').send(body);
  });

  app.get('/v1/streams', async (request) => {
    const query = parse(ListQuerySchema, request.query);
    return streams.listLive(query.limit, query.cursor);
  });

  app.get('/v1/streams/:id', async (request) => {
    const { id } = parse(StreamParamsSchema, request.params);
    const viewer = await optionalIdentity(request, tokens);
    const stream = await streams.find(id);
    if (!stream || !canView(stream, viewer)) throw new OnAirError('NOT_FOUND', 'Stream not found');
    return stream;
  });

  for (const [action, status] of [
    ['start', 'live'],
    ['end', 'ended'],
  ] as const) {
    app.post(`/v1/streams/:id/${action}`, async (request) => {
      const { id } = parse(StreamParamsSchema, request.params);
      const identity = await requireIdentity(request, tokens);
      const existing = await streams.find(id);
      if (!existing || !canView(existing, identity)) {
        throw new OnAirError('NOT_FOUND', 'Stream not found');
      }
      const stream = await streams.transition(id, identity.userId, status);
      bus.emit('stream:updated', stream);
      return stream;
    });
  }
}
