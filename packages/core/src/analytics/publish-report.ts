import type { PublishReport } from '@onair/protocol/analytics';
import type { PublisherState } from '../publish/publisher-state.js';
import type { OnAirClient } from '../transport/client.js';

/** What {@link reportPublishing} follows: a `Publisher`, or anything with its state. */
export interface TrackedPublisher {
  subscribe(listener: (state: PublisherState) => void): () => void;
  getSnapshot(): PublisherState;
}

/** The figures a publish report averages over time. */
type Figure = 'bitrateKbps' | 'frameRate' | 'height' | 'packetLoss';
const FIGURES: readonly Figure[] = ['bitrateKbps', 'frameRate', 'height', 'packetLoss'];
const emptySums = () =>
  Object.fromEntries(FIGURES.map((figure) => [figure, { sum: 0, ms: 0 }])) as Record<
    Figure,
    { sum: number; ms: number }
  >;

/** Longest time one reading of the statistics stands for, ms (a throttled tab's gap is not measured). */
const MAX_STEP_MS = 2000;

/**
 * Reports what `publisher` sends to `streamId`, as the viewers' players
 * report what they play (docs/analytics.md). A publish session runs from
 * going live to the end of publishing, reconnections included; every 10 s
 * and at its end it sends its figures so far to
 * `POST /v1/streams/:id/publish-report` with the client's token: mean send
 * bitrate, frame rate, picture height and packet loss, the time the browser
 * held quality down for CPU or bandwidth, and the reconnections. The
 * stream's report shows them as `broadcast`. The client's `analytics`
 * option applies (`enabled: false` opts out, `intervalMs`). Returns the
 * function that stops following; a session under way sends its last report.
 *
 * `<onair-broadcaster>` and `useLiveStream` call it for their Publisher.
 *
 * @example
 * ```ts
 * const publisher = new Publisher(client, { streamId });
 * const stop = reportPublishing(client, publisher, streamId);
 * ```
 */
export function reportPublishing(
  client: OnAirClient,
  publisher: TrackedPublisher,
  streamId: string,
): () => void {
  const options = client.analyticsOptions;
  if (options.enabled === false) return () => undefined;
  let report: PublishReport | undefined;
  /** Per figure: its readings × the time each held (kbit/s × ms, …), and that time. */
  let sums: Record<Figure, { sum: number; ms: number }> = emptySums();
  let statsAt = 0;
  let lastStats: PublisherState['stats'] = null;
  let lastStatus: PublisherState['status'] = 'idle';
  let timer: ReturnType<typeof setInterval> | undefined;

  const send = () => {
    if (!report) return;
    /** A figure's mean over the time it was measured, rounded to 1 / `scale`. */
    const mean = (figure: Figure, scale: number) => {
      const { sum, ms } = sums[figure];
      return ms > 0 ? Math.round((sum / ms) * scale) / scale : null;
    };
    const body: PublishReport = {
      ...report,
      bitrateKbps: mean('bitrateKbps', 1),
      frameRate: mean('frameRate', 10),
      height: mean('height', 1),
      packetLoss: mean('packetLoss', 10_000),
    };
    client
      .requestText(`/v1/streams/${encodeURIComponent(streamId)}/publish-report`, {
        method: 'POST',
        body,
      })
      .catch(() => undefined);
  };
  const end = () => {
    if (!report) return;
    clearInterval(timer);
    report.ended = true;
    send();
    report = undefined;
  };
  const observe = (state: PublisherState) => {
    const { status, stats } = state;
    const now = Date.now();
    if (status === 'live' && !report) {
      report = {
        sessionId: crypto.randomUUID(),
        startedAt: now,
        sampledMs: 0,
        bitrateKbps: null,
        frameRate: null,
        height: null,
        packetLoss: null,
        limitedMs: { cpu: 0, bandwidth: 0, other: 0 },
        reconnects: 0,
        ended: false,
      };
      sums = emptySums();
      timer = setInterval(send, options.intervalMs ?? 10_000);
    }
    if (!report) return;
    if (status !== lastStatus) {
      if (status === 'reconnecting') report.reconnects++;
      // Time spent reconnecting is not measured: the next reading counts from here.
      statsAt = now;
      lastStatus = status;
    }
    if (status !== 'live' && status !== 'reconnecting') return end();
    if (!stats || stats === lastStats) return;
    lastStats = stats;
    const step = Math.min(MAX_STEP_MS, now - statsAt);
    statsAt = now;
    report.sampledMs += step;
    const reason = stats.qualityLimitationReason;
    if (reason === 'cpu' || reason === 'bandwidth' || reason === 'other') {
      report.limitedMs[reason] += step;
    }
    const readings: Record<Figure, number | null> = {
      bitrateKbps: (stats.videoBitrate + stats.audioBitrate) / 1000,
      frameRate: stats.frameRate,
      height: stats.height,
      packetLoss: stats.packetLoss,
    };
    for (const figure of FIGURES) {
      const value = readings[figure];
      if (value === null) continue;
      sums[figure].sum += value * step;
      sums[figure].ms += step;
    }
  };

  const off = publisher.subscribe(observe);
  observe(publisher.getSnapshot());
  return () => {
    off();
    end();
  };
}
