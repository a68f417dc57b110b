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
