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

/** A download in flight, as the player sees it now (seconds on the clock of {@link LiveDownload}). */
export interface LiveProgress {
  /** The rendition loading. */
  level: number;
  /** Bytes received so far. */
  loaded: number;
  /** Bytes of the whole part (or its expected size). */
  total: number;
  /** When the request was made. */
  requestStart: number;
  /** When the first byte came (null before it). */
  firstByte: number | null;
  /** The time now. */
  now: number;
  /**
   * Parts between the segment's independent part and this one: another
   * rendition has to be loaded from there (0 at an independent part).
   */
  partsBack: number;
}

/** A live ABR rule: fed downloads, asked for a rendition. */
export interface LiveAbrRule {
  /** Records a finished download. */
  onDownload(download: LiveDownload): void;
  /** The rendition to load next (an index into `state.levels`). */
  chooseLevel(state: LiveAbrState): number;
  /**
   * Asked while a part loads: the lower rendition to load instead (the
   * download is abandoned), or -1 to let it finish. Optional.
   */
  abandon?(state: LiveAbrState, progress: LiveProgress): number;
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
   * Switch points looked ahead. Default 4: with 2 s between independent
   * parts that is 8 s, longer than the buffer a viewer holds even after the
   * stalls of a bad mobile link have pushed the latency to 5–7 s. On the
   * development traces 4 had fewer stalls than 3 on the FCC and HSDPA sets
   * (1.03 % vs 1.13 %, 3.36 % vs 3.43 %) for under 0.01 of QoE; 2 stalled
   * more. It costs 1,296 plans of 6 parts with six renditions, once per
   * switch point (0.1 ms in Node on this machine).
   */
  horizon?: number;
  /**
   * How much the prediction is discounted for its own recent error: the
   * throughput planned with is the prediction / (1 + k · min(1, largest
   * relative error of the last 5 predictions)). Default 0.5, so never less
   * than two thirds of the prediction. robustMPC divides by 1 + the error
   * itself (k = 1, uncapped): one sudden drop (a 50 Mbit/s link falling to
   * 0.5) then has it plan with a hundredth of the link for five samples, and
   * on a link that only jitters that caution costs more bitrate than it
   * saves in stalls. Chosen by leave-one-set-out cross-validation over the
   * five development sets among 0.5, 2/3 and 1 (docs/abr.md): four of the
   * five folds and the fit on all five chose 0.5 (before the emergency
   * down-switch and `outageRecovery`, 2/3 had been chosen by hand).
   */
  errorDiscount?: number;
  /**
   * How many times the QoE's own stall weight (the top bitrate per second) a
   * planned stall costs. Default 2: a stall near the live edge costs more than
   * its seconds. It raises hls.js's live-sync target by a second (up to a
   * segment) and the latency it adds stays until caught up or until the
   * Player skips to the live edge. Among 2, 3 and 5, with the Player's skip
   * after any stall, the fit on all five development sets chose 2, as did
   * four of the five cross-validation folds (the fifth, 3).
   */
  stallWeight?: number;
  /**
   * Seconds an outage is remembered. Default 120. A link that, within this
   * time, carried less than 1.5 × the lowest rendition's bitrate (a tunnel,
   * a handover, a congested cell) is planned with the full error discount
   * however steady it has looked since: such drops come back, they come
   * without warning, and a switch holds for a whole segment, so a drop in
   * the middle of a high rendition's segment stalls for most of it. On the
   * development traces, without it the stall ratio on the HSDPA training
   * set is 3.79 % (hls.js's controller: 3.59 %), with it 3.36 %, and on the
   * FCC set 1.22 % against 1.03 %, for 0.07 of QoE on the HSDPA test set.
   * 30 s and 60 s met every target too, with more stalls (3.54 %, 3.42 %):
   * drops there come every half minute to two minutes. (Measured before
   * `outageRecovery`, which now ends it sooner on a link that is steady.)
   */
  outageMemory?: number;
  /**
   * Seconds of steady throughput after which a remembered outage stops
   * counting, before `outageMemory` has run out. Steady: every sample of
   * those seconds, none of them an outage, within a factor of 1.5 of each
   * other. A link that came back from a tunnel to a steady cell is planned
   * with its own (small) error again; one that keeps jittering keeps the full
   * discount. `Infinity`: only `outageMemory` ends it. Default 5: among 5,
   * 10, 30 and ∞, four of the five cross-validation folds and the fit on all
   * five development sets chose 5 (docs/abr.md).
   */
  outageRecovery?: number;
  /** bits/s assumed before the first measurement. Default 1 Mbit/s. */
  defaultEstimate?: number;
}

