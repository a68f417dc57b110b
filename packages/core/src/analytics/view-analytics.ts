import type { ViewBeacon, ViewSessionInfo } from '@onair/protocol/analytics';
import { OnAirError } from '../errors.js';
import type { PlayerLoad, PlayerState } from '../play/player-state.js';
import type { AnalyticsOptions, OnAirClient } from '../transport/client.js';
import { type ViewSession, viewSession } from './view-session.js';

/** What {@link ViewAnalytics.track} follows: a `Player`. */
export interface TrackedPlayer {
  subscribe(listener: (state: PlayerState) => void): () => void;
  getSnapshot(): PlayerState;
  onLoad(listener: (load: PlayerLoad) => void): () => void;
  /** The load under way: tracking that begins after it still counts it whole. */
  readonly currentLoad: PlayerLoad | null;
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
    const reporter = sessionReporter(this.#context, streamId, {
      ...this.#options.dimensions,
      ...dimensions,
    });
    const offs = [
      player.onLoad((load) => reporter.load(load)),
      player.subscribe((state) => reporter.observe(state)),
    ];
    const { currentLoad } = player;
    if (currentLoad) {
      reporter.load(currentLoad);
      reporter.observe(player.getSnapshot());
    }
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
  now: () => number;
  /** Draws whether a new session is reported (the sample rate). */
  sampled: () => boolean;
  userId: string | undefined;
  intervalMs: number;
}

/** One tracked Player's reporter: its sessions, one after the other, and their beacons. */
interface SessionReporter {
  load(load: PlayerLoad): void;
  observe(state: PlayerState): void;
  /** The viewer leaves (`pagehide`: the page may be gone before a fetch completes) or tracking stops. */
  leave(pageHidden: boolean): void;
}

// A closure rather than a class: the reporter ships in every page that plays.
function sessionReporter(
  context: ReporterContext,
  streamId: string,
  dimensions: Record<string, string>,
): SessionReporter {
  let session: ViewSession | undefined;
  let info: ViewSessionInfo | undefined;
  let seq = 0;
  let queue: ViewBeacon[] = [];
  let sending = false;
  let interval: ReturnType<typeof setInterval> | undefined;
  /** The next send (an urgent event's, or a retry's). */
  let soon: ReturnType<typeof setTimeout> | undefined;
  let retryAt = 0;
  let backoffMs = RETRY_FIRST_MS;
  let failures = 0;
  const { now } = context;

  const stopTimers = () => {
    clearInterval(interval);
    clearTimeout(soon);
    interval = soon = undefined;
  };
  const later = (ms: number, work: () => void) => {
    clearTimeout(soon);
    soon = setTimeout(() => {
      soon = undefined;
      work();
    }, ms);
  };
  /** Turns what the session gathered into the next beacon, queued for sending. */
  const enqueue = () => {
    if (!session || !info) return;
    const taken = session.take();
    if (session.ended) session = undefined;
    queue.push({ session: info, seq: seq++, sentAt: 0, ...taken });
    if (queue.length > MAX_QUEUED) queue.shift();
  };
  const body = () => {
    const sentAt = Math.round(now());
    return JSON.stringify({ beacons: queue.map((beacon) => ({ ...beacon, sentAt })) });
  };
  const failed = (waitMs: number) => {
    if (++failures >= MAX_ATTEMPTS) {
      // The server has been away for minutes: what is queued goes, so a detached reporter stops.
      queue = [];
      failures = 0;
      backoffMs = RETRY_FIRST_MS;
      return;
    }
    const wait = Math.max(waitMs, backoffMs);
    retryAt = now() + wait;
    backoffMs = Math.min(RETRY_MAX_MS, backoffMs * 2);
    later(wait, () => void send(false));
  };
  const send = async (keepalive: boolean): Promise<void> => {
    if (sending || queue.length === 0 || (!keepalive && now() < retryAt)) return;
    sending = true;
    const count = queue.length;
    try {
      // text/plain is a simple request: no CORS preflight for a server on another origin.
      const response = await context.fetch(context.endpoint, {
        method: 'POST',
        headers: { 'content-type': TEXT },
        body: body(),
        keepalive,
      });
      const { status } = response;
      if (response.ok || (status >= 400 && status < 500 && status !== 429)) {
        // Stored, or refused for good (a retry would be refused the same way).
        queue.splice(0, count);
        backoffMs = RETRY_FIRST_MS;
        retryAt = failures = 0;
      } else {
        failed(Number(response.headers.get('retry-after')) * 1000 || 0);
      }
    } catch {
      failed(0);
    } finally {
      sending = false;
    }
    // A session that ended meanwhile has its last beacon waiting.
    if (queue.length > 0 && retryAt === 0) void send(keepalive);
  };
  const beacon = () => {
    enqueue();
    void send(false);
  };
  const sendSoon = () => {
    if (!soon) later(URGENT_DELAY_MS, beacon);
  };
  const finish = () => {
    if (!session || session.ended) return;
    session.end();
    enqueue();
    stopTimers();
    void send(true);
  };

  return {
    load(load) {
      if (load.fallback && session && !session.ended) {
        session.fellBack(load.engine);
        info = info && { ...info, engine: load.engine };
        sendSoon();
        return;
      }
      finish();
      if (!context.sampled()) return;
      const startedAt = Math.min(load.at, now());
      session = viewSession(load.engine, now, startedAt);
      seq = 0;
      info = {
        // The Player's playback id: CMCD's session id on its HLS requests too.
        id: load.sessionId,
        streamId,
        startedAt: Math.round(startedAt),
        engine: load.engine,
        ...(context.userId ? { userId: context.userId } : {}),
        ...(Object.keys(dimensions).length ? { dimensions } : {}),
      };
      clearInterval(interval);
      interval = setInterval(beacon, context.intervalMs);
    },
    observe(state) {
      if (!session || session.ended) return;
      if (state.status === 'idle') return finish();
      session.observe(state);
      if (session.urgent) sendSoon();
    },
    leave(pageHidden) {
      session?.end();
      enqueue();
      stopTimers();
      if (!pageHidden) return void send(true);
      // sendBeacon outlives the page; a fetch may not.
      if (
        queue.length > 0 &&
        navigator.sendBeacon?.(context.endpoint, new Blob([body()], { type: TEXT }))
      ) {
        queue = [];
      } else void send(true);
    },
  };
}

const TEXT = 'text/plain;charset=UTF-8';

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
