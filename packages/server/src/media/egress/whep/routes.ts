import { randomBytes } from 'node:crypto';
import { OnAirError, type TransportOptions } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { bearerToken } from '../../../platform/auth/bearer.js';
import type { SharedState } from '../../../platform/shared-state/shared-state.js';
import { acceptSdpBodies, OPTIONS_ROUTE, refusePatch } from '../../ingest/whip/routes.js';
import { dtlsParametersOf, parseSdpOffer } from '../../sdp/offer.js';
import type { SfuRouter, TransportCloseReason } from '../../sfu/router.js';
import { DEFAULT_WHEP_LIMITS, WhepAdmission, type WhepLimits, whepClientOf } from './limits.js';
import { type WhepSection, whepAnswer, whepCapabilities } from './sdp.js';

/** Path of the WHEP endpoint (playback, draft-ietf-wish-whep): `/whep/:streamId`. */
export const WHEP_PATH = '/whep';

/**
 * What the media authorizer says of a WHEP caller it lets in: the query of
 * its HLS URIs (nothing here needs it), or who the token was signed for.
 */
export type WhepGrant = string | { subject?: string | null | undefined };

/** What the WHEP routes need. */
export interface WhepDeps {
  router: SfuRouter;
  /**
   * Checks the caller may watch the stream (as for its HLS: public and
   * unlisted streams need nothing, the others the signed token of `hlsUrl`).
   */
  authorize(streamId: string, token: string | undefined): Promise<WhepGrant>;
  /**
   * Brings the stream's tracks here when its publisher is on another node
   * (see MediaRelays); resolves once they are, or could not be.
   */
  relay?(streamId: string): Promise<void>;
  /** What one client may take; default {@link DEFAULT_WHEP_LIMITS}. */
  limits?: Partial<WhepLimits> | undefined;
  /** Where creation rates are counted (Redis when servers share it); default: in memory. */
  state?: Pick<SharedState, 'take'> | undefined;
}

/** The WHEP sessions of a server, for what ends them from outside a request. */
export interface WhepSessions {
  /**
   * Ends a stream's WHEP sessions: those of one user (the subject of the
   * token they played with) or, without `userId`, all of them; their
   * transports close with `reason` (default `access-revoked`).
   */
  closeWhepSessionsOf(
    streamId: string,
    userId?: string,
    reason?: TransportCloseReason,
  ): Promise<void>;
  /**
   * Asks the authorizer again, with the token each of a stream's sessions
   * started with, and ends those it now refuses (`access-revoked`): a
   * privacy change, an uninvite or a ban ends a viewer's WHEP playback too.
   * With `subject`, only the sessions whose token was signed for that user
   * (an unfollow or a ban: one viewer's access changed).
   */
  recheck(streamId: string, subject?: string): Promise<void>;
  /** Stops following the router and ends every session. */
  close(): Promise<void>;
}

interface WhepSession {
  streamId: string;
  owner: string;
  /** Who the playback token was signed for; undefined for public and unlisted streams. */
  subject: string | undefined;
  /** The token the session started with (re-checked when the stream's access changes). */
  token: string | undefined;
  /** Its consumers. */
  consumerIds: string[];
  /** Who it counts against ({@link whepClientOf}). */
  client: string;
  /** Its receive transport. */
  transportId: string;
  /** Gives its client's session count back (once its media flows, or when it ends). */
  release: () => void;
  /** Ends it unless its client connected in time. */
  connectTimer: NodeJS.Timeout;
}

/**
 * WHEP playback: `POST /whep/:streamId` with a recvonly SDP offer (and, for
 * followers-only and private streams, the `token` of the stream's `hlsUrl`
 * as `?token=` or Bearer) → `201`, an answer whose sendonly sections are SFU
 * consumers of the stream's producers, and a `Location` to `DELETE` (a
 * trickle ICE or ICE restart `PATCH` on it is 405, `Allow: DELETE`). Errors:
 * 401 without a valid token, 400 for bad SDP or no codec in common, 409 when
 * nothing is being published (`STREAM_NOT_LIVE`) or past the real-time viewer
 * limit (`STREAM_FULL`), 429 `RATE_LIMITED` past what one client (the
 * subject of its playback token, else its address) may start or hold
 * ({@link WhepLimits}). A session whose client has not connected within
 * `connectTimeoutMs`, or whose transport the router closes (no media for its
 * idle timeout, the stream ended), is gone.
 */
