import { randomBytes } from 'node:crypto';
import { OnAirError } from '@onair/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from '../../../platform/auth/bearer.js';
import { dtlsParametersOf, parseSdpOffer } from '../../sdp/offer.js';
import type { SfuRouter } from '../../sfu/router.js';
import { chooseCodec, rtpParametersOf, whipAnswer } from './sdp.js';

/** Path of the WHIP endpoint (RFC 9725). */
export const WHIP_PATH = '/whip';

/** An ICE server handed to WHIP clients in `Link` headers (RFC 9725 §4.4). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** What the WHIP routes need. */
export interface WhipDeps {
  /**
   * The stream a stream key may publish to (a scheduled stream goes live);
   * throws `UNAUTHORIZED` for an unknown key, `CONFLICT` for an ended stream.
   */
  authorize(key: string): Promise<{
    id: string;
    owner: { id: string };
    /** The bitrate the publisher's video may reach (its quality preset's), bits/s. */
    maxBitrate?: number | undefined;
  }>;
  router: SfuRouter;
  iceServers: readonly IceServer[];
  /** HMAC of a stream key, to match a DELETE with the session's key without storing it. */
  hashKey(key: string): string;
  log(message: string): void;
}

interface WhipSession {
  streamId: string;
  owner: string;
  transportId: string;
  keyHash: string;
  producers: string[];
  watchdog: NodeJS.Timeout;
}

/** A session that received nothing for this long is closed (the client went away without DELETE). */
const SILENCE_MS = 15_000;

/** Media type of trickle ICE and ICE restart `PATCH` bodies (RFC 8840). */
export const TRICKLE_ICE_TYPE = 'application/trickle-ice-sdpfrag';

/**
 * Lets `PATCH` bodies of {@link TRICKLE_ICE_TYPE} (and, for WHEP alone,
 * `application/sdp` offers) reach the WHIP and WHEP routes as strings;
 * once per app, whichever of them registers first.
 */
export function acceptSdpBodies(app: FastifyInstance): void {
  const limits: Array<[string, number]> = [
    ['application/sdp', 64 * 1024],
    [TRICKLE_ICE_TYPE, 16 * 1024],
  ];
  for (const [type, bodyLimit] of limits) {
    if (app.hasContentTypeParser(type)) continue;
    app.addContentTypeParser(type, { parseAs: 'string', bodyLimit }, (_request, body, done) =>
      done(null, body),
    );
  }
}

/**
 * Route options of a WHIP or WHEP endpoint's own `OPTIONS` handler: a CORS
 * preflight gets the allow headers and still reaches the handler (its
 * `Accept-Post`, `Link`), and an `OPTIONS` without `Origin` (a native
 * client) is not refused as a bad preflight.
 */
export const OPTIONS_ROUTE = {
  config: { cors: { preflightContinue: true, strictPreflight: false } },
} as const;

/**
 * Answers a trickle ICE or ICE restart `PATCH` (RFC 9725 §4.3.1): every
 * server candidate is in the SDP answer of the ICE-lite SFU and the
 * client's are learnt from its connectivity checks, so neither is
 * supported: 405 with the methods the session URL takes.
 */
export function refusePatch(reply: FastifyReply, protocol: 'WHIP' | 'WHEP'): FastifyReply {
  return reply
    .status(405)
    .header('allow', 'DELETE')
    .send(
      new OnAirError(
        'BAD_REQUEST',
        `${protocol} sessions take no trickle ICE or ICE restart (PATCH); DELETE ends one`,
      ).toEnvelope(),
    );
}

function bearer(request: FastifyRequest): string {
  const key = bearerToken(request.headers.authorization);
  if (!key) {
    throw new OnAirError('UNAUTHORIZED', 'Send the stream key as Authorization: Bearer <key>');
  }
  return key;
}

function linkHeader(servers: readonly IceServer[]): string | undefined {
  const links = servers.flatMap((server) =>
    (Array.isArray(server.urls) ? server.urls : [server.urls]).map((url) => {
      const attributes = ['rel="ice-server"'];
      if (server.username !== undefined) attributes.push(`username="${server.username}"`);
      if (server.credential !== undefined) {
        attributes.push(`credential="${server.credential}"`, 'credential-type="password"');
      }
      return `<${url}>; ${attributes.join('; ')}`;
    }),
  );
  return links.length ? links.join(', ') : undefined;
}

/**
 * WHIP ingest (RFC 9725) for OBS Studio 30+, GStreamer and browsers:
 * `POST /whip` with `Authorization: Bearer <stream key>` and an SDP offer →
 * `201 Created`, the SDP answer and a `Location` for the session; `DELETE`
 * on it ends the session. The answer comes from the embedded SFU's ICE-lite
 * transport (all candidates included, so a trickle ICE or ICE restart
 * `PATCH` is answered 405 with `Allow: DELETE`, after the 404 of an unknown
 * session and the 401 of another key).
 * Wrong keys are 401, bad SDP 400, no common codec 400 with the codecs we
 * take, another content type 415.
 */
