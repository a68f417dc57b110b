import { HarmonicMeanPredictor } from '../../src/abr/estimators.js';
import type { LiveAbrRule, LiveAbrState, LiveDownload } from '../../src/abr/live-rule.js';
import type { Controller, PartRequest, SessionView } from './simulator.js';

/**
 * A controller from a {@link LiveAbrRule} (our rule and the rule-shaped
 * baselines). A rule with `abandon` is asked every 100 ms while a part loads,
 * as the hls.js adapter asks it, and the part is abandoned for the
 * rendition it answers (unless `abandon` is false).
 */
export function ruleController(
  name: string,
  make: () => LiveAbrRule,
  { abandon = true } = {},
): () => Controller {
  return () => {
    const rule = make();
    let view: SessionView | undefined;
    let request: PartRequest | undefined;
    let timer = -1;
    const stop = () => {
      if (timer >= 0) view?.clock.clearInterval(timer);
      timer = -1;
    };
    const check = () => {
      if (!abandon || !view || !request) return;
      const to = rule.abandon?.(view.state(), {
        level: request.level,
        loaded: view.loadedBytes(),
        total: request.bytes,
        requestStart: request.requestStart,
        firstByte: view.firstByteTime(),
        now: view.clock.now() / 1000,
        partsBack: request.index % view.config.partsPerSegment,
      });
      if (to !== undefined && to >= 0) {
        stop();
        view.abort(to);
      }
    };
    return {
      name,
      attach: (session) => {
        view = session;
      },
      chooseLevel: (state) => rule.chooseLevel(state),
      onLoading: (next) => {
        request = next;
        stop();
        // The timer runs even when abandoning is off: the simulation then steps at the same
        // times, so that a comparison shows only what abandoning changed (see docs/abr.md).
        if (rule.abandon && view) timer = view.clock.setInterval(check, 100);
      },
      onDownload: (download) => {
        stop();
        request = undefined;
        rule.onDownload(download);
      },
      detach: stop,
    };
  };
}

/** Highest level whose bitrate fits `budget` bits/s (0 when none does). */
function highestUnder(levels: readonly number[], budget: number): number {
  let chosen = 0;
  levels.forEach((rate, i) => {
    if (rate <= budget) chosen = i;
  });
  return chosen;
}

/**
 * dash.js's ThroughputRule: the arithmetic mean of the last 3 throughput
 * samples (its live default), each a download's bytes over its time from
 * first byte to last, times a 0.9 safety factor; the highest rendition under it.
 */
export class ThroughputRule implements LiveAbrRule {
  private readonly samples: number[] = [];
  onDownload(d: LiveDownload): void {
    this.samples.push((d.bytes * 8) / Math.max(d.end - d.firstByte, 0.001));
    if (this.samples.length > 3) this.samples.shift();
  }
  estimate(): number {
    if (this.samples.length === 0) return 1_000_000;
    return this.samples.reduce((a, b) => a + b, 0) / this.samples.length;
  }
  ttfbEstimate(): number {
    return 0;
  }
  reset(): void {
    this.samples.length = 0;
  }
  chooseLevel(state: LiveAbrState): number {
    return highestUnder(state.levels, this.estimate() * 0.9);
  }
}

/**
 * BOLA-BASIC (Spiteri, Urgaonkar, Sitaraman, INFOCOM 2016), buffer-based:
 * utilities ln(r_m / r_0) + 1, the minimum buffer one part and the buffer
 * target the live latency target less a part (a live viewer cannot buffer
 * more); picks the level maximising (V·(u_m + γp) − buffer) / r_m.
 */
export class BolaRule implements LiveAbrRule {
  onDownload(): void {}
  estimate(): number {
    return 0;
  }
  ttfbEstimate(): number {
    return 0;
  }
  reset(): void {}
  chooseLevel(state: LiveAbrState): number {
    const { levels } = state;
    const base = levels[0] as number;
    const utilities = levels.map((r) => Math.log(r / base) + 1);
    const minimum = state.partDuration;
    const target = Math.max(state.targetLatency - state.partDuration, 2 * minimum);
    const top = utilities[utilities.length - 1] as number;
    const gp = (top - 1) / (target / minimum - 1);
    const vp = minimum / gp;
    let best = 0;
    let bestScore = -Infinity;
    levels.forEach((rate, m) => {
      const score = (vp * ((utilities[m] as number) + gp) - state.buffer) / rate;
      if (score > bestScore) {
        bestScore = score;
        best = m;
      }
    });
    return best;
  }
}

