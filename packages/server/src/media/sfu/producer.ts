// One class over ~400 lines on purpose: a publisher's RTP path (demultiplexing by SSRC or RID,
// RTX, NACK, keyframe relay, receiver reports, REMB) runs per packet and shares its state;
// spread over modules it would cost an indirection per packet and say no more.
import type { MediaKind, RtpParameters, VideoSource } from '@onair/protocol';
import { OnAirError } from '@onair/protocol';
import {
  GenericNack,
  PictureLossIndication,
  ReceiverEstimatedMaxBitrate,
  RtcpPayloadSpecificFeedback,
  RtcpRrPacket,
  RtcpSrPacket,
  RtcpTransportLayerFeedback,
  RtpHeader,
  RtpPacket,
} from 'werift';
import { newId } from '../../platform/ids.js';
import type { MediaTransport } from './media-transport.js';
import { NackRequester } from './nack.js';
import { ReceptionStats, type SenderReport } from './reception-stats.js';
import { ROUTER_RTP_CAPABILITIES } from './router-capabilities.js';

/** The media codec a producer sends (not RTX). */
export interface ProducerCodec {
  mimeType: string;
  payloadType: number;
  clockRate: number;
  channels: number | undefined;
  parameters: Record<string, string | number>;
}

type PacketListener = (packet: RtpPacket) => void;
type LayerListener = (packet: RtpPacket, layer: number) => void;

// SSRC the SFU uses as the sender of its own RTCP feedback.
const SFU_RTCP_SSRC = 0x4f4e4149;
const RID_URI = 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id';
const RRID_URI = 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id';
/** How often pending NACKs are looked at, ms. */
const NACK_TICK_MS = 20;
/**
 * Viewers' keyframe requests reach the publisher at most this often, per
 * layer: a joining viewer waits at most this long (plus one encode) for its
 * first picture, and a crowd joining at once costs the publisher about three
 * keyframes a second. Chrome's encoder drops a keyframe request that comes
 * within 300 ms of the last one it honoured (libwebrtc's
 * EncoderRtcpFeedback), so a shorter interval loses requests: at 250 ms a
 * viewer whose transport connected just after a keyframe went by waited for
 * the next periodic one (2.6 s). At 1 s, first frames fell into two groups,
 * ~0.2 s and 0.6–1 s.
 */
export const KEYFRAME_RELAY_INTERVAL_MS = 350;
/** A layer that sent nothing for this long is inactive (the encoder dropped it). */
const LAYER_IDLE_MS = 1500;

/** One encoding of a producer: a simulcast layer, or the only one. */
export interface ProducerLayer {
  readonly index: number;
  readonly rid: string | undefined;
  /** The media SSRC (-1 until learnt from a packet). */
  ssrc: number;
  /** Bits/s over the last full second. */
  bitrate: number;
  /** `performance.now()` of the last packet (0 before any). */
  lastPacketAt: number;
  senderReport: SenderReport | undefined;
}

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
 * An incoming track on a send transport: one layer, or several simulcast
 * layers (lowest first, as mediasoup orders them) told apart by SSRC or by
 * the RID header extension. The top layer feeds HLS and stream health;
 * consumers take whichever layer suits each viewer.
 */
export class Producer {
  readonly id = newId('pr');
  readonly codec: ProducerCodec;
  readonly layers: ProducerLayer[];
  /** RTCP CNAME: consumers of one publisher share it, so viewers keep lips in sync. */
  readonly cname: string;
  private readonly listeners = new Set<PacketListener>();
  private readonly layerListeners = new Set<LayerListener>();
  private readonly closeListeners = new Set<() => void>();
  private readonly bySsrc = new Map<number, ProducerLayer>();
  private readonly ridExtensionId: number | undefined;
  private readonly rridExtensionId: number | undefined;
  /** The publisher's RTX payload type and streams (RFC 4588), by SSRC. */
  private readonly rtxPayloadType: number | undefined;
  private readonly rtxBySsrc = new Map<number, ProducerLayer>();
  /** Loss repair per layer (video only). */
  private readonly nacks: NackRequester[] | undefined;
  private nackTimer: NodeJS.Timeout | undefined;
  private readonly learnByPayloadType: boolean;
  private readonly unsubscribe: () => void;
  private readonly lastRelayedKeyframe: number[];
  private readonly pendingRelay: Array<NodeJS.Timeout | undefined>;
  private readonly windowBytes: number[];
  private rembTimer: NodeJS.Timeout | undefined;
  private rateTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Media packets received on the top layer, for stats and tests. */
  packetsReceived = 0;
  /** Reception statistics of the top layer (RFC 3550 §6.4.1 and appendix A.8). */
  readonly stats = new ReceptionStats();
  /**
   * The track comes from another server's router over a pipe (its publisher
   * is there): viewers here consume it, but it feeds no HLS and is no
   * publisher of this server's.
   */
  readonly relayed: boolean;
  /**
   * The host muted this (audio) track for everyone: its packets reach no
   * consumer and no HLS, while its reception is still measured.
   */
  muted = false;
  /** What a video track shows: a camera, or a shared screen (see `media:setSource`). */
  source: VideoSource = 'camera';

