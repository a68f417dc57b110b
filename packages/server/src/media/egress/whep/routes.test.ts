import { OnAirError, type RtpParameters } from '@onair/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SfuRouter } from '../../sfu/router.js';
import { registerWhepRoutes, type WhepSessions } from './routes.js';

/*
 * WHEP sessions over real HTTP in front of a real SFU router whose stream
 * has a (silent) video producer: a session is taken back when no media
 * flows for the idle timeout (short here), and ended from outside for one
 * user when the host's access rules say so.
 */
const STREAM = 'str_whep0001';
let app: FastifyInstance;
let base: string;
let router: SfuRouter;
let whep: WhepSessions;
/** Users the authorizer refuses from now on (uninvited, banned). */
const revoked = new Set<string>();
/** Why the router closed each owner's transport. */
const closedReasons = new Map<string, string>();

const H264: RtpParameters = {
  mid: '0',
  codecs: [
    {
      mimeType: 'video/H264',
      payloadType: 102,
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
    },
  ],
  headerExtensions: [],
  encodings: [{ ssrc: 1111 }],
  rtcp: { cname: 'publisher' },
};

/** A browser's recvonly offer for one video track (H.264). */
const OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=video 9 UDP/TLS/RTP/SAVPF 102',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'a=fingerprint:sha-256 2A:3B:4C:5D:6E:7F:80:91:A2:B3:C4:D5:E6:F7:08:19:2A:3B:4C:5D:6E:7F:80:91:A2:B3:C4:D5:E6:F7:08:19',
  'a=setup:actpass',
  'a=mid:0',
  'a=recvonly',
  'a=rtcp-mux',
  'a=rtpmap:102 H264/90000',
  'a=rtcp-fb:102 nack pli',
  'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  '',
].join('\r\n');

beforeAll(async () => {
  router = await SfuRouter.create({
    announcedAddresses: ['127.0.0.1'],
    realtimeSlots: { idleMs: 400 },
    log: () => undefined,
  });
  router.on('transportClosed', ({ owner, reason }) => closedReasons.set(owner, reason));
  const send = await router.createTransport(STREAM, 'send', 'publisher');
  router.produce({ transportId: send.id, kind: 'video', rtpParameters: H264 }, 'publisher');
  app = Fastify({ forceCloseConnections: true });
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof OnAirError) return reply.status(error.status).send(error.toEnvelope());
    return reply.status(500).send({ code: 'INTERNAL' });
  });
  app.addContentTypeParser('application/sdp', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  // Tokens here are the user ids themselves: what matters is the subject the authorizer gives.
  whep = registerWhepRoutes(app, {
    router,
    authorize: async (_streamId, token) => {
      if (token && revoked.has(token)) throw new OnAirError('UNAUTHORIZED', 'No longer allowed');
      return { subject: token };
    },
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await whep?.close();
  await app?.close();
  await router?.close();
});

/** Opens a WHEP session as `user`; resolves with its URL and why its transport closed, when it did. */
async function play(
  user: string,
): Promise<{ url: string; closedReason: () => string | undefined }> {
  const response = await fetch(`${base}/whep/${STREAM}?token=${user}`, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp' },
    body: OFFER,
  });
  expect(response.status).toBe(201);
  const url = new URL(response.headers.get('location') ?? '', base).href;
  const owner = `whep:${url.split('/').pop()}`;
  return { url, closedReason: () => closedReasons.get(owner) };
}

describe('WHEP sessions', () => {
  it('deletes a session that receives no media once the idle timeout passed', async () => {
    const session = await play('usr_a');
    await expect.poll(session.closedReason).toBe('idle');
    expect((await fetch(session.url, { method: 'DELETE' })).status).toBe(404);
  });

  it("ends one user's sessions of a stream, and no one else's", async () => {
    const a = await play('usr_a');
    const b = await play('usr_b');
    await whep.closeWhepSessionsOf(STREAM, 'usr_a');
    expect(a.closedReason()).toBe('access-revoked');
    expect((await fetch(a.url, { method: 'DELETE' })).status).toBe(404);
    // The other user's session lives on until it is idle in turn.
    await expect.poll(b.closedReason).toBe('idle');
  });

  it('re-asks the authorizer and ends the sessions it now refuses', async () => {
    const kept = await play('usr_kept');
    const gone = await play('usr_gone');
    revoked.add('usr_gone');
    await whep.recheck(STREAM);
    expect(gone.closedReason()).toBe('access-revoked');
    expect(kept.closedReason()).toBeUndefined();
    expect((await fetch(gone.url, { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(kept.url, { method: 'DELETE' })).status).toBe(200);
  });
});
