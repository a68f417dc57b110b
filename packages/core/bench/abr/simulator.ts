import { catchUpRate, type LiveAbrState, type LiveDownload } from '../../src/abr/live-rule.js';
import { liveSkipTarget } from '../../src/play/live-skip.js';
import type { Link } from './trace.js';

/** The live stream, the network path and the player. Times in seconds, rates in bits/s. */
export interface SimConfig {
  /** Rendition bitrates, lowest first. */
  ladder: number[];
  partDuration: number;
  /** Parts per segment; a segment starts with the only independent part (a switch point). */
  partsPerSegment: number;
  /** The latency the player aims for (PART-HOLD-BACK) and the QoE's L*. */
  targetLatency: number;
  /** hls.js's `maxLiveSyncPlaybackRate` (OnAir's Player: 1.1). */
  maxPlaybackRate: number;
  /** hls.js's `liveSyncOnStallIncrease`: the target grows this much per stall, up to a segment. */
  stallTargetIncrease: number;
  /** Round trip of a request. */
  rtt: number;
  /** From the end of a part's media to the part being served. */
  packagerDelay: number;
  /** Part sizes vary around the bitrate: log-normal with this sigma (VBR). */
  vbrSigma: number;
  seed: number;
  /** Session length cap (the trace's length otherwise). */
  maxSeconds: number;
  /**
   * The Player's live-edge skip (`maxLiveLatency`, the rule of
   * `src/play/live-skip.ts`): null for the Player's default bound (3 × the
   * target latency, at least 6 s), 0 or Infinity for none (hls.js alone).
   */
  maxLiveLatency: number | null;
  /**
   * Skip only after a stall that began "at the live edge": within this many
   * seconds of the target latency. Infinity (the Player): after any stall
   * (the Player also spares a viewer who paused or sought back, which
   * sessions here never do). 2.5: the Player's earlier rule.
   */
  liveEdgeSlack: number;
  /** What a skip costs on top of its wait, in seconds of stall (× R_max). */
  skipCost: number;
}

/** Defaults: OnAir's server (parts of 1/3 s, segments of 2 s, PART-HOLD-BACK 1 s) and Player. */
export const DEFAULT_SIM: Omit<SimConfig, 'ladder'> = {
  partDuration: 1 / 3,
  partsPerSegment: 6,
  targetLatency: 1,
  maxPlaybackRate: 1.1,
  stallTargetIncrease: 1,
  rtt: 0.08,
  packagerDelay: 0.02,
  vbrSigma: 0.15,
  seed: 1,
  maxSeconds: 600,
  maxLiveLatency: 0,
  liveEdgeSlack: Number.POSITIVE_INFINITY,
  skipCost: 1,
};

/** What the simulator tells a controller about a part it is about to load. */
export interface PartRequest {
  index: number;
  level: number;
  independent: boolean;
  bytes: number;
  duration: number;
  requestStart: number;
}

/** Virtual timers (hls.js's abandon check runs on one). */
export interface Clock {
  now(): number;
  setInterval(fn: () => void, ms: number): number;
  clearInterval(id: number): void;
}

/** An ABR algorithm under test, driven by the simulator. */
export interface Controller {
  readonly name: string;
  /** Before the first request. */
  attach?(session: SessionView): void;
  /** The rendition for part `index` (asked at independent parts only; the level holds between). */
  chooseLevel(state: LiveAbrState, index: number): number;
  /** A request starts. */
  onLoading?(request: PartRequest): void;
  /** A request finished. */
  onDownload(download: LiveDownload & { duration: number; index: number }): void;
  detach?(): void;
}

/** The live view of a session a controller (hls.js's driver) may read. */
export interface SessionView {
  readonly clock: Clock;
  readonly config: SimConfig;
  /** What a rule is told when it chooses, now. */
  state(): LiveAbrState;
  /** Bytes of the current request received so far (0 before its first byte). */
  loadedBytes(): number;
  /** Time of the current request's first byte (null before it). */
  firstByteTime(): number | null;
  buffer(): number;
  latency(): number;
  playbackRate(): number;
  /** The rendition of the current request. */
  currentLevel(): number;
  /**
   * Abandons the current request and loads its part at `level` instead,
   * from the segment's independent part (a rendition can only be entered
   * there; as hls.js does, the parts before it are loaded again and replace
   * what is buffered but not yet played); returns whether it did.
   */
  abort(level: number): boolean;
}

