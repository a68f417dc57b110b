import type { BroadcastSummary, ViewBeacon, ViewMetrics } from '@onair/protocol/analytics';

/** The ingest side of a report before any health report: a stream that received no media. */
export const NO_INGEST: BroadcastSummary['ingest'] = {
  reports: 0,
  bitrateKbps: null,
  frameRate: null,
  packetLoss: null,
  score: null,
  lowestScore: null,
};

/** A session's figures before anything played. */
export const NO_METRICS: ViewMetrics = {
  startupMs: null,
  watchMs: 0,
  rebufferCount: 0,
  rebufferMs: 0,
  bitrateKbps: null,
  height: null,
  qualitySwitches: 0,
  latencyMean: null,
  latencyP95: null,
  droppedFrames: 0,
  errors: 0,
  fallbacks: 0,
  failed: false,
  exitedBeforeStart: false,
  ended: false,
};

/** A valid beacon of session `id` for `streamId`, sent at `at`, with the parts a test sets. */
export function viewBeacon(
  id: string,
  streamId: string,
  seq: number,
  parts: {
    at?: number;
    metrics?: Partial<ViewMetrics>;
    interval?: Partial<ViewBeacon['interval']>;
    session?: Partial<ViewBeacon['session']>;
    events?: ViewBeacon['events'];
  } = {},
): ViewBeacon {
  const at = parts.at ?? Date.now();
  return {
    session: {
      id,
      streamId,
      startedAt: at - 20_000,
      engine: 'hls',
      device: 'desktop',
      browser: 'Chrome',
      os: 'Linux',
      ...parts.session,
    },
    seq,
    sentAt: at,
    metrics: { ...NO_METRICS, ...parts.metrics },
    interval: { watchMs: 0, rebufferMs: 0, rebufferCount: 0, bitrateKbps: null, ...parts.interval },
    events: parts.events ?? [{ type: 'firstFrame', at: at - 19_000, data: { startupMs: 1000 } }],
  };
}
