import type Hls from 'hls.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DualEwmaEstimator, Ewma, HarmonicMeanPredictor, LiveSampler } from './estimators.js';
import { createAbrController } from './hls-adapter.js';
import { catchUpRate, type LiveAbrState, type LiveProgress, OnAirLiveAbr } from './live-rule.js';

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
    const shaken = new OnAirLiveAbr({ outageRecovery: Number.POSITIVE_INFINITY });
    // Two seconds at 0.2 Mbit/s (below 1.5 × 0.3), then the same steady 3 Mbit/s.
    shaken.onDownload({ bytes: 50_000, level: 0, requestStart: 0, firstByte: 0.04, end: 2.04 });
    steady(shaken, 3);
    const roomy = state({ level: 3, buffer: 2.5, latency: 2.8, targetLatency: 3 });
    expect(shaken.estimate()).toBeCloseTo(calm.estimate(), -3);
    expect(calm.chooseLevel(roomy)).toBe(4);
    expect(shaken.chooseLevel(roomy)).toBeLessThan(4);
    // However steady the link since, only two minutes forget it (outageRecovery: ∞).
    steady(shaken, 60);
    expect(shaken.chooseLevel(roomy)).toBeLessThan(4);
    steady(shaken, 130);
    expect(shaken.chooseLevel(roomy)).toBe(4);
  });

  it('forgets an outage once the link has been steady for outageRecovery seconds, not while it jitters', () => {
    const roomy = state({ level: 3, buffer: 2.5, latency: 2.8, targetLatency: 3 });
    const outage = (rule: OnAirLiveAbr) =>
      rule.onDownload({ bytes: 50_000, level: 0, requestStart: 0, firstByte: 0.04, end: 2.04 });
    const recovering = new OnAirLiveAbr({ outageRecovery: 20 });
    outage(recovering);
    feed(recovering, 3e6, { count: 30, bytes: 60_000, from: 3 }); // 10 s steady: too soon
    expect(recovering.chooseLevel(roomy)).toBeLessThan(4);
    feed(recovering, 3e6, { count: 36, bytes: 60_000, from: 13 }); // 22 s steady in all
    expect(recovering.chooseLevel(roomy)).toBe(4);
    // Parts alternating 3 and 1.8 Mbit/s (a spread of 1.67): never steady. Without the
    // outage the rule plans with its own error (a fifth); after it, with the full discount.
    const jitter = (rule: OnAirLiveAbr) => {
      for (let i = 0; i < 90; i++) {
        feed(rule, i % 2 ? 1.8e6 : 3e6, { count: 1, bytes: 60_000, from: 3 + i / 3 });
      }
    };
    const calm = new OnAirLiveAbr({ outageRecovery: 20 });
    jitter(calm);
    const shaken = new OnAirLiveAbr({ outageRecovery: 20 });
    outage(shaken);
    jitter(shaken);
    expect(calm.chooseLevel(state({ level: 3 }))).toBe(3);
    expect(shaken.chooseLevel(state({ level: 3 }))).toBeLessThan(3);
  });

  describe('abandon (emergency down-switch)', () => {
    /** A part of `level` (its nominal size) asked at 0, first byte at 0.1 s, moving at `bps` since. */
    const progress = (
      level: number,
      bps: number,
      now: number,
      patch: Partial<LiveProgress> = {},
    ) => {
      const total = Math.round((ladder[level] as number) / 3 / 8);
      return {
        level,
        total,
        loaded: Math.min(total, Math.round((Math.max(0, now - 0.1) * bps) / 8)),
        requestStart: 0,
        firstByte: 0.1,
        now,
        partsBack: 0,
        ...patch,
      };
    };

    it('lets a part finish when it arrives before the buffer runs out', () => {
      const rule = new OnAirLiveAbr();
      expect(rule.abandon(state({ level: 5 }), progress(5, 10e6, 0.2))).toBe(-1);
    });

    it('gives up a part on a collapsed link for the rendition that arrives in time, and measures it', () => {
      const rule = new OnAirLiveAbr();
      // 4.3 Mbit/s part at 0.5 Mbit/s: 2.8 s to go with 0.6 s buffered. The lowest
      // rendition's part (0.1 Mbit) arrives after two round trips and 0.2 s.
      expect(rule.abandon(state({ level: 5 }), progress(5, 0.5e6, 0.2))).toBe(0);
      // What it moved (0.1 s at 0.5 Mbit/s) is a sample.
      expect(rule.estimate()).toBeCloseTo(0.5e6, -3);
    });

    it('judges a part only after half its duration, a quarter of it streaming, and not at the lowest rendition', () => {
      const rule = new OnAirLiveAbr();
      expect(rule.abandon(state({ level: 5 }), progress(5, 0.5e6, 0.15))).toBe(-1);
      expect(rule.abandon(state({ level: 5 }), progress(5, 0.5e6, 0.3, { firstByte: 0.25 }))).toBe(
        -1,
      );
      expect(rule.abandon(state({ level: 5 }), progress(5, 0.5e6, 0.3, { firstByte: null }))).toBe(
        -1,
      );
      expect(rule.abandon(state({ level: 0 }), progress(0, 0.05e6, 0.5))).toBe(-1);
    });

    it('weighs the parts a switch must load again: a small shortfall mid-segment is ridden out', () => {
      // A 1.85 Mbit/s part at 1.5 Mbit/s with 0.3 s buffered: 10 ms short.
      const tight = state({ level: 3, buffer: 0.3 });
      const rule = new OnAirLiveAbr();
      // At the segment's last part, switching means loading six parts again.
      expect(rule.abandon(tight, progress(3, 1.5e6, 0.2, { partsBack: 5 }))).toBe(-1);
      // At its first part, the five that follow would each be late too.
      expect(rule.abandon(tight, progress(3, 1.5e6, 0.2))).toBeLessThan(3);
    });
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

describe('createAbrController (emergency down-switch)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** The parts of an Hls instance the adapter reads, with events. */
  const fakeHls = () => {
    const listeners = new Map<string, Array<(event: string, data: unknown) => void>>();
    const emitted: Array<[string, unknown]> = [];
    const hls = {
      levels: [300_000, 750_000, 1_200_000, 1_850_000, 2_850_000, 4_300_000].map((bitrate) => ({
        bitrate,
      })),
      loadLevel: 5,
      nextLoadLevel: -1,
      autoLevelEnabled: true,
      minAutoLevel: 0,
      maxAutoLevel: 5,
      latency: 1,
      targetLatency: 1,
      media: { playbackRate: 1, paused: false },
      config: { lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.1 },
      mainForwardBufferInfo: { len: 0.6 },
      latestLevelDetails: { live: true, targetduration: 2, partTarget: 1 / 3 },
      on(event: string, fn: (event: string, data: unknown) => void) {
        listeners.set(event, [...(listeners.get(event) ?? []), fn]);
      },
      off(event: string, fn: (event: string, data: unknown) => void) {
        listeners.set(
          event,
          (listeners.get(event) ?? []).filter((f) => f !== fn),
        );
      },
      trigger(event: string, data: unknown) {
        emitted.push([event, data]);
        for (const fn of listeners.get(event) ?? []) fn(event, data);
        return true;
      },
    };
    return { hls, emitted };
  };

  /** Load stats of a part of `level` asked for now, its bytes arriving at `bps` after 0.1 s. */
  const partStats = (level: number, bps: number) => {
    const start = performance.now();
    const total = Math.round(
      ([300_000, 750_000, 1_200_000, 1_850_000, 2_850_000, 4_300_000][level] ?? 0) / 3 / 8,
    );
    return {
      aborted: false,
      total,
      loading: { start, first: start + 100, end: 0 },
      get loaded() {
        return Math.min(
          total,
          Math.round((Math.max(0, performance.now() - start - 100) * bps) / 8000),
        );
      },
    };
  };

  /** A part of `level` loading from now, its bytes arriving at `bps` after 0.1 s. */
  const loadPart = (hls: ReturnType<typeof fakeHls>['hls'], level: number, bps: number) => {
    const stats = partStats(level, bps);
    const frag = { type: 'main', sn: 7, level, duration: 2, stats, abortRequests: vi.fn() };
    const part = { index: 0, independent: true, duration: 1 / 3, stats, fragment: frag };
    hls.trigger('hlsFragLoading', { frag, part, targetBufferTime: null });
    return frag;
  };

  it('aborts a part that cannot arrive in time and has hls.js load a lower rendition', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const { hls, emitted } = fakeHls();
    const Controller = createAbrController();
    const controller = new Controller(hls as unknown as Hls);
    const frag = loadPart(hls, 5, 0.5e6);
    vi.advanceTimersByTime(300);
    expect(frag.abortRequests).toHaveBeenCalledTimes(1);
    expect(emitted.at(-1)?.[0]).toBe('hlsFragLoadEmergencyAborted');
    expect(hls.nextLoadLevel).toBe(0);
    expect(controller.nextAutoLevel).toBe(0);
    // Checked no more once given up.
    vi.advanceTimersByTime(1000);
    expect(frag.abortRequests).toHaveBeenCalledTimes(1);
    controller.destroy();
  });

  it("follows a fragment's parts that hls.js loads one after another on one FRAG_LOADING", () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const { hls, emitted } = fakeHls();
    const Controller = createAbrController();
    const controller = new Controller(hls as unknown as Hls);
    const frag = loadPart(hls, 5, 20e6);
    vi.advanceTimersByTime(200);
    // The first part has loaded; the next one, listed in the playlist, crawls.
    const next = {
      index: 1,
      independent: false,
      duration: 1 / 3,
      fragment: frag,
      stats: partStats(5, 0.3e6),
    };
    Object.assign(hls.levels[5] as object, { details: { partList: [next] } });
    hls.trigger('hlsFragLoaded', { frag, part: { index: 0, stats: frag.stats } });
    vi.advanceTimersByTime(300);
    expect(frag.abortRequests).toHaveBeenCalledTimes(1);
    expect(emitted.at(-1)).toEqual([
      'hlsFragLoadEmergencyAborted',
      expect.objectContaining({ part: next }),
    ]);
    expect(hls.nextLoadLevel).toBeLessThan(5);
    controller.destroy();
  });

  it('lets a part on a fast link finish, and stops checking when it has', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const { hls, emitted } = fakeHls();
    const Controller = createAbrController();
    const controller = new Controller(hls as unknown as Hls);
    const frag = loadPart(hls, 5, 20e6);
    vi.advanceTimersByTime(300);
    hls.trigger('hlsFragLoaded', { frag, part: null });
    vi.advanceTimersByTime(1000);
    expect(frag.abortRequests).not.toHaveBeenCalled();
    expect(emitted.some(([event]) => event === 'hlsFragLoadEmergencyAborted')).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    controller.destroy();
  });
});