  constructor(
    readonly streamId: string,
    readonly kind: MediaKind,
    readonly rtpParameters: RtpParameters,
    private readonly transport: MediaTransport,
    maxBitrate: number,
    options: { learnSsrc?: boolean; relayed?: boolean } = {},
  ) {
    this.relayed = options.relayed ?? false;
    this.codec = primaryCodec(kind, rtpParameters);
    const encodings = rtpParameters.encodings?.length ? rtpParameters.encodings : [{}];
    if (encodings.length > 1 && kind === 'audio') {
      throw new OnAirError('BAD_REQUEST', 'Audio cannot be simulcast');
    }
    if (encodings.length > 4) {
      throw new OnAirError('BAD_REQUEST', 'At most 4 simulcast layers');
    }
    this.ridExtensionId = rtpParameters.headerExtensions?.find((e) => e.uri === RID_URI)?.id;
    this.layers = encodings.map((encoding, index) => {
      const ssrc = encoding.ssrc;
      if (ssrc === undefined) {
        const byRid = encoding.rid !== undefined && this.ridExtensionId !== undefined;
        if (!byRid && !(options.learnSsrc && encodings.length === 1)) {
          throw new OnAirError(
            'BAD_REQUEST',
            `rtpParameters.encodings[${index}] needs an ssrc, or a rid with the RID header extension`,
          );
        }
      }
      return {
        index,
        rid: encoding.rid,
        ssrc: ssrc ?? -1,
        bitrate: 0,
        lastPacketAt: 0,
        senderReport: undefined,
      };
    });
    for (const layer of this.layers) if (layer.ssrc !== -1) this.bySsrc.set(layer.ssrc, layer);
    this.rridExtensionId = rtpParameters.headerExtensions?.find((e) => e.uri === RRID_URI)?.id;
    this.rtxPayloadType = rtpParameters.codecs.find(
      (c) => /\/rtx$/i.test(c.mimeType) && Number(c.parameters?.apt) === this.codec.payloadType,
    )?.payloadType;
    encodings.forEach((encoding, index) => {
      const layer = this.layers[index];
      if (encoding.rtx?.ssrc !== undefined && layer) this.rtxBySsrc.set(encoding.rtx.ssrc, layer);
    });
    this.nacks =
      kind === 'video'
        ? this.layers.map(
            (layer) => new NackRequester(() => this.relayKeyframeRequest(layer.index)),
          )
        : undefined;
    // Without a=ssrc in a WHIP offer, the first packet of the codec's payload type names it.
    this.learnByPayloadType = !!options.learnSsrc && this.layers.length === 1;
    this.cname = rtpParameters.rtcp?.cname || `onair-${streamId}`;
    this.lastRelayedKeyframe = this.layers.map(() => Number.NEGATIVE_INFINITY);
    this.pendingRelay = this.layers.map(() => undefined);
    this.windowBytes = this.layers.map(() => 0);
    const offRtp = transport.onRtp(this.handleRtp);
    const offRtcp = transport.onRtcp((packet) => {
      if (!(packet instanceof RtcpSrPacket)) return;
      const layer = this.bySsrc.get(packet.ssrc);
      if (layer) {
        layer.senderReport = {
          ntp: packet.senderInfo.ntpTimestamp,
          rtp: packet.senderInfo.rtpTimestamp,
          receivedAt: performance.now(),
        };
      }
    });
    this.unsubscribe = () => {
      offRtp();
      offRtcp();
    };
    this.rateTimer = setInterval(() => {
      for (const layer of this.layers) {
        layer.bitrate = (this.windowBytes[layer.index] ?? 0) * 8;
        this.windowBytes[layer.index] = 0;
      }
    }, 1000);
    this.rateTimer.unref();
    // Receiver reports every second (the publisher learns loss and round trip from them);
    // for video also REMB, which tells its encoder how far it may ramp up (no transport-cc).
    this.rembTimer = setInterval(() => {
      this.sendReceiverReport();
      if (kind === 'video') this.sendRemb(maxBitrate);
    }, 1000);
    this.rembTimer.unref();
  }

