import type { ReceiveStats } from '../engine.js';

/**
 * The figures of a WebRTC receiver: bits/s from the inbound-rtp byte
 * counters (each reading against the one before) and the packets lost.
 */
export class InboundRate {
  #last: { bytes: number; at: number } | undefined;

  read(report: RTCStatsReport): ReceiveStats {
    let bytes = 0;
    let packetsLost = 0;
    report.forEach((entry: Record<string, unknown>) => {
      if (entry.type !== 'inbound-rtp') return;
      bytes += Number(entry.bytesReceived ?? 0);
      packetsLost += Math.max(0, Number(entry.packetsLost ?? 0));
    });
    const now = performance.now();
    const last = this.#last;
    this.#last = { bytes, at: now };
    const bitrate = last ? Math.max(0, ((bytes - last.bytes) * 8) / ((now - last.at) / 1000)) : 0;
    return { bitrate: Math.round(bitrate), bandwidthEstimate: null, buffer: 0, packetsLost };
  }
}
