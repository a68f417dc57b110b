import { describe, expect, it } from 'vitest';
import { DualEwmaEstimator, Ewma, HarmonicMeanPredictor, LiveSampler } from './estimators.js';
import { catchUpRate, type LiveAbrState, OnAirLiveAbr } from './live-rule.js';

describe('Ewma', () => {
  it('weighs samples by duration with the half-life in seconds, corrected for its zero start', () => {
    const ewma = new Ewma(2);
    ewma.sample(1, 10);
    expect(ewma.value).toBeCloseTo(10, 10); // one sample: itself
    ewma.sample(2, 20);
    // After 2 s (one half-life) of 20 the old 10 keeps half its weight: raw 0.5·(10·(1 − 2^−½)) + 0.5·20,
    // then divided by 1 − 2^(−3/2).
    const alpha = 0.5 ** (1 / 2);
    const raw = 20 * (1 - alpha ** 2) + alpha ** 2 * (10 * (1 - alpha));
    expect(ewma.value).toBeCloseTo(raw / (1 - alpha ** 3), 10);
    expect(ewma.weight).toBe(3);
  });

  it('ignores samples of no duration or no value', () => {
    const ewma = new Ewma(1);
    ewma.sample(0, 5);
    ewma.sample(1, Number.NaN);
    expect(ewma.weight).toBe(0);
    expect(ewma.value).toBe(0);
  });
});

describe('DualEwmaEstimator', () => {
  it('gives the default until it has samples, then the lower of its fast and slow averages', () => {
    const estimator = new DualEwmaEstimator({
      fastHalfLife: 1,
      slowHalfLife: 10,
      defaultEstimate: 5e5,
    });
    expect(estimator.estimate()).toBe(5e5);
    for (let i = 0; i < 10; i++) estimator.sample({ bits: 8e6, seconds: 1 }); // 8 Mbit/s
    expect(estimator.estimate()).toBeCloseTo(8e6, 0);
    // A drop is believed at once (the fast average), a recovery only slowly (the slow one).
    estimator.sample({ bits: 1e6, seconds: 1 });
    const afterDrop = estimator.estimate();
    expect(afterDrop / (1e6 + (8e6 - 1e6) * 0.5)).toBeCloseTo(1, 3); // fast: half-life 1 s
    estimator.sample({ bits: 8e6, seconds: 1 });
    expect(estimator.estimate()).toBeLessThan(8e6);
    estimator.reset(2e6);
    expect(estimator.estimate()).toBe(2e6);
  });
});

describe('HarmonicMeanPredictor', () => {
  it('predicts the harmonic mean of its window and tracks its largest relative error', () => {
    const predictor = new HarmonicMeanPredictor(3);
    expect(predictor.predict()).toBeNull();
    predictor.sample({ bits: 1e6, seconds: 1 }); // 1 Mbit/s
    predictor.sample({ bits: 4e6, seconds: 2 }); // 2 Mbit/s: predicted 1, error |1 − 2| / 2
    expect(predictor.predict()).toBeCloseTo(2 / (1 / 1e6 + 1 / 2e6), 6);
    expect(predictor.maxError()).toBeCloseTo(0.5, 10);
    predictor.sample({ bits: 4e6, seconds: 1 }); // 4 Mbit/s
    predictor.sample({ bits: 4e6, seconds: 1 }); // the window drops the first sample
    expect(predictor.predict()).toBeCloseTo(3 / (1 / 2e6 + 1 / 4e6 + 1 / 4e6), 6);
  });
});

describe('LiveSampler', () => {
  it('times transfers from the first byte and pools short ones into one sample', () => {
    const sampler = new LiveSampler(0.05);
    // Waiting 0.3 s for the part to be produced does not count; 20 ms of transfer is too short.
    expect(sampler.add(25_000, 10.3, 10.32)).toBeNull();
    const sample = sampler.add(25_000, 10.7, 10.73);
    expect(sample?.bits).toBe(400_000);
    expect(sample?.seconds).toBeCloseTo(0.05, 10);
    expect(sampler.add(0, 1, 2)).toBeNull();
  });

  it('makes a sample after three downloads however quick they were (a fast link is measured at once)', () => {
    const sampler = new LiveSampler(0.05, 3);
    // 75 kB parts in 12 ms each: 50 Mbit/s.
    expect(sampler.add(75_000, 1.0, 1.012)).toBeNull();
    expect(sampler.add(75_000, 1.3, 1.312)).toBeNull();
    const sample = sampler.add(75_000, 1.6, 1.612);
    expect((sample?.bits ?? 0) / (sample?.seconds ?? 1)).toBeCloseTo(50e6, -3);
    // Parts that arrived whole (first and last byte at once) are not timed from three.
    for (let i = 0; i < 9; i++) expect(sampler.add(75_000, 2 + i, 2 + i)).toBeNull();
    expect(sampler.add(75_000, 12, 12)?.seconds).toBeCloseTo(0.01, 10);
  });
});

describe('catchUpRate (hls.js latency law)', () => {
  it('speeds up only near the target with more than a second buffered, capped', () => {
    expect(catchUpRate(1.02, 1, 2, 2, 1.1)).toBe(1); // within 0.05 s
    expect(catchUpRate(2, 1, 0.8, 2, 1.1)).toBe(1); // too little buffer
    expect(catchUpRate(2, 1, 1.5, 2, 1.1)).toBe(1.1); // 2/(1+e^−0.75) = 1.36 → capped
    expect(catchUpRate(1.2, 1, 1.5, 2, 2)).toBe(1.05); // 2/(1+e^−0.15) ≈ 1.075 → 1.05 (nearest 0.05)
    expect(catchUpRate(5, 1, 3, 2, 1.1)).toBe(1); // past the live range: DVR, no catch-up
    expect(catchUpRate(2, 1, 2, 2, 1)).toBe(1); // catch-up off
  });
});

