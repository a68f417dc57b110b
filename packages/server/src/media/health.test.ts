import { describe, expect, it } from 'vitest';
import { type HealthSample, scoreHealth } from './health.js';

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
