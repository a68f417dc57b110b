import { randomInt } from 'node:crypto';
import type { RtpCapabilities } from '@onair/protocol';
import { type RtcpPacket, RtcpSenderInfo, RtcpSrPacket, RtpHeader, type RtpPacket } from 'werift';
import { newId } from '../../platform/ids.js';
import { keyframeDetector } from '../video-probe.js';
import { type ConsumerPlan, planConsumer } from './consumer-plan.js';
import type { MediaTransport } from './media-transport.js';
import type { Producer } from './producer.js';
import { absSendTime, ntpFromSeconds, ntpSeconds, viewerFeedback } from './rtcp-feedback.js';
import { SequenceMap } from './sequence-map.js';

/** Sent packets kept for retransmission: about 1 s of 720p video. */
const CACHE_SIZE = 1024;
/** How often a consumer reconsiders its simulcast layer and sends a sender report. */
const TICK_MS = 1000;
/*
 * Simulcast layer choice from the viewer's REMB. A receiver's estimate only
 * ever runs a little ahead of what it receives (Chrome starts near the
 * incoming rate and grows about 8 % a second), so it can say "too much" but
 * never "more would fit": the consumer steps down when the estimate stays
 * under the layer's rate, and steps up by trying, backing off after each
 * try that had to be undone.
 */
/** A layer is too much when the estimate stays under this share of its bitrate. */
const CONGESTED_SHARE = 0.75;
/** ...for this many consecutive ticks. */
const CONGESTED_TICKS = 2;
/** First wait before trying a higher layer again, ms; doubles after each failed try. */
const UPGRADE_WAIT_MS = 8_000;
const MAX_UPGRADE_WAIT_MS = 64_000;

interface CachedPacket {
  header: RtpHeader;
  payload: Buffer;
}

/** Per-consumer settings. */
export interface ConsumerSettings {
  /**
   * Send RTCP sender reports (the publisher's clock mapping). Browsers hold
   * the earlier of a MediaStream's audio and video back to play them in lip
   * sync only when both have sender reports: a WHEP viewer's audio consumer
   * sends none, so a stock player's picture is not delayed to audio's
   * deeper jitter buffer (see docs/broadcasting.md). Default true.
   */
  senderReports?: boolean | undefined;
}

/**
 * One viewer's copy of a producer on a receive transport, as mediasoup's
 * consumer: it starts paused, rewrites every packet to its own SSRC, the
 * router's payload type and continuous sequence numbers, strips the
 * publisher's header extensions (writing MID and abs-send-time of its own),
 * starts video at a keyframe, answers NACKs from a packet cache (over RTX
 * when negotiated), relays PLI/FIR to the publisher through the producer's
 * rate limit, sends sender reports mapped from the publisher's, and picks the
 * simulcast layer the viewer's REMB estimate and preference allow.
 */
export class Consumer {
  readonly id = newId('co');
  readonly plan: ConsumerPlan;
  private pausedValue = true;
  private closed = false;
  private current = -1;
  private target: number;
  private preferred: number;
  private estimate: number | undefined;
  private congestedTicks = 0;
  private upgradeWait = UPGRADE_WAIT_MS;
  private upgradeAt = 0;
  /** When the consumer last stepped up (a step down soon after is a failed try). */
  private steppedUpAt = Number.NEGATIVE_INFINITY;
  private readonly sequence = new SequenceMap();
  private rtxSequence = randomInt(0, 0x10000);
  private timestampOffset = 0;
  private lastTimestamp: number | undefined;
  private lastSentAt = 0;
  private readonly cache: Array<CachedPacket | undefined> = new Array(CACHE_SIZE);
  private readonly isKeyframe: (payload: Uint8Array) => boolean;
  private readonly cleanup: Array<() => void> = [];
  private readonly closeListeners = new Set<() => void>();
  private tick: NodeJS.Timeout;
  /** Packets and payload bytes sent (sender reports, tests). */
  packetsSent = 0;
  octetsSent = 0;
  /** Packets resent for NACKs. */
  retransmitted = 0;

  /** Whether RTCP sender reports go out (see {@link ConsumerSettings.senderReports}). */
  private readonly senderReports: boolean;

