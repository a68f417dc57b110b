import type { MediaKind, RtpParameters } from '@onair/protocol';
import { OnAirError } from '@onair/protocol';
import {
  PictureLossIndication,
  ReceiverEstimatedMaxBitrate,
  RtcpPayloadSpecificFeedback,
  type RtpPacket,
} from 'werift';
import { newId } from '../ids.js';
import { ROUTER_RTP_CAPABILITIES } from './router-capabilities.js';
import type { WebRtcTransport } from './webrtc-transport.js';

/** The media codec a producer sends (not RTX). */
export interface ProducerCodec {
  mimeType: string;
  payloadType: number;
  clockRate: number;
  channels: number | undefined;
  parameters: Record<string, string | number>;
}

type PacketListener = (packet: RtpPacket) => void;

// SSRC the SFU uses as the sender of its own RTCP feedback.
const SFU_RTCP_SSRC = 0x4f4e4149;

/** Picks the media codec out of produce parameters and checks the router supports it. */
export function primaryCodec(kind: MediaKind, rtp: RtpParameters): ProducerCodec {
  const codec = rtp.codecs.find((c) => !/\/(rtx|red|ulpfec)$/i.test(c.mimeType));
  if (!codec) throw new OnAirError('BAD_REQUEST', 'rtpParameters has no media codec');
  const supported = ROUTER_RTP_CAPABILITIES.codecs.some(
    (c) => c.kind === kind && c.mimeType.toLowerCase() === codec.mimeType.toLowerCase(),
  );
  if (!supported) {
    throw new OnAirError('BAD_REQUEST', `Codec ${codec.mimeType} is not supported for ${kind}`);
  }
  return {
    mimeType: codec.mimeType,
    payloadType: codec.payloadType,
    clockRate: codec.clockRate,
    channels: codec.channels,
    parameters: codec.parameters ?? {},
  };
}

/**
 * An incoming track on a send transport. Demultiplexes the transport's RTP by
 * SSRC and hands media packets (not RTX, not padding) to its listeners.
 */
export class Producer {
  readonly id = newId('pr');
  readonly codec: ProducerCodec;
  /** The media SSRC (-1 until learnt from the first packet). */
  ssrc: number;
  private readonly listeners = new Set<PacketListener>();
  private readonly unsubscribe: () => void;
  private rembTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Packets received, for stats and tests. */
  packetsReceived = 0;
  /** Reception statistics (RFC 3550 §6.4.1 and appendix A.8). */
  readonly stats = new ReceptionStats();

  constructor(
    readonly streamId: string,
    readonly kind: MediaKind,
    readonly rtpParameters: RtpParameters,
    private readonly transport: WebRtcTransport,
    maxBitrate: number,
    options: { learnSsrc?: boolean } = {},
  ) {
    this.codec = primaryCodec(kind, rtpParameters);
    const ssrc = rtpParameters.encodings?.[0]?.ssrc;
    if (ssrc === undefined && !options.learnSsrc) {
      throw new OnAirError('BAD_REQUEST', 'rtpParameters.encodings[0].ssrc is required');
    }
    // Without a=ssrc in a WHIP offer, the first packet of the codec's payload type names it.
    this.ssrc = ssrc ?? -1;
    this.unsubscribe = transport.onRtp(this.handleRtp);
    if (kind === 'video') {
      // REMB tells the browser's encoder how far it may ramp up (no transport-cc here).
      this.rembTimer = setInterval(() => this.sendRemb(maxBitrate), 1000);
      this.rembTimer.unref();
    }
  }

  private readonly handleRtp = (packet: RtpPacket): void => {
    if (this.ssrc === -1 && packet.header.payloadType === this.codec.payloadType) {
      this.ssrc = packet.header.ssrc;
    }
    if (packet.header.ssrc !== this.ssrc) return;
    this.stats.record(packet, this.codec.clockRate);
    // Chrome pads with empty packets on the media payload type: useless downstream.
    if (packet.payload.length === 0) return;
    this.packetsReceived++;
    for (const listener of this.listeners) listener(packet);
  };

  /** Subscribes to media packets. */
  onPacket(listener: PacketListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks the publisher for a keyframe (PLI). */
  requestKeyframe(): void {
    if (this.kind !== 'video' || this.closed) return;
    this.transport.sendRtcp([
      new RtcpPayloadSpecificFeedback({
        feedback: new PictureLossIndication({ senderSsrc: SFU_RTCP_SSRC, mediaSsrc: this.ssrc }),
      }),
    ]);
  }

  private sendRemb(bitrate: number): void {
    // REMB carries the bitrate as an 18-bit mantissa and a 6-bit exponent.
    let brMantissa = Math.max(0, Math.floor(bitrate));
    let brExp = 0;
    while (brMantissa >= 1 << 18) {
      brMantissa >>= 1;
      brExp++;
    }
    this.transport.sendRtcp([
      new RtcpPayloadSpecificFeedback({
        feedback: new ReceiverEstimatedMaxBitrate({
          senderSsrc: SFU_RTCP_SSRC,
          mediaSsrc: 0,
          bitrate: BigInt(bitrate),
          brExp,
          brMantissa,
          ssrcNum: 1,
          ssrcFeedbacks: [this.ssrc],
        }),
      }),
    ]);
  }

  /** Stops listening. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    if (this.rembTimer) clearInterval(this.rembTimer);
    this.listeners.clear();
  }
}

/**
 * What a receiver knows about an RTP stream: bytes, the extended highest
 * sequence number against packets received (loss), and interarrival jitter
 * (RFC 3550 §6.4.1, A.8). Padding counts: it is part of what the sender sent.
 */
export class ReceptionStats {
  bytes = 0;
  received = 0;
  private baseSeq = -1;
  private cycles = 0;
  private maxSeq = 0;
  private lastTransit: number | undefined;
  /** Jitter in RTP timestamp units. */
  private jitterUnits = 0;
  private clockRate = 90000;

  record(packet: RtpPacket, clockRate: number): void {
    this.clockRate = clockRate;
    this.bytes += packet.payload.length + 12;
    this.received++;
    const seq = packet.header.sequenceNumber;
    if (this.baseSeq < 0) {
      this.baseSeq = seq;
      this.maxSeq = seq;
    } else {
      const delta = (seq - this.maxSeq + 0x10000) % 0x10000;
      if (delta > 0 && delta < 0x8000) {
        if (seq < this.maxSeq) this.cycles += 0x10000;
        this.maxSeq = seq;
      }
    }
    const arrival = (performance.now() / 1000) * clockRate;
    const transit = arrival - packet.header.timestamp;
    if (this.lastTransit !== undefined) {
      let d = transit - this.lastTransit;
      // Timestamps wrap at 2^32: a jump that large is a wrap, not jitter.
      if (Math.abs(d) > 2 ** 31) d = 0;
      this.jitterUnits += (Math.abs(d) - this.jitterUnits) / 16;
    }
    this.lastTransit = transit;
  }

  /** Packets the sender sent so far, by sequence numbers. */
  get expected(): number {
    return this.baseSeq < 0 ? 0 : this.cycles + this.maxSeq - this.baseSeq + 1;
  }

  /** Interarrival jitter, ms. */
  get jitterMs(): number {
    return (this.jitterUnits / this.clockRate) * 1000;
  }
}
