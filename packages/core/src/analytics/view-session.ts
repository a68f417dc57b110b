import type { ViewBeacon, ViewEngine, ViewEvent, ViewMetrics } from '@onair/protocol/analytics';
import type { PlayerState } from '../play/player-state.js';

/** Most latency samples kept for the mean and 95th percentile (one a second: an hour). */
const MAX_LATENCY_SAMPLES = 3600;
/** Most events held between two beacons; older ones are dropped first. */
const MAX_PENDING_EVENTS = 100;

/**
 * One playback's figures, from the Player's states (Mux Data's definitions:
 * docs/analytics.md). Feed it every state with {@link observe}; a beacon
 * takes the figures so far, what was played since the previous beacon and
 * the events since then. Times come from `now` (ms), so tests drive it.
 */
export class ViewSession {
  #engine: ViewEngine;
  /** When the wait for the first frame began: the load, or a play after a paused start. */
  #startupFrom: number;
  #startupMs: number | null = null;
  #at: number;
  #status: PlayerState['status'] = 'loading';
  #stalled = false;
  #watchMs = 0;
  #rebufferMs = 0;
  #rebufferCount = 0;
  #bitrateWeighted = 0;
  #bitrateMs = 0;
  #heightWeighted = 0;
  #heightMs = 0;
  #level = -1;
  #qualitySwitches = 0;
  #latencies: number[] = [];
  #droppedFrames = 0;
  #errors = 0;
  #fallbacks = 0;
  #failed = false;
  #ended = false;
  #bitrate: number | null = null;
  #height: number | null = null;
  #skippedAt: number | null = null;
  #events: ViewEvent[] = [];
  #interval = { watchMs: 0, rebufferMs: 0, rebufferCount: 0, bitrateWeighted: 0, bitrateMs: 0 };

  constructor(
    engine: ViewEngine,
    private readonly now: () => number = Date.now,
  ) {
    this.#engine = engine;
    this.#startupFrom = now();
    this.#at = this.#startupFrom;
  }

  /** How the stream arrives now (the last engine tried). */
  get engine(): ViewEngine {
    return this.#engine;
  }

  /** Whether the first frame has shown. */
  get started(): boolean {
    return this.#startupMs !== null;
  }

  /** Whether {@link end} was called. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Real time failed and the Player fell back to `engine` (HLS). */
  fellBack(engine: ViewEngine): void {
    this.#fallbacks++;
    this.#engine = engine;
    this.#event('fallback', { to: engine });
  }

