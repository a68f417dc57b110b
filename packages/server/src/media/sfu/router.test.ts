import type { RtpCapabilities, RtpParameters, TransportOptions } from '@onair/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { RtpHeader } from 'werift';
import { trackParameters, type WeriftPeer, weriftPeer } from '../../../test/werift-peer.js';
import { CONSUMERS_PER_TRANSPORT, SfuRouter, type SfuRouterEvents } from './router.js';
import { ROUTER_RTP_CAPABILITIES } from './router-capabilities.js';

/*
 * The router's real-time slots: how many receive transports one owner may
 * hold, taking back the ones that carry no media, and closing an owner's
 * transports of one stream. Media runs over real ICE/DTLS/SRTP on loopback
 * with werift peers standing in for the browsers.
 */

const OPUS: RtpParameters = {
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
  headerExtensions: [],
  encodings: [{ ssrc: 2222 }],
  rtcp: { cname: 'publisher' },
};
const DEVICE = ROUTER_RTP_CAPABILITIES as unknown as RtpCapabilities;

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function router(realtimeSlots: { idleMs?: number; maxStreamsPerOwner?: number } = {}) {
  const created = await SfuRouter.create({
    announcedAddresses: ['127.0.0.1'],
    realtimeSlots,
    log: () => undefined,
  });
  open.push(created);
  const closed: Array<SfuRouterEvents['transportClosed']> = [];
  created.on('transportClosed', (event) => closed.push(event));
  return { router: created, closed };
}

/** The next `transportClosed` of `transportId`. */
function closedEvent(sfu: SfuRouter, transportId: string) {
  return new Promise<SfuRouterEvents['transportClosed']>((resolve) => {
    const off = sfu.on('transportClosed', (event) => {
      if (event.transportId !== transportId) return;
      off();
      resolve(event);
    });
  });
}

/** A peer connected to one of the router's transports. */
async function connected(sfu: SfuRouter, transport: TransportOptions, owner: string) {
  const peer: WeriftPeer = await weriftPeer(transport);
  open.push(peer);
  sfu.connectTransport(transport.id, peer.dtlsParameters, owner);
  await peer.start();
  return peer;
}

describe('SfuRouter real-time slots', () => {
  it('gives one owner one receive transport per stream and a few streams, even when asked at once', async () => {
    const { router: sfu } = await router({ maxStreamsPerOwner: 2 });
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, () => sfu.createTransport('str_a', 'recv', 'sock_1')),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const refusals = attempts.flatMap((a) => (a.status === 'rejected' ? [a.reason] : []));
    expect(refusals).toHaveLength(9);
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({
        code: 'RATE_LIMITED',
        details: { maxReceiveTransportsPerStream: 1 },
      });
    }
    await sfu.createTransport('str_b', 'recv', 'sock_1');
    await expect(sfu.createTransport('str_c', 'recv', 'sock_1')).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { maxRealtimeStreamsPerConnection: 2 },
    });
    // Others are not held back, and publishing is not a viewing slot.
    await sfu.createTransport('str_a', 'recv', 'sock_2');
    await sfu.createTransport('str_c', 'send', 'sock_1');
  });

  it('closes a receive transport that carries no media, and keeps one that does', async () => {
    // Long enough for a peer's ICE and DTLS to come up on a busy machine.
    const { router: sfu } = await router({ idleMs: 1500 });
    const send = await sfu.createTransport('str_a', 'send', 'publisher');
    const publisher = await connected(sfu, send, 'publisher');
    const { producerId } = sfu.produce(
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
          ssrc: 2222,
          sequenceNumber,
          timestamp: sequenceNumber * 960,
          marker: false,
        }),
      );
    }, 20);
    open.push({ close: () => clearInterval(talk) });

    const idle = await sfu.createTransport('str_a', 'recv', 'sock_idle');
    const watching = await sfu.createTransport('str_a', 'recv', 'sock_watching');
    const idleClosed = closedEvent(sfu, idle.id);
    const consumer = sfu.consume(
      { transportId: watching.id, producerId, rtpCapabilities: DEVICE },
      'sock_watching',
    );
    const viewer = await connected(sfu, watching, 'sock_watching');
    sfu.resumeConsumer(consumer.id, 'sock_watching');

    // Never connected: closed once the idle timeout passed, and its owner is told why.
    expect(await idleClosed).toEqual({
      owner: 'sock_idle',
      transportId: idle.id,
      reason: 'idle',
    });
    // The viewer received media all along: two more idle timeouts (50 packets/s) later it is still open.
    const before = viewer.received;
    await expect
      .poll(() => viewer.received, { timeout: 10_000, interval: 100 })
      .toBeGreaterThan(before + 150);
    expect(sfu.consumerOf(consumer.id)).toBeDefined();

    // The publisher stops: no media flows, and the viewer's slot is taken back too.
    const watchingClosed = closedEvent(sfu, watching.id);
    clearInterval(talk);
    expect((await watchingClosed).reason).toBe('idle');
    // The slot is free again.
    await sfu.createTransport('str_a', 'recv', 'sock_watching');
  });

  it("closes every transport an owner holds for one stream, with the reason, and no other's", async () => {
    const { router: sfu, closed } = await router();
    const mine = await sfu.createTransport('str_a', 'recv', 'sock_1');
    const mySend = await sfu.createTransport('str_a', 'send', 'sock_1');
    const otherStream = await sfu.createTransport('str_b', 'recv', 'sock_1');
    const otherOwner = await sfu.createTransport('str_a', 'recv', 'sock_2');
    await sfu.closeOwnerStream('sock_1', 'str_a', 'access-revoked');
    expect(closed).toEqual(
      expect.arrayContaining([
        { owner: 'sock_1', transportId: mine.id, reason: 'access-revoked' },
        { owner: 'sock_1', transportId: mySend.id, reason: 'access-revoked' },
      ]),
    );
    expect(closed).toHaveLength(2);
    // Gone, while the others are still there (they only lack the producer asked for).
    const consume = (transportId: string, owner: string) => () =>
      sfu.consume({ transportId, producerId: 'pr_none', rtpCapabilities: DEVICE }, owner);
    expect(consume(mine.id, 'sock_1')).toThrow(/Transport not found/);
    expect(consume(otherStream.id, 'sock_1')).toThrow(/Producer not found/);
    expect(consume(otherOwner.id, 'sock_2')).toThrow(/Producer not found/);
    // Its slot on the stream is free again.
    await sfu.createTransport('str_a', 'recv', 'sock_1');
  });
});

