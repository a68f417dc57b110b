import { DualEwmaEstimator, HarmonicMeanPredictor, LiveSampler } from './estimators.js';

/** What a live ABR rule sees when it chooses (all times in seconds, rates in bits/s). */
export interface LiveAbrState {
  /** Bitrates of the renditions, lowest first. */
  levels: readonly number[];
  /** The rendition loading now (-1 before the first). */
  level: number;
  /** Media buffered ahead of the playhead. */
  buffer: number;
  /** Distance from the playhead to the live edge. */
  latency: number;
  /** The latency the player aims for (hls.js: PART-HOLD-BACK, plus its stall allowance). */
  targetLatency: number;
  /** Current playback rate (above 1 while catching up). */
  playbackRate: number;
  /** The player's catch-up limit (1 = none). */
  maxPlaybackRate: number;
  /** Duration of one part (the unit of loading). */
  partDuration: number;
  /** Distance between independent parts: a switch holds at least this long. */
  switchInterval: number;
  /** Segment duration (hls.js's live range for catch-up is the target plus this). */
  segmentDuration: number;
}

/** One finished download, as the player saw it (seconds on any one clock). */
export interface LiveDownload {
  bytes: number;
  level: number;
  requestStart: number;
  firstByte: number;
  end: number;
}

/** A live ABR rule: fed downloads, asked for a rendition. */
export interface LiveAbrRule {
  /** Records a finished download. */
  onDownload(download: LiveDownload): void;
  /** The rendition to load next (an index into `state.levels`). */
  chooseLevel(state: LiveAbrState): number;
  /** The throughput estimate, bits/s. */
  estimate(): number;
  /** The time to first byte to expect when a part is already there, seconds. */
  ttfbEstimate(): number;
  /** Forgets what it measured. */
  reset(defaultEstimate?: number): void;
}

/**
 * hls.js's catch-up law (its LatencyController): while the latency is between
 * 0.05 s and one segment past the target and more than a second is buffered,
 * play at `2 / (1 + e^(−0.75·distance))`, rounded to 0.05 and capped at
 * `maxRate`; otherwise at 1.
 */
export function catchUpRate(
  latency: number,
  targetLatency: number,
  buffer: number,
  segmentDuration: number,
  maxRate: number,
): number {
  const distance = latency - targetLatency;
  if (maxRate <= 1 || distance <= 0.05 || buffer <= 1) return 1;
  if (distance >= targetLatency + segmentDuration) return 1;
  const rate = Math.round((2 / (1 + Math.exp(-0.75 * distance))) * 20) / 20;
  return Math.min(Math.min(2, maxRate), Math.max(1, rate));
}

/** Options of {@link OnAirLiveAbr}. The defaults are the tuned values; each says why. */
export interface OnAirLiveAbrOptions {
  /**
   * Switch points looked ahead. Default 3: with 2 s between independent
   * parts that is 6 s, longer than the buffer a viewer near the live edge can
   * hold; 2 and 4 scored within noise of 3 on the development traces, and 3
   * costs 216 plans with six renditions.
   */
  horizon?: number;
  /**
   * How much the prediction is discounted for its own recent error: the
   * throughput planned with is the prediction / (1 + k · min(1, largest
   * relative error of the last 5 predictions)). Default 2/3, so never less
   * than 60 % of the prediction. robustMPC divides by 1 + the error itself
   * (k = 1, uncapped): one sudden drop (a 50 Mbit/s link falling to 0.5)
   * then has it plan with a hundredth of the link for five samples, and on a
   * link that only jitters that caution costs more bitrate than it saves in
   * stalls. 0, 0.5, 2/3, 0.8 and 1 were tried on the development traces:
   * more discount, fewer stalls and less bitrate; 2/3 kept the most QoE.
   */
  errorDiscount?: number;
  /**
   * How many times the QoE's own stall weight (the top bitrate per second) a
   * planned stall costs. Default 3: a stall near the live edge costs more than
   * its seconds. It raises hls.js's live-sync target by a second (up to a
   * segment) and the latency it adds stays until caught up, which hls.js
   * only does within a segment of its target, so often never. 1, 2, 3 and 5
   * were tried on the development traces; 3 had the best QoE for its stalls.
   */
  stallWeight?: number;
  /** bits/s assumed before the first measurement. Default 1 Mbit/s. */
  defaultEstimate?: number;
}