  constructor(
    readonly producer: Producer,
    private readonly transport: MediaTransport,
    device: RtpCapabilities,
    mid: string,
    settings: ConsumerSettings = {},
  ) {
    this.senderReports = settings.senderReports ?? true;
    this.plan = planConsumer(producer, device, mid);
    this.isKeyframe = keyframeDetector(producer.codec.mimeType);
    this.preferred = producer.layers.length - 1;
    this.target = this.preferred;
    this.cleanup.push(
      producer.onLayerPacket((packet, layer) => this.forward(packet, layer)),
      transport.onRtcp((packet) => this.handleRtcp(packet)),
      producer.onClose(() => this.close()),
      // A keyframe sent before the viewer's DTLS is up would be lost: ask again then.
      transport.onStateChange((state) => {
        if (state === 'connected' && !this.pausedValue) {
          this.current = -1;
          this.producer.relayKeyframeRequest(this.target);
        }
      }),
    );
    this.tick = setInterval(() => {
      this.chooseLayer();
      this.sendSenderReport();
    }, TICK_MS);
    this.tick.unref();
  }

  /** The producer's kind. */
  get kind() {
    return this.producer.kind;
  }

  /** Whether media is held back (consumers start paused until the viewer is ready). */
  get paused(): boolean {
    return this.pausedValue;
  }

  /** The simulcast layer being forwarded (-1 before the first keyframe). */
  get currentLayer(): number {
    return this.current;
  }

  /** Starts sending, from the next keyframe. */
  resume(): void {
    if (this.closed || !this.pausedValue) return;
    this.pausedValue = false;
    this.current = -1;
    this.chooseLayer();
    // Before the viewer's DTLS is up a keyframe would be lost: then it is asked for on connect.
    if (this.transport.state === 'connected') this.producer.relayKeyframeRequest(this.target);
  }

  /** Holds media back again. */
  pause(): void {
    this.pausedValue = true;
  }

  /** Caps the simulcast layer (0 = lowest); the REMB estimate may still pick a lower one. */
  setPreferredLayer(layer: number): void {
    const preferred = Math.max(0, Math.min(layer, this.producer.layers.length - 1));
    // Raising the cap is a wish to see more now, not after the upgrade wait.
    if (preferred > this.preferred) this.upgradeAt = 0;
    this.preferred = preferred;
    this.chooseLayer();
  }

  /** Called once when the consumer closes (its producer or transport went away). */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  private chooseLayer(): void {
    if (this.closed || this.pausedValue) return;
    const { producer } = this;
    const now = performance.now();
    const active: number[] = [];
    for (let layer = 0; layer <= this.preferred; layer++) {
      if (producer.isActive(layer)) active.push(layer);
    }
    if (active.length === 0) return; // nothing to choose from yet: keep the target
    const best = active[active.length - 1] as number;
    const from = this.current === -1 ? this.target : this.current;
    let next = from;
    if (!active.includes(from) || from > best) {
      // The layer stopped, or is above the preference: the best one allowed.
      next = active.filter((l) => l <= from).pop() ?? best;
    } else {
      const rate = producer.layers[from]?.bitrate ?? 0;
      const congested =
        this.estimate !== undefined && rate > 0 && this.estimate < rate * CONGESTED_SHARE;
      this.congestedTicks = congested ? this.congestedTicks + 1 : 0;
      const lower = active.filter((l) => l < from).pop();
      const higher = active.find((l) => l > from);
      if (this.congestedTicks >= CONGESTED_TICKS && lower !== undefined) {
        next = lower;
        this.congestedTicks = 0;
        if (now - this.steppedUpAt < this.upgradeWait * 2) {
          this.upgradeWait = Math.min(this.upgradeWait * 2, MAX_UPGRADE_WAIT_MS);
        }
        this.upgradeAt = now + this.upgradeWait;
      } else if (higher !== undefined && !congested && now >= this.upgradeAt) {
        next = higher;
        this.steppedUpAt = now;
        this.upgradeAt = now + this.upgradeWait;
      } else if (now - this.steppedUpAt > MAX_UPGRADE_WAIT_MS) {
        this.upgradeWait = UPGRADE_WAIT_MS; // a long stable stretch: be quick to try again
      }
    }
    if (next === this.target) return;
    this.target = next;
    if (next !== this.current) producer.relayKeyframeRequest(next);
  }

  private forward(packet: RtpPacket, layer: number): void {
    if (this.closed || this.pausedValue || this.transport.state !== 'connected') return;
    const { header, payload } = packet;
    const switching = layer === this.target && layer !== this.current;
    if (switching) {
      if (payload.length === 0 || !this.isKeyframe(payload)) return;
      this.startLayer(packet, layer);
    } else if (layer !== this.current) {
      return;
    }
    if (payload.length === 0) {
      this.sequence.drop(header.sequenceNumber);
      return;
    }
    const sequenceNumber = this.sequence.map(header.sequenceNumber);
    if (sequenceNumber === undefined) return;
    const timestamp = (header.timestamp - this.timestampOffset) >>> 0;
    const out = new RtpHeader({
      marker: header.marker,
      payloadType: this.plan.payloadType,
      sequenceNumber,
      timestamp,
      ssrc: this.plan.ssrc,
      extensions: this.extensions(header),
    });
    this.lastTimestamp = timestamp;
    this.lastSentAt = performance.now();
    this.cache[sequenceNumber % CACHE_SIZE] = { header: out, payload };
    this.packetsSent++;
    this.octetsSent += payload.length;
    this.transport.sendRtp(payload, out);
  }

