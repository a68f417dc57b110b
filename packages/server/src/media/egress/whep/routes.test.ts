import { OnAirError } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { H264, OFFER } from '../../../../test/whep-fixtures.js';
import { createHttpApp } from '../../../transport/http/app.js';
import { TRICKLE_ICE_TYPE } from '../../ingest/whip/routes.js';
import { SfuRouter } from '../../sfu/router.js';
import { registerWhepRoutes, type WhepSessions } from './routes.js';

/*
 * WHEP sessions over real HTTP in front of a real SFU router whose stream
 * has a (silent) video producer: a session is taken back when no media
 * flows for the idle timeout (short here), and ended from outside for one
 * user when the host's access rules say so. The app is the server's own,
 * with CORS for one origin: cross-origin players, and the trickle ICE PATCH
 * of stock clients, get the answers the WHEP draft gives them.
 */
const STREAM = 'str_whep0001';
const ALLOWED = 'https://player.example';
let app: FastifyInstance;
let base: string;
let router: SfuRouter;
let whep: WhepSessions;
/** Users the authorizer refuses from now on (uninvited, banned). */
const revoked = new Set<string>();
/** Why the router closed each owner's transport. */
const closedReasons = new Map<string, string>();

beforeAll(async () => {
  router = await SfuRouter.create({
    announcedAddresses: ['127.0.0.1'],
    // Short enough for the idle tests, long enough that the other tests finish on a busy machine.
    realtimeSlots: { idleMs: 2000 },
    log: () => undefined,
  });
  router.on('transportClosed', ({ owner, reason }) => closedReasons.set(owner, reason));
  const send = await router.createTransport(STREAM, 'send', 'publisher');
  router.produce({ transportId: send.id, kind: 'video', rtpParameters: H264 }, 'publisher');
  app = await createHttpApp({ logLevel: 'silent', corsOrigins: [ALLOWED], trustProxy: false });
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
  origin?: string,
): Promise<{ url: string; closedReason: () => string | undefined; response: Response }> {
  const response = await fetch(`${base}/whep/${STREAM}?token=${user}`, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp', ...(origin ? { origin } : {}) },
    body: OFFER,
  });
  expect(response.status).toBe(201);
  const url = new URL(response.headers.get('location') ?? '', base).href;
  const owner = `whep:${url.split('/').pop()}`;
  return { url, closedReason: () => closedReasons.get(owner), response };
}

function patch(url: string): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: { 'content-type': TRICKLE_ICE_TYPE },
    body: 'a=mid:0\r\na=candidate:1 1 UDP 2130706431 192.0.2.10 50000 typ host\r\n',
  });
}

function preflight(path: string, origin: string, method: string): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization,content-type',
    },
  });
}

describe('WHEP sessions', () => {
  it('deletes a session that receives no media once the idle timeout passed', async () => {
    const session = await play('usr_a');
    await expect.poll(session.closedReason, { timeout: 8000 }).toBe('idle');
    expect((await fetch(session.url, { method: 'DELETE' })).status).toBe(404);
  });

  it("ends one user's sessions of a stream, and no one else's", async () => {
    const a = await play('usr_a');
    const b = await play('usr_b');
    await whep.closeWhepSessionsOf(STREAM, 'usr_a');
    expect(a.closedReason()).toBe('access-revoked');
    expect((await fetch(a.url, { method: 'DELETE' })).status).toBe(404);
    // The other user's session lives on until it is idle in turn.
    await expect.poll(b.closedReason, { timeout: 8000 }).toBe('idle');
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

describe('WHEP trickle ICE', () => {
  it('answers a trickle PATCH on a session 405, with the methods it takes', async () => {
    const session = await play('usr_trickle');
    const response = await patch(session.url);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('DELETE');
    expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST' });
    expect((await fetch(session.url, { method: 'DELETE' })).status).toBe(200);
  });

  it('answers a PATCH on an unknown session 404', async () => {
    const response = await patch(`${base}/whep/${STREAM}/no-such-session`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('WHEP CORS', () => {
  it('answers preflights of the endpoint and of a session from an allowed origin', async () => {
    const session = await play('usr_cors');
    const path = new URL(session.url).pathname;
    for (const [target, method] of [
      [`/whep/${STREAM}`, 'POST'],
      [path, 'PATCH'],
      [path, 'DELETE'],
    ] as const) {
      const response = await preflight(target, ALLOWED, method);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      const methods = response.headers.get('access-control-allow-methods') ?? '';
      for (const m of ['POST', 'PATCH', 'DELETE']) expect(methods).toContain(m);
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'authorization,content-type',
      );
    }
    await fetch(session.url, { method: 'DELETE' });
  });

  it('gives a preflight from another origin no allow-origin', async () => {
    const response = await preflight(`/whep/${STREAM}`, 'https://evil.example', 'POST');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets an allowed origin read the answer, and end its session', async () => {
    const { url, response } = await play('usr_cross', ALLOWED);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-expose-headers')).toContain('Location');
    const ended = await fetch(url, { method: 'DELETE', headers: { origin: ALLOWED } });
    expect(ended.status).toBe(200);
    expect(ended.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('still answers an OPTIONS without Origin with what it accepts', async () => {
    const response = await fetch(`${base}/whep/${STREAM}`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('accept-post')).toBe('application/sdp');
  });
});
