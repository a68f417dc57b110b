import { IdSchema, OnAirError } from '@onair/protocol';
import type { ViewerHistory } from '@onair/protocol/analytics';
import { PageQuerySchema } from '@onair/protocol/inputs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { canModerate } from '../../platform/auth/identity.js';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import { requireIdentity } from '../../transport/http/auth.js';
import { parse } from '../../transport/http/parse.js';
import type { StreamService } from '../streams/service.js';
import type { ViewerSessionRepository } from './sessions.js';

/** What the viewer history route needs. */
export interface ViewerHistoryRoutesDeps {
  sessions: ViewerSessionRepository;
  service: StreamService;
  tokens: TokenVerifier;
}

const ParamsSchema = z.strictObject({ id: IdSchema });
const PageSchema = z.strictObject(PageQuerySchema.shape);

/**
 * Registers `GET /v1/streams/:id/viewers/history`: a stream's signed-in
 * viewers, longest watched first (its owner, the channel's moderators and
 * admins; `FORBIDDEN` for anyone else who may see it).
 */
export function registerViewerHistoryRoutes(
  app: FastifyInstance,
  deps: ViewerHistoryRoutesDeps,
): void {
  app.get('/v1/streams/:id/viewers/history', async (request): Promise<ViewerHistory> => {
    const { id } = parse(ParamsSchema, request.params);
    const who = await requireIdentity(request, deps.tokens);
    const { limit, cursor } = parse(PageSchema, request.query);
    const stream = await deps.service.get(id, who);
    if (!canModerate(who, stream.owner.id)) {
      throw new OnAirError('FORBIDDEN', "Only the stream's owner and moderators see who watched");
    }
    return deps.sessions.history(stream.id, limit, cursor);
  });
}
