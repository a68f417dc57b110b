import type { DtlsParameters, RtpParameters, TransportOptions } from '@onair/protocol';
import {
  IceCandidate,
  ReceiverEstimatedMaxBitrate,
  RTCDtlsFingerprint,
  RTCDtlsParameters,
  RTCDtlsTransport,
  RTCIceGatherer,
  RTCIceTransport,
  RtcpPayloadSpecificFeedback,
  RtpHeader,
} from 'werift';
import type { RealtimeClient } from './harness.js';
import type { RtpTestSource } from './rtp-test-source.js';

/*
 * The client side of one SFU transport, as a browser's would be: a full ICE
 * agent (controlling) and a DTLS client over werift's transport classes,
 * on loopback. It sends RTP (a publisher) and counts the RTP it decrypts
 * (a viewer).
 */

/** A connected-or-connecting WebRTC peer of one SFU transport. */
export interface WeriftPeer {
  /** What the SFU's `connectTransport` takes. */
  dtlsParameters: DtlsParameters;
  /** Runs ICE and DTLS against the transport; resolves once DTLS is up. */
  start(): Promise<void>;
  /** Sends one RTP packet (SRTP) once started. */
  send(payload: Buffer, header: RtpHeader): void;
  /** RTP packets received. */
  readonly received: number;
  /** RTP packets received of one SSRC (one consumer's). */
  receivedOf(ssrc: number): number;
  /** The bitrates the server's REMB allowed this peer's video, bits/s, in order. */
  readonly rembs: readonly number[];
  close(): Promise<void>;
}

/** Prepares a peer of the SFU transport described by `remote` (call `start` after connecting it). */
export async function weriftPeer(remote: TransportOptions): Promise<WeriftPeer> {
  const gatherer = new RTCIceGatherer({ useIpv4: true, useIpv6: false, useTcp: false });
  await gatherer.gather();
  const ice = new RTCIceTransport(gatherer);
  const dtls = new RTCDtlsTransport({}, ice, await RTCDtlsTransport.SetupCertificate(), [7, 1]);
  let received = 0;
  const bySsrc = new Map<number, number>();
  dtls.onRtp.subscribe((packet) => {
    received++;
    bySsrc.set(packet.header.ssrc, (bySsrc.get(packet.header.ssrc) ?? 0) + 1);
  });
  const rembs: number[] = [];
  dtls.onRtcp.subscribe((packet) => {
    if (!(packet instanceof RtcpPayloadSpecificFeedback)) return;
    const { feedback } = packet;
    if (feedback instanceof ReceiverEstimatedMaxBitrate) rembs.push(Number(feedback.bitrate));
  });
  return {
    dtlsParameters: {
      role: 'client',
      fingerprints: dtls.localParameters.fingerprints.map((f) => ({
        algorithm: f.algorithm as 'sha-256',
        value: f.value,
      })),
    },
    async start() {
      ice.setRemoteParams({
        usernameFragment: remote.iceParameters.usernameFragment,
        password: remote.iceParameters.password,
        iceLite: true,
      } as never);
      for (const c of remote.iceCandidates.filter((c) => c.address === '127.0.0.1')) {
        await ice.addRemoteCandidate(
          new IceCandidate(1, c.foundation, c.address, c.port, c.priority, 'udp', 'host'),
        );
      }
      await ice.addRemoteCandidate(undefined);
      dtls.setRemoteParams(
        new RTCDtlsParameters(
          remote.dtlsParameters.fingerprints.map(
            (f) => new RTCDtlsFingerprint(f.algorithm, f.value),
          ),
          'server',
        ),
      );
      dtls.role = 'client';
      await ice.start();
      await dtls.start();
    },
    send(payload, header) {
      dtls.sendRtp(payload, header).catch(() => undefined);
    },
    get received() {
      return received;
    },
    receivedOf(ssrc) {
      return bySsrc.get(ssrc) ?? 0;
    },
    rembs,
    async close() {
      await dtls.stop().catch(() => undefined);
      await ice.stop().catch(() => undefined);
    },
  };
}

/** Sends a realtime request and unwraps its answer (a refusal throws, naming its code). */
export async function ask<T>(socket: RealtimeClient, name: string, payload: unknown): Promise<T> {
  const emit = socket.emitWithAck.bind(socket) as (
    name: string,
    payload: unknown,
  ) => Promise<unknown>;
  const answer = (await emit(name, payload)) as
    | { ok: true; data: T }
    | { ok: false; error: { code: string; message: string } };
  if (!answer.ok) throw new Error(`${name}: ${answer.error.code} ${answer.error.message}`);
  return answer.data;
}

/** A peer of an SFU transport, connected through `socket` (`media:connectTransport`, then ICE and DTLS). */
export async function connectedPeer(
  socket: RealtimeClient,
  transport: TransportOptions,
): Promise<WeriftPeer> {
  const peer = await weriftPeer(transport);
  await ask(socket, 'media:connectTransport', {
    transportId: transport.id,
    dtlsParameters: peer.dtlsParameters,
  });
  await peer.start();
  return peer;
}

/** Producer parameters of a publisher's H.264 (PT 102) or Opus (PT 100) track with its own SSRC. */
export const trackParameters = (kind: 'audio' | 'video', ssrc: number): RtpParameters =>
  kind === 'video'
    ? {
        codecs: [
          {
            mimeType: 'video/H264',
            payloadType: 102,
            clockRate: 90000,
            parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
          },
        ],
        headerExtensions: [],
        encodings: [{ ssrc }],
        rtcp: { cname: `peer-${ssrc}` },
      }
    : {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        headerExtensions: [],
        encodings: [{ ssrc }],
        rtcp: { cname: `peer-${ssrc}` },
      };

/**
 * Publishes a test encoder's video and audio on `streamId` as `socket`'s user
 * (a send transport, ICE and DTLS, one producer per kind), forwarding its
 * packets with SSRCs of `ssrcBase + 1` (video) and `+ 2` (audio).
 */
export async function publishEncoder(
  socket: RealtimeClient,
  streamId: string,
  encoder: RtpTestSource,
  ssrcBase: number,
): Promise<{
  peer: WeriftPeer;
  transport: TransportOptions;
  producers: Record<'video' | 'audio', string>;
  /** Kinds whose packets are held back (not sent) for now: a stalled camera, say. */
  held: Set<'video' | 'audio'>;
}> {
  const transport = await ask<TransportOptions>(socket, 'media:createTransport', {
    streamId,
    direction: 'send',
  });
  const peer = await connectedPeer(socket, transport);
  const ssrcs = { video: ssrcBase + 1, audio: ssrcBase + 2 };
  const producers = { video: '', audio: '' };
  for (const kind of ['video', 'audio'] as const) {
    const produced = await ask<{ producerId: string }>(socket, 'media:produce', {
      transportId: transport.id,
      kind,
      rtpParameters: trackParameters(kind, ssrcs[kind]),
    });
    producers[kind] = produced.producerId;
  }
  const held = new Set<'video' | 'audio'>();
  for (const kind of ['video', 'audio'] as const) {
    encoder[kind]?.onPacket((p) => {
      if (!held.has(kind)) peer.send(p.payload, new RtpHeader({ ...p.header, ssrc: ssrcs[kind] }));
    });
  }
  return { peer, transport, producers, held };
}
