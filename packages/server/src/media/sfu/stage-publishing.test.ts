import type {
  ConsumerOptions,
  RtpCapabilities,
  TransportClosed,
  TransportOptions,
} from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtpHeader } from 'werift';
import { nextEvent, type RealtimeClient } from '../../../test/harness.js';
import { realtimeSuite } from '../../../test/realtime-suite.js';
import { RtpTestSource } from '../../../test/rtp-test-source.js';
import { ask, connectedPeer, trackParameters, type WeriftPeer } from '../../../test/werift-peer.js';

/*
 * Several publishers on one stream, against a real server and its SFU: the
 * owner and a co-host each send a real encoder's H.264 and Opus over
 * ICE/DTLS/SRTP (as browsers do); a real-time viewer receives all four
 * tracks, each marked with whose it is. Muting the co-host silences their
 * audio for the viewer; taking them off the stage closes their transport
 * and their tracks at once, and they may not publish again.
 */

const suite = realtimeSuite({
  server: { media: { rtmpPort: false, announcedAddresses: ['127.0.0.1'], ladder: [] } },
});
const { room } = suite;
let encoder: RtpTestSource;
const peers: WeriftPeer[] = [];
/** Packets of the encoder go to each publisher's peer, with that publisher's SSRCs. */
const publishers: Array<{ peer: WeriftPeer; video: number; audio: number }> = [];

beforeAll(async () => {
  encoder = new RtpTestSource({ width: 320, height: 240, seconds: 90, keyframeSeconds: 1 });
  encoder.video.onPacket((packet) => {
    for (const p of publishers)
      p.peer.send(packet.payload, new RtpHeader({ ...packet.header, ssrc: p.video }));
  });
  encoder.audio?.onPacket((packet) => {
    for (const p of publishers)
      p.peer.send(packet.payload, new RtpHeader({ ...packet.header, ssrc: p.audio }));
  });
  await encoder.start();
}, 30_000);

// Before the suite's own afterAll (declared first, run last) closes the server.
afterAll(async () => {
  encoder?.stop();
  for (const peer of peers) await peer.close();
});

/** Publishes the encoder's tracks as `token`'s user, with its own SSRCs. */
async function publish(socket: RealtimeClient, streamId: string, ssrcBase: number) {
  const transport = await ask<TransportOptions>(socket, 'media:createTransport', {
    streamId,
    direction: 'send',
  });
  const peer = await connectedPeer(socket, transport);
  peers.push(peer);
  const publisher = { peer, video: ssrcBase + 1, audio: ssrcBase + 2 };
  for (const kind of ['video', 'audio'] as const) {
    await ask(socket, 'media:produce', {
      transportId: transport.id,
      kind,
      rtpParameters: trackParameters(kind, publisher[kind]),
    });
  }
  publishers.push(publisher);
  return transport;
}

const stagePath = (streamId: string, userId: string) =>
  `/v1/streams/${streamId}/stage/members/${userId}`;

/** Packets a consumer gets over `ms`. */
async function flowOver(peer: WeriftPeer, ssrc: number, ms: number): Promise<number> {
  const before = peer.receivedOf(ssrc);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return peer.receivedOf(ssrc) - before;
}