describe('SfuRouter limits on what one connection holds', () => {
  it('gives a receive transport one consumer per producer, and a bounded number of them', async () => {
    const { router: sfu } = await router();
    // More producers than a transport may consume: a person more than the cap's worth.
    const producers: string[] = [];
    for (let person = 0; person < CONSUMERS_PER_TRANSPORT / 2 + 1; person++) {
      const owner = `socket-${person}`;
      const send = await sfu.createTransport('str_big', 'send', owner, {
        userId: `usr_${person}`,
        host: person === 0,
      });
      for (const kind of ['audio', 'video'] as const) {
        const ssrc = 1000 + person * 2 + Number(kind === 'video');
        const request = { transportId: send.id, kind, rtpParameters: trackParameters(kind, ssrc) };
        producers.push(sfu.produce(request, owner).producerId);
      }
    }
    const viewer = await sfu.createTransport('str_big', 'recv', 'socket-viewer');
    const consume = (producerId: string) =>
      sfu.consume({ transportId: viewer.id, producerId, rtpCapabilities: DEVICE }, 'socket-viewer');

    const first = consume(producers[0] as string);
    // Asked again (a retry, or a loop): the same consumer, not another.
    for (let i = 0; i < 20; i++) expect(consume(producers[0] as string)).toEqual(first);
    const ids = producers.slice(1, CONSUMERS_PER_TRANSPORT).map((p) => consume(p).id);
    expect(new Set([first.id, ...ids]).size).toBe(CONSUMERS_PER_TRANSPORT);
    expect(() => consume(producers[CONSUMERS_PER_TRANSPORT] as string)).toThrow(
      expect.objectContaining({
        code: 'RATE_LIMITED',
        details: { maxConsumersPerTransport: CONSUMERS_PER_TRANSPORT },
      }),
    );
    // A full transport still answers for the consumers it has.
    expect(consume(producers[1] as string).id).toBe(ids[0]);
  });

  it('closes a send transport that does not connect in time, and keeps one that does', async () => {
    // Long enough for a peer's ICE and DTLS to come up on a busy machine.
    const sfu = await SfuRouter.create({
      announcedAddresses: ['127.0.0.1'],
      sendConnectTimeoutMs: 2000,
      log: () => undefined,
    });
    open.push(sfu);
    const closed: Array<SfuRouterEvents['transportClosed']> = [];
    sfu.on('transportClosed', (event) => closed.push(event));
    const used = await sfu.createTransport('str_a', 'send', 'publisher');
    await connected(sfu, used, 'publisher');
    const unused = await sfu.createTransport('str_b', 'send', 'publisher');
    // The unused one's timeout ends after the used one's.
    expect(await closedEvent(sfu, unused.id)).toEqual({
      owner: 'publisher',
      transportId: unused.id,
      reason: 'failed',
    });
    expect(closed).toHaveLength(1);
    expect(() =>
      sfu.produce({ transportId: unused.id, kind: 'audio', rtpParameters: OPUS }, 'publisher'),
    ).toThrow(/Transport not found/);
    sfu.produce({ transportId: used.id, kind: 'audio', rtpParameters: OPUS }, 'publisher');
  });
});

