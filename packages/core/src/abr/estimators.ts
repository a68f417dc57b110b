/**
 * Throughput estimators for adaptive bitrate: pure, dependency-free and
 * deterministic (no clocks; every sample carries its own duration).
 * @packageDocumentation
 */

/** One throughput measurement: bits moved in a number of seconds of transfer. */
export interface ThroughputSample {
  bits: number;
  seconds: number;
}

/**
 * An exponentially weighted moving average whose weights are sample
 * durations: a sample of `seconds` counts as that much history, so the
 * half-life is in seconds of transfer, not in samples. Zero-bias corrected
 * (the estimate of one sample is that sample).
 */
export class Ewma {
  readonly #alpha: number;
  #estimate = 0;
  #totalWeight = 0;

  /** @param halfLife - seconds of samples after which a sample's weight halves. */
  constructor(readonly halfLife: number) {
    if (!(halfLife > 0)) throw new RangeError('halfLife must be positive');
    this.#alpha = Math.exp(Math.log(0.5) / halfLife);
  }

  /** Adds `value` observed over `weight` seconds. */
  sample(weight: number, value: number): void {
    if (!(weight > 0) || !Number.isFinite(value)) return;
    const adjusted = this.#alpha ** weight;
    this.#estimate = value * (1 - adjusted) + adjusted * this.#estimate;
    this.#totalWeight += weight;
  }

  /** Seconds of samples seen. */
  get weight(): number {
    return this.#totalWeight;
  }

  /** The average, corrected for the zero it started from; 0 before any sample. */
  get value(): number {
    if (this.#totalWeight === 0) return 0;
    const zeroFactor = 1 - this.#alpha ** this.#totalWeight;
    return this.#estimate / zeroFactor;
  }
}

/** Options of {@link DualEwmaEstimator}. */
export interface DualEwmaOptions {
  /** Half-life of the fast average, seconds of transfer. Default 1.5. */
  fastHalfLife?: number;
  /** Half-life of the slow average, seconds of transfer. Default 6. */
  slowHalfLife?: number;
  /** bits/s before enough samples. Default 1 Mbit/s. */
  defaultEstimate?: number;
  /** Seconds of samples needed before the averages are trusted. Default 0.05. */
  minWeight?: number;
}

/**
 * Two EWMAs of throughput, a fast and a slow one; the estimate is the lower
 * of the two, so a drop is believed at once and a rise only once it lasts
 * (the scheme of Shaka Player and hls.js).
 */
export class DualEwmaEstimator {
  #fast: Ewma;
  #slow: Ewma;
  readonly #minWeight: number;
  defaultEstimate: number;

  constructor(options: DualEwmaOptions = {}) {
    this.#fast = new Ewma(options.fastHalfLife ?? 1.5);
    this.#slow = new Ewma(options.slowHalfLife ?? 6);
    this.#minWeight = options.minWeight ?? 0.05;
    this.defaultEstimate = options.defaultEstimate ?? 1_000_000;
  }

  /** Adds a sample (ignored when it moved nothing or took no time). */
  sample({ bits, seconds }: ThroughputSample): void {
    if (!(bits > 0) || !(seconds > 0)) return;
    const rate = bits / seconds;
    this.#fast.sample(seconds, rate);
    this.#slow.sample(seconds, rate);
  }

  /** Whether enough has been seen to estimate. */
  canEstimate(): boolean {
    return this.#fast.weight >= this.#minWeight;
  }

  /** bits/s: min(fast, slow), or the default estimate before enough samples. */
  estimate(): number {
    if (!this.canEstimate()) return this.defaultEstimate;
    return Math.min(this.#fast.value, this.#slow.value);
  }

  /** Forgets every sample (a new stream, a new network); `defaultEstimate` may be changed. */
  reset(defaultEstimate = this.defaultEstimate): void {
    this.defaultEstimate = defaultEstimate;
    this.#fast = new Ewma(this.#fast.halfLife);
    this.#slow = new Ewma(this.#slow.halfLife);
  }
}

/**
 * The harmonic mean of the last `window` throughput samples, with the error
 * of its past predictions: `predict()` is the mean; `maxError()` the largest
 * relative error |predicted − actual| / actual over the last `window`
 * predictions (robustMPC discounts the prediction by 1 + that error).
 */
export class HarmonicMeanPredictor {
  readonly #samples: ThroughputSample[] = [];
  readonly #errors: number[] = [];

