import { type FollowState, IdSchema, OnAirError } from '@onair/protocol';
import { UpdateChannelInputSchema } from '@onair/protocol/inputs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { userOf } from '../../platform/auth/identity.js';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import type { InternalBus } from '../../platform/events.js';
import { optionalIdentity, requireIdentity } from '../../transport/http/auth.js';
import { parse } from '../../transport/http/parse.js';
import type { StreamRepository } from '../streams/repository.js';
import type { ChannelRepository } from './repository.js';

/** What the channel routes need. */
export interface ChannelRoutesDeps {
  channels: ChannelRepository;
  streams: StreamRepository;
  tokens: TokenVerifier;
  /** Told of each follow and unfollow that changed something (`channel:followChanged`): access re-checks. */
  bus: InternalBus;
}

const ChannelParamsSchema = z.strictObject({ id: IdSchema });

/** Registers `/v1/channels`. */
export function registerChannelRoutes(app: FastifyInstance, deps: ChannelRoutesDeps): void {
  const { channels, streams, tokens, bus } = deps;

  app.get('/v1/channels/:id', async (request) => {
    const { id } = parse(ChannelParamsSchema, request.params);
    const who = await optionalIdentity(request, tokens);
    return channels.require(id, who?.userId);
  });

  app.patch('/v1/channels/me', async (request) => {
    const who = await requireIdentity(request, tokens);
    const input = parse(UpdateChannelInputSchema, request.body);
    await streams.upsertUser(userOf(who));
    return channels.update(who.userId, input);
  });

  for (const [method, following] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/v1/channels/:id/follow',
      handler: async (request): Promise<FollowState> => {
        const { id } = parse(ChannelParamsSchema, request.params);
        const who = await requireIdentity(request, tokens);
        if (who.userId === id)
          throw new OnAirError('UNPROCESSABLE', 'You cannot follow your own channel');
        await channels.require(id, undefined);
        await streams.upsertUser(userOf(who));
        const { followerCount, changed } = await channels.setFollowing(who.userId, id, following);
        // Only a real change re-checks anything: a repeated DELETE costs no cluster-wide work.
        if (changed)
          bus.emit('channel:followChanged', { channelId: id, userId: who.userId, following });
        return { channelId: id, following, followerCount };
      },
    });
  }
}
