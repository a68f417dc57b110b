// Load generator thread of the analytics benchmark: plays its share of the
// view sessions, one run per command. In a run, session i sends beacon k
// (seq k) at startAt + (i + k × sessions) / rate seconds, so the sessions
// together send `rate` beacons per second and each one every sessions / rate
// seconds, as players do (every 10 s). The schedule is open loop: a beacon
// goes out when it is due whether or not the earlier ones were answered, and
// its latency counts from when it was due, so a slow server is not hidden by
// a generator that waits for it (coordinated omission). Like a player, a
// failed send (network, 5xx, 429) keeps the session's beacons and sends them
// again, together, with backoff (1 s doubling, or Retry-After); after 8
// failures in a row, or a 4xx other than 429, they are dropped. Each run ends
// by itself (the schedule, then at most DRAIN_MS of answers and retries);
// `close` ends the thread.
import { parentPort, workerData } from 'node:worker_threads';
import { VIEW_EVENT_TYPES, type ViewBeacon, type ViewEvent } from '@onair/protocol/analytics';
import { KeepAliveClient } from './keep-alive-client.js';

/** What the main thread gives each load thread. */
export interface PlayersSetup {
  url: string;
  /** Beacons per second over all threads. */
  rate: number;
  /** View sessions over all threads (each beacons every sessions / rate seconds). */
  sessions: number;
  /** This thread plays the sessions i with i mod threads = thread. */
  thread: number;
  threads: number;
  /** Events in each beacon. */
  eventsPerBeacon: number;
}

/** Commands to a load thread. */
export type ToPlayers =
  | {
      type: 'run';
      streamId: string;
      /** How long the schedule runs, s. */
      seconds: number;
      /** When the first beacon is due, ms since the epoch (the same for every thread). */
      startAt: number;
    }
  | { type: 'close' };

/** What a load thread reports after a run. */
export interface PlayersResult {
  type: 'result';
  /** Beacons generated on schedule. */
  beacons: number;
  /** Beacons the server answered with 2xx (stored). */
  acknowledged: number;
  /** Beacons given up (8 failures in a row, a 4xx, or still failing at the end). */
  dropped: number;
  /** Requests sent (scheduled and retries), and those that carried more than one beacon. */
  requests: number;
  batchedRequests: number;
  /** Answers other than 2xx, by status; network errors and timeouts. */
  non2xx: number;
  statuses: Record<string, number>;
  networkErrors: number;
  /** The first refusal's status and body, to see why. */
  firstRefusal: string | undefined;
  /** Latency of every answered request from when it was due, ms. */
  latencies: Float64Array<ArrayBuffer>;
  /** The worst latency of the requests due in each second of the run, ms (when it went wrong). */
  worstPerSecond: number[];
  /** How late the generator sent a request after it was due, ms (its own health). */
  sendLagMaxMs: number;
  /** What should be stored, summed over the beacons generated. */
  expected: { sessions: number; events: number; sessionWatchMs: number; intervalWatchMs: number };
  firstDueAt: number;
  lastDueAt: number;
  /** When the last answer came, ms since the epoch. */
  finishedAt: number;
}

/** A request with no answer by then fails (and is retried), ms. */
const REQUEST_TIMEOUT_MS = 10_000;
/** After the schedule, how long retries may still go on, ms (the loop is bounded). */
const DRAIN_MS = 20_000;
const MAX_FAILURES = 8;
const MAX_BATCH = 20;
const TICK_MS = 2;

const setup = workerData as PlayersSetup;
if (!parentPort) throw new Error('analytics-players.worker runs in a worker thread');
const port = parentPort;

// One clock for every thread: absolute ms with sub-millisecond precision.
const now = () => performance.timeOrigin + performance.now();
const BEACONS_PATH = '/v1/analytics/beacons';
// A player holds its own connection; these many are plenty for the requests in flight at once.
const client = new KeepAliveClient(new URL(setup.url), 1024, REQUEST_TIMEOUT_MS);
const periodMs = (setup.sessions / setup.rate) * 1000;

