import { describe, expect, it } from 'vitest';
import { hlsJsController } from './hlsjs-baseline.js';
import { pairedBootstrap, runSet, summarise } from './run.js';
import { type Controller, DEFAULT_SIM, type SimConfig, simulate } from './simulator.js';
import { Link, parseTrace, type Trace } from './trace.js';

const ladder = [300_000, 750_000, 1_200_000, 1_850_000, 2_850_000, 4_300_000];
const config: SimConfig = { ...DEFAULT_SIM, ladder, vbrSigma: 0 };

/** A trace from `[seconds, Mbit/s]` steps (each rate from its time to the next). */
function steps(list: Array<[number, number]>, end: number): Trace {
  const lines = [...list, [end - 0.05, list.at(-1)?.[1] ?? 0]].map(([t, r]) => `${t}\t${r}`);
  return parseTrace(lines.join('\n'), { name: 'steps', set: 'test', reading: 'next', wrap: false });
}

/** Always the same rendition. */
const fixed = (level: number): Controller => ({
  name: `level ${level}`,
  chooseLevel: () => level,
  onDownload: () => undefined,
});

describe('ABR simulator', () => {
  it('reads both trace conventions and integrates capacity across steps and zero rates', () => {
    const pensieve = parseTrace('0\t9\n1\t2\n3\t0\n4\t4\n', {
      name: 'p',
      set: 's',
      reading: 'previous',
      wrap: true,
    });
    // Line i covers (t[i−1], t[i]]: 2 Mbit/s for 1 s, 0 for 2 s, 4 Mbit/s for 1 s; then it loops.
    expect([...pensieve.rates]).toEqual([2e6, 0, 4e6]);
    expect(pensieve.duration).toBe(4);
    const link = new Link(pensieve);
    expect(link.bitsBetween(0, 4)).toBeCloseTo(6e6, 3);
    expect(link.finish(0.5, 3e6)).toBeCloseTo(3.5, 9); // 1 Mbit by 1 s, nothing until 3 s, 2 Mbit by 3.5 s
    expect(link.finish(3.5, 4e6)).toBeCloseTo(5, 9); // 2 Mbit by 4 s, loops: 2 Mbit more by 5 s
  });

  it('on a constant link plays the chosen rendition throughout: its bitrate, no stall, no switch', () => {
    const link = new Link(steps([[0, 10]], 120));
    for (const level of [0, 3, 5]) {
      const result = simulate(link, config, fixed(level));
      const mbps = (ladder[level] as number) / 1e6;
      expect(result.stallSeconds).toBe(0);
      expect(result.stallCount).toBe(0);
      expect(result.switchesPerMinute).toBe(0);
      // The bitrate played is the rendition's; a brief catch-up (p = 1.05 while more than a
      // second is buffered) plays a little more media than wall time.
      expect(result.averageBitrate / mbps).toBeCloseTo(1, 3);
      expect(result.terms.bitrate / mbps).toBeCloseTo(1, 3);
      // The first part: one round trip, then its bits at 10 Mbit/s.
      expect(result.startupSeconds).toBeCloseTo(0.08 + (ladder[level] as number) / 3 / 10e6, 4);
      // Joined at the target latency, plus that start-up time.
      expect(result.meanLatency).toBeGreaterThanOrEqual(1);
      expect(result.meanLatency).toBeLessThan(1 + result.startupSeconds + 0.01);
      expect(result.terms.latency).toBeLessThan(0.5 * 0.3 * 0.25);
      expect(result.qoe).toBeCloseTo(
        result.terms.bitrate - result.terms.latency - result.terms.rate,
        12,
      );
    }
  });

  it('stalls through a gap with no capacity: once, for the gap less the buffer it held', () => {
    // 10 Mbit/s, nothing from 20 s to 23 s, then 10 Mbit/s again.
    const link = new Link(
      steps(
        [
          [0, 10],
          [20, 0],
          [23, 10],
        ],
        120,
      ),
    );
    const result = simulate(link, config, fixed(0));
    expect(result.stallCount).toBe(1);
    // Steady state: a part arrives rtt/2 + 20 ms packaging + 10 ms transfer after it ends, so the
    // buffer runs between 0.60 s and 0.93 s; the part pending at 20 s lands at 23.01 s.
    expect(result.stallSeconds).toBeGreaterThan(3.01 - 0.94);
    expect(result.stallSeconds).toBeLessThan(3.01 - 0.59);
    // The stall stays as latency: hls.js catches up only with more than a second buffered.
    expect(result.meanLatency).toBeGreaterThan(1.5);
    expect(result.terms.stall).toBeCloseTo((4.3 * result.stallSeconds) / result.seconds, 9);
  });

  it('counts switches by the bitrate difference between consecutive parts played', () => {
    let n = 0;
    const alternating: Controller = {
      name: 'alternating',
      chooseLevel: () => (n++ % 2 === 0 ? 0 : 2),
      onDownload: () => undefined,
    };
    const result = simulate(new Link(steps([[0, 10]], 60)), config, alternating);
    // A switch every segment (2 s): 0.9 Mbit/s each.
    expect(result.switchesPerMinute).toBeGreaterThan(25);
    expect(result.terms.switches * result.seconds).toBeCloseTo(
      0.9 * ((result.switchesPerMinute * result.seconds) / 60),
      6,
    );
  });

  it("drives hls.js's own AbrController: it climbs on a fast link and falls back on a slow one", () => {
    const fast = simulate(new Link(steps([[0, 20]], 60)), config, hlsJsController());
    expect(fast.averageBitrate).toBeGreaterThan(2.8);
    const slow = simulate(new Link(steps([[0, 0.5]], 60)), config, hlsJsController());
    expect(slow.averageBitrate).toBeLessThan(0.76);
    // The simulator's clock was only borrowed.
    expect(typeof performance.now()).toBe('number');
    expect(performance.now()).toBeGreaterThan(0);
  });

  it('is deterministic, and reports every controller per set with paired intervals', () => {
    const traces = [
      steps(
        [
          [0, 3],
          [30, 1],
          [60, 4],
        ],
        90,
      ),
      steps(
        [
          [0, 2],
          [45, 0.6],
        ],
        90,
      ),
    ];
    const first = summarise(runSet(traces));
    const second = summarise(runSet(traces));
    expect(first).toEqual(second);
    expect(first.map((r) => r.name)).toEqual([
      'OnAir',
      'hls.js',
      'dash.js throughput',
      'BOLA',
      'L2A-LL',
      'robustMPC',
    ]);
    expect(first[1]?.ci).toBeNull();
    expect(pairedBootstrap([1, 2, 3], [1, 2, 3])).toEqual([0, 0]);
    const [lo, hi] = pairedBootstrap([2, 3, 4, 5], [1, 1, 1, 1]);
    expect(lo).toBeGreaterThanOrEqual(1);
    expect(hi).toBeLessThanOrEqual(4);
  });
});