/** The defaults of {@link OnAirLiveAbrOptions} (the reason for each is in its TSDoc). */
export const LIVE_ABR_DEFAULTS = {
  horizon: 4,
  errorDiscount: 0.5,
  stallWeight: 2,
  outageMemory: 120,
  outageRecovery: 5,
} as const;

/** Below this multiple of the lowest rendition's bitrate a sample counts as an outage. */
const OUTAGE_FACTOR = 1.5;
/** Downloads whose times to first byte are kept (10 s of ⅓ s parts). */
const TTFB_WINDOW = 30;
/** Samples within this factor of each other count as steady (`outageRecovery`). */
const STEADY_SPREAD = 1.5;

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
 * first byte to the last only and pooled to at least 50 ms of transfer or 3
 * downloads (see {@link LiveSampler}), discounted by its recent error
 * (`errorDiscount`), fully after a recent outage (`outageMemory`) until
 * the link has been steady again for a while (`outageRecovery`). The
 * smallest time to first byte of the last 30 downloads stands for the round
 * trip; a request made before its part exists is answered when the part is
 * produced, so the plan counts the larger of the wait and the round trip,
 * not their sum (at the live edge every time to first byte includes a wait,
 * and adding it to the modelled wait again made the rule see every part as
 * late and stay a rendition or two below what the link carried).
 *
 * While a part loads, {@link OnAirLiveAbr.abandon} decides whether to give
 * it up for a lower rendition (an emergency down-switch).
 */
export class OnAirLiveAbr implements LiveAbrRule {
  readonly #sampler = new LiveSampler();
  readonly #fallback: DualEwmaEstimator;
  readonly #harmonic = new HarmonicMeanPredictor(5);
  readonly #ttfbs: number[] = [];
  readonly #horizon: number;
  readonly #stallWeight: number;
  readonly #errorDiscount: number;
  readonly #outageMemory: number;
  readonly #outageRecovery: number;
  /** Recent samples as [end, bits/s], oldest first, for `outageMemory` seconds. */
  readonly #recent: Array<[number, number]> = [];