describe('OnAirLiveAbr', () => {
  const ladder = [300_000, 750_000, 1_200_000, 1_850_000, 2_850_000, 4_300_000];
  const state = (patch: Partial<LiveAbrState> = {}): LiveAbrState => ({
    levels: ladder,
    level: 2,
    buffer: 0.6,
    latency: 1,
    targetLatency: 1,
    playbackRate: 1,
    maxPlaybackRate: 1.1,
    partDuration: 1 / 3,
    switchInterval: 2,
    segmentDuration: 2,
    ...patch,
  });
  /**
   * Feeds `count` parts of `bytes`, one every ⅓ s from `from`, that each moved at `bps`
   * after a first byte `wait` seconds after the request.
   */
  const feed = (
    rule: OnAirLiveAbr,
    bps: number,
    { count = 12, bytes = 50_000, wait = 0.04, from = 0 } = {},
  ) => {
    for (let i = 0; i < count; i++) {
      const t = from + i / 3;
      rule.onDownload({
        bytes,
        level: 2,
        requestStart: t,
        firstByte: t + wait,
        end: t + wait + (bytes * 8) / bps,
      });
    }
  };

  it('takes the top rendition on a fast, steady link and the bottom one on a slow link', () => {
    const fast = new OnAirLiveAbr();
    feed(fast, 40e6);
    expect(fast.estimate()).toBeCloseTo(40e6, -3);
    expect(fast.chooseLevel(state())).toBe(5);
    const slow = new OnAirLiveAbr();
    feed(slow, 350_000);
    expect(slow.chooseLevel(state())).toBe(0);
  });

  it('steps down before the buffer runs dry, and does not count waits for the packager as slowness', () => {
    const rule = new OnAirLiveAbr();
    feed(rule, 2e6);
    const roomy = rule.chooseLevel(state({ buffer: 0.9, latency: 1.3 }));
    const tight = rule.chooseLevel(state({ buffer: 0.3, latency: 1 }));
    expect([tight, roomy]).toEqual([2, 3]);
    // Farther from the edge (after stalls) the buffer allows more.
    feed(rule, 2.6e6);
    expect(rule.chooseLevel(state({ buffer: 0.3, latency: 1 }))).toBe(3);
    expect(rule.chooseLevel(state({ buffer: 2.5, latency: 3 }))).toBe(4);
    // The same transfers after long waits for the part: the estimate is unchanged.
    const waited = new OnAirLiveAbr();
    feed(waited, 2.2e6, { wait: 0.3 });
    expect(waited.estimate()).toBeCloseTo(2.2e6, -2);
    expect(waited.ttfbEstimate()).toBeCloseTo(0.3, 10);
  });

  it('overlaps the wait for a part with the round trip instead of adding them', () => {
    // At the live edge every part is requested before it exists, so every time to
    // first byte holds a wait (here 0.25 s); the link carries 2.6 Mbit/s steadily.
    const rule = new OnAirLiveAbr();
    feed(rule, 2.6e6, { count: 30, bytes: 60_000, wait: 0.25 });
    expect(rule.ttfbEstimate()).toBeCloseTo(0.25, 10);
    // 1.9 s buffered at 2 s latency: the next part is produced in 0.23 s. Counting
    // that wait and the measured 0.25 s one after the other made 1.85 Mbit/s parts
    // look late, and the rule chose 1.2 Mbit/s.
    expect(rule.chooseLevel(state({ level: 3, buffer: 1.9, latency: 2, targetLatency: 2 }))).toBe(
      3,
    );
  });

  it('remembers an outage: a link that fell below the lowest rendition is planned with the full error discount', () => {
    const steady = (rule: OnAirLiveAbr, from: number) =>
      feed(rule, 3e6, { count: 30, bytes: 60_000, from });
    const calm = new OnAirLiveAbr();
    steady(calm, 0);
    const shaken = new OnAirLiveAbr();
    // Two seconds at 0.2 Mbit/s (below 1.5 × 0.3), then the same steady 3 Mbit/s.
    shaken.onDownload({ bytes: 50_000, level: 0, requestStart: 0, firstByte: 0.04, end: 2.04 });
    steady(shaken, 3);
    const roomy = state({ level: 3, buffer: 2.5, latency: 2.8, targetLatency: 3 });
    expect(shaken.estimate()).toBeCloseTo(calm.estimate(), -3);
    expect(calm.chooseLevel(roomy)).toBe(4);
    expect(shaken.chooseLevel(roomy)).toBeLessThan(4);
    // Two minutes later the outage is forgotten.
    steady(shaken, 130);
    expect(shaken.chooseLevel(roomy)).toBe(4);
  });

  it('plans with the default estimate before it has measured anything, and forgets on reset', () => {
    const rule = new OnAirLiveAbr({ defaultEstimate: 900_000 });
    expect(rule.estimate()).toBe(900_000);
    expect(rule.chooseLevel(state({ level: -1, buffer: 0 }))).toBeLessThanOrEqual(1);
    feed(rule, 40e6);
    rule.reset(500_000);
    expect(rule.estimate()).toBe(500_000);
  });
});
