import { IdSchema } from '@onair/protocol';
import { CreateMarkerInputSchema, ReplayQuerySchema } from '@onair/protocol/replay';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import { optionalIdentity, requireIdentity } from '../../transport/http/auth.js';
import { parse } from '../../transport/http/parse.js';
import type { ReplayService } from './service.js';

/** What the replay routes need. */
export interface ReplayRoutesDeps {
  replay: ReplayService;
  tokens: TokenVerifier;
}

const ParamsSchema = z.strictObject({ id: IdSchema });
const MarkerParamsSchema = z.strictObject({ id: IdSchema, markerId: IdSchema });

/**
 * Registers replay with chat (`GET /v1/streams/:id/replay?from=&to=`) and
 * chapters (`GET /v1/streams/:id/chapters`; `POST /v1/streams/:id/markers`
 * and `DELETE /v1/streams/:id/markers/:markerId` for the stream's staff).
 */
export function registerReplayRoutes(app: FastifyInstance, deps: ReplayRoutesDeps): void {
  const { replay, tokens } = deps;

  app.get('/v1/streams/:id/replay', async (request) => {
    const { id } = parse(ParamsSchema, request.params);
    const { from, to } = parse(ReplayQuerySchema, request.query);
    return replay.window(id, await optionalIdentity(request, tokens), from, to);
  });

  app.get('/v1/streams/:id/chapters', async (request) => {
    const { id } = parse(ParamsSchema, request.params);
    return { items: await replay.chapters(id, await optionalIdentity(request, tokens)) };
  });

  app.post('/v1/streams/:id/markers', async (request, reply) => {
    const { id } = parse(ParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    const { title } = parse(CreateMarkerInputSchema, request.body);
    return reply.status(201).send(await replay.mark(id, who, title));
  });

  app.delete('/v1/streams/:id/markers/:markerId', async (request, reply) => {
    const { id, markerId } = parse(MarkerParamsSchema, request.params);
    await replay.unmark(id, await requireIdentity(request, tokens), markerId);
    return reply.status(204).send();
  });
}