/** A session's state on the player's side. */
interface Session {
  id: string;
  startedAt: number;
  seq: number;
  watchMs: number;
  /** Beacons not yet stored (as JSON), oldest first, with when each was due; sent together on a retry. */
  pending: Array<{ json: string; dueAt: number }>;
  failures: number;
  retryTimer: NodeJS.Timeout | undefined;
  inFlight: boolean;
}

/** The events of an interval (what a player reports in 10 s: mostly quality and buffer changes). */
function eventsOf(seq: number, sentAt: number): ViewEvent[] {
  const events: ViewEvent[] = [];
  const step = Math.floor(periodMs / (setup.eventsPerBeacon + 1));
  for (let j = 0; j < setup.eventsPerBeacon; j++) {
    const type =
      seq === 0 && j === 0
        ? 'firstFrame'
        : (VIEW_EVENT_TYPES[1 + ((seq + j) % 5)] as ViewEvent['type']);
    const at = sentAt - periodMs + step * (j + 1);
    events.push(
      type === 'firstFrame'
        ? { type, at, data: { startupMs: 900 } }
        : type === 'qualityChange'
          ? { type, at, data: { height: 720, bitrateKbps: 2500 } }
          : { type, at },
    );
  }
  return events;
}

function beaconOf(streamId: string, session: Session, sentAt: number): ViewBeacon {
  const seq = session.seq++;
  const intervalWatchMs = seq === 0 ? periodMs - 1000 : periodMs;
  session.watchMs += intervalWatchMs;
  return {
    session: {
      id: session.id,
      streamId,
      startedAt: session.startedAt,
      engine: session.id.endsWith('7') ? 'realtime' : 'hls',
      device: 'desktop',
      browser: 'Chrome',
      os: 'Linux',
    },
    seq,
    sentAt,
    metrics: {
      startupMs: 900,
      watchMs: session.watchMs,
      rebufferCount: 0,
      rebufferMs: 0,
      bitrateKbps: 2500,
      height: 720,
      qualitySwitches: seq,
      latencyMean: 3.5,
      latencyP95: 5,
      droppedFrames: 0,
      errors: 0,
      fallbacks: 0,
      failed: false,
      exitedBeforeStart: false,
      ended: false,
    },
    interval: { watchMs: intervalWatchMs, rebufferMs: 0, rebufferCount: 0, bitrateKbps: 2500 },
    events: eventsOf(seq, sentAt),
  };
}

