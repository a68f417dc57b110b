import {
  GenericNack,
  ReceiverEstimatedMaxBitrate,
  type RtcpPacket,
  RtcpPayloadSpecificFeedback,
  RtcpTransportLayerFeedback,
} from 'werift';

/** Bits/s a REMB feedback announces. */
export function rembBitrate(remb: ReceiverEstimatedMaxBitrate): number {
  return remb.brMantissa * 2 ** remb.brExp;
}

/** What a viewer's RTCP asks of a consumer. */
export type ViewerFeedback =
  | { type: 'keyframe' }
  | { type: 'nack'; lost: number[] }
  | { type: 'remb'; bitrate: number };

/**
 * Reads the feedback in a viewer's RTCP that concerns `ssrc`. PT 206 carries
 * both keyframe requests (FMT 1 PLI, FMT 4 FIR) and REMB (FMT 15): only the
 * first two ask for a keyframe.
 */
export function viewerFeedback(packets: RtcpPacket[], ssrc: number): ViewerFeedback[] {
  const out: ViewerFeedback[] = [];
  for (const packet of packets) {
    if (packet instanceof RtcpPayloadSpecificFeedback) {
      // werift parses by FMT; classify by FMT too (its FIR class is not exported).
      const feedback = packet.feedback as {
        count: number;
        mediaSsrc?: number;
        fir?: Array<{ ssrc: number }>;
      };
      if (feedback.count === 1 && feedback.mediaSsrc === ssrc) {
        out.push({ type: 'keyframe' });
      } else if (feedback.count === 4 && feedback.fir?.some((entry) => entry.ssrc === ssrc)) {
        out.push({ type: 'keyframe' });
      } else if (
        feedback instanceof ReceiverEstimatedMaxBitrate &&
        feedback.ssrcFeedbacks.includes(ssrc)
      ) {
        out.push({ type: 'remb', bitrate: rembBitrate(feedback) });
      }
    } else if (packet instanceof RtcpTransportLayerFeedback) {
      const { feedback } = packet;
      if (feedback instanceof GenericNack && feedback.mediaSourceSsrc === ssrc) {
        out.push({ type: 'nack', lost: feedback.lost });
      }
    }
  }
  return out;
}

/** abs-send-time: seconds in 6.18 fixed point, 24 bits. */
export function absSendTime(nowMs: number): Buffer {
  const value = Math.floor((nowMs / 1000) * (1 << 18)) & 0xffffff;
  return Buffer.from([value >> 16, (value >> 8) & 0xff, value & 0xff]);
}

/** NTP time (RFC 5905) as a 64-bit fixed-point number. */
export function ntpFromSeconds(seconds: number): bigint {
  const whole = Math.floor(seconds);
  return (BigInt(whole) << 32n) + BigInt(Math.floor((seconds - whole) * 2 ** 32));
}

/** Seconds of an NTP time. */
export const ntpSeconds = (ntp: bigint) => Number(ntp >> 32n) + Number(ntp & 0xffffffffn) / 2 ** 32;
