import type HlsType from 'hls.js';
import type { AbrComponentAPI, Events, FragLoadingData, HlsListeners } from 'hls.js';
import { type LiveAbrRule, type LiveAbrState, OnAirLiveAbr } from './live-rule.js';

// hls.js's event names (its `Events` enum), spelt out so this module imports nothing at run time.
const FRAG_LOADING = 'hlsFragLoading' as Events.FRAG_LOADING;
const FRAG_LOADED = 'hlsFragLoaded' as Events.FRAG_LOADED;
const FRAG_LOAD_EMERGENCY_ABORTED =
  'hlsFragLoadEmergencyAborted' as Events.FRAG_LOAD_EMERGENCY_ABORTED;
const LEVEL_LOADED = 'hlsLevelLoaded' as Events.LEVEL_LOADED;
const MANIFEST_LOADING = 'hlsManifestLoading' as Events.MANIFEST_LOADING;
/** How often a part in flight is checked for an emergency down-switch (as hls.js does). */
const ABANDON_CHECK_MS = 100;

/** The estimator face hls.js shows as `hls.bandwidthEstimate` and `hls.ttfbEstimate`. */
interface EstimatorView {
  readonly defaultEstimate: number;
  getEstimate(): number;
  getEstimateTTFB(): number;
  canEstimate(): boolean;
  destroy(): void;
}

/** The part of an `Hls` instance the adapter reads. */
type HlsLike = Pick<
  HlsType,
  | 'on'
  | 'off'
  | 'trigger'
  | 'levels'
  | 'loadLevel'
  | 'nextLoadLevel'
  | 'autoLevelEnabled'
  | 'minAutoLevel'
  | 'maxAutoLevel'
  | 'latency'
  | 'targetLatency'
  | 'media'
  | 'config'
  | 'mainForwardBufferInfo'
  | 'latestLevelDetails'
>;

/** A class hls.js accepts as its `abrController` option. */
export type AbrControllerClass = new (hls: HlsType) => AbrComponentAPI;

/**
 * Makes an hls.js `abrController` class that chooses renditions with a
 * {@link LiveAbrRule} (default: a new {@link OnAirLiveAbr} per player).
 * hls.js constructs it with the `Hls` instance; it listens to fragment and
 * playlist events, feeds every main-fragment (or part) download to the rule
 * and answers `nextAutoLevel` from the rule's choice, at the buffer,
 * latency and playback rate hls.js reports. While a part loads, a rule with
 * `abandon` is asked every 100 ms whether to give it up; when it names a
 * lower rendition, the download is aborted and hls.js loads that rendition
 * from the segment's independent part (its own emergency switch-down path:
 * `FRAG_LOAD_EMERGENCY_ABORTED`).
 *
 * @example
 * ```ts
 * new Hls({ lowLatencyMode: true, abrController: createAbrController() });
 * ```
 */
