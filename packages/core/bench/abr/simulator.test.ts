import { describe, expect, it } from 'vitest';
import { OnAirLiveAbr } from '../../src/abr/live-rule.js';
import { ruleController } from './baselines.js';
import { hlsJsController } from './hlsjs-baseline.js';
import { pairedBootstrap, runSet, summarise } from './run.js';
import {
  type Controller,
  DEFAULT_SIM,
  type PartRequest,
  type SessionView,
  type SimConfig,
  simulate,
} from './simulator.js';
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

  it('skips to the live edge as the Player does: after a stall that began at the edge, past maxLiveLatency', () => {
    // 10 Mbit/s, nothing from 20 s to 32 s, then 10 Mbit/s again: a 12 s outage.
    const outage = new Link(
      steps(
        [
          [0, 10],
          [20, 0],
          [32, 10],
        ],
        90,
      ),
    );
    const without = simulate(outage, config, fixed(0));
    expect(without.skips).toBe(0);
    // hls.js alone: the outage stays as latency (catch-up works only within a segment of the target).
    expect(without.meanLatency).toBeGreaterThan(10);
    const skipping = simulate(outage, { ...config, maxLiveLatency: null }, fixed(0));
    expect(skipping.skips).toBe(1);
    // It jumps from about 12 s behind to the target (1 s, plus one for the stall): ~10.3 s of media.
    expect(skipping.skippedSeconds).toBeGreaterThan(9.5);
    expect(skipping.skippedSeconds).toBeLessThan(11);
    expect(skipping.meanLatency).toBeLessThan(2.5);
    // The wait for the parts at the new position is stall time; the skip costs c = 1 s of it.
    expect(skipping.stallSeconds).toBeGreaterThan(without.stallSeconds);
    expect(skipping.stallSeconds - without.stallSeconds).toBeLessThan(0.5);
    expect(skipping.stallCount).toBe(1);
    expect(skipping.terms.skip).toBeCloseTo((4.3 * 1) / skipping.seconds, 9);
    expect(skipping.qoe).toBeGreaterThan(without.qoe);
    // The same with an explicit bound, and never with 0 or Infinity.
    expect(simulate(outage, { ...config, maxLiveLatency: 8 }, fixed(0)).skips).toBe(1);
    expect(simulate(outage, { ...config, maxLiveLatency: 15 }, fixed(0)).skips).toBe(0);
    expect(simulate(outage, { ...config, maxLiveLatency: Infinity }, fixed(0)).skips).toBe(0);
  });

  it('skips after any stall past the bound (the Player), and only at the edge with the earlier rule', () => {
    // A 6 s outage leaves the viewer ~6 s behind (under the 8 s bound); a 10 s one later
    // begins there, more than 2.5 s past the target.
    const twice = new Link(
      steps(
        [
          [0, 10],
          [20, 0],
          [26, 10],
          [50, 0],
          [60, 10],
        ],
        120,
      ),
    );
    const edgeOnly = simulate(
      twice,
      { ...config, maxLiveLatency: 8, liveEdgeSlack: 2.5 },
      fixed(0),
    );
    expect(edgeOnly.stallCount).toBe(2);
    expect(edgeOnly.skips).toBe(0);
    const player = simulate(twice, { ...config, maxLiveLatency: 8 }, fixed(0));
    expect(player.skips).toBe(1);
    expect(player.meanLatency).toBeLessThan(edgeOnly.meanLatency - 3);
  });

  it('abandons a part mid-segment by loading the new rendition from the independent part', () => {
    const loads: Array<[number, number]> = [];
    let view: SessionView | undefined;
    let aborted = false;
    const aborting: Controller = {
      name: 'aborting',
      attach: (session) => {
        view = session;
      },
      chooseLevel: () => 2,
      onLoading: (request: PartRequest) => {
        loads.push([request.index, request.level]);
        // The 21st request (the last part of a segment): abandoned for level 0 10 ms in.
        if (loads.length === 6 * 3 + 3 && !aborted && view) {
          const session = view;
          const id = session.clock.setInterval(() => {
            session.clock.clearInterval(id);
            aborted = session.abort(0);
          }, 10);
        }
      },
      onDownload: () => undefined,
    };
    const result = simulate(new Link(steps([[0, 10]], 30)), config, aborting);
    expect(aborted).toBe(true);
    expect(result.abandons).toBe(1);
    const [index, level] = loads[6 * 3 + 2] as [number, number];
    expect(level).toBe(2);
    expect(index % config.partsPerSegment).toBe(5);
    const independent = index - (index % config.partsPerSegment);
    // Next: the segment again from its independent part at level 0, then on at level 0.
    expect(loads.slice(6 * 3 + 3, 6 * 3 + 7)).toEqual([
      [independent, 0],
      [independent + 1, 0],
      [independent + 2, 0],
      [independent + 3, 0],
    ]);
    expect(result.stallSeconds).toBe(0);
  });

  it("OnAir's emergency down-switch: a collapse mid-segment costs no stall instead of seconds", () => {
    // 20 Mbit/s, then 0.8 Mbit/s from 30.2 s: OnAir is on the top rendition when it falls.
    const collapse = new Link(
      steps(
        [
          [0, 20],
          [30.2, 0.8],
        ],
        90,
      ),
    );
    const on = simulate(collapse, config, ruleController('on', () => new OnAirLiveAbr())());
    const off = simulate(
      collapse,
      config,
      ruleController('off', () => new OnAirLiveAbr(), { abandon: false })(),
    );
    expect(on.abandons).toBeGreaterThanOrEqual(1);
    expect(off.abandons).toBe(0);
    expect(off.stallSeconds).toBeGreaterThan(5);
    expect(on.stallSeconds).toBeLessThan(0.5);
    expect(on.qoe).toBeGreaterThan(off.qoe);
  });

  it("drives hls.js's own AbrController: it climbs on a fast link and falls back on a slow one", () => {
    const fast = simulate(new Link(steps([[0, 20]], 60)), config, hlsJsController());
    expect(fast.averageBitrate).toBeGreaterThan(2.8);
    const slow = simulate(new Link(steps([[0, 0.5]], 60)), config, hlsJsController());
    expect(slow.averageBitrate).toBeLessThan(0.76);
    // Its emergency switch-down fires: the level controller's switch is modelled, which its
    // abort waits for (a collapse from 20 to 0.8 Mbit/s on the top rendition).
    const collapse = simulate(
      new Link(
        steps(
          [
            [0, 20],
            [30.2, 0.8],
          ],
          90,
        ),
      ),
      config,
      hlsJsController(),
    );
    expect(collapse.abandons).toBeGreaterThanOrEqual(1);
    expect(collapse.stallSeconds).toBeLessThan(1);
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