/** Per-session results. Bitrates in Mbit/s, times in seconds. */
export interface SessionResult {
  trace: string;
  controller: string;
  seconds: number;
  qoe: number;
  /** The QoE's terms, each already divided by the session length. */
  terms: {
    bitrate: number;
    stall: number;
    switches: number;
    latency: number;
    rate: number;
    skip: number;
  };
  averageBitrate: number;
  stallSeconds: number;
  stallCount: number;
  switchesPerMinute: number;
  meanLatency: number;
  p95Latency: number;
  startupSeconds: number;
  /** Jumps to the live edge (the Player's policy). */
  skips: number;
  /** Media seconds jumped over. */
  skippedSeconds: number;
  /** Downloads abandoned (emergency down-switches). */
  abandons: number;
}

/** A deterministic pseudo-random generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  every?: number;
  id: number;
  cancelled?: boolean;
}

/** Playback-rate updates come with `timeupdate`, every 250 ms. */
const RATE_STEP = 0.25;

/**
 * One viewer session over one trace: event driven and deterministic. The
 * stream has been live for a while; the viewer joins at the target latency.
 * Part n covers media [n·d, (n+1)·d) of the stream and can be served from
 * (n+1)·d + packagerDelay; a request for a part not yet there waits at the
 * server (blocking preload hint). Each request costs a round trip before its
 * first byte; a switch adds one more (the new rendition's playlist). The
 * buffer drains at the playback rate (hls.js's catch-up law); an empty buffer
 * stalls playback until the next part arrives. With `maxLiveLatency` the
 * Player's live-edge skip applies: when playback resumes after a stall that
 * began at the live edge and the latency is past the bound, the buffer is
 * dropped and playback jumps to the target latency, loading from the
 * newest independent part at or before it (as hls.js does after a seek);
 * the wait for it counts as stall time, and the skip costs `skipCost`
 * seconds of stall more.
 */