  constructor(options: OnAirLiveAbrOptions = {}) {
    const defaults = LIVE_ABR_DEFAULTS;
    this.#horizon = options.horizon ?? defaults.horizon;
    this.#errorDiscount = options.errorDiscount ?? defaults.errorDiscount;
    this.#stallWeight = options.stallWeight ?? defaults.stallWeight;
    this.#outageMemory = options.outageMemory ?? defaults.outageMemory;
    this.#outageRecovery = options.outageRecovery ?? defaults.outageRecovery;
    this.#fallback = new DualEwmaEstimator({
      defaultEstimate: options.defaultEstimate ?? 1_000_000,
    });
  }

  onDownload(download: LiveDownload): void {
    this.#ttfbs.push(Math.max(0, download.firstByte - download.requestStart));
    if (this.#ttfbs.length > TTFB_WINDOW) this.#ttfbs.shift();
    const sample = this.#sampler.add(download.bytes, download.firstByte, download.end);
    if (!sample) return;
    this.#fallback.sample(sample);
    this.#harmonic.sample(sample);
    this.#recent.push([download.end, sample.bits / sample.seconds]);
    // At most a sample per download: a few hundred in two minutes of ⅓ s parts.
    while ((this.#recent[0]?.[0] ?? download.end) < download.end - this.#outageMemory) {
      this.#recent.shift();
    }
  }

  /**
   * Whether a remembered sample fell below `threshold` bits/s and the link
   * has not been steady for `outageRecovery` seconds since.
   */
  #outageBelow(threshold: number): boolean {
    const recent = this.#recent;
    const now = recent.at(-1)?.[0] ?? 0;
    let low = Infinity;
    let high = 0;
    for (let i = recent.length - 1; i >= 0; i--) {
      const [end, rate] = recent[i] as [number, number];
      if (rate < threshold) return now - end < this.#outageRecovery || high > STEADY_SPREAD * low;
      if (end >= now - this.#outageRecovery) {
        low = Math.min(low, rate);
        high = Math.max(high, rate);
      }
    }
    return false;
  }

  /** bits/s: the harmonic mean of recent samples (the default estimate before any). */
  estimate(): number {
    return this.#harmonic.predict() ?? this.#fallback.estimate();
  }

  /**
   * The smallest time to first byte of the last 30 downloads: the round trip,
   * as long as one of them found its part already there.
   */
  ttfbEstimate(): number {
    return this.#ttfbs.length === 0 ? 0.1 : Math.min(...this.#ttfbs);
  }

  reset(defaultEstimate?: number): void {
    this.#fallback.reset(defaultEstimate);
    this.#harmonic.reset();
    this.#sampler.reset();
    this.#ttfbs.length = 0;
    this.#recent.length = 0;
  }

  /**
   * Emergency down-switch. Once a part has loaded for half its duration and
   * streamed for a quarter, it is timed at the rate its bytes are arriving.
   * When the rest cannot arrive before the buffer runs out, the parts up to
   * the next switch point are played out at that rate for this rendition and
   * each lower one (loaded again from the segment's independent part, after
   * a round trip for the request and one for the playlist), scored as
   * `chooseLevel` scores (bitrate, stalls × `stallWeight`, the switch and the
   * buffered parts replaced), and the part is abandoned when a lower one
   * scores better. What the abandoned download moved is measured.
   */
  abandon(state: LiveAbrState, progress: LiveProgress): number {
    const { levels, partDuration: d } = state;
    const { level, loaded, total, firstByte, now, partsBack } = progress;
    const speed = Math.max(state.playbackRate, 0.1);
    if (level <= 0 || firstByte === null) return -1;
    if (now - progress.requestStart < d / 2 / speed || now - firstByte < d / 4) return -1;
    // bits/s of this transfer; 1 when nothing came, so that times compare as bits.
    const bps = Math.max((loaded * 8) / (now - firstByte), 1);
    const starvation = state.buffer / speed;
    const remaining = ((total - loaded) * 8) / bps;
    if (remaining <= starvation) return -1;
    const after = Math.max(0, Math.round(state.switchInterval / d) - partsBack - 1);
    const stallCost = ((levels[levels.length - 1] as number) / 1e6) * this.#stallWeight;
    const from = (levels[level] as number) / 1e6;
    let best = -Infinity;
    let choice = level;
    for (let m = level; m >= 0; m--) {
      const mbps = (levels[m] as number) / 1e6;
      const part = (total * 8 * mbps) / from / bps;
      let elapsed = m === level ? remaining : 2 * this.ttfbEstimate() + (partsBack + 1) * part;
      let buffer = starvation;
      let score =
        (after + 1) * d * mbps - (from - mbps) * (1 + Math.min(state.buffer, partsBack * d));
      for (let i = 0; i <= after; i++) {
        score -= stallCost * Math.max(0, elapsed - buffer);
        buffer = Math.max(0, buffer - elapsed) + d;
        elapsed = part;
      }
      if (score > best) {
        best = score;
        choice = m;
      }
    }
    if (choice < level) this.onDownload({ ...progress, bytes: loaded, firstByte, end: now });
    return choice < level ? choice : -1;
  }

  chooseLevel(state: LiveAbrState): number {
    const { levels } = state;
    if (levels.length <= 1) return 0;
    const error = this.#outageBelow((levels[0] as number) * OUTAGE_FACTOR)
      ? 1
      : Math.min(1, this.#harmonic.maxError());
    const discount = 1 + this.#errorDiscount * error;
    const throughput = Math.max(this.estimate() / discount, 1);
    const ttfb = this.ttfbEstimate();
    const d = state.partDuration;
    const partsPerSwitch = Math.max(1, Math.round(state.switchInterval / d));
    const stallCost = ((levels[levels.length - 1] as number) / 1e6) * this.#stallWeight;
    const bottom = (levels[0] as number) / 1e6;
    let best = -Infinity;
    let choice = Math.max(0, state.level);
    const sequence: number[] = [];
    const explore = (depth: number, score: number, buffer: number, latency: number) => {
      if (depth === this.#horizon) {
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
          const elapsed = Math.max(wait, ttfb) + (rate * d) / throughput;
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
