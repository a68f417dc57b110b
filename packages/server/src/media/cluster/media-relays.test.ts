import type { RtpCapabilities, RtpParameters, TransportOptions } from '@onair/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { RtpHeader } from 'werift';
import { type WeriftPeer, weriftPeer } from '../../../test/werift-peer.js';
import { registerErrorHandling } from '../../transport/http/errors.js';
import { SfuRouter } from '../sfu/router.js';
import { ROUTER_RTP_CAPABILITIES } from '../sfu/router-capabilities.js';
import { MediaRelays } from './media-relays.js';
import { NodeLinks } from './node-links.js';
import { PIPE_PATH, registerPipeRoutes } from './pipe-routes.js';
import type { MediaHolder } from './registry.js';

/*
 * Real time across two nodes in one process: node A's router holds the
 * publisher and answers pipe requests over real HTTP; node B's relays ask
 * for a pipe when a viewer there wants the stream, and B's viewers consume
 * the relayed producers. Media runs over real ICE/DTLS/SRTP (werift peers
 * standing in for browsers) and a real UDP pipe on loopback.
 */

const OPUS: RtpParameters = {
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
  headerExtensions: [],
  encodings: [{ ssrc: 4444 }],
  rtcp: { cname: 'publisher' },
};
const DEVICE = ROUTER_RTP_CAPABILITIES as unknown as RtpCapabilities;
const STREAM = 'str_piped';
const SECRET = 'a-stream-key-secret-shared-by-nodes';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function sfu(): Promise<SfuRouter> {
  const router = await SfuRouter.create({
    announcedAddresses: ['127.0.0.1'],
    log: () => undefined,
  });
  open.push(router);
  return router;
}

/** Node A: a router with a publisher of STREAM, answering pipe requests at `url`. */
async function holderNode(secret = SECRET) {
  const router = await sfu();
  const app: FastifyInstance = Fastify();
  registerErrorHandling(app);
  open.push(app);
  const held = new Set([STREAM]);
  let holder: MediaHolder | undefined;
  registerPipeRoutes(app, {
    router,
    node: {
      holds: (id) => held.has(id),
      get holder() {
        return holder;
      },
    },
    links: new NodeLinks(secret, () => holder?.url),
  });
  const url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
  holder = { nodeId: 'node_a', url };

  const send = await router.createTransport(STREAM, 'send', 'publisher');
  const publisher = await connect(router, send, 'publisher');
  const { producerId } = router.produce(
    { transportId: send.id, kind: 'audio', rtpParameters: OPUS },
    'publisher',
  );
  let sequenceNumber = 0;
  const talk = setInterval(() => {
    sequenceNumber++;
    publisher.send(
      Buffer.from([0xf8, 0xff, 0xfe]),
      new RtpHeader({
        payloadType: 111,
        ssrc: 4444,
        sequenceNumber,
        timestamp: sequenceNumber * 960,
      }),
    );
  }, 20);
  open.push({ close: () => clearInterval(talk) });
  return { router, url, producerId, sendTransportId: send.id, held };
}

/** Node B: a router and its relays, finding STREAM on A. */
async function viewerNode(holderUrl: string, lingerMs?: number) {
  const router = await sfu();
  const log: string[] = [];
  const relays = new MediaRelays({
    router,
    node: {
      holds: () => false,
      holder: { nodeId: 'node_b', url: 'http://127.0.0.1:1' },
      peerHolding: async () => ({ nodeId: 'node_a', url: holderUrl }),
      forget: () => undefined,
    },
    links: new NodeLinks(SECRET, () => 'http://127.0.0.1:1'),
    lingerMs,
    log: (line) => log.push(line),
  });
  open.push(relays);
  return { router, relays, log };
}

async function connect(router: SfuRouter, transport: TransportOptions, owner: string) {
  const peer: WeriftPeer = await weriftPeer(transport);
  open.push(peer);
  router.connectTransport(transport.id, peer.dtlsParameters, owner);
  await peer.start();
  return peer;
}

/** A real-time viewer on `router`: consumes the stream's audio once the relay brought it. */
async function watch(router: SfuRouter, relays: MediaRelays, owner: string) {
  const transport = await router.createTransport(STREAM, 'recv', owner);
  await relays.ensure(STREAM);
  const producer = router.producersOf(STREAM).find((p) => p.kind === 'audio');
  expect(producer, 'a relayed producer').toBeDefined();
  const consumer = router.consume(
    { transportId: transport.id, producerId: producer?.producerId ?? '', rtpCapabilities: DEVICE },
    owner,
  );
  const peer = await connect(router, transport, owner);
  router.resumeConsumer(consumer.id, owner);
  return peer;
}

