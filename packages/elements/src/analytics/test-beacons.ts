import type { ViewBeacon, ViewMetrics } from '@onair/protocol/analytics';

/**
 * Test-only: what one view session played, reported to the browser
 * project's real server as its players do (`POST /v1/analytics/beacons`).
 * (The server's own beacon fixture lives in its test folder, which the
 * elements may not import.)
 */
export interface PlayedSession {
  startupMs: number | null;
  watchMs: number;
  rebufferMs?: number;
  rebufferCount?: number;
  bitrateKbps?: number | null;
  height?: number | null;
  failed?: boolean;
  userId?: string;
}

/** Test-only: one final beacon per session, as a player sends it when the viewer leaves. */
export async function reportSessions(
  streamId: string,
  played: readonly PlayedSession[],
): Promise<void> {
  const now = Date.now();
  const beacons: ViewBeacon[] = played.map((session) => {
    const metrics: ViewMetrics = {
      startupMs: session.startupMs,
      watchMs: session.watchMs,
      rebufferCount: session.rebufferCount ?? 0,
      rebufferMs: session.rebufferMs ?? 0,
      bitrateKbps: session.bitrateKbps ?? null,
      height: session.height ?? null,
      qualitySwitches: 0,
      latencyMean: null,
      latencyP95: null,
      droppedFrames: 0,
      errors: session.failed ? 1 : 0,
      fallbacks: 0,
      failed: session.failed ?? false,
      exitedBeforeStart: session.startupMs === null && !session.failed,
      ended: true,
    };
    return {
      session: {
        id: crypto.randomUUID(),
        streamId,
        startedAt: now - session.watchMs - (session.startupMs ?? 0) - 1000,
        engine: 'hls',
        device: 'desktop',
        browser: 'Chrome',
        os: 'Linux',
        ...(session.userId ? { userId: session.userId } : {}),
      },
      seq: 0,
      sentAt: now,
      metrics,
      interval: {
        watchMs: session.watchMs,
        rebufferMs: metrics.rebufferMs,
        rebufferCount: metrics.rebufferCount,
        bitrateKbps: metrics.bitrateKbps,
      },
      events: session.startupMs === null ? [] : [{ type: 'firstFrame', at: now - session.watchMs }],
    };
  });
  const response = await fetch(`${location.origin}/v1/analytics/beacons`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ beacons }),
  });
  if (response.status !== 204) {
    throw new Error(`beacons refused: ${response.status} ${await response.text()}`);
  }
}
