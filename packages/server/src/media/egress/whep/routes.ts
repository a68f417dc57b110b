import { randomBytes } from 'node:crypto';
import { OnAirError } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { bearerToken } from '../../../platform/auth/bearer.js';
import { dtlsParametersOf, parseSdpOffer } from '../../sdp/offer.js';
import type { SfuRouter } from '../../sfu/router.js';
import { type WhepSection, whepAnswer, whepCapabilities } from './sdp.js';

/** Path of the WHEP endpoint (playback, draft-ietf-wish-whep): `/whep/:streamId`. */
export const WHEP_PATH = '/whep';

/** What the WHEP routes need. */
export interface WhepDeps {
  router: SfuRouter;
  /**
   * Checks the caller may watch the stream (as for its HLS: public and
   * unlisted streams need nothing, the others the signed token of `hlsUrl`).
   */
  authorize(streamId: string, token: string | undefined): Promise<unknown>;
}

/**
 * WHEP playback: `POST /whep/:streamId` with a recvonly SDP offer (and, for
 * followers-only and private streams, the `token` of the stream's `hlsUrl`
 * as `?token=` or Bearer) → `201`, an answer whose sendonly sections are SFU
 * consumers of the stream's producers, and a `Location` to `DELETE`. Errors:
 * 401 without a valid token, 400 for bad SDP or no codec in common, 409 when
 * nothing is being published (`STREAM_NOT_LIVE`) or past the real-time viewer
 * limit (`STREAM_FULL`).
 */
export function registerWhepRoutes(app: FastifyInstance, deps: WhepDeps): void {
  const sessions = new Map<string, { streamId: string; owner: string }>();

  app.options(`${WHEP_PATH}/:streamId`, async (_request, reply) => {
    reply.header('accept-post', 'application/sdp');
    return reply.status(204).send();
  });

  app.post<{ Params: { streamId: string }; Querystring: { token?: string } }>(
    `${WHEP_PATH}/:streamId`,
    async (request, reply) => {
      const { streamId } = request.params;
      const bearer = bearerToken(request.headers.authorization);
      await deps.authorize(streamId, request.query.token ?? bearer);
      if (!/^application\/sdp\b/i.test(request.headers['content-type'] ?? '')) {
        return reply
          .status(415)
          .send(new OnAirError('BAD_REQUEST', 'WHEP offers are application/sdp').toEnvelope());
      }
      const offer = parseSdpOffer(String(request.body ?? ''));
      const producers = deps.router.producersOf(streamId);
      if (!producers.some((p) => p.kind === 'video')) {
        throw new OnAirError('STREAM_NOT_LIVE', 'Nothing is being published on this stream');
      }
      const capabilities = whepCapabilities(offer);
      const id = randomBytes(12).toString('base64url');
      const owner = `whep:${id}`;
      const transport = await deps.router.createTransport(streamId, 'recv', owner);
      const sections: Array<WhepSection | undefined> = [];
      try {
        deps.router.connectTransport(transport.id, dtlsParametersOf(offer), owner);
        const used = new Set<string>();
        for (const media of offer.media) {
          const producer = producers.find((p) => p.kind === media.kind && !used.has(p.producerId));
          if (!producer || !['recvonly', 'sendrecv'].includes(media.direction)) {
            sections.push(undefined);
            continue;
          }
          const consumer = deps.router.consume(
            {
              transportId: transport.id,
              producerId: producer.producerId,
              rtpCapabilities: capabilities,
            },
            owner,
            media.mid,
          );
          const plan = deps.router.consumerOf(consumer.id)?.plan;
          if (!plan) throw new OnAirError('INTERNAL', 'Consumer vanished');
          used.add(producer.producerId);
          deps.router.resumeConsumer(consumer.id, owner);
          sections.push({ plan, streamId, trackId: consumer.id });
        }
        if (!sections.some(Boolean)) {
          throw new OnAirError('BAD_REQUEST', 'No codec in common: offer H.264, VP8 and/or Opus');
        }
      } catch (error) {
        await deps.router.closeOwner(owner);
        throw error;
      }
      sessions.set(id, { streamId, owner });
      return reply
        .status(201)
        .header('content-type', 'application/sdp')
        .header('location', `${WHEP_PATH}/${streamId}/${id}`)
        .header('access-control-expose-headers', 'Location')
        .send(whepAnswer(offer, transport, sections));
    },
  );

  app.delete<{ Params: { streamId: string; id: string } }>(
    `${WHEP_PATH}/:streamId/:id`,
    async (request, reply) => {
      const session = sessions.get(request.params.id);
      if (!session || session.streamId !== request.params.streamId) {
        throw new OnAirError('NOT_FOUND', 'No such WHEP session');
      }
      sessions.delete(request.params.id);
      await deps.router.closeOwner(session.owner);
      return reply.status(200).send();
    },
  );
}
