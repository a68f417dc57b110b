import type { ViewBeacon, ViewEngine, ViewEvent, ViewMetrics } from '@onair/protocol/analytics';
import type { PlayerState } from '../play/player-state.js';

/** Most latency samples kept for the mean and 95th percentile (one a second: an hour). */
const MAX_LATENCY_SAMPLES = 3600;
/** Most events held between two beacons; older ones are dropped first. */
const MAX_PENDING_EVENTS = 100;

/**
 * One playback's figures, from the Player's states (Mux Data's definitions:
 * docs/analytics.md). Feed it every state with `observe`; a beacon takes the
 * figures so far, what was played since the previous beacon and the events
 * since then. Times come from `now` (ms), so tests drive it. Made by
 * {@link viewSession}.
 */
export interface ViewSession {
  /** How the stream arrives now (the last engine tried). */
  readonly engine: ViewEngine;
  /** Whether the first frame has shown. */
  readonly started: boolean;
  /** Whether `end` was called. */
  readonly ended: boolean;
  /** Whether something worth sending at once happened (first frame, a stall, an error, the end). */
  readonly urgent: boolean;
  /** Real time failed and the Player fell back to `engine` (HLS). */
  fellBack(engine: ViewEngine): void;
  /** Takes a Player state in: call with every state the Player publishes. */
  observe(state: PlayerState): void;
  /** The viewer left, or the Player stopped: the session is over. Idempotent. */
  end(): void;
  /** The figures so far. */
  metrics(): ViewMetrics;
  /**
   * The figures, what was played since the previous take, and the events
   * since then; the interval and events start over.
   */
  take(): Pick<ViewBeacon, 'metrics' | 'interval' | 'events'>;
}

/** Time-weighted sums: what was played since the previous take. */
const emptyInterval = () => ({
  watchMs: 0,
  rebufferMs: 0,
  rebufferCount: 0,
  bitrateWeighted: 0,
  bitrateMs: 0,
});

/**
 * A view session of a playback that began (the Player's load) at `loadedAt`.
 * A closure rather than a class: it ships in every page that plays.
 */