export function simulate(link: Link, config: SimConfig, controller: Controller): SessionResult {
  const d = config.partDuration;
  const { ladder } = config;
  const rMin = (ladder[0] as number) / 1e6;
  const rMax = (ladder[ladder.length - 1] as number) / 1e6;
  const sizes = random(config.seed);
  const sizeFactor = new Map<number, number>();
  const partBytes = (index: number, level: number) => {
    // One factor per part for every rendition: the scene's complexity, shared.
    let factor = sizeFactor.get(index);
    if (factor === undefined) {
      const u1 = Math.max(sizes(), 1e-12);
      const u2 = sizes();
      const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      factor = Math.exp(config.vbrSigma * normal - (config.vbrSigma * config.vbrSigma) / 2);
      sizeFactor.set(index, factor);
    }
    return Math.round(((ladder[level] as number) * d * factor) / 8);
  };

  // Session time 0 = the viewer presses play; the stream's media time equals session time
  // plus `offset` (it has been live for a while).
  const offset = 60;
  const end = Math.min(config.maxSeconds, link.warmup + link.trace.duration);
  let now = 0;

  // Timers.
  const timers: Timer[] = [];
  let seq = 0;
  let nextId = 1;
  const push = (timer: Timer) => {
    timers.push(timer);
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
  };
  const schedule = (at: number, fn: () => void) => {
    const timer: Timer = { at, seq: seq++, fn, id: nextId++ };
    push(timer);
    return timer;
  };
  const clock: Clock = {
    now: () => now * 1000,
    setInterval: (fn, ms) => {
      const every = Math.max(ms, 1) / 1000;
      const timer: Timer = { at: now + every, seq: seq++, fn, every, id: nextId++ };
      push(timer);
      return timer.id;
    },
    clearInterval: (id) => {
      for (const timer of timers) if (timer.id === id) timer.cancelled = true;
    },
  };

  // Player state.
  // Join at the target latency; playback starts at the start of the part holding that point.
  const firstPart = Math.floor((offset - config.targetLatency) / d + 1e-9);
  let bufferEnd = firstPart * d; // media time of the end of what is buffered
  let playhead = bufferEnd; // media time
  let started = false;
  let stalled = false;
  let startedAt = 0;
  let rate = 1;
  let stallCount = 0;
  /** After a skip: waiting for the media at the new position (not a stall of the player's). */
  let seeking = false;
  /** The stall in progress began at the live edge (the Player's condition for a skip). */
  let stallNearEdge = false;
  let skips = 0;
  let skippedSeconds = 0;
  let abandons = 0;
  const partLevels = new Map<number, number>();
  // Metrics.
  let bitrateSum = 0;
  let stallSeconds = 0;
  let switchSum = 0;
  let switches = 0;
  let latencyPenalty = 0;
  let ratePenalty = 0;
  let lastPlayedLevel = -1;
  let lastPlayedIndex = -1;
  let latencyArea = 0;
  const latencySamples: number[] = [];
  let nextLatencySample = 0;

  const liveEdge = (t: number) => t + offset;
  const latencyAt = (t: number) => liveEdge(t) - playhead;
  const effectiveTarget = () =>
    config.targetLatency +
    Math.min(stallCount * config.stallTargetIncrease, config.partsPerSegment * d);

  /** Plays from `now` to `t`. */
  const advance = (t: number) => {
    while (now < t) {
      if (!started) {
        now = t;
        return;
      }
      if (stalled) {
        const span = t - now;
        stallSeconds += span;
        const l0 = latencyAt(now);
        latencyArea += span * (l0 + span / 2);
        latencyPenalty += overTarget(l0, span, 1);
        sampleLatency(t);
        now = t;
        return;
      }
      // Rate changes only at timeupdate ticks (every RATE_STEP of session time).
      const nextTick = (Math.floor(now / RATE_STEP + 1e-9) + 1) * RATE_STEP;
      const buffer = bufferEnd - playhead;
      const untilEmpty = buffer / rate;
      const step = Math.min(t - now, nextTick - now, untilEmpty);
      const l0 = latencyAt(now);
      // Latency changes by (1 − rate) per second while playing.
      latencyArea += step * (l0 + ((1 - rate) * step) / 2);
      latencyPenalty += overTarget(l0, step, 1 - rate);
      ratePenalty += Math.abs(rate - 1) * step;
      play(rate * step);
      now += step;
      sampleLatency(now);
      if (bufferEnd - playhead <= 1e-9 && now < t) {
        stallNearEdge = latencyAt(now) <= effectiveTarget() + config.liveEdgeSlack;
        stalled = true;
        stallCount++;
        rate = 1;
        continue;
      }
      if (Math.abs(now - nextTick) < 1e-9) {
        rate = catchUpRate(
          latencyAt(now),
          effectiveTarget(),
          bufferEnd - playhead,
          config.partsPerSegment * d,
          config.maxPlaybackRate,
        );
      }
    }
  };
  /** ∫ max(0, L(s) − L*) ds over `span`, with L(s) = l0 + slope·s. */
  const overTarget = (l0: number, span: number, slope: number) => {
    const target = config.targetLatency;
    const l1 = l0 + slope * span;
    if (l0 <= target && l1 <= target) return 0;
    if (l0 >= target && l1 >= target) return span * ((l0 + l1) / 2 - target);
    // Crosses the target inside the span.
    const cross = (target - l0) / slope;
    return l0 > target ? (cross * (l0 - target)) / 2 : ((span - cross) * (l1 - target)) / 2;
  };
  const sampleLatency = (t: number) => {
    while (nextLatencySample <= t) {
      latencySamples.push(latencyAt(t));
      nextLatencySample += 0.25;
    }
  };
  /** Moves the playhead by `media` seconds, scoring each part as it is played. */
  const play = (media: number) => {
    let left = media;
    while (left > 1e-12) {
      const index = Math.floor(playhead / d + 1e-9);
      const partEnd = (index + 1) * d;
      const chunk = Math.min(left, partEnd - playhead);
      const level = partLevels.get(index) ?? 0;
      const mbps = (ladder[level] as number) / 1e6;
      bitrateSum += chunk * mbps;
      if (index !== lastPlayedIndex) {
        if (lastPlayedLevel >= 0 && level !== lastPlayedLevel) {
          switchSum += Math.abs(mbps - (ladder[lastPlayedLevel] as number) / 1e6);
          switches++;
        }
        lastPlayedLevel = level;
        lastPlayedIndex = index;
      }
      playhead += chunk;
      left -= chunk;
    }
  };

  // Loading.
  let level = -1;
  let request:
    | {
        index: number;
        level: number;
        bytes: number;
        start: number;
        firstByte: number;
        done: number;
        independent: boolean;
        timers: Timer[];
      }
    | undefined;
  let startupSeconds = 0;

  const state = (): LiveAbrState => ({
    levels: ladder,
    level,
    buffer: Math.max(0, bufferEnd - playhead),
    latency: latencyAt(now),
    targetLatency: effectiveTarget(),
    playbackRate: started && !stalled ? rate : 1,
    maxPlaybackRate: config.maxPlaybackRate,
    partDuration: d,
    switchInterval: config.partsPerSegment * d,
    segmentDuration: config.partsPerSegment * d,
  });

  const load = (index: number, forced?: number) => {
    const independent = index % config.partsPerSegment === 0;
    let chosen = level;
    if (forced !== undefined) chosen = forced;
    else if (independent || level < 0) chosen = controller.chooseLevel(state(), index);
    chosen = Math.min(ladder.length - 1, Math.max(0, Math.round(chosen)));
    // Entering another rendition needs its playlist first: one more round trip.
    const switching = level >= 0 && chosen !== level;
    level = chosen;
    const bytes = partBytes(index, chosen);
    const start = now;
    const available = (index + 1) * d + config.packagerDelay - offset; // session time
    const serverStart = Math.max(start + config.rtt / 2 + (switching ? config.rtt : 0), available);
    const firstByte = serverStart + config.rtt / 2;
    const done = link.finish(firstByte, bytes * 8);
    const current = {
      index,
      level: chosen,
      bytes,
      start,
      firstByte,
      done,
      independent,
      timers: [] as Timer[],
    };
    request = current;
    controller.onLoading?.({
      index,
      level: chosen,
      independent,
      bytes,
      duration: d,
      requestStart: start,
    });
    if (done <= end) {
      current.timers.push(
        schedule(done, () => {
          if (request !== current) return;
          advance(done);
          request = undefined;
          // A part loaded again after a switch replaces what is not yet played.
          if (!partLevels.has(index) || index * d >= playhead - 1e-9) partLevels.set(index, chosen);
          bufferEnd = Math.max(bufferEnd, (index + 1) * d);
          let next = index + 1;
          if (!started) {
            started = true;
            startedAt = now;
            startupSeconds = now;
            nextLatencySample = now;
          } else if (stalled && bufferEnd > playhead + 1e-9) {
            stalled = false;
            const sync = seeking || !stallNearEdge ? null : skipTo();
            seeking = false;
            if (sync !== null) {
              skips++;
              skippedSeconds += sync - playhead;
              playhead = sync;
              const part = Math.floor(sync / d + 1e-9);
              next = part - (part % config.partsPerSegment);
              bufferEnd = next * d;
              stalled = true;
              seeking = true;
            }
          }
          controller.onDownload({
            bytes,
            level: chosen,
            requestStart: start,
            firstByte,
            end: done,
            duration: d,
            index,
          });
          if (request === undefined) load(next);
        }),
      );
    }
  };

  /** The Player's live-edge skip on resuming now: where to, or null. */
  const skipTo = () => {
    const target = effectiveTarget();
    const edge = {
      latency: latencyAt(now),
      targetLatency: target,
      liveSyncPosition: liveEdge(now) - target,
    };
    return liveSkipTarget(edge, playhead, target, config.maxLiveLatency ?? undefined);
  };

  const view: SessionView = {
    clock,
    config,
    state,
    loadedBytes: () => {
      if (!request || now < request.firstByte) return 0;
      return Math.min(request.bytes, Math.floor(link.bitsBetween(request.firstByte, now) / 8));
    },
    firstByteTime: () => (request && now >= request.firstByte ? request.firstByte : null),
    buffer: () => Math.max(0, bufferEnd - playhead),
    latency: () => latencyAt(now),
    playbackRate: () => (started && !stalled ? rate : 1),
    currentLevel: () => level,
    abort: (to) => {
      const current = request;
      if (!current || to === current.level || !(to >= 0 && to < ladder.length)) return false;
      for (const timer of current.timers) timer.cancelled = true;
      request = undefined;
      abandons++;
      load(current.index - (current.index % config.partsPerSegment), to);
      return true;
    },
  };

  controller.attach?.(view);
  load(firstPart);
  while (timers.length > 0) {
    const timer = timers.shift() as Timer;
    if (timer.cancelled) continue;
    if (timer.at > end) break;
    advance(timer.at);
    if (timer.every !== undefined) push({ ...timer, at: timer.at + timer.every, seq: seq++ });
    timer.fn();
  }
  advance(end);
  controller.detach?.();

  const seconds = Math.max(1e-9, end - startedAt);
  const terms = {
    bitrate: bitrateSum / seconds,
    stall: (rMax * stallSeconds) / seconds,
    switches: switchSum / seconds,
    latency: (0.5 * rMin * latencyPenalty) / seconds,
    rate: (rMin * ratePenalty) / seconds,
    skip: (rMax * config.skipCost * skips) / seconds,
  };
  const sorted = [...latencySamples].sort((a, b) => a - b);
  return {
    trace: link.trace.name,
    controller: controller.name,
    seconds,
    qoe: terms.bitrate - terms.stall - terms.switches - terms.latency - terms.rate - terms.skip,
    terms,
    averageBitrate: bitrateSum / Math.max(1e-9, seconds - stallSeconds),
    stallSeconds,
    stallCount,
    switchesPerMinute: (switches / seconds) * 60,
    meanLatency: latencyArea / seconds,
    p95Latency: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0,
    startupSeconds,
    skips,
    skippedSeconds,
    abandons,
  };
}
