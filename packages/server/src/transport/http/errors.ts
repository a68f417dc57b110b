import { OnAirError } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { toEnvelope } from '../../platform/errors.js';

/**
 * Maps every failure to the protocol's error envelope: an {@link OnAirError}
 * keeps its code and status; a body over the limit is `PAYLOAD_TOO_LARGE`;
 * other client errors (malformed JSON, a bad content type) `BAD_REQUEST`;
 * the database or Redis being down `UNAVAILABLE` (503, `Retry-After`);
 * anything else is logged and answered `INTERNAL` without its message.
 * Unknown routes are `NOT_FOUND`.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, _request, reply) => {
    // A route may have set a media type (a segment, a playlist) before it failed: the envelope is JSON.
    reply.header('content-type', 'application/json; charset=utf-8');
    if (error instanceof OnAirError) {
      return reply.status(error.status || 500).send(error.toEnvelope());
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status === 413) {
      return reply
        .status(413)
        .send({ code: 'PAYLOAD_TOO_LARGE', message: 'Request body too large' });
    }
    if (status >= 400 && status < 500) {
      return reply.status(400).send({ code: 'BAD_REQUEST', message: (error as Error).message });
    }
    const envelope = toEnvelope(error);
    if (envelope.code === 'UNAVAILABLE') {
      app.log.warn(`request failed: ${(error as Error).message}`);
      return reply.status(503).header('retry-after', '5').send(envelope);
    }
    app.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(envelope);
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send({ code: 'NOT_FOUND', message: 'Route not found' }),
  );
}