export function registerWhepRoutes(app: FastifyInstance, deps: WhepDeps): WhepSessions {
  const sessions = new Map<string, WhepSession>();
  const limits = { ...DEFAULT_WHEP_LIMITS, ...deps.limits };
  const admission = new WhepAdmission(limits, deps.state);

  /** Whether a session's client connected (ICE and DTLS up: media may be paused). */
  const connected = (session: WhepSession) => deps.router.isConnected(session.transportId);

  const forget = (id: string): WhepSession | undefined => {
    const session = sessions.get(id);
    if (!session) return undefined;
    sessions.delete(id);
    clearTimeout(session.connectTimer);
    session.release();
    return session;
  };

  // A session whose transport the server closed (idle, stream ended, failed) is gone.
  const off = deps.router.on('transportClosed', ({ owner }) => {
    if (owner.startsWith('whep:')) forget(owner.slice('whep:'.length));
  });

  const end = async (id: string, reason?: TransportCloseReason) => {
    const session = forget(id);
    if (!session) return;
    // With a reason the server ends it (and says why); without, its client asked.
    if (reason) await deps.router.closeOwnerStream(session.owner, session.streamId, reason);
    else await deps.router.closeOwner(session.owner);
  };

  acceptSdpBodies(app);

  app.options(`${WHEP_PATH}/:streamId`, OPTIONS_ROUTE, async (_request, reply) => {
    reply.header('accept-post', 'application/sdp');
    return reply.status(204).send();
  });

  app.post<{ Params: { streamId: string }; Querystring: { token?: string } }>(
    `${WHEP_PATH}/:streamId`,
    async (request, reply) => {
      const { streamId } = request.params;
      const bearer = bearerToken(request.headers.authorization);
      const token = request.query.token ?? bearer;
      const grant = await deps.authorize(streamId, token);
      const subject = typeof grant === 'object' ? (grant.subject ?? undefined) : undefined;
      const client = whepClientOf(request, subject);
      await admission.pace(client, reply);
      if (!/^application\/sdp\b/i.test(request.headers['content-type'] ?? '')) {
        return reply
          .status(415)
          .send(new OnAirError('BAD_REQUEST', 'WHEP offers are application/sdp').toEnvelope());
      }
      const offer = parseSdpOffer(String(request.body ?? ''));
      const id = randomBytes(12).toString('base64url');
      const owner = `whep:${id}`;
      // Only sessions whose client has not connected count (holding slots without connecting is
      // the abuse; viewers behind one address, a classroom's NAT, play on).
      for (const session of sessions.values()) {
        if (session.client === client && session.streamId === streamId && connected(session)) {
          session.release();
        }
      }
      // Counted before the next await: concurrent offers of one client cannot all pass.
      const release = admission.admit(streamId, client);
      const sections: Array<WhepSection | undefined> = [];
      let transport: TransportOptions;
      try {
        await deps.relay?.(streamId);
        const producers = deps.router.producersOf(streamId);
        if (!producers.some((p) => p.kind === 'video')) {
          throw new OnAirError('STREAM_NOT_LIVE', 'Nothing is being published on this stream');
        }
        const capabilities = whepCapabilities(offer);
        transport = await deps.router.createTransport(streamId, 'recv', owner);
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
            // No lip-sync hold on the picture: see ConsumerSettings.senderReports.
            { senderReports: media.kind !== 'audio' },
          );
          const plan = deps.router.consumerOf(consumer.id)?.plan;
          if (!plan) throw new OnAirError('INTERNAL', 'Consumer vanished');
          used.add(producer.producerId);
          deps.router.resumeConsumer(consumer.id, owner);
          // A MediaStream per kind: no lip-sync hold on the video (see WhepSection).
          sections.push({ plan, streamId, trackId: consumer.id });
        }
        if (!sections.some(Boolean)) {
          throw new OnAirError('BAD_REQUEST', 'No codec in common: offer H.264, VP8 and/or Opus');
        }
      } catch (error) {
        release();
        await deps.router.closeOwner(owner);
        throw error;
      }
      const consumerIds = sections.flatMap((section) => (section ? [section.trackId] : []));
      // The router's idle sweep would free a slot its client never used only after its idle
      // timeout (30 s by default, checked every 5 s): a client that never connects goes sooner.
      const connectTimer = setTimeout(() => {
        const session = sessions.get(id);
        if (session && connected(session)) session.release();
        else void end(id, 'idle');
      }, limits.connectTimeoutMs);
      connectTimer.unref();
      sessions.set(id, {
        streamId,
        owner,
        subject,
        token,
        client,
        transportId: transport.id,
        consumerIds,
        release,
        connectTimer,
      });
      return reply
        .status(201)
        .header('content-type', 'application/sdp')
        .header('location', `${WHEP_PATH}/${streamId}/${id}`)
        .send(whepAnswer(offer, transport, sections));
    },
  );

  const known = (params: { streamId: string; id: string }) => {
    const session = sessions.get(params.id);
    if (!session || session.streamId !== params.streamId) {
      throw new OnAirError('NOT_FOUND', 'No such WHEP session');
    }
  };

  app.delete<{ Params: { streamId: string; id: string } }>(
    `${WHEP_PATH}/:streamId/:id`,
    async (request, reply) => {
      known(request.params);
      await end(request.params.id);
      return reply.status(200).send();
    },
  );

  app.patch<{ Params: { streamId: string; id: string } }>(
    `${WHEP_PATH}/:streamId/:id`,
    async (request, reply) => {
      known(request.params);
      return refusePatch(reply, 'WHEP');
    },
  );

  return {
    async closeWhepSessionsOf(streamId, userId, reason = 'access-revoked') {
      const ids = [...sessions]
        .filter(
          ([, s]) => s.streamId === streamId && (userId === undefined || s.subject === userId),
        )
        .map(([id]) => id);
      await Promise.all(ids.map((id) => end(id, reason)));
    },
    async recheck(streamId, subject) {
      const refused: string[] = [];
      for (const [id, session] of sessions) {
        if (session.streamId !== streamId) continue;
        if (subject !== undefined && session.subject !== subject) continue;
        await deps.authorize(streamId, session.token).catch(() => refused.push(id));
      }
      await Promise.all(refused.map((id) => end(id, 'access-revoked')));
    },
    async close() {
      off();
      await Promise.all([...sessions.keys()].map((id) => end(id)));
    },
  };
}