/**
 * L2A-LL-style learning (after Karagkioules et al., "Online learning for
 * low-latency adaptive streaming", MMSys 2020): a probability vector over
 * the renditions updated by online gradient steps on the Lagrangian of
 * "maximise bitrate subject to downloads keeping pace with playback", a
 * multiplier that grows while they do not, and the rendition nearest below
 * the vector's expected bitrate. Our own reading of the published method,
 * not dash.js's code.
 */
export class L2aRule implements LiveAbrRule {
  private w: number[] = [];
  private q = 0;
  private last: number | null = null;
  onDownload(d: LiveDownload): void {
    this.last = (d.bytes * 8) / Math.max(d.end - d.firstByte, 0.001);
  }
  estimate(): number {
    return this.last ?? 0;
  }
  ttfbEstimate(): number {
    return 0;
  }
  reset(): void {
    this.w = [];
    this.q = 0;
    this.last = null;
  }
  chooseLevel(state: LiveAbrState): number {
    const { levels } = state;
    const top = levels[levels.length - 1] as number;
    const r = levels.map((x) => x / top);
    if (this.w.length !== levels.length) {
      this.w = levels.map((_, i) => (i === 0 ? 1 : 0));
      this.q = 0;
    }
    if (this.last === null) return 0;
    const c = this.last / top;
    const v = state.switchInterval;
    const horizon = 4;
    const alpha = Math.max(horizon, horizon ** 0.99 * Math.sqrt(horizon));
    // Gradient ascent on Σ w·r − Q·(V·Σ w·r / c − V), then back onto the simplex.
    const stepped = this.w.map(
      (w, i) => w + (1 / (2 * alpha)) * ((r[i] as number) - (this.q * v * (r[i] as number)) / c),
    );
    this.w = projectToSimplex(stepped);
    const expected = this.w.reduce((sum, w, i) => sum + w * (r[i] as number), 0);
    // The multiplier rises while the expected download outlasts the segment (buffer shrinking).
    this.q = Math.max(
      0,
      this.q +
        (v * expected) / c -
        v +
        (state.targetLatency - state.buffer - state.partDuration) / state.targetLatency,
    );
    return highestUnder(levels, expected * top + 1);
  }
}

/** Euclidean projection onto the probability simplex (sort-based, exact). */
export function projectToSimplex(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => b - a);
  let sum = 0;
  let theta = 0;
  for (let i = 0; i < sorted.length; i++) {
    sum += sorted[i] as number;
    const t = (sum - 1) / (i + 1);
    if (i === sorted.length - 1 || (sorted[i + 1] as number) <= t) {
      theta = t;
      break;
    }
  }
  return values.map((x) => Math.max(0, x - theta));
}

/**
 * robustMPC (Yin et al., SIGCOMM 2015): throughput samples are downloads
 * timed from first byte to last (timed from the request, as published, a
 * part's wait at the live edge reads as a slow network and it never leaves
 * the lowest rendition), predicted by their harmonic mean
 * over 5 discounted by the largest recent error; every sequence of levels
 * over the next 3 switch points is scored with bitrate − |switch| −
 * top bitrate × rebuffering, with VoD buffer dynamics (no live edge), and
 * the first step of the best is taken.
 */
export class RobustMpcRule implements LiveAbrRule {
  private readonly predictor = new HarmonicMeanPredictor(5);
  onDownload(d: LiveDownload): void {
    this.predictor.sample({ bits: d.bytes * 8, seconds: Math.max(d.end - d.firstByte, 0.001) });
  }
  estimate(): number {
    const p = this.predictor.predict();
    return p === null ? 1_000_000 : p / (1 + this.predictor.maxError());
  }
  ttfbEstimate(): number {
    return 0;
  }
  reset(): void {
    this.predictor.reset();
  }
  chooseLevel(state: LiveAbrState): number {
    const { levels } = state;
    const c = this.estimate();
    const v = state.switchInterval;
    const top = (levels[levels.length - 1] as number) / 1e6;
    let best = -Infinity;
    let choice = 0;
    const seq: number[] = [];
    const explore = (depth: number, score: number, buffer: number) => {
      if (depth === 3) {
        if (score > best) {
          best = score;
          choice = seq[0] as number;
        }
        return;
      }
      const prev = depth === 0 ? state.level : (seq[depth - 1] as number);
      for (let m = 0; m < levels.length; m++) {
        const mbps = (levels[m] as number) / 1e6;
        const download = ((levels[m] as number) * v) / c;
        const rebuffer = Math.max(0, download - buffer);
        const next = Math.max(0, buffer - download) + v;
        seq[depth] = m;
        explore(
          depth + 1,
          score +
            mbps -
            (prev >= 0 ? Math.abs(mbps - (levels[prev] as number) / 1e6) : 0) -
            top * rebuffer,
          next,
        );
      }
    };
    explore(0, 0, state.buffer);
    return choice;
  }
}