  /** The top layer: what HLS and stream health read. */
  get top(): ProducerLayer {
    return this.layers[this.layers.length - 1] as ProducerLayer;
  }

  /** The top layer's SSRC (-1 until known). */
  get ssrc(): number {
    return this.top.ssrc;
  }

  /** Whether a layer has sent recently. */
  isActive(layer: number): boolean {
    const at = this.layers[layer]?.lastPacketAt ?? 0;
    return at > 0 && performance.now() - at < LAYER_IDLE_MS;
  }

  private learn(packet: RtpPacket): ProducerLayer | undefined {
    const { header } = packet;
    if (header.payloadType !== this.codec.payloadType) return undefined;
    let layer: ProducerLayer | undefined;
    if (this.ridExtensionId !== undefined) {
      const rid = header.extensions.find((e) => e.id === this.ridExtensionId)?.payload;
      if (rid) {
        const name = rid.toString('ascii');
        layer = this.layers.find((l) => l.rid === name && l.ssrc === -1);
      }
    }
    if (!layer && this.learnByPayloadType && this.top.ssrc === -1) layer = this.top;
    if (!layer) return undefined;
    layer.ssrc = header.ssrc;
    this.bySsrc.set(header.ssrc, layer);
    return layer;
  }

  // A retransmission (RFC 4588): the original sequence number, then the original payload.
  private unwrapRtx(packet: RtpPacket, layer: ProducerLayer): RtpPacket | undefined {
    const { header, payload } = packet;
    // Chrome also probes bandwidth with RTX padding: nothing to recover there.
    if (payload.length <= 2 || layer.ssrc === -1) return undefined;
    return new RtpPacket(
      new RtpHeader({
        marker: header.marker,
        payloadType: this.codec.payloadType,
        sequenceNumber: payload.readUInt16BE(0),
        timestamp: header.timestamp,
        ssrc: layer.ssrc,
        extensions: header.extensions,
      }),
      payload.subarray(2),
    );
  }

  private rtxLayerOf(packet: RtpPacket): ProducerLayer | undefined {
    const { header } = packet;
    const known = this.rtxBySsrc.get(header.ssrc);
    if (known || header.payloadType !== this.rtxPayloadType) return known;
    // Simulcast RTX streams name their layer in the repaired-RID extension.
    const rrid =
      this.rridExtensionId !== undefined
        ? header.extensions.find((e) => e.id === this.rridExtensionId)?.payload
        : undefined;
    const layer = rrid
      ? this.layers.find((l) => l.rid === rrid.toString('ascii'))
      : this.layers.length === 1
        ? this.top
        : undefined;
    if (layer) this.rtxBySsrc.set(header.ssrc, layer);
    return layer;
  }

  private readonly handleRtp = (incoming: RtpPacket): void => {
    let packet: RtpPacket | undefined = incoming;
    let layer = this.bySsrc.get(packet.header.ssrc);
    if (!layer) {
      const repaired = this.rtxLayerOf(packet);
      if (repaired) {
        packet = this.unwrapRtx(packet, repaired);
        if (!packet) return;
        layer = repaired;
      } else {
        layer = this.learn(packet);
      }
    }
    if (!layer) return;
    const nack = this.nacks?.[layer.index];
    if (nack) {
      if (nack.received(packet.header.sequenceNumber, performance.now()) === 'duplicate') return;
      if (nack.pending > 0) this.startNackTimer();
    }
    const isTop = layer === this.top;
    if (isTop) this.stats.record(packet, this.codec.clockRate);
    layer.lastPacketAt = performance.now();
    this.windowBytes[layer.index] =
      (this.windowBytes[layer.index] ?? 0) + packet.payload.length + 12;
    if (this.muted) return;
    // Padding goes to consumers too: they renumber around it.
    for (const listener of this.layerListeners) listener(packet, layer.index);
    // Chrome pads with empty packets on the media payload type: useless to ffmpeg.
    if (!isTop || packet.payload.length === 0) return;
    this.packetsReceived++;
    for (const listener of this.listeners) listener(packet);
  };

