import { IdSchema } from '@onair/protocol';
import {
  InviteToStageSchema,
  type Stage,
  UpdateStageMemberSchema,
  UpdateStageSchema,
} from '@onair/protocol/stage';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { userOf } from '../../platform/auth/identity.js';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import { optionalIdentity, requireIdentity } from '../../transport/http/auth.js';
import { parse } from '../../transport/http/parse.js';
import type { StreamRepository } from '../streams/repository.js';
import { StreamParamsSchema } from '../streams/routes.js';
import type { StreamService } from '../streams/service.js';
import type { StageService } from './service.js';

/** What the stage routes need. */
export interface StageRoutesDeps {
  stage: StageService;
  service: StreamService;
  streams: StreamRepository;
  tokens: TokenVerifier;
}

const MemberParamsSchema = z.strictObject({ id: IdSchema, userId: IdSchema });

/** Registers `/v1/streams/:id/stage` (docs/stage.md). */
export function registerStageRoutes(app: FastifyInstance, deps: StageRoutesDeps): void {
  const { stage, service, tokens } = deps;

  app.get('/v1/streams/:id/stage', async (request): Promise<Stage> => {
    const { id } = parse(StreamParamsSchema, request.params);
    const who = await optionalIdentity(request, tokens);
    return stage.stageFor(await service.get(id, who), who);
  });

  app.patch('/v1/streams/:id/stage', async (request): Promise<Stage> => {
    const { id } = parse(StreamParamsSchema, request.params);
    const { layout } = parse(UpdateStageSchema, request.body);
    const who = await requireIdentity(request, tokens);
    return stage.setLayout(await service.get(id, who), who, layout);
  });

  app.put('/v1/streams/:id/stage/members/:userId', async (request): Promise<Stage> => {
    const { id, userId } = parse(MemberParamsSchema, request.params);
    const { role } = parse(InviteToStageSchema, request.body);
    const who = await requireIdentity(request, tokens);
    return stage.invite(await service.get(id, who), who, userId, role);
  });

  app.patch('/v1/streams/:id/stage/members/:userId', async (request): Promise<Stage> => {
    const { id, userId } = parse(MemberParamsSchema, request.params);
    const { mutedByHost } = parse(UpdateStageMemberSchema, request.body);
    const who = await requireIdentity(request, tokens);
    return stage.setMuted(await service.get(id, who), who, userId, mutedByHost);
  });

  app.delete('/v1/streams/:id/stage/members/:userId', async (request, reply) => {
    const { id, userId } = parse(MemberParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    await stage.remove(await service.get(id, who), who, userId);
    return reply.status(204).send();
  });

  app.post('/v1/streams/:id/stage/hand', async (request, reply) => {
    const { id } = parse(StreamParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    const stream = await service.get(id, who);
    await deps.streams.upsertUser(userOf(who));
    await stage.raiseHand(stream, who);
    return reply.status(204).send();
  });

  app.delete('/v1/streams/:id/stage/hands/:userId', async (request, reply) => {
    const { id, userId } = parse(MemberParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    await stage.lowerHand(await service.get(id, who), who, userId);
    return reply.status(204).send();
  });
}