describe('SfuRouter with a stage', () => {
  it("feeds HLS from the host's tracks only, tells whose each track is, and closes one member's", async () => {
    const { router: sfu } = await router();
    const host = await sfu.createTransport('str_stage', 'send', 'socket-host', {
      userId: 'usr_host',
      host: true,
    });
    const member = await sfu.createTransport('str_stage', 'send', 'socket-member', {
      userId: 'usr_member',
      host: false,
    });
    const produce = (transportId: string, owner: string, ssrc: number) =>
      sfu.produce(
        {
          transportId,
          kind: 'audio',
          rtpParameters: { ...OPUS, encodings: [{ ssrc }] },
        },
        owner,
      );
    const { producerId: hostAudio } = produce(host.id, 'socket-host', 1);
    // A member publishing does not count as the host's second track.
    const { producerId: memberAudio } = produce(member.id, 'socket-member', 2);
    expect(() => produce(member.id, 'socket-member', 3)).toThrow(/already publish audio/);

    expect(sfu.hostProducers('str_stage').map((p) => p.id)).toEqual([hostAudio]);
    expect([...sfu.publishingUsers('str_stage')].sort()).toEqual(['usr_host', 'usr_member']);
    expect(sfu.producersOf('str_stage')).toEqual([
      { streamId: 'str_stage', producerId: hostAudio, kind: 'audio', userId: 'usr_host' },
      { streamId: 'str_stage', producerId: memberAudio, kind: 'audio', userId: 'usr_member' },
    ]);

    // A muted member's next track starts muted.
    sfu.setParticipantMuted('str_stage', 'usr_member', true);
    expect(sfu.producers('str_stage').map((p) => p.muted)).toEqual([false, true]);

    // A rotated stream key ends the host's publishing, not the stage's.
    const hostClosed = closedEvent(sfu, host.id);
    await sfu.closeStream('str_stage', 'key-rotated', 'host');
    expect(await hostClosed).toMatchObject({ owner: 'socket-host', reason: 'key-rotated' });
    expect(sfu.producersOf('str_stage').map((p) => p.producerId)).toEqual([memberAudio]);

    const closed = closedEvent(sfu, member.id);
    await sfu.closeParticipant('str_stage', 'usr_member', 'access-revoked');
    expect(await closed).toMatchObject({ owner: 'socket-member', reason: 'access-revoked' });
    expect(sfu.producersOf('str_stage')).toEqual([]);
    const again = await sfu.createTransport('str_stage', 'send', 'socket-member', {
      userId: 'usr_member',
      host: false,
    });
    produce(again.id, 'socket-member', 4);
    expect(sfu.producers('str_stage').map((p) => p.muted)).toEqual([true]);
  });

  it("says what a video shows, a camera or a screen, on its publisher's word only", async () => {
    const changed: string[] = [];
    const sfu = await SfuRouter.create({
      announcedAddresses: ['127.0.0.1'],
      onProducersChanged: (streamId) => changed.push(streamId),
      log: () => undefined,
    });
    open.push(sfu);
    const announced: Array<SfuRouterEvents['producer']> = [];
    sfu.on('producer', (info) => announced.push(info));
    const member = await sfu.createTransport('str_share', 'send', 'socket-member', {
      userId: 'usr_member',
      host: false,
    });
    const produce = (kind: 'audio' | 'video', ssrc: number, appData?: Record<string, unknown>) =>
      sfu.produce(
        { transportId: member.id, kind, rtpParameters: trackParameters(kind, ssrc), appData },
        'socket-member',
      ).producerId;
    // Shared before publishing: the first announcement says so.
    const video = produce('video', 11, { source: 'screen' });
    const audio = produce('audio', 12);
    expect(sfu.stagePeople('str_share')[0]?.video?.source).toBe('screen');
    expect(announced.map((info) => info.source)).toEqual(['screen', undefined]);

    // Back to the camera: announced again, and what the stage shows changes.
    changed.length = 0;
    sfu.setSource(video, 'camera', 'socket-member');
    expect(announced.at(-1)).toEqual({
      streamId: 'str_share',
      producerId: video,
      kind: 'video',
      userId: 'usr_member',
    });
    expect(changed).toEqual(['str_share']);
    // The same again changes nothing.
    sfu.setSource(video, 'camera', 'socket-member');
    expect([announced.length, changed.length]).toEqual([3, 1]);

    // Nobody else's word counts, and audio has no source.
    expect(() => sfu.setSource(video, 'screen', 'socket-other')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(() => sfu.setSource(audio, 'screen', 'socket-member')).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
    sfu.setSource(video, 'screen', 'socket-member');
    expect(sfu.producersOf('str_share')[0]).toMatchObject({ producerId: video, source: 'screen' });
  });
});