  readonly #window: number;

  /** @param window - samples kept. */
  constructor(window = 5) {
    if (!(window >= 1)) throw new RangeError('window must be at least 1');
    this.#window = window;
  }

  /** Adds a sample, first scoring the prediction that was standing. */
  sample({ bits, seconds }: ThroughputSample): void {
    if (!(bits > 0) || !(seconds > 0)) return;
    const rate = bits / seconds;
    const predicted = this.predict();
    if (predicted !== null) {
      this.#errors.push(Math.abs(predicted - rate) / rate);
      if (this.#errors.length > this.#window) this.#errors.shift();
    }
    this.#samples.push({ bits, seconds });
    if (this.#samples.length > this.#window) this.#samples.shift();
  }

  /** bits/s, or null before the first sample. */
  predict(): number | null {
    if (this.#samples.length === 0) return null;
    let inverse = 0;
    for (const { bits, seconds } of this.#samples) inverse += seconds / bits;
    return this.#samples.length / inverse;
  }

  /** The largest relative prediction error in the window (0 before two samples). */
  maxError(): number {
    return this.#errors.length === 0 ? 0 : Math.max(...this.#errors);
  }

  /** Forgets every sample. */
  reset(): void {
    this.#samples.length = 0;
    this.#errors.length = 0;
  }
}

/**
 * Turns LL-HLS part downloads into throughput samples that measure the
 * network, not the encoder.
 *
 * A part requested at the live edge is sent when it is produced, so the time
 * from request to first byte includes waiting for the packager, and a part
 * of a few kilobytes moves in a burst too short to time. Only the transfer
 * after the first byte counts, and short transfers are pooled until they add
 * up to `minSeconds` of transfer, or `maxDownloads` downloads with at least
 * a fifth of that (10 ms), before they make one sample. The second bound
 * keeps a fast link from going unmeasured: at 50 Mbit/s a 0.6 Mbit/s part
 * moves in 4 ms, and waiting for 50 ms of transfer would mean a dozen parts
 * (4 s of stream) planned with the default estimate. Its floor keeps parts
 * that arrived whole, first and last byte in one event (a busy page, a
 * loopback), from making a sample of a few milliseconds that would claim
 * hundreds of megabits.
 */
export class LiveSampler {
  #bits = 0;
  #seconds = 0;
  #downloads = 0;

  /**
   * @param minSeconds - transfer time a sample should span.
   * @param maxDownloads - downloads after which a sample is made even if
   *   shorter (if it spans at least a fifth of `minSeconds`).
   */
  readonly #minSeconds: number;
  readonly #maxDownloads: number;

  constructor(minSeconds = 0.05, maxDownloads = 3) {
    this.#minSeconds = minSeconds;
    this.#maxDownloads = maxDownloads;
  }

  /**
   * Adds one download: `bytes` received, first byte at `firstByte` and last
   * at `end` (seconds, any origin). Returns a sample when the pool is full.
   */
  add(bytes: number, firstByte: number, end: number): ThroughputSample | null {
    if (!(bytes > 0)) return null;
    // A transfer too quick to time still took at least a millisecond.
    this.#bits += bytes * 8;
    this.#seconds += Math.max(end - firstByte, 0.001);
    this.#downloads++;
    const enough =
      this.#seconds >= this.#minSeconds ||
      (this.#downloads >= this.#maxDownloads && this.#seconds >= this.#minSeconds / 5);
    if (!enough) return null;
    const sample = { bits: this.#bits, seconds: this.#seconds };
    this.reset();
    return sample;
  }

  /** Drops what is pooled. */
  reset(): void {
    this.#bits = 0;
    this.#seconds = 0;
    this.#downloads = 0;
  }
}