export function registerWhipRoutes(
  app: FastifyInstance,
  deps: WhipDeps,
): { close(): Promise<void> } {
  const sessions = new Map<string, WhipSession>();
  const links = linkHeader(deps.iceServers);

  const end = async (id: string) => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    clearInterval(session.watchdog);
    await deps.router.closeOwner(session.owner);
  };

  acceptSdpBodies(app);

  app.options(WHIP_PATH, OPTIONS_ROUTE, async (_request, reply) => {
    reply.header('accept-post', 'application/sdp');
    if (links) reply.header('link', links);
    return reply.status(204).send();
  });

  app.post(WHIP_PATH, async (request, reply) => {
    const key = bearer(request);
    if (!/^application\/sdp\b/i.test(request.headers['content-type'] ?? '')) {
      return reply
        .status(415)
        .send(new OnAirError('BAD_REQUEST', 'WHIP offers are application/sdp').toEnvelope());
    }
    const offer = parseSdpOffer(String(request.body ?? ''));
    const chosen = offer.media.map((m) =>
      ['sendonly', 'sendrecv'].includes(m.direction) ? chooseCodec(m) : undefined,
    );
    if (!chosen.some(Boolean)) {
      throw new OnAirError(
        'BAD_REQUEST',
        'No common codec: offer H.264 (packetization-mode=1) or VP8 video, and/or Opus audio',
      );
    }
    const stream = await deps.authorize(key);
    const id = randomBytes(12).toString('base64url');
    const owner = `whip:${id}`;
    const transport = await deps.router.createTransport(stream.id, 'send', owner, {
      userId: stream.owner.id,
      host: true,
      maxBitrate: stream.maxBitrate,
    });
    try {
      deps.router.connectTransport(transport.id, dtlsParametersOf(offer), owner);
      const producers: string[] = [];
      offer.media.forEach((media, i) => {
        const codec = chosen[i];
        if (!codec) return;
        const { producerId } = deps.router.produce(
          {
            transportId: transport.id,
            kind: media.kind === 'audio' ? 'audio' : 'video',
            rtpParameters: rtpParametersOf(media, codec),
          },
          owner,
          { learnSsrc: true },
        );
        producers.push(producerId);
      });
      let lastPackets = -1;
      const watchdog = setInterval(() => {
        const packets = producers.reduce(
          (sum, p) => sum + (deps.router.packetsOf(stream.id, p) ?? 0),
          0,
        );
        if (packets === lastPackets) {
          deps.log(
            `WHIP session for ${stream.id} received nothing for ${SILENCE_MS / 1000} s; closing it`,
          );
          void end(id);
        }
        lastPackets = packets;
      }, SILENCE_MS);
      watchdog.unref();
      sessions.set(id, {
        streamId: stream.id,
        owner,
        transportId: transport.id,
        keyHash: deps.hashKey(key),
        producers,
        watchdog,
      });
    } catch (error) {
      await deps.router.closeOwner(owner);
      throw error;
    }
    const answer = whipAnswer(offer, {
      transport,
      chosen,
      maxBitrate: deps.router.maxIncomingBitrate,
    });
    if (links) reply.header('link', links);
    return reply
      .status(201)
      .header('content-type', 'application/sdp')
      .header('location', `${WHIP_PATH}/${id}`)
      .send(answer);
  });

  const session = (request: FastifyRequest<{ Params: { id: string } }>) => {
    const found = sessions.get(request.params.id);
    if (!found) throw new OnAirError('NOT_FOUND', 'No such WHIP session');
    if (deps.hashKey(bearer(request)) !== found.keyHash) {
      throw new OnAirError('UNAUTHORIZED', 'Not the key this session was started with');
    }
    return found;
  };

  app.delete<{ Params: { id: string } }>(`${WHIP_PATH}/:id`, async (request, reply) => {
    session(request);
    await end(request.params.id);
    return reply.status(200).send();
  });

  app.patch<{ Params: { id: string } }>(`${WHIP_PATH}/:id`, async (request, reply) => {
    session(request);
    return refusePatch(reply, 'WHIP');
  });

  // A session whose transport the server closed (key rotated, stream ended) is gone too.
  const off = deps.router.on('transportClosed', ({ owner }) => {
    for (const [id, s] of sessions) if (s.owner === owner) void end(id);
  });

  return {
    async close() {
      off();
      await Promise.all([...sessions.keys()].map(end));
    },
  };
}