  // A new layer (or the first keyframe): continue the numbering and the clock.
  private startLayer(packet: RtpPacket, layer: number): void {
    const { header } = packet;
    this.sequence.reset(header.sequenceNumber);
    if (this.lastTimestamp === undefined) {
      this.timestampOffset = 0;
    } else {
      const elapsed =
        ((performance.now() - this.lastSentAt) / 1000) * this.producer.codec.clockRate;
      const expected = (this.lastTimestamp + Math.max(1, Math.round(elapsed))) >>> 0;
      this.timestampOffset = (header.timestamp - expected) >>> 0;
    }
    this.current = layer;
  }

  /** The header extensions of a packet to the viewer; `from` is the publisher's packet. */
  private extensions(from?: RtpHeader) {
    const extensions: Array<{ id: number; payload: Buffer }> = [];
    const level = this.plan.audioLevel;
    const heard = level && from?.extensions.find((e) => e.id === level.producerId);
    if (level && heard) extensions.push({ id: level.consumerId, payload: heard.payload });
    if (this.plan.midExtensionId !== undefined && this.plan.rtpParameters.mid) {
      extensions.push({
        id: this.plan.midExtensionId,
        payload: Buffer.from(this.plan.rtpParameters.mid, 'ascii'),
      });
    }
    if (this.plan.absSendTimeExtensionId !== undefined) {
      extensions.push({
        id: this.plan.absSendTimeExtensionId,
        payload: absSendTime(performance.timeOrigin + performance.now()),
      });
    }
    return extensions;
  }

  private handleRtcp(packet: RtcpPacket): void {
    if (this.closed) return;
    for (const feedback of viewerFeedback([packet], this.plan.ssrc)) {
      if (feedback.type === 'keyframe') {
        if (!this.pausedValue && this.current !== -1) {
          this.producer.relayKeyframeRequest(this.current);
        }
      } else if (feedback.type === 'nack') {
        for (const seq of feedback.lost) this.retransmit(seq);
      } else {
        this.estimate = feedback.bitrate;
      }
    }
  }

  private retransmit(seq: number): void {
    const cached = this.cache[seq % CACHE_SIZE];
    if (!cached || cached.header.sequenceNumber !== seq) return;
    this.retransmitted++;
    if (this.plan.rtxPayloadType === undefined || this.plan.rtxSsrc === undefined) {
      this.transport.sendRtp(cached.payload, cached.header);
      return;
    }
    // RTX (RFC 4588): its own SSRC and numbering, the original number first.
    const original = Buffer.alloc(2);
    original.writeUInt16BE(seq);
    this.rtxSequence = (this.rtxSequence + 1) & 0xffff;
    const header = new RtpHeader({
      marker: cached.header.marker,
      payloadType: this.plan.rtxPayloadType,
      sequenceNumber: this.rtxSequence,
      timestamp: cached.header.timestamp,
      ssrc: this.plan.rtxSsrc,
      extensions: this.extensions(),
    });
    this.transport.sendRtp(Buffer.concat([original, cached.payload]), header);
  }

  // The publisher's clock mapping, carried over to this consumer's timestamps.
  private sendSenderReport(): void {
    if (!this.senderReports || this.closed || this.pausedValue) return;
    if (this.current === -1 || this.packetsSent === 0) return;
    const report = this.producer.layers[this.current]?.senderReport;
    if (!report) return;
    const elapsed = (performance.now() - report.receivedAt) / 1000;
    const rtpIn = report.rtp + Math.round(elapsed * this.producer.codec.clockRate);
    this.transport.sendRtcp([
      new RtcpSrPacket({
        ssrc: this.plan.ssrc,
        senderInfo: new RtcpSenderInfo({
          ntpTimestamp: ntpFromSeconds(ntpSeconds(report.ntp) + elapsed),
          rtpTimestamp: (rtpIn - this.timestampOffset) >>> 0,
          packetCount: this.packetsSent >>> 0,
          octetCount: this.octetsSent >>> 0,
        }),
      }),
    ]);
  }

  /** Stops forwarding. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.tick);
    for (const off of this.cleanup) off();
    this.cache.fill(undefined);
    for (const listener of [...this.closeListeners]) listener();
    this.closeListeners.clear();
  }
}