export function createAbrController(
  makeRule: () => LiveAbrRule = () => new OnAirLiveAbr(),
): AbrControllerClass {
  return class OnAirAbrController implements AbrComponentAPI {
    readonly #rule = makeRule();
    readonly #hls: HlsLike;
    #forced = -1;
    #loads = 0;
    #cache: { key: string; level: number } | undefined;
    #loading: FragLoadingData | undefined;
    #timer: ReturnType<typeof setInterval> | undefined;
    readonly #listeners: Array<[Events, (...args: never[]) => void]> = [];

    constructor(hls: HlsType) {
      this.#hls = hls;
      this.#listen(MANIFEST_LOADING, () => {
        this.#forced = -1;
        this.#loads = 0;
        this.#cache = undefined;
        this.#stopChecks();
      });
      this.#listen(FRAG_LOADING, (_event, data) => {
        this.#cache = undefined;
        if (data.frag.type !== 'main' || data.frag.sn === 'initSegment') return;
        this.#stopChecks();
        if (!this.#rule.abandon) return;
        this.#loading = data;
        this.#timer = setInterval(this.#checkAbandon, ABANDON_CHECK_MS);
      });
      this.#listen(FRAG_LOADED, (_event, data) => {
        const { frag, part } = data;
        if (frag.type !== 'main' || frag.sn === 'initSegment') return;
        if (this.#loading?.frag === frag) this.#followPart(part);
        const stats = part ? part.stats : frag.stats;
        if (!(stats.loaded > 0) || stats.aborted) return;
        this.#loads++;
        this.#cache = undefined;
        this.#rule.onDownload({
          bytes: stats.loaded,
          level: frag.level,
          requestStart: stats.loading.start / 1000,
          firstByte: (stats.loading.first || stats.loading.start) / 1000,
          end: stats.loading.end / 1000,
        });
        if (frag.level === this.#forced) this.#forced = -1;
      });
      this.#listen(LEVEL_LOADED, () => {
        this.#cache = undefined;
      });
    }

    /**
     * hls.js loads the parts of a fragment one after another on a single
     * FRAG_LOADING: when one has loaded, the next listed is the one in flight.
     */
    #followPart(part: { index: number } | null | undefined): void {
      const loading = this.#loading as FragLoadingData;
      const { frag } = loading;
      const next =
        part &&
        this.#hls.levels[frag.level]?.details?.partList?.find(
          (p) => p.fragment.sn === frag.sn && p.index === part.index + 1,
        );
      if (next) this.#loading = { ...loading, part: next };
      else this.#stopChecks();
    }

    #stopChecks(): void {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#loading = undefined;
    }

    /** Asks the rule whether to give up the part in flight, and does. */
    readonly #checkAbandon = (): void => {
      const hls = this.#hls;
      const loading = this.#loading;
      if (!loading || !this.#rule.abandon || !hls.autoLevelEnabled || hls.media?.paused) return;
      const { frag, part } = loading;
      const stats = part ? part.stats : frag.stats;
      if (stats.aborted) {
        this.#stopChecks();
        return;
      }
      // Arrived: FRAG_LOADED will say whether another part of the fragment follows.
      if (stats.loaded > 0 && stats.loaded === stats.total) return;
      const state = this.#state();
      const expected = ((state.levels[frag.level] ?? 0) * (part?.duration ?? frag.duration)) / 8;
      const level = this.#rule.abandon(state, {
        level: frag.level,
        loaded: stats.loaded,
        total: stats.total || Math.max(stats.loaded, expected),
        requestStart: stats.loading.start / 1000,
        firstByte: stats.loading.first ? stats.loading.first / 1000 : null,
        now: performance.now() / 1000,
        // OnAir's packager marks a segment's first part, and only it, independent.
        partsBack: part && !part.independent ? part.index : 0,
      });
      const to = this.#clamp(level);
      if (level < 0 || to >= frag.level) return;
      this.#stopChecks();
      this.#cache = undefined;
      hls.nextLoadLevel = this.#forced = to;
      frag.abortRequests();
      hls.trigger(FRAG_LOAD_EMERGENCY_ABORTED, { frag, part: part ?? null, stats });
    };

    #listen<E extends keyof HlsListeners>(event: E, listener: HlsListeners[E]): void {
      this.#hls.on(event, listener);
      this.#listeners.push([event as Events, listener as never]);
    }

    /** hls.js's view of the estimate (`hls.bandwidthEstimate`, `hls.ttfbEstimate`). */
    get bwEstimator(): never {
      const rule = this.#rule;
      const view: EstimatorView = {
        get defaultEstimate() {
          return rule.estimate();
        },
        getEstimate: () => rule.estimate(),
        getEstimateTTFB: () => rule.ttfbEstimate() * 1000,
        canEstimate: () => this.#loads > 0,
        destroy: () => undefined,
      };
      return view as never;
    }

    #state(): LiveAbrState {
      const hls = this.#hls;
      const details = hls.latestLevelDetails;
      const segment = details?.targetduration || 2;
      const part = details?.partTarget || segment;
      const target = hls.targetLatency ?? 3 * part;
      const buffer = hls.mainForwardBufferInfo?.len ?? 0;
      const live = details?.live ?? true;
      return {
        levels: hls.levels.map((level) => level.bitrate),
        level: hls.loadLevel,
        buffer,
        // A VOD stream has no live edge: as if far from it, with the buffer as the margin.
        latency: live ? hls.latency || target : buffer + 30,
        targetLatency: target,
        playbackRate: hls.media?.playbackRate || 1,
        maxPlaybackRate: hls.config.lowLatencyMode ? hls.config.maxLiveSyncPlaybackRate : 1,
        partDuration: hls.config.lowLatencyMode ? part : segment,
        switchInterval: segment,
        segmentDuration: segment,
      };
    }

    #clamp(level: number): number {
      return Math.min(Math.max(level, this.#hls.minAutoLevel), this.#hls.maxAutoLevel);
    }

    get firstAutoLevel(): number {
      return this.#clamp(this.#rule.chooseLevel({ ...this.#state(), level: -1, buffer: 0 }));
    }

    get forcedAutoLevel(): number {
      return this.#forced;
    }

    get nextAutoLevel(): number {
      if (this.#forced >= 0) return this.#forced;
      if (this.#hls.levels.length <= 1) return 0;
      const state = this.#state();
      const key = `${this.#loads}:${state.level}:${state.buffer.toFixed(1)}`;
      if (this.#cache?.key === key) return this.#cache.level;
      const level = this.#clamp(this.#rule.chooseLevel(state));
      this.#cache = { key, level };
      return level;
    }

    set nextAutoLevel(level: number) {
      this.#forced = level < 0 ? -1 : this.#clamp(level);
    }

    resetEstimator(defaultEstimate?: number): void {
      this.#rule.reset(defaultEstimate);
      this.#cache = undefined;
    }

    destroy(): void {
      this.#stopChecks();
      for (const [event, listener] of this.#listeners.splice(0))
        this.#hls.off(event, listener as never);
    }
  };
}
