/** What the publisher sends, measured every second while live. */
export interface PublisherStats {
  /** Video and audio bitrates, bits/s. */
  videoBitrate: number;
  audioBitrate: number;
  frameRate: number;
  width: number;
  height: number;
  /** Share of packets the server reported lost, 0–1 (null before its first report). */
  packetLoss: number | null;
  /** Round-trip time to the server, seconds (null before its first report). */
  roundTripTime: number | null;
  /** Why the browser lowered quality: `none`, `cpu`, `bandwidth` or `other`. */
  qualityLimitationReason: string;
}

interface StatsSummary {
  videoBytes: number;
  audioBytes: number;
  frameRate: number;
  width: number;
  height: number;
  packetLoss: number | null;
  roundTripTime: number | null;
  qualityLimitationReason: string;
}

/** Reads what matters from the senders' RTCStatsReports (simulcast layers summed). */
export function summariseStats(
  video: RTCStatsReport | undefined,
  audio: RTCStatsReport | undefined,
): StatsSummary {
  const summary: StatsSummary = {
    videoBytes: 0,
    audioBytes: 0,
    frameRate: 0,
    width: 0,
    height: 0,
    packetLoss: null,
    roundTripTime: null,
    qualityLimitationReason: 'none',
  };
  let lost = 0;
  let sent = 0;
  const read = (report: RTCStatsReport | undefined, kind: 'video' | 'audio') => {
    report?.forEach((entry: Record<string, unknown>) => {
      if (entry.type === 'outbound-rtp') {
        const bytes = Number(entry.bytesSent ?? 0);
        sent += Number(entry.packetsSent ?? 0);
        if (kind === 'audio') {
          summary.audioBytes += bytes;
          return;
        }
        summary.videoBytes += bytes;
        const height = Number(entry.frameHeight ?? 0);
        // The biggest layer tells what the viewers of the top one see.
        if (height >= summary.height) {
          summary.height = height;
          summary.width = Number(entry.frameWidth ?? 0);
          summary.frameRate = Number(entry.framesPerSecond ?? 0);
          const reason = entry.qualityLimitationReason;
          if (typeof reason === 'string') summary.qualityLimitationReason = reason;
        }
      } else if (entry.type === 'remote-inbound-rtp') {
        lost += Math.max(0, Number(entry.packetsLost ?? 0));
        const rtt = entry.roundTripTime;
        if (typeof rtt === 'number') summary.roundTripTime = rtt;
      }
    });
  };
  read(video, 'video');
  read(audio, 'audio');
  if (summary.roundTripTime !== null) {
    summary.packetLoss = sent > 0 ? Math.min(1, lost / sent) : 0;
  }
  return summary;
}