describe('several publishers on one stream', () => {
  it('sends a real-time viewer every publisher’s tracks, mutes and removes a co-host at once', async () => {
    const { server } = suite;
    const owner = await server.token('Host');
    const cohost = await server.token('Co-host');
    const viewer = await server.token('Viewer');
    const streamId = await server.liveStream(owner.token);

    // Not on stage: no publishing.
    const cohostRoom = await room(cohost.token, streamId);
    const refused = await cohostRoom.socket.emitWithAck('media:createTransport', {
      streamId,
      direction: 'send',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const invited = await server.request(stagePath(streamId, cohost.userId), {
      method: 'PUT',
      token: owner.token,
      json: { role: 'cohost' },
    });
    expect(invited.status).toBe(200);
    const ownerRoom = await room(owner.token, streamId);
    await publish(ownerRoom.socket, streamId, 1000);
    const cohostTransport = await publish(cohostRoom.socket, streamId, 2000);
    // One of each kind per person: a second video of the co-host's is refused.
    const again = await cohostRoom.socket.emitWithAck('media:produce', {
      transportId: cohostTransport.id,
      kind: 'video',
      rtpParameters: trackParameters('video', 2009),
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    // The stage shows the co-host publishing.
    await expect
      .poll(async () => {
        const response = await server.request(`/v1/streams/${streamId}/stage`);
        const stage = (await response.json()) as { members: Array<{ publishing: boolean }> };
        return stage.members.map((m) => m.publishing);
      })
      .toEqual([true]);

    // A viewer joining gets four producers, the host's first, each with whose it is.
    const { socket, producers } = await room(viewer.token, streamId);
    expect(producers.map((p) => [p.userId, p.kind])).toEqual([
      [owner.userId, 'video'],
      [owner.userId, 'audio'],
      [cohost.userId, 'video'],
      [cohost.userId, 'audio'],
    ]);
    const capabilities = await ask<RtpCapabilities>(socket, 'media:capabilities', { streamId });
    const transport = await ask<TransportOptions>(socket, 'media:createTransport', {
      streamId,
      direction: 'recv',
    });
    const consumers: ConsumerOptions[] = [];
    for (const producer of producers) {
      consumers.push(
        await ask<ConsumerOptions>(socket, 'media:consume', {
          transportId: transport.id,
          producerId: producer.producerId,
          rtpCapabilities: capabilities,
        }),
      );
    }
    const peer = await connectedPeer(socket, transport);
    peers.push(peer);
    for (const consumer of consumers)
      await ask(socket, 'media:resume', { consumerId: consumer.id });
    const ssrcOf = (i: number) => consumers[i]?.rtpParameters.encodings?.[0]?.ssrc ?? -1;
    const [hostAudio, cohostVideo, cohostAudio] = [ssrcOf(1), ssrcOf(2), ssrcOf(3)];
    for (const i of [0, 1, 2, 3]) {
      await expect.poll(() => peer.receivedOf(ssrcOf(i)), { timeout: 10_000 }).toBeGreaterThan(10);
    }

    // Muted by the host: the co-host's audio stops for the viewer, the host's goes on.
    const mute = (mutedByHost: boolean) =>
      server.request(stagePath(streamId, cohost.userId), {
        method: 'PATCH',
        token: owner.token,
        json: { mutedByHost },
      });
    expect((await mute(true)).status).toBe(200);
    await flowOver(peer, cohostAudio, 300); // What was in flight.
    expect(await flowOver(peer, cohostAudio, 1000)).toBe(0);
    expect(await flowOver(peer, hostAudio, 1000)).toBeGreaterThan(20);
    expect((await mute(false)).status).toBe(200);
    await expect.poll(() => flowOver(peer, cohostAudio, 500)).toBeGreaterThan(5);

    // Taken off the stage: their transport closes, every viewer loses their tracks.
    const closed = nextEvent<TransportClosed>(
      cohostRoom.socket,
      'media:transportClosed',
      () => true,
    );
    const gone: string[] = [];
    socket.on('media:producerClosed', (info) => gone.push(info.producerId));
    const removed = await server.request(stagePath(streamId, cohost.userId), {
      method: 'DELETE',
      token: owner.token,
    });
    expect(removed.status).toBe(204);
    expect(await closed).toEqual({ transportId: cohostTransport.id, reason: 'access-revoked' });
    await expect
      .poll(() => [...gone].sort())
      .toEqual([producers[2]?.producerId, producers[3]?.producerId].sort());
    expect(await flowOver(peer, cohostVideo, 500)).toBe(0);
    expect(await flowOver(peer, ssrcOf(0), 500)).toBeGreaterThan(5);
    expect(
      await cohostRoom.socket.emitWithAck('media:createTransport', { streamId, direction: 'send' }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it("caps what a publisher sends at the stream's quality preset (REMB): 360p allows 800 kbit/s", async () => {
    const { server } = suite;
    const owner = await server.token('Capped host');
    const capped = await server.liveStream(owner.token, { qualityPreset: '360p' });
    const open = await server.liveStream(owner.token, { qualityPreset: '1080p' });
    const { socket } = await room(owner.token, capped);
    await publish(socket, capped, 7000);
    const second = await room(owner.token, open);
    await publish(second.socket, open, 8000);
    const [cappedPeer, openPeer] = peers.slice(-2) as [WeriftPeer, WeriftPeer];
    await expect.poll(() => cappedPeer.rembs.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => openPeer.rembs.length, { timeout: 10_000 }).toBeGreaterThan(0);
    // REMB's mantissa and exponent round down a little.
    expect(cappedPeer.rembs.at(-1)).toBeGreaterThan(790_000);
    expect(cappedPeer.rembs.at(-1)).toBeLessThanOrEqual(800_000);
    // 1080p's rung (5 Mbit/s) is above the server's own cap: the server's holds.
    expect(openPeer.rembs.at(-1)).toBeGreaterThan(2_900_000);
    expect(openPeer.rembs.at(-1)).toBeLessThanOrEqual(3_000_000);
  });
});
