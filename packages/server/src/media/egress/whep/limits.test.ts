import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RTCPeerConnection, RtpHeader } from 'werift';
import { trackParameters, weriftPeer } from '../../../../test/werift-peer.js';
import { H264, OFFER } from '../../../../test/whep-fixtures.js';
import { createHttpApp } from '../../../transport/http/app.js';
import { SfuRouter } from '../../sfu/router.js';
import type { WhepLimits } from './limits.js';
import { registerWhepRoutes, type WhepSessions } from './routes.js';

/*
 * What one WHEP client may take, over real HTTP in front of a real SFU router
 * whose streams have a (silent) video producer and the default idle timeout
 * (30 s): sessions held per client and stream, session creations per client,
 * and how soon a session whose client never connects gives its slot back.
 * The client is the playback token's subject when it has one, else the
 * address (X-Forwarded-For only behind `trustProxy`).
 */
let router: SfuRouter;
/** Why the router closed each owner's transport. */
const closedReasons = new Map<string, string>();
const servers: Array<{ app: FastifyInstance; whep: WhepSessions }> = [];

let streams = 0;
/** A new live stream (a silent video producer). */
async function liveStream(): Promise<string> {
  const id = `str_whepcap${String(++streams).padStart(3, '0')}`;
  const send = await router.createTransport(id, 'send', `publisher-${id}`);
  router.produce({ transportId: send.id, kind: 'video', rtpParameters: H264 }, `publisher-${id}`);
  return id;
}

/** A server's WHEP endpoint with `limits`; tokens are user ids (the authorizer's subject). */
async function start(
  limits: Partial<WhepLimits>,
  trustProxy: boolean | string[] = false,
): Promise<string> {
  const app = await createHttpApp({ logLevel: 'silent', corsOrigins: [], trustProxy });
  const whep = registerWhepRoutes(app, {
    router,
    limits,
    authorize: async (_streamId, token) => ({ subject: token }),
  });
  servers.push({ app, whep });
  return app.listen({ port: 0, host: '127.0.0.1' });
}