describe('MediaRelays: real time from the node holding the publisher', () => {
  it('pipes a stream once to a node however many viewers it has, and ends with its publisher', async () => {
    const a = await holderNode();
    const b = await viewerNode(a.url);
    const first = await watch(b.router, b.relays, 'sock_1');
    const second = await watch(b.router, b.relays, 'sock_2');
    await expect.poll(() => first.received, { timeout: 10_000 }).toBeGreaterThan(25);
    await expect.poll(() => second.received, { timeout: 10_000 }).toBeGreaterThan(25);

    // One pipe out of A, one into B; B's producers are relayed, so B has no publisher.
    expect(a.router.pipesOf(STREAM)).toEqual({ out: 1, in: 0 });
    expect(b.router.pipesOf(STREAM)).toEqual({ out: 0, in: 1 });
    expect(b.router.localProducers(STREAM)).toEqual([]);
    expect(b.relays.relayed).toEqual([STREAM]);

    // The publisher leaves A: A's pipe says BYE, and B's relayed producers close with it.
    const closed: string[] = [];
    b.router.on('producerClosed', (info) => closed.push(info.producerId));
    const relayedId = b.router.producersOf(STREAM)[0]?.producerId;
    await a.router.closeTransport(a.sendTransportId, 'publisher');
    await expect.poll(() => closed, { timeout: 3_000 }).toEqual([relayedId]);
    expect(b.router.producersOf(STREAM)).toEqual([]);
    expect(a.router.pipesOf(STREAM)).toEqual({ out: 0, in: 0 });
  });

  it('closes the relay once the stream has had no viewer here for the linger, and A its side', async () => {
    const a = await holderNode();
    const b = await viewerNode(a.url, 300);
    await watch(b.router, b.relays, 'sock_1');
    expect(a.router.pipesOf(STREAM).out).toBe(1);
    await b.router.closeOwner('sock_1');
    await expect.poll(() => b.router.pipesOf(STREAM).in, { timeout: 5_000 }).toBe(0);
    // The BYE reached A: its consumer side goes too (well before the silence timeout).
    await expect.poll(() => a.router.pipesOf(STREAM).out, { timeout: 2_000 }).toBe(0);
    expect(b.relays.relayed).toEqual([]);
  });

  it('asks again when the pipe ends while viewers remain (the publisher came back)', async () => {
    const a = await holderNode();
    const b = await viewerNode(a.url);
    await watch(b.router, b.relays, 'sock_1');
    const announced: string[] = [];
    b.router.on('producer', (info) => announced.push(info.producerId));
    // The publisher reconnects on A: a new transport and producer replace the old ones.
    await a.router.closeTransport(a.sendTransportId, 'publisher');
    const send = await a.router.createTransport(STREAM, 'send', 'publisher-2');
    await connect(a.router, send, 'publisher-2');
    a.router.produce({ transportId: send.id, kind: 'audio', rtpParameters: OPUS }, 'publisher-2');
    // B's viewer is still there: the relay is asked for again and its producer announced.
    await expect.poll(() => announced.length, { timeout: 5_000 }).toBe(1);
    expect(a.router.pipesOf(STREAM).out).toBe(1);
  });

  it('refuses a pipe request that is not signed with the nodes’ secret, or for a stream not held', async () => {
    const a = await holderNode();
    const ask = (body: object) =>
      fetch(`${a.url}${PIPE_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const forged = new NodeLinks('another-secret-altogether-entirely', () => undefined).pipeRequest(
      a.url,
      STREAM,
      '127.0.0.1',
      9,
    );
    const refused = await ask(forged);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBe('UNAUTHORIZED');
    const links = new NodeLinks(SECRET, () => 'http://127.0.0.1:1');
    const expired = links.pipeRequest(a.url, STREAM, '127.0.0.1', 9, Date.now() - 60_000);
    expect((await ask(expired)).status).toBe(401);
    // Made of another node of the deployment, replayed here.
    expect(
      (await ask(links.pipeRequest('http://127.0.0.1:2', STREAM, '127.0.0.1', 9))).status,
    ).toBe(401);
    expect((await ask({ streamId: STREAM })).status).toBe(400);
    a.held.delete(STREAM);
    const notHeld = await ask(links.pipeRequest(a.url, STREAM, '127.0.0.1', 9));
    expect(notHeld.status).toBe(503);
    expect(((await notHeld.json()) as { code: string }).code).toBe('MEDIA_UNAVAILABLE');
    // No pipe was opened for any of them.
    expect(a.router.pipesOf(STREAM)).toEqual({ out: 0, in: 0 });
  });
});
