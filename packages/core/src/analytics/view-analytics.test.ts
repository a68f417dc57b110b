import { type ViewBeaconBatch, ViewBeaconBatchSchema } from '@onair/protocol/analytics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PLAYER_IDLE_STATE, type PlayerLoad, type PlayerState } from '../play/player-state.js';
import { type TrackedPlayer, ViewAnalytics } from './view-analytics.js';

/*
 * The reporter against its HTTP boundary: `fetch` is the test's, answering
 * as the server would (stored, refused, unavailable); time is vitest's fake
 * clock. Every body sent must pass the server's schema.
 */

/** A Player as far as analytics sees it: states and loads the test publishes. */
class StandInPlayer implements TrackedPlayer {
  state: PlayerState = PLAYER_IDLE_STATE;
  readonly #states = new Set<(state: PlayerState) => void>();
  readonly #loads = new Set<(load: PlayerLoad) => void>();
  subscribe(listener: (state: PlayerState) => void) {
    this.#states.add(listener);
    return () => this.#states.delete(listener);
  }
  getSnapshot() {
    return this.state;
  }
  onLoad(listener: (load: PlayerLoad) => void) {
    this.#loads.add(listener);
    return () => this.#loads.delete(listener);
  }
  #sessionId = '';
  currentLoad: PlayerLoad | null = null;
  get sessionId(): string {
    return this.#sessionId;
  }
  load(engine: PlayerLoad['engine'], fallback = false) {
    // As the Player: a load is a new playback, its fallback keeps the id.
    if (!fallback) this.#sessionId = crypto.randomUUID();
    const load = { engine, fallback, sessionId: this.#sessionId, at: Date.now() };
    this.currentLoad = load;
    for (const listener of this.#loads) listener(load);
    this.publish({ status: 'loading', mode: engine === 'hls' ? 'hls' : 'realtime' });
  }
  publish(patch: Partial<PlayerState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.#states) listener(this.state);
  }
}

/** A server's beacon endpoint: answers from `answers` in turn (then 204), keeps what it got. */
function endpoint(answers: Array<number | [number, Record<string, string>]> = []) {
  const received: ViewBeaconBatch[] = [];
  const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const batch = ViewBeaconBatchSchema.parse(JSON.parse(String(init?.body)));
    expect(new Headers(init?.headers).get('content-type')).toMatch(/^text\/plain/);
    received.push(batch);
    const answer = answers.shift() ?? 204;
    const [status, headers] = typeof answer === 'number' ? [answer, {}] : answer;
    return new Response(null, { status, headers });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, received, calls: fetch };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

beforeEach(() => {
  vi.useFakeTimers({ now: 1_800_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ViewAnalytics', () => {
  it('reports a session soon after its first frame, every interval while it plays, and at its end', async () => {
    const server = endpoint();
    const analytics = new ViewAnalytics(
      'https://live.example.com/v1/analytics/beacons',
      { dimensions: { course_id: 'c42' } },
      { fetch: server.fetch },
    );
    const player = new StandInPlayer();
    const stop = analytics.track(player, 'str_1', { lesson: '3' });
    player.load('hls');
    await vi.advanceTimersByTimeAsync(600);
    player.publish({ status: 'playing' });
    await vi.advanceTimersByTimeAsync(1000); // first frame: sent within a second
    expect(server.received).toHaveLength(1);
    const [first] = server.received[0]?.beacons ?? [];
    expect(first?.session).toMatchObject({
      streamId: 'str_1',
      engine: 'hls',
      dimensions: { course_id: 'c42', lesson: '3' },
    });
    expect(first?.session).not.toHaveProperty('userId');
    // Device, browser and OS: the server reads them from the request's user agent.
    expect(first?.session).not.toHaveProperty('device');
    expect(first?.seq).toBe(0);
    expect(first?.metrics.startupMs).toBe(600);
    expect(first?.events.map((e) => e.type)).toEqual(['firstFrame']);

    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.received).toHaveLength(2);
    expect(server.received[1]?.beacons[0]?.seq).toBe(1);
    // Played from the first beacon (1.6 s after the load) to the interval's (10 s after it).
    expect(server.received[1]?.beacons[0]?.interval.watchMs).toBe(8400);

    player.publish({ status: 'idle' }); // the Player stopped
    await settle();
    expect(server.received).toHaveLength(3);
    const last = server.received[2]?.beacons[0];
    expect(last?.metrics.ended).toBe(true);
    expect(last?.events.at(-1)?.type).toBe('end');
    // Nothing more after the end.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(server.received).toHaveLength(3);
    stop();
  });

  it('sends the same beacons again after a failure, with backoff and Retry-After', async () => {
    const server = endpoint([503, [429, { 'retry-after': '5' }]]);
    const analytics = new ViewAnalytics('/b', {}, { fetch: server.fetch });
    const player = new StandInPlayer();
    analytics.track(player, 'str_1');
    player.load('hls');
    player.publish({ status: 'playing' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.received).toHaveLength(1); // 503
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.received).toHaveLength(2); // retried after 1 s: 429, retry in 5 s
    expect(server.received[1]?.beacons.map((b) => b.seq)).toEqual([0]);
    await vi.advanceTimersByTimeAsync(4000);
    expect(server.received).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1500);
    expect(server.received).toHaveLength(3);
    expect(server.received[2]?.beacons.map((b) => b.seq)).toEqual([0]);
    // Stored: the next beacon is the next seq only.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.received.at(-1)?.beacons.map((b) => b.seq)).toEqual([1]);
  });

  it('one session per load; a fallback to HLS stays in its session', async () => {
    const server = endpoint();
    const analytics = new ViewAnalytics('/b', { userId: 'u1' }, { fetch: server.fetch });
    const player = new StandInPlayer();
    analytics.track(player, 'str_1');
    player.load('realtime');
    const firstId = player.sessionId;
    await vi.advanceTimersByTimeAsync(3000);
    player.load('hls', true);
    player.publish({ status: 'playing' });
    await vi.advanceTimersByTimeAsync(1000);
    player.load('hls'); // the host loads again: a new session
    player.publish({ status: 'playing' });
    await vi.advanceTimersByTimeAsync(1000);
    const beacons = server.received.flatMap((batch) => batch.beacons);
    const ids = new Set(beacons.map((b) => b.session.id));
    expect(ids.size).toBe(2);
    // The view session is the Player's playback (its id is CMCD's session id too).
    expect(beacons[0]?.session.id).toBe(firstId);
    expect(ids.has(player.sessionId)).toBe(true);
    const first = beacons.filter((b) => b.session.id === beacons[0]?.session.id);
    expect(first.at(-1)?.session.engine).toBe('hls');
    expect(first.at(-1)?.session.userId).toBe('u1');
    expect(first.at(-1)?.metrics).toMatchObject({ fallbacks: 1, ended: true });
    expect(first.at(-1)?.metrics.startupMs).toBe(3000);
  });

  it('sends nothing when opted out or sampled out, and refuses a sample rate outside 0–1', async () => {
    const server = endpoint();
    for (const options of [{ enabled: false }, { sampleRate: 0 }, { sampleRate: 0.5 }]) {
      const analytics = new ViewAnalytics('/b', options, {
        fetch: server.fetch,
        random: () => 0.7,
      });
      const player = new StandInPlayer();
      const stop = analytics.track(player, 'str_1');
      player.load('hls');
      player.publish({ status: 'playing' });
      await vi.advanceTimersByTimeAsync(20_000);
      stop();
    }
    expect(server.calls).not.toHaveBeenCalled();
    expect(() => new ViewAnalytics('/b', { sampleRate: 2 })).toThrowError(/sampleRate/);
  });
});
