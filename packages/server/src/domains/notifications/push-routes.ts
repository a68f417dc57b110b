import { OnAirError } from '@onair/protocol';
import { PushSubscriptionInputSchema, PushUnsubscribeInputSchema } from '@onair/protocol/inputs';
import type { PushKey } from '@onair/protocol/notifications';
import type { FastifyInstance } from 'fastify';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import { requireIdentity } from '../../transport/http/auth.js';
import { parse } from '../../transport/http/parse.js';
import { checkEndpoint, type PushSubscriptionRepository, type WebPushOptions } from './push.js';

/** What the Web Push routes need. */
export interface PushRoutesDeps {
  subscriptions: PushSubscriptionRepository;
  tokens: TokenVerifier;
  /** Web Push settings; undefined when the server does not push. */
  webPush: WebPushOptions | undefined;
}

/**
 * Registers Web Push: `GET /v1/push/key` (the VAPID public key, for
 * `pushManager.subscribe`), `PUT` and `DELETE /v1/me/push-subscriptions`
 * (a browser's subscription, stored for the signed-in user). `NOT_FOUND`
 * when the server is not configured to push.
 */
export function registerPushRoutes(app: FastifyInstance, deps: PushRoutesDeps): void {
  const { subscriptions, tokens } = deps;
  const settings = () => {
    if (!deps.webPush)
      throw new OnAirError('NOT_FOUND', 'Web Push is not configured on this server');
    return deps.webPush;
  };

  app.get('/v1/push/key', async (): Promise<PushKey> => ({ publicKey: settings().publicKey }));

  app.put('/v1/me/push-subscriptions', async (request, reply) => {
    const who = await requireIdentity(request, tokens);
    const webPush = settings();
    const { endpoint, keys } = parse(PushSubscriptionInputSchema, request.body);
    checkEndpoint(endpoint, webPush.allowInsecureEndpoints);
    await subscriptions.save({
      endpoint,
      userId: who.userId,
      p256dh: keys.p256dh,
      auth: keys.auth,
    });
    return reply.status(204).send();
  });

  app.delete('/v1/me/push-subscriptions', async (request, reply) => {
    const who = await requireIdentity(request, tokens);
    settings();
    const { endpoint } = parse(PushUnsubscribeInputSchema, request.body);
    await subscriptions.remove(who.userId, endpoint);
    return reply.status(204).send();
  });
}
