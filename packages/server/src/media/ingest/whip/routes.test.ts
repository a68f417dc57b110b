import { createHash } from 'node:crypto';
import { OnAirError } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../transport/http/app.js';
import { SfuRouter } from '../../sfu/router.js';
import { registerWhipRoutes, TRICKLE_ICE_TYPE } from './routes.js';

/*
 * WHIP over real HTTP (the server's own app, with CORS for one origin) in
 * front of a real SFU router: what stock clients and cross-origin browser
 * publishers send besides the offer — a trickle ICE PATCH, CORS preflights,
 * an OPTIONS without Origin — gets the answer RFC 9725 gives it.
 */
const KEY = 'sk_whip_test_key';
const ALLOWED = 'https://studio.example';
let app: FastifyInstance;
let base: string;
let router: SfuRouter;
let whip: { close(): Promise<void> };
/** Each session publishes to a stream of its own (a stream takes one publisher at a time). */
let streams = 0;

/** OBS's sendonly offer for one video track (H.264, no trickle: candidates follow via PATCH). */
const OFFER = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:wxyz',
  'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 2A:3B:4C:5D:6E:7F:80:91:A2:B3:C4:D5:E6:F7:08:19:2A:3B:4C:5D:6E:7F:80:91:A2:B3:C4:D5:E6:F7:08:19',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendonly',
  'a=rtcp-mux',
  'a=rtpmap:96 H264/90000',
  'a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  '',
].join('\r\n');

/** A trickled candidate as OBS and browsers PATCH it (RFC 8840). */
const FRAGMENT = [
  'a=ice-ufrag:wxyz',
  'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:0',
  'a=candidate:1 1 UDP 2130706431 192.0.2.10 50000 typ host',
  '',
].join('\r\n');

beforeAll(async () => {
  router = await SfuRouter.create({ announcedAddresses: ['127.0.0.1'], log: () => undefined });
  app = await createHttpApp({ logLevel: 'silent', corsOrigins: [ALLOWED], trustProxy: false });
  whip = registerWhipRoutes(app, {
    authorize: async (key) => {
      if (key !== KEY) throw new OnAirError('UNAUTHORIZED', 'Unknown stream key');
      return { id: `str_whip${++streams}`, owner: { id: 'usr_whip' } };
    },
    router,
    iceServers: [{ urls: 'stun:stun.example:3478' }],
    hashKey: (key) => createHash('sha256').update(key).digest('hex'),
    log: () => undefined,
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await whip?.close();
  await app?.close();
  await router?.close();
});

/** Starts a WHIP session from `origin` (none: a native client); resolves with its URL. */
async function publish(origin?: string): Promise<{ url: string; response: Response }> {
  const response = await fetch(`${base}/whip`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${KEY}`,
      'content-type': 'application/sdp',
      ...(origin ? { origin } : {}),
    },
    body: OFFER,
  });
  expect(response.status).toBe(201);
  return { url: new URL(response.headers.get('location') ?? '', base).href, response };
}

function patch(url: string, key = KEY): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${key}`, 'content-type': TRICKLE_ICE_TYPE },
    body: FRAGMENT,
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

describe('WHIP trickle ICE', () => {
  it('answers a trickle PATCH on a session 405, with the methods it takes', async () => {
    const { url } = await publish();
    const response = await patch(url);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('DELETE');
    expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST' });
    // The session is untouched: its client can still end it.
    expect(
      (await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } })).status,
    ).toBe(200);
  });

  it('answers a PATCH on an unknown session 404, and one with another key 401', async () => {
    const unknown = await patch(`${base}/whip/no-such-session`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    const { url } = await publish();
    const stranger = await patch(url, 'sk_someone_else');
    expect(stranger.status).toBe(401);
    expect(await stranger.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses a trickle body over its size limit as an envelope', async () => {
    const { url } = await publish();
    const response = await fetch(url, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': TRICKLE_ICE_TYPE },
      body: `a=candidate:${'x'.repeat(20_000)}`,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('WHIP CORS', () => {
  it('answers preflights of the endpoint and of a session from an allowed origin', async () => {
    const { url } = await publish();
    for (const [path, method] of [
      ['/whip', 'POST'],
      [new URL(url).pathname, 'PATCH'],
      [new URL(url).pathname, 'DELETE'],
    ] as const) {
      const response = await preflight(path, ALLOWED, method);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      const methods = response.headers.get('access-control-allow-methods') ?? '';
      for (const m of ['POST', 'PATCH', 'DELETE']) expect(methods).toContain(m);
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'authorization,content-type',
      );
    }
  });

  it('gives a preflight from another origin no allow-origin', async () => {
    const response = await preflight('/whip', 'https://evil.example', 'POST');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets an allowed origin read the answer, and end its session', async () => {
    const { url, response } = await publish(ALLOWED);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const exposed = response.headers.get('access-control-expose-headers') ?? '';
    expect(exposed).toContain('Location');
    expect(exposed).toContain('Link');
    const ended = await fetch(url, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${KEY}`, origin: ALLOWED },
    });
    expect(ended.status).toBe(200);
    expect(ended.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('still answers a native client’s OPTIONS (no Origin) with what it accepts', async () => {
    const response = await fetch(`${base}/whip`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('accept-post')).toBe('application/sdp');
    expect(response.headers.get('link')).toContain('stun:stun.example:3478');
  });
});
