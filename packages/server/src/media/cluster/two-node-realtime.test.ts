import type {
  ProducerInfo,
  RtpCapabilities,
  RtpParameters,
  TransportOptions,
} from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtpHeader } from 'werift';
import { type ClusterNode, type TestCluster, testCluster } from '../../../test/cluster.js';
import { type RealtimeClient, realtimeClient } from '../../../test/harness.js';
import { RtpTestSource } from '../../../test/rtp-test-source.js';
import { ask, connectedPeer, type WeriftPeer } from '../../../test/werift-peer.js';
import { OFFER } from '../../../test/whep-fixtures.js';

/*
 * Real time across two server processes sharing PostgreSQL and Redis: a
 * publisher (a real encoder's H.264 and Opus sent over ICE/DTLS/SRTP, as a
 * browser sends them) on node A, real-time viewers on node B, which pipes
 * the stream from A once (found in the media registry). The publisher's
 * connection to A drops and it reconnects to B: B takes the stream over,
 * its viewers keep watching, and A does not end the stream when its grace
 * period runs out. A key rotated and the stream ended through A reach the
 * publisher and the viewers on B. A viewer's WHEP session on B ends when the
 * viewer unfollows through A (every server re-checks its own sessions).
 */

type Client = RealtimeClient;

const VIDEO_SSRC = 11_111;
const AUDIO_SSRC = 22_222;
const video: RtpParameters = {
  codecs: [
    {
      mimeType: 'video/H264',
      payloadType: 102,
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
    },
  ],
  headerExtensions: [],
  encodings: [{ ssrc: VIDEO_SSRC }],
  rtcp: { cname: 'two-node-publisher' },
};
const audio: RtpParameters = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
  headerExtensions: [],
  encodings: [{ ssrc: AUDIO_SSRC }],
  rtcp: { cname: 'two-node-publisher' },
};

let cluster: TestCluster;
let nodeA: ClusterNode;
let nodeB: ClusterNode;
const sockets: Client[] = [];
const peers: WeriftPeer[] = [];
let encoder: RtpTestSource | undefined;

beforeAll(async () => {
  cluster = await testCluster();
  const media = { rtmpPort: false as const, announcedAddresses: ['127.0.0.1'] };
  nodeA = await cluster.startNode({ media: { ...media, reconnectGraceSeconds: 3 } });
  nodeB = await cluster.startNode({ media: { ...media, reconnectGraceSeconds: 3 } });
}, 40_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const peer of peers) await peer.close();
  encoder?.stop();
  await cluster?.close();
});

/** A realtime connection to `node`, closed after the tests. */
async function realtime(node: ClusterNode, token?: string): Promise<Client> {
  const socket = await realtimeClient(node.url, token);
  sockets.push(socket);
  return socket;
}

async function peerOf(socket: Client, transport: TransportOptions): Promise<WeriftPeer> {
  const peer = await connectedPeer(socket, transport);
  peers.push(peer);
  return peer;
}

/** Publishes the encoder's tracks on `node` for the stream; returns the publisher's connection. */
async function publish(node: ClusterNode, token: string, streamId: string) {
  const socket = await realtime(node, token);
  const transport = await ask<TransportOptions>(socket, 'media:createTransport', {
    streamId,
    direction: 'send',
  });
  const peer = await peerOf(socket, transport);
  for (const [kind, rtpParameters] of [
    ['video', video],
    ['audio', audio],
  ] as const) {
    await ask(socket, 'media:produce', { transportId: transport.id, kind, rtpParameters });
  }
  return { socket, peer };
}

/** The next `media:producer` of `kind` on a connection. */
const announced = (socket: Client, kind: 'audio' | 'video') =>
  new Promise<ProducerInfo>((resolve) => {
    const listener = (info: ProducerInfo) => {
      if (info.kind !== kind) return;
      socket.off('media:producer', listener);
      resolve(info);
    };
    socket.on('media:producer', listener);
  });

