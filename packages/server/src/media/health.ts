import type { StreamHealth } from '@onair/protocol';
import type { IngestCounters, MediaPlane } from './media-plane.js';

/** Seconds between health reports. */
export const HEALTH_INTERVAL_SECONDS = 5;

/** A report's measurements, before scoring. */
export type HealthSample = Omit<StreamHealth, 'score' | 'issues'>;

/**
 * Scores a sample 0–100 and says what lowers it, in words a host can act
 * on: loss and jitter (the network), frame rate, keyframe interval (the
 * encoder's settings), bitrate for the resolution, and silence.
 */
export function scoreHealth(sample: HealthSample): { score: number; issues: string[] } {
  const issues: string[] = [];
  let score = 100;
  const penalty = (points: number, issue: string) => {
    score -= points;
    issues.push(issue);
  };
  if (sample.bitrateKbps === 0) penalty(100, 'No media received');
  if (sample.packetLoss > 0.05)
    penalty(40, `Heavy packet loss (${(sample.packetLoss * 100).toFixed(1)} %)`);
  else if (sample.packetLoss > 0.01)
    penalty(15, `Packet loss (${(sample.packetLoss * 100).toFixed(1)} %)`);
  if (sample.jitterMs > 50) penalty(15, `High jitter (${sample.jitterMs.toFixed(0)} ms)`);
  if (sample.frameRate > 0 && sample.frameRate < 20) {
    penalty(20, `Low frame rate (${sample.frameRate.toFixed(1)} fps)`);
  }
  if (sample.keyframeIntervalSeconds !== null && sample.keyframeIntervalSeconds > 4) {
    penalty(
      15,
      `Keyframes every ${sample.keyframeIntervalSeconds.toFixed(1)} s: set the encoder's keyframe interval to 2 s`,
    );
  }
  const minimumKbps =
    sample.height >= 1080 ? 2500 : sample.height >= 720 ? 1200 : sample.height >= 480 ? 500 : 0;
  if (sample.bitrateKbps > 0 && sample.bitrateKbps < minimumKbps) {
    penalty(10, `Low bitrate for ${sample.height}p (${Math.round(sample.bitrateKbps)} kbit/s)`);
  }
  return { score: Math.max(0, Math.min(100, Math.round(score))), issues };
}

/** What the monitor needs. */
export interface HealthMonitorDeps {
  media: Pick<MediaPlane, 'publishingStreams' | 'ingestCounters'>;
  /** Delivers a report (to the owner's connections, and to storage). */
  report(health: StreamHealth): void;
}

/**
 * Every 5 s, one health report per stream that has a publisher: the
 * interval's ingest bitrate, RTP loss and jitter, and the frame rate,
 * resolution and keyframe interval the packager sees. Returns the stop
 * function.
 */
export function monitorHealth(deps: HealthMonitorDeps): () => void {
  const last = new Map<string, { at: number; counters: IngestCounters }>();
  const tick = () => {
    const now = Date.now();
    const live = new Set(deps.media.publishingStreams);
    for (const id of last.keys()) if (!live.has(id)) last.delete(id);
    for (const streamId of live) {
      const counters = deps.media.ingestCounters(streamId);
      if (!counters) continue;
      const previous = last.get(streamId);
      last.set(streamId, { at: now, counters });
      // A first sample or a new publishing session (a reconnection, even one between two
      // ticks whose counters already passed the old session's): nothing to compare with yet.
      if (!previous || previous.counters.session !== counters.session) continue;
      const seconds = (now - previous.at) / 1000;
      const expected = counters.expected - previous.counters.expected;
      const received = counters.received - previous.counters.received;
      const sample: HealthSample = {
        streamId,
        at: new Date(now).toISOString(),
        ingest: counters.ingest,
        bitrateKbps:
          Math.round(((counters.bytes - previous.counters.bytes) * 8) / seconds / 100) / 10,
        frameRate: Math.round(counters.frameRate * 10) / 10,
        width: counters.width,
        height: counters.height,
        keyframeIntervalSeconds:
          counters.keyframeIntervalSeconds === undefined
            ? null
            : Math.round(counters.keyframeIntervalSeconds * 100) / 100,
        packetLoss: expected > 0 ? Math.min(1, Math.max(0, (expected - received) / expected)) : 0,
        jitterMs: Math.round(counters.jitterMs * 10) / 10,
      };
      deps.report({ ...sample, ...scoreHealth(sample) });
    }
  };
  const timer = setInterval(tick, HEALTH_INTERVAL_SECONDS * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
