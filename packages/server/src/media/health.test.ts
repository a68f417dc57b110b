import type { StreamHealth } from '@onair/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  HEALTH_INTERVAL_SECONDS,
  type HealthMonitorDeps,
  type HealthSample,
  monitorHealth,
  scoreHealth,
} from './health.js';
import type { IngestCounters } from './media-plane.js';

const clean: HealthSample = {
  streamId: 'str_health',
  at: '2026-11-22T10:00:00.000Z',
  ingest: 'webrtc',
  bitrateKbps: 2500,
  frameRate: 30,
  width: 1280,
  height: 720,
  keyframeIntervalSeconds: 2,
  packetLoss: 0,
  jitterMs: 8,
};

describe('scoreHealth', () => {
  it('gives a clean ingest 100 and names each problem it subtracts for', () => {
    expect(scoreHealth(clean)).toEqual({ score: 100, issues: [] });
    const poor = scoreHealth({
      ...clean,
      packetLoss: 0.08,
      jitterMs: 80,
      frameRate: 12,
      keyframeIntervalSeconds: 8.3,
      bitrateKbps: 600,
    });
    expect(poor.score).toBe(0);
    expect(poor.issues).toEqual([
      'Heavy packet loss (8.0 %)',
      'High jitter (80 ms)',
      'Low frame rate (12.0 fps)',
      "Keyframes every 8.3 s: set the encoder's keyframe interval to 2 s",
      'Low bitrate for 720p (600 kbit/s)',
    ]);
    expect(scoreHealth({ ...clean, packetLoss: 0.02 }).score).toBe(85);
    expect(scoreHealth({ ...clean, bitrateKbps: 0 })).toMatchObject({
      score: 0,
      issues: ['No media received'],
    });
  });
});

describe('monitorHealth', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('measures each interval within one publishing session, and starts over when the publisher reconnects between two ticks', () => {
    vi.useFakeTimers();
    const counters = (session: string, bytes: number): IngestCounters => ({
      ingest: 'webrtc',
      session,
      bytes,
      expected: 0,
      received: 0,
      jitterMs: 0,
      frameRate: 30,
      width: 1280,
      height: 720,
      keyframeIntervalSeconds: 2,
    });
    let current = counters('prd_a', 0);
    const reports: StreamHealth[] = [];
    const media: HealthMonitorDeps['media'] = {
      publishingStreams: ['str_health'],
      ingestCounters: () => current,
    };
    const stop = monitorHealth({ media, report: (h) => reports.push(h) });
    const tick = () => vi.advanceTimersByTime(HEALTH_INTERVAL_SECONDS * 1000);
    const perInterval = (kbps: number) => (kbps * 1000 * HEALTH_INTERVAL_SECONDS) / 8;

    tick(); // The first sample: nothing to compare with.
    current = counters('prd_a', perInterval(1500));
    tick();
    expect(reports.map((r) => r.bitrateKbps)).toEqual([1500]);

    // The publisher reconnected just after that tick: its new session has already sent
    // more than the old one had when the next tick comes, which is no interval's rate.
    current = counters('prd_b', perInterval(1500) + perInterval(100));
    tick();
    expect(reports).toHaveLength(1);
    current = counters('prd_b', perInterval(1500) + perInterval(100) + perInterval(1200));
    tick();
    expect(reports.map((r) => r.bitrateKbps)).toEqual([1500, 1200]);
    stop();
  });
});
