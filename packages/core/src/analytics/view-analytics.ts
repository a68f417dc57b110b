import type { ViewBeacon, ViewSessionInfo } from '@onair/protocol/analytics';
import { OnAirError } from '../errors.js';
import type { PlayerLoad, PlayerState } from '../play/player-state.js';
import type { AnalyticsOptions, OnAirClient } from '../transport/client.js';
import { environmentOf, type ViewEnvironment } from './environment.js';
import { ViewSession } from './view-session.js';

/** What {@link ViewAnalytics.track} follows: a `Player`. */
export interface TrackedPlayer {
  subscribe(listener: (state: PlayerState) => void): () => void;
  getSnapshot(): PlayerState;
  onLoad(listener: (load: PlayerLoad) => void): () => void;
}

/** Most unsent beacons kept (a request carries them all); older ones are dropped first. */
const MAX_QUEUED = 20;
/** Retry backoff after a failed send, ms: doubling from the first to the last. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 60_000;
/** Sends tried in a row before the queued beacons are given up (about 4 minutes of backoff). */
const MAX_ATTEMPTS = 8;
/** An urgent event (first frame, a stall, an error) is sent after at most this long, ms. */
const URGENT_DELAY_MS = 1000;

/** A random view session id: 22 URL-safe characters. */
function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return `vs_${btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/**
 * Reports view sessions (one per playback) to the server's beacon endpoint:
 * startup time, stalls, bitrate, latency, errors (docs/analytics.md). A
 * session reports every 10 s while it plays and soon after a first frame, a
 * stall, an error or its end; on `pagehide` the last beacon goes with
 * `navigator.sendBeacon`. Failed sends are retried with backoff (the server
 * counts a beacon once however often it arrives). Get the client's
 * instance with {@link viewAnalyticsOf}.
 */
export class ViewAnalytics {
  readonly #options: AnalyticsOptions;
  readonly #context: ReporterContext;

  constructor(
    endpoint: string,
    options: AnalyticsOptions = {},
    deps: {
      fetch?: typeof fetch;
      userAgent?: string;
      now?: () => number;
      random?: () => number;
    } = {},
  ) {
    const { sampleRate } = options;
    if (sampleRate !== undefined && !(sampleRate >= 0 && sampleRate <= 1)) {
      throw new OnAirError(
        'BAD_REQUEST',
        `analytics.sampleRate must be between 0 and 1, not ${String(sampleRate)}`,
      );
    }
    this.#options = options;
    const random = deps.random ?? Math.random;
    this.#context = {
      endpoint,
      fetch: deps.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      environment: environmentOf(
        deps.userAgent ?? (typeof navigator === 'undefined' ? '' : navigator.userAgent),
      ),
      now: deps.now ?? Date.now,
      sampled: () => random() < (options.sampleRate ?? 1),
      userId: options.userId,
      intervalMs: options.intervalMs ?? 10_000,
    };
  }

  /** Whether sessions are reported at all (`enabled`, and a sample rate above 0). */
  get enabled(): boolean {
    return this.#options.enabled !== false && (this.#options.sampleRate ?? 1) > 0;
  }

  /**
   * Follows `player` while it plays `streamId`: each load is a view session.
   * `dimensions` add to the client's. Returns the function that stops
   * following (the session in progress ends and sends its last beacon).
   */
  track(
    player: TrackedPlayer,
    streamId: string,
    dimensions: Record<string, string> = {},
  ): () => void {
    if (!this.enabled) return () => undefined;
    const reporter = new SessionReporter(this.#context, streamId, {
      ...this.#options.dimensions,
      ...dimensions,
    });
    const offs = [
      player.onLoad((load) => reporter.load(load)),
      player.subscribe((state) => reporter.observe(state)),
    ];
    const pagehide = () => reporter.leave(true);
    globalThis.addEventListener?.('pagehide', pagehide);
    return () => {
      for (const off of offs) off();
      globalThis.removeEventListener?.('pagehide', pagehide);
      reporter.leave(false);
    };
  }
}

/** What a session reporter works with. */
interface ReporterContext {
  endpoint: string;
  fetch: typeof fetch;
  environment: ViewEnvironment;
  now: () => number;
  /** Draws whether a new session is reported (the sample rate). */
  sampled: () => boolean;
  userId: string | undefined;
  intervalMs: number;
}

/** One tracked Player's sessions, one after the other, and their beacons. */
class SessionReporter {
  #session: ViewSession | undefined;
  #info: ViewSessionInfo | undefined;
  #seq = 0;
  #queue: ViewBeacon[] = [];
  #sending = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #urgentTimer: ReturnType<typeof setTimeout> | undefined;
  #retryAt = 0;
  #backoffMs = RETRY_FIRST_MS;
  #failures = 0;

  constructor(
    private readonly context: ReporterContext,
    private readonly streamId: string,
    private readonly dimensions: Record<string, string>,
  ) {}

  load(load: PlayerLoad): void {
    if (load.fallback && this.#session && !this.#session.ended) {
      this.#session.fellBack(load.engine);
      this.#info = this.#info && { ...this.#info, engine: load.engine };
      this.#sendSoon();
      return;
    }
    this.#finish();
    const { context } = this;
    if (!context.sampled()) return;
    this.#session = new ViewSession(load.engine, context.now);
    this.#seq = 0;
    this.#info = {
      id: newSessionId(),
      streamId: this.streamId,
      startedAt: Math.round(context.now()),
      engine: load.engine,
      ...context.environment,
      ...(context.userId ? { userId: context.userId } : {}),
      ...(Object.keys(this.dimensions).length ? { dimensions: this.dimensions } : {}),
    };
    clearInterval(this.#timer);
    this.#timer = setInterval(() => this.#beacon(), context.intervalMs);
  }

  observe(state: PlayerState): void {
    const session = this.#session;
    if (!session || session.ended) return;
    if (state.status === 'idle') {
      this.#finish();
      return;
    }
    session.observe(state);
    if (session.urgent) this.#sendSoon();
  }

  /** The viewer leaves (`pagehide`: the page may be gone before a fetch completes) or stops tracking. */
  leave(pageHidden: boolean): void {
    this.#session?.end();
    this.#enqueue();
    this.#stopTimers();
    if (pageHidden) this.#sendBeacon();
    else void this.#send(true);
  }

  #finish(): void {
    if (!this.#session || this.#session.ended) return;
    this.#session.end();
    this.#enqueue();
    this.#stopTimers();
    void this.#send(true);
  }

  #stopTimers(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#urgentTimer);
    this.#timer = undefined;
    this.#urgentTimer = undefined;
  }

  #sendSoon(): void {
    if (this.#urgentTimer) return;
    this.#urgentTimer = setTimeout(() => {
      this.#urgentTimer = undefined;
      this.#beacon();
    }, URGENT_DELAY_MS);
  }

  #beacon(): void {
    this.#enqueue();
    void this.#send(false);
  }

  /** Turns what the session gathered into the next beacon, queued for sending. */
  #enqueue(): void {
    const session = this.#session;
    const info = this.#info;
    if (!session || !info) return;
    const taken = session.take();
    if (session.ended) this.#session = undefined;
    this.#queue.push({
      session: info,
      seq: this.#seq++,
      sentAt: 0,
      ...taken,
    });
    if (this.#queue.length > MAX_QUEUED) this.#queue.shift();
  }

  #body(): string {
    const sentAt = Math.round(this.context.now());
    return JSON.stringify({ beacons: this.#queue.map((beacon) => ({ ...beacon, sentAt })) });
  }

  async #send(keepalive: boolean): Promise<void> {
    if (this.#sending || this.#queue.length === 0) return;
    const { context } = this;
    if (!keepalive && context.now() < this.#retryAt) return;
    this.#sending = true;
    const sending = this.#queue.length;
    try {
      // text/plain is a simple request: no CORS preflight for a server on another origin.
      const response = await context.fetch(context.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: this.#body(),
        keepalive,
      });
      if (
        response.ok ||
        (response.status >= 400 && response.status < 500 && response.status !== 429)
      ) {
        // Stored, or refused for good (a retry would be refused the same way).
        this.#queue.splice(0, sending);
        this.#backoffMs = RETRY_FIRST_MS;
        this.#retryAt = 0;
        this.#failures = 0;
      } else {
        const retryAfter = Number(response.headers.get('retry-after'));
        this.#failed(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0);
      }
    } catch {
      this.#failed(0);
    } finally {
      this.#sending = false;
    }
    // A session that ended meanwhile has its last beacon waiting.
    if (this.#queue.length > 0 && this.#retryAt === 0) void this.#send(keepalive);
  }

  #failed(waitMs: number): void {
    if (++this.#failures >= MAX_ATTEMPTS) {
      // The server has been away for minutes: what is queued goes, so a detached reporter stops.
      this.#queue = [];
      this.#failures = 0;
      this.#backoffMs = RETRY_FIRST_MS;
      return;
    }
    const wait = Math.max(waitMs, this.#backoffMs);
    this.#retryAt = this.context.now() + wait;
    this.#backoffMs = Math.min(RETRY_MAX_MS, this.#backoffMs * 2);
    clearTimeout(this.#urgentTimer);
    this.#urgentTimer = setTimeout(() => {
      this.#urgentTimer = undefined;
      void this.#send(false);
    }, wait);
  }

  #sendBeacon(): void {
    if (this.#queue.length === 0) return;
    const body = this.#body();
    const { endpoint } = this.context;
    const sent =
      typeof navigator !== 'undefined' &&
      typeof navigator.sendBeacon === 'function' &&
      navigator.sendBeacon(endpoint, new Blob([body], { type: 'text/plain;charset=UTF-8' }));
    if (sent) this.#queue = [];
    else void this.#send(true);
  }
}

const byClient = new WeakMap<OnAirClient, ViewAnalytics>();

/**
 * The view analytics of `client` (one per client, made on first use): its
 * `analytics` option, beacons to `/v1/analytics/beacons` on its server
 * through its `fetch`.
 */
export function viewAnalyticsOf(client: OnAirClient): ViewAnalytics {
  let analytics = byClient.get(client);
  if (!analytics) {
    analytics = new ViewAnalytics(
      client.resolveUrl('/v1/analytics/beacons'),
      client.analyticsOptions,
      { fetch: client.fetch },
    );
    byClient.set(client, analytics);
  }
  return analytics;
}