describe('real time across two server processes', () => {
  it('pipes A’s publisher to viewers on B, and follows the publisher when it moves to B', async () => {
    const token = await cluster.token(nodeA, 'Two-node host');
    const created = await fetch(`${nodeA.url}/v1/streams`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ title: 'Real time across machines', privacy: 'public' }),
    });
    const streamId = ((await created.json()) as { stream: { id: string } }).stream.id;
    const started = await fetch(`${nodeA.url}/v1/streams/${streamId}/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(started.status).toBe(200);

    // The encoder's packets go to whichever connection publishes now.
    let sendTo: WeriftPeer | undefined;
    encoder = new RtpTestSource({ width: 320, height: 240, seconds: 60, keyframeSeconds: 1 });
    for (const [track, ssrc] of [
      [encoder.video, VIDEO_SSRC],
      [encoder.audio, AUDIO_SSRC],
    ] as const) {
      track?.onPacket((packet) =>
        sendTo?.send(packet.payload, new RtpHeader({ ...packet.header, ssrc })),
      );
    }
    await encoder.start();
    const onA = await publish(nodeA, token, streamId);
    sendTo = onA.peer;

    // Two viewers on B: each gets B's (relayed) producers, announced once the pipe is up.
    const viewers = [];
    for (const name of ['first', 'second']) {
      const socket = await realtime(nodeB);
      const joined = await ask<{ producers: ProducerInfo[] }>(socket, 'stream:join', { streamId });
      const capabilities = await ask<RtpCapabilities>(socket, 'media:capabilities', { streamId });
      const next = announced(socket, 'video');
      const transport = await ask<TransportOptions>(socket, 'media:createTransport', {
        streamId,
        direction: 'recv',
      });
      const producer = joined.producers.find((p) => p.kind === 'video') ?? (await next);
      const consumer = await ask<{ id: string }>(socket, 'media:consume', {
        transportId: transport.id,
        producerId: producer.producerId,
        rtpCapabilities: capabilities,
      });
      const peer = await peerOf(socket, transport);
      await ask(socket, 'media:resume', { consumerId: consumer.id });
      viewers.push({ name, socket, transport, capabilities, peer, producer });
    }
    // Their video flows: keyframes are asked of the publisher through the pipe.
    for (const viewer of viewers) {
      await expect
        .poll(() => viewer.peer.received, { timeout: 15_000, message: viewer.name })
        .toBeGreaterThan(150);
    }
    // The second viewer found the relay up: the producer came with its join.
    const [first, second] = viewers;
    expect(second?.producer.producerId).toBe(first?.producer.producerId);

    // The publisher's connection to A drops; it reconnects to B and publishes there.
    const dropped = new Promise((resolve) => first?.socket.once('media:producerClosed', resolve));
    sendTo = undefined;
    onA.socket.disconnect();
    await dropped;
    const moved = announced(first?.socket as Client, 'video');
    const onB = await publish(nodeB, token, streamId);
    sendTo = onB.peer;
    const local = await moved;
    expect(local.producerId).not.toBe(first?.producer.producerId);

    // B holds the stream now (the registry says so) and its viewer watches B's producer.
    const entry = JSON.parse(
      (await cluster.redis.get(`${cluster.prefix}media:holder:${streamId}`)) ?? '{}',
    );
    expect(entry.url).toBe(nodeB.url);
    const consumer = await ask<{ id: string }>(first?.socket as Client, 'media:consume', {
      transportId: first?.transport.id,
      producerId: local.producerId,
      rtpCapabilities: first?.capabilities,
    });
    await ask(first?.socket as Client, 'media:resume', { consumerId: consumer.id });
    const before = first?.peer.received ?? 0;
    await expect
      .poll(() => first?.peer.received, { timeout: 15_000 })
      .toBeGreaterThan(before + 150);

    // A's grace period (3 s) ran out meanwhile: the publisher is on B, so A did not end it.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const stream = await fetch(`${nodeB.url}/v1/streams/${streamId}`);
    expect(((await stream.json()) as { status: string }).status).toBe('live');

    // The key is rotated through A: the publisher, on B, is disconnected all the same.
    const closed = (socket: Client) =>
      new Promise<string>((resolve) =>
        socket.once('media:transportClosed', ({ reason }) => resolve(reason)),
      );
    const publisherClosed = closed(onB.socket);
    const rotated = await fetch(`${nodeA.url}/v1/streams/${streamId}/key`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(rotated.status).toBe(200);
    expect(await publisherClosed).toBe('key-rotated');

    // The stream is ended through A: its viewers' media on B ends with it.
    const viewerClosed = closed(first?.socket as Client);
    const ended = await fetch(`${nodeA.url}/v1/streams/${streamId}/end`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ended.status).toBe(200);
    expect(await viewerClosed).toBe('stream-ended');
  }, 90_000);

  it('ends a WHEP session on B when its viewer loses the stream through A', async () => {
    const host = await cluster.token(nodeA, 'Followers-only host');
    const viewer = await cluster.token(nodeB, 'Follower on B');
    const as = (token: string, init: RequestInit = {}): RequestInit => ({
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
    const created = await fetch(
      `${nodeA.url}/v1/streams`,
      as(host, { method: 'POST', body: JSON.stringify({ title: 'Fans', privacy: 'followers' }) }),
    );
    const stream = ((await created.json()) as { stream: { id: string; owner: { id: string } } })
      .stream;
    const streamId = stream.id;
    const follow = `/v1/channels/${stream.owner.id}/follow`;
    expect(
      (await fetch(`${nodeA.url}/v1/streams/${streamId}/start`, as(host, { method: 'POST' })))
        .status,
    ).toBe(200);
    expect((await fetch(`${nodeB.url}${follow}`, as(viewer, { method: 'PUT' }))).status).toBe(200);
    await publish(nodeA, host, streamId);

    // Two followers play on B, each with their own playback token (relayed from A).
    const other = await cluster.token(nodeB, 'Keeps following');
    expect((await fetch(`${nodeB.url}${follow}`, as(other, { method: 'PUT' }))).status).toBe(200);
    const play = async (token: string) => {
      const read = await fetch(`${nodeB.url}/v1/streams/${streamId}`, as(token));
      const { hlsUrl } = (await read.json()) as { hlsUrl: string };
      const playback = new URL(hlsUrl, nodeB.url).searchParams.get('token');
      const offered = await fetch(`${nodeB.url}/whep/${streamId}?token=${playback}`, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp' },
        body: OFFER,
      });
      expect(offered.status).toBe(201);
      const session = new URL(offered.headers.get('location') ?? '', nodeB.url).href;
      // A session answers a trickle PATCH 405 while it lasts, 404 once it ended.
      return async () =>
        (
          await fetch(session, {
            method: 'PATCH',
            headers: { 'content-type': 'application/trickle-ice-sdpfrag' },
            body: 'a=mid:0\r\n',
          })
        ).status;
    };
    const [leaving, staying] = [await play(viewer), await play(other)];
    expect([await leaving(), await staying()]).toEqual([405, 405]);

    // Unfollowing through A ends that viewer's session on B, well before its connect
    // timeout (15 s), and only theirs.
    expect((await fetch(`${nodeA.url}${follow}`, as(viewer, { method: 'DELETE' }))).status).toBe(
      200,
    );
    await expect.poll(leaving, { timeout: 5_000 }).toBe(404);
    expect(await staying()).toBe(405);
  }, 60_000);
});