function offer(
  base: string,
  streamId: string,
  who: { token?: string; forwardedFor?: string } = {},
): Promise<Response> {
  const query = who.token ? `?token=${who.token}` : '';
  return fetch(`${base}/whep/${streamId}${query}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/sdp',
      ...(who.forwardedFor ? { 'x-forwarded-for': who.forwardedFor } : {}),
    },
    body: OFFER,
  });
}

const sessionUrl = (base: string, response: Response) =>
  new URL(response.headers.get('location') ?? '', base).href;
const receiversOf = (streamId: string) =>
  router.receivers().filter((r) => r.streamId === streamId).length;

beforeAll(async () => {
  router = await SfuRouter.create({ announcedAddresses: ['127.0.0.1'], log: () => undefined });
  router.on('transportClosed', ({ owner, reason }) => closedReasons.set(owner, reason));
});
afterEach(async () => {
  for (const { app, whep } of servers.splice(0)) {
    await whep.close();
    await app.close();
  }
});
afterAll(async () => {
  await router?.close();
});

describe('WHEP sessions per client', () => {
  it('refuses a client past its sessions of a stream 429, and no one else', async () => {
    const base = await start({ sessionsPerClient: 4, createRate: false });
    const stream = await liveStream();
    const mine: Response[] = [];
    for (let i = 0; i < 4; i++) mine.push(await offer(base, stream));
    expect(mine.map((r) => r.status)).toEqual([201, 201, 201, 201]);

    const refused = await offer(base, stream);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      code: 'RATE_LIMITED',
      details: { maxWhepSessionsPerClient: 4 },
    });
    // Concurrent offers cannot slip past the count either.
    const burst = await Promise.all([offer(base, stream), offer(base, stream)]);
    expect(burst.map((r) => r.status)).toEqual([429, 429]);
    expect(receiversOf(stream)).toBe(4);

    // A signed-in viewer at the same address is another client; so is another stream.
    expect((await offer(base, stream, { token: 'usr_other' })).status).toBe(201);
    expect((await offer(base, await liveStream())).status).toBe(201);

    // Ending a session (DELETE) gives it back.
    const first = mine[0];
    if (!first) throw new Error('no session');
    expect((await fetch(sessionUrl(base, first), { method: 'DELETE' })).status).toBe(200);
    expect((await offer(base, stream)).status).toBe(201);
  });

  it('counts the sessions of one token subject wherever they come from', async () => {
    const base = await start({ sessionsPerClient: 2, createRate: false }, true);
    const stream = await liveStream();
    const statuses: number[] = [];
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      statuses.push(
        (await offer(base, stream, { token: 'usr_roamer', forwardedFor: address })).status,
      );
    }
    expect(statuses).toEqual([201, 201, 429]);
  });

  it('tells anonymous clients apart by X-Forwarded-For only behind a trusted proxy', async () => {
    const trusting = await start({ sessionsPerClient: 1, createRate: false }, ['127.0.0.1']);
    const stream = await liveStream();
    expect((await offer(trusting, stream, { forwardedFor: '203.0.113.1' })).status).toBe(201);
    expect((await offer(trusting, stream, { forwardedFor: '203.0.113.2' })).status).toBe(201);
    expect((await offer(trusting, stream, { forwardedFor: '203.0.113.2' })).status).toBe(429);

    // Without trustProxy a forged header makes no new client: the TCP peer is the client.
    const direct = await start({ sessionsPerClient: 1, createRate: false }, false);
    const other = await liveStream();
    expect((await offer(direct, other, { forwardedFor: '203.0.113.3' })).status).toBe(201);
    expect((await offer(direct, other, { forwardedFor: '203.0.113.4' })).status).toBe(429);
  });
});

describe('WHEP session creation rate', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the burst, per client', async () => {
    const base = await start({
      sessionsPerClient: 0,
      createRate: { capacity: 3, refillPerSecond: 0.5 },
    });
    const stream = await liveStream();
    for (let i = 0; i < 3; i++) {
      const created = await offer(base, stream);
      expect(created.status).toBe(201);
      // Each ended at once: it is the starting, not the holding, that is limited here.
      await fetch(sessionUrl(base, created), { method: 'DELETE' });
    }
    const limited = await offer(base, stream);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(await limited.json()).toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: retryAfter },
    });
    expect(receiversOf(stream)).toBe(0);

    // Another client has its own allowance.
    const other = await offer(base, stream, { token: 'usr_patient' });
    expect(other.status).toBe(201);
    await fetch(sessionUrl(base, other), { method: 'DELETE' });
  });
});

describe('WHEP sessions that never connect', () => {
  it('ends a session whose client never connects, well before the idle timeout', async () => {
    const base = await start({ sessionsPerClient: 1, createRate: false, connectTimeoutMs: 1000 });
    const stream = await liveStream();
    const created = await offer(base, stream);
    expect(created.status).toBe(201);
    const url = sessionUrl(base, created);
    const owner = `whep:${url.split('/').pop()}`;
    // The router's own idle timeout is 30 s here: only the connect deadline ends it this soon.
    await expect.poll(() => closedReasons.get(owner), { timeout: 5000 }).toBe('idle');
    expect(receiversOf(stream)).toBe(0);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(404);
    // Its client's count is given back with its slot.
    expect((await offer(base, stream)).status).toBe(201);
  });
});

describe('WHEP clients that connect', () => {
  it('keeps a stock client that connects, with or without media, past the connect deadline', async () => {
    const base = await start({ sessionsPerClient: 1, createRate: false, connectTimeoutMs: 1000 });
    // A publisher sending (Opus-sized) audio over ICE/DTLS/SRTP, beside a silent video track.
    const streamId = 'str_whepconnected';
    const publisher = `publisher-${streamId}`;
    const send = await router.createTransport(streamId, 'send', publisher);
    const sender = await weriftPeer(send);
    router.connectTransport(send.id, sender.dtlsParameters, publisher);
    await sender.start();
    for (const kind of ['video', 'audio'] as const) {
      router.produce(
        {
          transportId: send.id,
          kind,
          rtpParameters: trackParameters(kind, kind === 'video' ? 1 : 2),
        },
        publisher,
      );
    }
    let sequenceNumber = 0;
    let talking: NodeJS.Timeout | undefined;
    const talk = () => {
      talking = setInterval(() => {
        sequenceNumber = (sequenceNumber + 1) & 0xffff;
        sender.send(
          Buffer.alloc(80, 1),
          new RtpHeader({
            payloadType: 100,
            ssrc: 2,
            sequenceNumber,
            timestamp: sequenceNumber * 960,
          }),
        );
      }, 20);
    };
    // The viewer: an RTCPeerConnection that POSTs its offer once gathered, as WHEP players do.
    const pc = new RTCPeerConnection({ iceServers: [], iceUseIpv6: false });
    try {
      let received = 0;
      pc.addTransceiver('audio', { direction: 'recvonly' });
      pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe(() => received++));
      await pc.setLocalDescription(await pc.createOffer());
      if (pc.iceGatheringState !== 'complete') {
        await new Promise<void>((resolve) =>
          pc.iceGatheringStateChange.subscribe((state) => state === 'complete' && resolve()),
        );
      }
      const response = await fetch(`${base}/whep/${streamId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp' },
        body: pc.localDescription?.sdp ?? '',
      });
      expect(response.status).toBe(201);
      const url = sessionUrl(base, response);
      await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
      // Connected while the publisher is silent (a paused picture, no sound): past the
      // deadline its session stands; then the media it gets plays.
      await expect.poll(() => pc.connectionState, { timeout: 5000 }).toBe('connected');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(closedReasons.get(`whep:${url.split('/').pop()}`)).toBeUndefined();
      talk();
      await expect.poll(() => received, { timeout: 5000 }).toBeGreaterThan(10);
      // Playing, it no longer counts against its client: another viewer behind the same
      // address starts (one session still connecting allowed here), a third waits.
      const offer = () =>
        fetch(`${base}/whep/${streamId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/sdp' },
          body: OFFER,
        });
      const second = await offer();
      expect(second.status).toBe(201);
      expect((await offer()).status).toBe(429);
      expect((await fetch(sessionUrl(base, second), { method: 'DELETE' })).status).toBe(200);
      const before = received;
      await expect.poll(() => received, { timeout: 3000 }).toBeGreaterThan(before + 10);
      expect((await fetch(url, { method: 'DELETE' })).status).toBe(200);
    } finally {
      clearInterval(talking);
      await pc.close();
      await sender.close();
      await router.closeOwner(publisher);
    }
  });
});