export function viewSession(
  initialEngine: ViewEngine,
  now: () => number = Date.now,
  /** When the Player was asked to play (startup time counts from it). Default: now. */
  loadedAt: number = now(),
): ViewSession {
  let engine = initialEngine;
  /** When the wait for the first frame began: the load, or a play after a paused start. */
  let startupFrom = loadedAt;
  let startupMs: number | null = null;
  let at = loadedAt;
  let status: PlayerState['status'] = 'loading';
  let stalled = false;
  let watchMs = 0;
  let rebufferMs = 0;
  let rebufferCount = 0;
  let bitrateWeighted = 0;
  let bitrateMs = 0;
  let heightWeighted = 0;
  let heightMs = 0;
  let level = -1;
  let qualitySwitches = 0;
  const latencies: number[] = [];
  let droppedFrames = 0;
  let errors = 0;
  let fallbacks = 0;
  let failed = false;
  let ended = false;
  let bitrate: number | null = null;
  let height: number | null = null;
  let skippedAt: number | null = null;
  let events: ViewEvent[] = [];
  let interval = emptyInterval();

  const event = (type: ViewEvent['type'], data?: ViewEvent['data']) => {
    events.push({ type, at: Math.round(now()), ...(data ? { data } : {}) });
    if (events.length > MAX_PENDING_EVENTS) events.shift();
  };
  /** Counts time up to `time` in the state held since the previous call. */
  const advance = (time: number) => {
    const elapsed = Math.max(0, time - at);
    at = time;
    if (status === 'playing') {
      watchMs += elapsed;
      interval.watchMs += elapsed;
      if (bitrate !== null) {
        bitrateWeighted += bitrate * elapsed;
        bitrateMs += elapsed;
        interval.bitrateWeighted += bitrate * elapsed;
        interval.bitrateMs += elapsed;
      }
      if (height !== null) {
        heightWeighted += height * elapsed;
        heightMs += elapsed;
      }
    } else if (stalled) {
      rebufferMs += elapsed;
      interval.rebufferMs += elapsed;
    }
  };
  const round = (value: number | null, scale = 1) =>
    value === null ? null : Math.round(value * scale) / scale;

  const session: ViewSession = {
    get engine() {
      return engine;
    },
    get started() {
      return startupMs !== null;
    },
    get ended() {
      return ended;
    },
    get urgent() {
      return events.some((e) => URGENT.has(e.type));
    },
    fellBack(to) {
      fallbacks++;
      engine = to;
      event('fallback', { to });
    },
    observe(state) {
      if (ended) return;
      const time = now();
      advance(time);
      const previous = status;
      const next = state.status;
      const started = session.started;

      if (state.stats) {
        bitrate = state.stats.bitrate > 0 ? state.stats.bitrate / 1000 : bitrate;
        height = state.stats.height > 0 ? state.stats.height : height;
        droppedFrames = Math.max(droppedFrames, state.stats.droppedFrames);
      }
      if (next === 'playing' && state.live !== false && state.latency !== null) {
        latencies.push(state.latency);
        if (latencies.length > MAX_LATENCY_SAMPLES) latencies.shift();
      }
      if (state.level >= 0 && state.level !== level) {
        if (level >= 0 && started) {
          qualitySwitches++;
          event('qualityChange', { from: level, to: state.level });
        }
        level = state.level;
      }
      if (state.skippedToLive && state.skippedToLive.at !== skippedAt) {
        skippedAt = state.skippedToLive.at;
        event('skipToLive', { seconds: state.skippedToLive.seconds });
      }

      if (next !== previous) {
        // Waiting in a paused start (autoplay off, or blocked) is not startup time.
        if (!started && previous === 'paused') startupFrom = time;
        if (next === 'playing' && !started) {
          startupMs = Math.max(0, Math.round(time - startupFrom));
          event('firstFrame', { startupMs });
        }
        if (previous === 'buffering' && stalled) event('rebufferEnd');
        if (next === 'buffering' && state.stalled && started) {
          rebufferCount++;
          interval.rebufferCount++;
          event('rebufferStart');
        }
        if (next === 'paused' && started) event('pause');
        if (previous === 'paused' && next === 'playing') event('resume');
        if (next === 'error') {
          errors++;
          failed = true;
          event('error', {
            code: state.error?.code ?? 'INTERNAL',
            message: state.error?.message.slice(0, 200) ?? '',
          });
        } else if (next === 'playing') {
          failed = false; // recovered
        }
      }
      status = next;
      stalled = next === 'buffering' && state.stalled && session.started;
    },
    end() {
      if (ended) return;
      advance(now());
      if (stalled) event('rebufferEnd');
      stalled = false;
      ended = true;
      event('end');
    },
    metrics() {
      const sorted = [...latencies].sort((a, b) => a - b);
      const count = sorted.length;
      return {
        startupMs,
        watchMs: Math.round(watchMs),
        rebufferCount,
        rebufferMs: Math.round(rebufferMs),
        bitrateKbps: bitrateMs > 0 ? round(bitrateWeighted / bitrateMs) : null,
        height: heightMs > 0 ? round(heightWeighted / heightMs) : null,
        qualitySwitches,
        latencyMean: count ? round(sorted.reduce((sum, l) => sum + l, 0) / count, 100) : null,
        latencyP95: count ? round(sorted[Math.ceil(count * 0.95) - 1] ?? null, 100) : null,
        droppedFrames,
        errors,
        fallbacks,
        failed,
        exitedBeforeStart: ended && !session.started && !failed,
        ended,
      };
    },
    take() {
      advance(now());
      const taken = {
        metrics: session.metrics(),
        interval: {
          watchMs: Math.round(interval.watchMs),
          rebufferMs: Math.round(interval.rebufferMs),
          rebufferCount: interval.rebufferCount,
          bitrateKbps:
            interval.bitrateMs > 0
              ? Math.round(interval.bitrateWeighted / interval.bitrateMs)
              : null,
        },
        events,
      };
      events = [];
      interval = emptyInterval();
      return taken;
    },
  };
  return session;
}

const URGENT = new Set<ViewEvent['type']>([
  'firstFrame',
  'rebufferStart',
  'rebufferEnd',
  'error',
  'fallback',
  'end',
]);
