import { ViewBeaconSchema } from '@onair/protocol/analytics';
import { describe, expect, it } from 'vitest';
import { OnAirError } from '../errors.js';
import { PLAYER_IDLE_STATE, type PlayerState } from '../play/player-state.js';
import { viewSession } from './view-session.js';

/** A session on a clock the test moves, fed states as the Player would publish them. */
function harness(engine: 'hls' | 'realtime' | 'whep' = 'hls') {
  let now = 1_000_000;
  const session = viewSession(engine, () => now);
  let state: PlayerState = { ...PLAYER_IDLE_STATE, status: 'loading', mode: 'hls' };
  return {
    session,
    /** Moves the clock by `ms`, then publishes the state with `patch`. */
    after(ms: number, patch: Partial<PlayerState> = {}) {
      now += ms;
      state = { ...state, ...patch };
      session.observe(state);
    },
    stats(bitrate: number, height: number, droppedFrames = 0): Partial<PlayerState> {
      return {
        stats: {
          width: 0,
          height,
          bitrate,
          droppedFrames,
          bandwidthEstimate: null,
          buffer: 1,
          packetsLost: 0,
        },
      };
    },
  };
}

describe('ViewSession', () => {
  it('measures startup from the load to the first frame, and watch time while playing', () => {
    const { session, after, stats } = harness();
    after(400, { status: 'buffering' }); // the start waits for data: not a stall
    after(300, { status: 'playing', ...stats(2_000_000, 720) });
    after(5000);
    const { metrics, events, interval } = session.take();
    expect(metrics.startupMs).toBe(700);
    expect(metrics.rebufferCount).toBe(0);
    expect(metrics.watchMs).toBe(5000);
    expect(interval.watchMs).toBe(5000);
    expect(metrics.bitrateKbps).toBe(2000);
    expect(metrics.height).toBe(720);
    expect(events.map((e) => e.type)).toEqual(['firstFrame']);
    expect(events[0]?.data).toEqual({ startupMs: 700 });
    // The interval starts over; the figures go on.
    after(1000);
    const next = session.take();
    expect(next.interval.watchMs).toBe(1000);
    expect(next.metrics.watchMs).toBe(6000);
    expect(next.events).toEqual([]);
  });

  it('leaves the wait of a paused start (autoplay off) out of startup time', () => {
    const { session, after } = harness();
    after(200, { status: 'paused' });
    after(30_000, { status: 'buffering' }); // the viewer pressed play
    after(500, { status: 'playing' });
    expect(session.metrics().startupMs).toBe(500);
  });

  it('counts stalls after the first frame, not seeks, with their time', () => {
    const { session, after } = harness();
    after(100, { status: 'playing' });
    after(10_000, { status: 'buffering', stalled: true });
    after(2000, { status: 'playing', stalled: false });
    after(1000, { status: 'buffering', stalled: false }); // a seek waiting for data
    after(3000, { status: 'playing' });
    after(1000, { status: 'buffering', stalled: true });
    after(500, { status: 'playing', stalled: false });
    const { metrics, interval, events } = session.take();
    expect(metrics.rebufferCount).toBe(2);
    expect(metrics.rebufferMs).toBe(2500);
    expect(interval).toMatchObject({ rebufferCount: 2, rebufferMs: 2500 });
    expect(metrics.watchMs).toBe(10_000 + 1000 + 1000);
    expect(events.map((e) => e.type)).toEqual([
      'firstFrame',
      'rebufferStart',
      'rebufferEnd',
      'rebufferStart',
      'rebufferEnd',
    ]);
  });

  it('weights bitrate and height by the time each played, and counts quality switches', () => {
    const { session, after, stats } = harness();
    after(100, { status: 'playing', level: 1, ...stats(1_000_000, 480) });
    after(3000, { level: 2, ...stats(3_000_000, 720) });
    after(1000);
    const { metrics, events } = session.take();
    expect(metrics.bitrateKbps).toBe(1500); // 3 s at 1000 and 1 s at 3000
    expect(metrics.height).toBe(540);
    expect(metrics.qualitySwitches).toBe(1);
    expect(events.at(-1)).toMatchObject({ type: 'qualityChange', data: { from: 1, to: 2 } });
  });

  it('keeps the mean and 95th percentile of live latency while playing', () => {
    const { session, after } = harness();
    after(100, { status: 'playing' });
    for (let i = 1; i <= 20; i++) after(1000, { latency: i });
    after(1000, { status: 'paused', latency: 99 }); // paused: not sampled
    const { metrics } = session.take();
    expect(metrics.latencyMean).toBe(10.5);
    expect(metrics.latencyP95).toBe(19);
  });

  it('reports a failure, and no failure once playback recovers', () => {
    const { session, after } = harness();
    after(100, { status: 'error', error: new OnAirError('NETWORK', 'offline') });
    expect(session.metrics()).toMatchObject({ errors: 1, failed: true });
    after(1000, { status: 'playing', error: null });
    expect(session.metrics()).toMatchObject({ errors: 1, failed: false, startupMs: 1100 });
    after(100, { status: 'error', error: new OnAirError('MEDIA_UNAVAILABLE', 'gone') });
    session.end();
    const { metrics, events } = session.take();
    expect(metrics).toMatchObject({
      errors: 2,
      failed: true,
      exitedBeforeStart: false,
      ended: true,
    });
    expect(events.filter((e) => e.type === 'error').map((e) => e.data?.code)).toEqual([
      'NETWORK',
      'MEDIA_UNAVAILABLE',
    ]);
  });

  it('is an exit before start when the viewer leaves before the first frame', () => {
    const { session, after } = harness('realtime');
    after(2000, { status: 'buffering' });
    session.fellBack('hls');
    expect(session.engine).toBe('hls');
    session.end();
    session.end();
    const beacon = { session: { id: 'x'.repeat(16) }, ...session.take() };
    expect(beacon.metrics).toMatchObject({
      startupMs: null,
      exitedBeforeStart: true,
      ended: true,
      fallbacks: 1,
    });
    expect(beacon.events.map((e) => e.type)).toEqual(['fallback', 'end']);
    // What a beacon carries passes the server's schema.
    const parsed = ViewBeaconSchema.safeParse({
      session: {
        id: 'vs_0123456789abcdef',
        streamId: 'str_1',
        startedAt: 1,
        engine: 'hls',
        device: 'desktop',
        browser: 'Chrome',
        os: 'Linux',
      },
      seq: 0,
      sentAt: 1,
      ...session.take(),
    });
    expect(parsed.success).toBe(true);
  });
});