  /** Takes a Player state in: call with every state the Player publishes. */
  observe(state: PlayerState): void {
    if (this.#ended) return;
    const now = this.now();
    this.#advance(now);
    const previous = this.#status;
    const { status } = state;

    if (state.stats) {
      this.#bitrate = state.stats.bitrate > 0 ? state.stats.bitrate / 1000 : this.#bitrate;
      this.#height = state.stats.height > 0 ? state.stats.height : this.#height;
      this.#droppedFrames = Math.max(this.#droppedFrames, state.stats.droppedFrames);
    }
    if (status === 'playing' && state.live !== false && state.latency !== null) {
      this.#latencies.push(state.latency);
      if (this.#latencies.length > MAX_LATENCY_SAMPLES) this.#latencies.shift();
    }
    if (state.level >= 0 && state.level !== this.#level) {
      if (this.#level >= 0 && this.started) {
        this.#qualitySwitches++;
        this.#event('qualityChange', { from: this.#level, to: state.level });
      }
      this.#level = state.level;
    }
    if (state.skippedToLive && state.skippedToLive.at !== this.#skippedAt) {
      this.#skippedAt = state.skippedToLive.at;
      this.#event('skipToLive', { seconds: state.skippedToLive.seconds });
    }

    if (status !== previous) {
      // Waiting in a paused start (autoplay off, or blocked) is not startup time.
      if (!this.started && previous === 'paused') this.#startupFrom = now;
      if (status === 'playing' && !this.started) {
        this.#startupMs = Math.max(0, Math.round(now - this.#startupFrom));
        this.#event('firstFrame', { startupMs: this.#startupMs });
      }
      if (previous === 'buffering' && this.#stalled) this.#event('rebufferEnd');
      if (status === 'buffering' && state.stalled && this.started) {
        this.#rebufferCount++;
        this.#interval.rebufferCount++;
        this.#event('rebufferStart');
      }
      if (status === 'paused' && this.started) this.#event('pause');
      if (previous === 'paused' && status === 'playing') this.#event('resume');
      if (status === 'error') {
        this.#errors++;
        this.#failed = true;
        this.#event('error', {
          code: state.error?.code ?? 'INTERNAL',
          message: state.error?.message.slice(0, 200) ?? '',
        });
      } else if (status === 'playing') {
        this.#failed = false; // recovered
      }
    }
    this.#status = status;
    this.#stalled = status === 'buffering' && state.stalled && this.started;
  }

  /** Counts time up to `now` in the state held since the previous call. */
  #advance(now: number): void {
    const elapsed = Math.max(0, now - this.#at);
    this.#at = now;
    if (this.#status === 'playing') {
      this.#watchMs += elapsed;
      this.#interval.watchMs += elapsed;
      if (this.#bitrate !== null) {
        this.#bitrateWeighted += this.#bitrate * elapsed;
        this.#bitrateMs += elapsed;
        this.#interval.bitrateWeighted += this.#bitrate * elapsed;
        this.#interval.bitrateMs += elapsed;
      }
      if (this.#height !== null) {
        this.#heightWeighted += this.#height * elapsed;
        this.#heightMs += elapsed;
      }
    } else if (this.#stalled) {
      this.#rebufferMs += elapsed;
      this.#interval.rebufferMs += elapsed;
    }
  }

  /** The viewer left, or the Player stopped: the session is over. Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#advance(this.now());
    if (this.#stalled) this.#event('rebufferEnd');
    this.#stalled = false;
    this.#ended = true;
    this.#event('end');
  }

  /** The figures so far. */
  metrics(): ViewMetrics {
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    const mean = sorted.length ? sorted.reduce((sum, l) => sum + l, 0) / sorted.length : null;
    const p95 = sorted.length
      ? (sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? null)
      : null;
    const round = (value: number | null, scale = 1) =>
      value === null ? null : Math.round(value * scale) / scale;
    return {
      startupMs: this.#startupMs,
      watchMs: Math.round(this.#watchMs),
      rebufferCount: this.#rebufferCount,
      rebufferMs: Math.round(this.#rebufferMs),
      bitrateKbps: this.#bitrateMs > 0 ? round(this.#bitrateWeighted / this.#bitrateMs) : null,
      height: this.#heightMs > 0 ? round(this.#heightWeighted / this.#heightMs) : null,
      qualitySwitches: this.#qualitySwitches,
      latencyMean: round(mean, 100),
      latencyP95: round(p95, 100),
      droppedFrames: this.#droppedFrames,
      errors: this.#errors,
      fallbacks: this.#fallbacks,
      failed: this.#failed,
      exitedBeforeStart: this.#ended && !this.started && !this.#failed,
      ended: this.#ended,
    };
  }

  /**
   * The figures, what was played since the previous take, and the events
   * since then; the interval and events start over.
   */
  take(): Pick<ViewBeacon, 'metrics' | 'interval' | 'events'> {
    this.#advance(this.now());
    const { watchMs, rebufferMs, rebufferCount, bitrateWeighted, bitrateMs } = this.#interval;
    const taken = {
      metrics: this.metrics(),
      interval: {
        watchMs: Math.round(watchMs),
        rebufferMs: Math.round(rebufferMs),
        rebufferCount,
        bitrateKbps: bitrateMs > 0 ? Math.round(bitrateWeighted / bitrateMs) : null,
      },
      events: this.#events,
    };
    this.#events = [];
    this.#interval = {
      watchMs: 0,
      rebufferMs: 0,
      rebufferCount: 0,
      bitrateWeighted: 0,
      bitrateMs: 0,
    };
    return taken;
  }

  /** Whether something worth sending at once happened (first frame, a stall, an error, the end). */
  get urgent(): boolean {
    return this.#events.some((event) => URGENT.has(event.type));
  }

  #event(type: ViewEvent['type'], data?: ViewEvent['data']): void {
    this.#events.push({ type, at: Math.round(this.now()), ...(data ? { data } : {}) });
    if (this.#events.length > MAX_PENDING_EVENTS) this.#events.shift();
  }
}

const URGENT = new Set<ViewEvent['type']>([
  'firstFrame',
  'rebufferStart',
  'rebufferEnd',
  'error',
  'fallback',
  'end',
]);