  private startNackTimer(): void {
    if (this.nackTimer || this.closed) return;
    this.nackTimer = setInterval(() => {
      const now = performance.now();
      let pending = 0;
      const feedback: RtcpTransportLayerFeedback[] = [];
      for (const layer of this.layers) {
        const nack = this.nacks?.[layer.index];
        if (!nack) continue;
        const lost = nack.due(now);
        pending += nack.pending;
        if (lost.length > 0) {
          feedback.push(
            new RtcpTransportLayerFeedback({
              feedback: new GenericNack({
                senderSsrc: SFU_RTCP_SSRC,
                mediaSourceSsrc: layer.ssrc,
                lost,
              }),
            }),
          );
        }
      }
      if (feedback.length > 0) this.transport.sendRtcp(feedback);
      if (pending === 0) {
        clearInterval(this.nackTimer);
        this.nackTimer = undefined;
      }
    }, NACK_TICK_MS);
    this.nackTimer.unref();
  }

  /** Packets asked for again (NACK) and recovered, over all layers. */
  get repair(): { requested: number; recovered: number } {
    let requested = 0;
    let recovered = 0;
    for (const nack of this.nacks ?? []) {
      requested += nack.requested;
      recovered += nack.recovered;
    }
    return { requested, recovered };
  }

  /** Subscribes to the top layer's media packets (no padding). */
  onPacket(listener: PacketListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to every layer's packets, padding included (for consumers). */
  onLayerPacket(listener: LayerListener): () => void {
    this.layerListeners.add(listener);
    return () => this.layerListeners.delete(listener);
  }

  /** Called once when the producer closes. */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Asks the publisher for a keyframe on a layer (default: the top) now (PLI). */
  requestKeyframe(layer = this.layers.length - 1): void {
    const ssrc = this.layers[layer]?.ssrc;
    if (this.kind !== 'video' || this.closed || ssrc === undefined || ssrc === -1) return;
    this.lastRelayedKeyframe[layer] = performance.now();
    this.transport.sendRtcp([
      new RtcpPayloadSpecificFeedback({
        feedback: new PictureLossIndication({ senderSsrc: SFU_RTCP_SSRC, mediaSsrc: ssrc }),
      }),
    ]);
  }

  /**
   * A viewer's keyframe request (PLI or FIR), relayed at most once per
   * {@link KEYFRAME_RELAY_INTERVAL_MS} per layer: requests inside the interval
   * are merged into one sent when it ends, so a crowd of joining viewers costs
   * the publisher about three keyframes a second, and nobody waits longer
   * than the interval.
   */
  relayKeyframeRequest(layer: number): void {
    if (this.kind !== 'video' || this.closed || this.pendingRelay[layer]) return;
    const wait =
      (this.lastRelayedKeyframe[layer] ?? 0) + KEYFRAME_RELAY_INTERVAL_MS - performance.now();
    if (wait <= 0) {
      this.requestKeyframe(layer);
      return;
    }
    const timer = setTimeout(() => {
      this.pendingRelay[layer] = undefined;
      this.requestKeyframe(layer);
    }, wait);
    timer.unref();
    this.pendingRelay[layer] = timer;
  }

  private sendReceiverReport(): void {
    const top = this.top;
    if (top.ssrc === -1 || this.stats.received === 0) return;
    this.transport.sendRtcp([
      new RtcpRrPacket({
        ssrc: SFU_RTCP_SSRC,
        reports: [this.stats.receiverReport(top.ssrc, top.senderReport)],
      }),
    ]);
  }

  private sendRemb(bitrate: number): void {
    const ssrcs = this.layers.map((l) => l.ssrc).filter((s) => s !== -1);
    if (ssrcs.length === 0) return;
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
          ssrcNum: ssrcs.length,
          ssrcFeedbacks: ssrcs,
        }),
      }),
    ]);
  }

  /** Stops listening and closes its consumers. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    if (this.rembTimer) clearInterval(this.rembTimer);
    if (this.rateTimer) clearInterval(this.rateTimer);
    if (this.nackTimer) clearInterval(this.nackTimer);
    for (const timer of this.pendingRelay) clearTimeout(timer);
    this.listeners.clear();
    this.layerListeners.clear();
    for (const listener of [...this.closeListeners]) listener();
    this.closeListeners.clear();
  }
}