/**
 * OnAir's default live ABR: model-predictive control over the live edge.
 *
 * At each switch point it plays out every sequence of renditions over the
 * next few switch points, part by part, with what live playback really does:
 * a part cannot load before it is produced (the wait is the buffer plus one
 * part minus the latency), the buffer drains at the playback rate (hls.js's
 * catch-up law, {@link catchUpRate}), an empty buffer stalls and adds to the
 * latency. Each sequence is scored with the live QoE it would earn (bitrate,
 * minus stalls, minus switch sizes, minus latency over target and time off
 * 1×) and the first step of the best is taken.
 *
 * Throughput is the harmonic mean of the last 5 samples, each timed from the
 * first byte to the last only and pooled to at least 50 ms of transfer (see
 * {@link LiveSampler}), discounted by its recent error (`errorDiscount`);
 * the smallest recent time to first byte stands for the round trip.
 */
export class OnAirLiveAbr implements LiveAbrRule {
  private readonly sampler = new LiveSampler();
  private readonly fallback: DualEwmaEstimator;
  private readonly harmonic = new HarmonicMeanPredictor(5);
  private readonly ttfbs: number[] = [];
  private readonly horizon: number;
  private readonly stallWeight: number;
  private readonly errorDiscount: number;

  constructor(options: OnAirLiveAbrOptions = {}) {
    this.horizon = options.horizon ?? 3;
    this.errorDiscount = options.errorDiscount ?? 2 / 3;
    this.stallWeight = options.stallWeight ?? 3;
    this.fallback = new DualEwmaEstimator({
      defaultEstimate: options.defaultEstimate ?? 1_000_000,
    });
  }

  onDownload(download: LiveDownload): void {
    this.ttfbs.push(Math.max(0, download.firstByte - download.requestStart));
    if (this.ttfbs.length > 10) this.ttfbs.shift();
    const sample = this.sampler.add(download.bytes, download.firstByte, download.end);
    if (!sample) return;
    this.fallback.sample(sample);
    this.harmonic.sample(sample);
  }

  /** bits/s: the harmonic mean of recent samples (the default estimate before any). */
  estimate(): number {
    return this.harmonic.predict() ?? this.fallback.estimate();
  }

  /** The smallest recent time to first byte: the round trip when the part was waiting. */
  ttfbEstimate(): number {
    return this.ttfbs.length === 0 ? 0.1 : Math.min(...this.ttfbs);
  }

  reset(defaultEstimate?: number): void {
    this.fallback.reset(defaultEstimate);
    this.harmonic.reset();
    this.sampler.reset();
    this.ttfbs.length = 0;
  }

  chooseLevel(state: LiveAbrState): number {
    const { levels } = state;
    if (levels.length <= 1) return 0;
    const discount = 1 + this.errorDiscount * Math.min(1, this.harmonic.maxError());
    const throughput = Math.max(this.estimate() / discount, 1);
    const ttfb = this.ttfbEstimate();
    const d = state.partDuration;
    const partsPerSwitch = Math.max(1, Math.round(state.switchInterval / d));
    const stallCost = ((levels[levels.length - 1] as number) / 1e6) * this.stallWeight;
    const bottom = (levels[0] as number) / 1e6;
    let best = -Infinity;
    let choice = Math.max(0, state.level);
    const sequence: number[] = [];
    const explore = (depth: number, score: number, buffer: number, latency: number) => {
      if (depth === this.horizon) {
        if (score > best) {
          best = score;
          choice = sequence[0] as number;
        }
        return;
      }
      const previous = depth === 0 ? state.level : (sequence[depth - 1] as number);
      for (let level = 0; level < levels.length; level++) {
        const rate = levels[level] as number;
        const mbps = rate / 1e6;
        let s = score - (previous >= 0 ? Math.abs(mbps - (levels[previous] as number) / 1e6) : 0);
        let b = buffer;
        let l = latency;
        for (let part = 0; part < partsPerSwitch; part++) {
          const wait = Math.max(0, b + d - l);
          const elapsed = wait + ttfb + (rate * d) / throughput;
          const p = catchUpRate(
            l,
            state.targetLatency,
            b,
            state.segmentDuration,
            state.maxPlaybackRate,
          );
          const played = Math.min(b, p * elapsed);
          const stall = elapsed - played / p;
          b = b - played + d;
          l = l + elapsed - played;
          s +=
            mbps * d -
            stallCost * stall -
            0.5 * bottom * Math.max(0, l - state.targetLatency) * elapsed -
            bottom * (p - 1) * (elapsed - stall);
        }
        sequence[depth] = level;
        explore(depth + 1, s, b, l);
      }
    };
    explore(0, 0, state.buffer, state.latency);
    return choice;
  }
}
