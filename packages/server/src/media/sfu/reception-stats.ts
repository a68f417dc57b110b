import { RtcpReceiverInfo, type RtpPacket } from 'werift';

/** The publisher's last RTCP sender report of a layer: its NTP ↔ RTP clock mapping. */
export interface SenderReport {
  ntp: bigint;
  rtp: number;
  /** `performance.now()` when it arrived. */
  receivedAt: number;
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

  private expectedPrior = 0;
  private receivedPrior = 0;

  /**
   * A receiver report block (RFC 3550 §6.4.1) for `ssrc`, with the loss since
   * the previous block; `senderReport` gives LSR and DLSR, so the sender can
   * compute the round trip.
   */
  receiverReport(ssrc: number, senderReport: SenderReport | undefined): RtcpReceiverInfo {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    const lostInterval = expectedInterval - (this.received - this.receivedPrior);
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    const fractionLost =
      expectedInterval > 0 && lostInterval > 0
        ? Math.floor((lostInterval * 256) / expectedInterval)
        : 0;
    const lost = Math.max(0, Math.min(0x7fffff, expected - this.received));
    return new RtcpReceiverInfo({
      ssrc,
      fractionLost: Math.min(255, fractionLost),
      packetsLost: lost,
      highestSequence: (this.cycles + this.maxSeq) >>> 0,
      jitter: Math.round(this.jitterUnits) >>> 0,
      // The middle 32 bits of the SR's NTP time, and the wait since it in 1/65536 s.
      lsr: senderReport ? Number((senderReport.ntp >> 16n) & 0xffffffffn) : 0,
      dlsr: senderReport
        ? Math.min(
            0xffffffff,
            Math.round(((performance.now() - senderReport.receivedAt) / 1000) * 65536),
          )
        : 0,
    });
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