/** One run of the schedule: its sessions, what was sent and what came back. */
async function run(command: Extract<ToPlayers, { type: 'run' }>): Promise<PlayersResult> {
  const { streamId, seconds, startAt } = command;
  const sessions = new Map<number, Session>();
  let latencies = new Float64Array(Math.ceil((setup.rate / setup.threads) * seconds * 1.5) + 1024);
  let answered = 0;
  let inFlight = 0;
  const result: PlayersResult = {
    type: 'result',
    beacons: 0,
    acknowledged: 0,
    dropped: 0,
    requests: 0,
    batchedRequests: 0,
    non2xx: 0,
    statuses: {},
    networkErrors: 0,
    firstRefusal: undefined,
    latencies,
    worstPerSecond: [],
    sendLagMaxMs: 0,
    expected: { sessions: 0, events: 0, sessionWatchMs: 0, intervalWatchMs: 0 },
    firstDueAt: 0,
    lastDueAt: 0,
    finishedAt: 0,
  };

  const recordLatency = (ms: number, dueAt: number) => {
    const second = Math.max(0, Math.floor((dueAt - startAt) / 1000));
    result.worstPerSecond[second] = Math.max(result.worstPerSecond[second] ?? 0, ms);
    if (answered === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[answered++] = ms;
  };

  /** Sends a session's pending beacons (at most 20) in one request; `dueAt` is when it was meant to go. */
  const send = (session: Session, dueAt: number) => {
    const beacons = session.pending.slice(0, MAX_BATCH).map((p) => p.json);
    session.inFlight = true;
    inFlight++;
    result.requests++;
    if (beacons.length > 1) result.batchedRequests++;
    const body = `{"beacons":[${beacons.join(',')}]}`;
    const sentAt = now();
    if (sentAt - dueAt > result.sendLagMaxMs) result.sendLagMaxMs = sentAt - dueAt;
    let settled = false;
    const settle = (status: number, retryAfter?: string) => {
      if (settled) return;
      settled = true;
      inFlight--;
      session.inFlight = false;
      const at = now();
      result.finishedAt = at;
      if (status >= 200 && status < 300) {
        recordLatency(at - dueAt, dueAt);
        session.pending.splice(0, beacons.length);
        result.acknowledged += beacons.length;
        session.failures = 0;
        // Beacons that came due while this one was under way: sent now, late since they were due.
        const next = session.pending.at(-1);
        if (next) send(session, next.dueAt);
        return;
      }
      if (status > 0) {
        recordLatency(at - dueAt, dueAt);
        result.non2xx++;
        result.statuses[status] = (result.statuses[status] ?? 0) + 1;
      } else {
        result.networkErrors++;
      }
      const retriable = status === 0 || status === 429 || status >= 500;
      if (!retriable || ++session.failures >= MAX_FAILURES) {
        result.dropped += session.pending.length;
        session.pending = [];
        session.failures = 0;
        return;
      }
      const retryAfterS = Number(retryAfter);
      const delay =
        Number.isFinite(retryAfterS) && retryAfterS > 0
          ? retryAfterS * 1000
          : Math.min(60_000, 1000 * 2 ** (session.failures - 1));
      session.retryTimer = setTimeout(() => {
        session.retryTimer = undefined;
        if (!session.inFlight && session.pending.length > 0) send(session, now());
      }, delay);
    };
    // What navigator.sendBeacon sends: a simple request, no CORS preflight.
    client.post(BEACONS_PATH, 'text/plain;charset=UTF-8', body, (status, retryAfter, text) => {
      if (status >= 300 && result.firstRefusal === undefined) {
        result.firstRefusal = `${status} ${text}`;
      }
      settle(status, retryAfter);
    });
  };

  /** The beacon of global schedule slot g: session g mod sessions, its (g div sessions)th. */
  const due = (g: number, dueAt: number) => {
    const index = g % setup.sessions;
    let session = sessions.get(index);
    if (!session) {
      session = {
        id: `vs_${String(index).padStart(8, '0')}_${Math.round(startAt).toString(36)}`,
        startedAt: Math.round(dueAt) - 1000,
        seq: 0,
        watchMs: 0,
        pending: [],
        failures: 0,
        retryTimer: undefined,
        inFlight: false,
      };
      sessions.set(index, session);
      result.expected.sessions++;
    }
    const beacon = beaconOf(streamId, session, Math.round(now()));
    result.beacons++;
    result.expected.events += beacon.events.length;
    result.expected.intervalWatchMs += beacon.interval.watchMs;
    session.pending.push({ json: JSON.stringify(beacon), dueAt });
    // A send already under way takes the new beacon along when it is answered; a player
    // waiting to retry sends everything it holds now.
    if (session.inFlight) return;
    clearTimeout(session.retryTimer);
    session.retryTimer = undefined;
    send(session, dueAt);
  };

  const total = Math.floor(setup.rate * seconds);
  const slotMs = 1000 / setup.rate;
  let g = setup.thread;
  result.firstDueAt = startAt + g * slotMs;
  await new Promise((r) => setTimeout(r, Math.max(0, startAt - now())));
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const t = now();
      // Every slot whose time has come, even if this tick ran late.
      while (g < total) {
        const dueAt = startAt + g * slotMs;
        if (dueAt > t) break;
        due(g, dueAt);
        result.lastDueAt = dueAt;
        g += setup.threads;
      }
      if (g >= total) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  // Let answers and retries finish, up to DRAIN_MS.
  const deadline = now() + DRAIN_MS;
  const pendingBeacons = () => {
    let n = 0;
    for (const s of sessions.values()) n += s.pending.length;
    return n;
  };
  while ((inFlight > 0 || pendingBeacons() > 0) && now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const s of sessions.values()) {
    clearTimeout(s.retryTimer);
    result.dropped += s.pending.length;
    result.expected.sessionWatchMs += s.watchMs;
  }
  result.latencies = latencies.slice(0, answered);
  return result;
}

port.on('message', (command: ToPlayers) => {
  if (command.type === 'close') {
    client.close();
    port.close();
    return;
  }
  void run(command).then((result) => port.postMessage(result, [result.latencies.buffer]));
});
