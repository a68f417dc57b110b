import Hls, {
  type HlsConfig,
  type LoaderCallbacks,
  type LoaderConfiguration,
  type LoaderContext,
} from 'hls.js';
import { afterEach, describe, expect, it } from 'vitest';
import { publishedStream } from '../publish/test-stream.js';
import { createAbrController } from './hls-adapter.js';
import { type LiveAbrState, OnAirLiveAbr } from './live-rule.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Set: media requests start 1.5 s late, so that a part stays in flight (playlists are not held). */
let slowMedia = false;

/** hls.js's own loader, its media requests delayed while `slowMedia` is set. */
class SlowLoader extends Hls.DefaultConfig.loader {
  #pending:
    | {
        timer: ReturnType<typeof setTimeout>;
        context: LoaderContext;
        callbacks: LoaderCallbacks<LoaderContext>;
      }
    | undefined;

  override load(
    context: LoaderContext,
    config: LoaderConfiguration,
    callbacks: LoaderCallbacks<LoaderContext>,
  ): void {
    if (!slowMedia) {
      super.load(context, config, callbacks);
      return;
    }
    const timer = setTimeout(() => {
      this.#pending = undefined;
      super.load(context, config, callbacks);
    }, 1500);
    this.#pending = { timer, context, callbacks };
  }

  override abort(): void {
    const pending = this.#pending;
    if (!pending) {
      super.abort();
      return;
    }
    clearTimeout(pending.timer);
    this.#pending = undefined;
    this.stats.aborted = true;
    pending.callbacks.onAbort?.(this.stats, pending.context, null);
  }

  override destroy(): void {
    if (this.#pending) clearTimeout(this.#pending.timer);
    this.#pending = undefined;
    super.destroy();
  }
}

describe('createAbrController with a real hls.js', () => {
  it('is constructed by hls.js, gets every fragment, measures, and hls.js loads the level it answers', async () => {
    // A live LL-HLS ladder from the real server: the fake camera, published.
    const { master } = await publishedStream('ABR', cleanups, '480p');

    // The rule, watched, and steerable: `pick` overrides its answer (null: its own).
    const downloads: number[] = [];
    let pick: 'top' | 'lowest' | null = null;
    // Set: the next part in flight above the lowest rendition is abandoned for it.
    let abandonNext = false;
    let inner: OnAirLiveAbr | undefined;
    const choices: LiveAbrState[] = [];
    const controller = createAbrController(() => {
      const rule = new OnAirLiveAbr({ defaultEstimate: 50_000 });
      inner = rule;
      return {
        onDownload: (d) => {
          downloads.push(d.bytes);
          rule.onDownload(d);
        },
        chooseLevel: (state) => {
          choices.push(state);
          const own = rule.chooseLevel(state);
          return pick === 'top' ? state.levels.length - 1 : pick === 'lowest' ? 0 : own;
        },
        abandon: (state, progress) => {
          if (!abandonNext || progress.level === 0) return rule.abandon(state, progress);
          abandonNext = false;
          slowMedia = false;
          return 0;
        },
        estimate: () => rule.estimate(),
        ttfbEstimate: () => rule.ttfbEstimate(),
        reset: (estimate) => rule.reset(estimate),
      };
    });
    const hls = new Hls({
      lowLatencyMode: true,
      fLoader: SlowLoader as unknown as NonNullable<HlsConfig['fLoader']>,
      abrController: controller as unknown as typeof Hls.DefaultConfig.abrController,
    });
    const video = document.createElement('video');
    video.muted = true;
    document.body.append(video);
    cleanups.push(
      () => {
        slowMedia = false;
      },
      () => hls.destroy(),
      () => video.remove(),
    );
    const switched: number[] = [];
    hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => switched.push(data.level));
    const emergencies: number[] = [];
    hls.on(Hls.Events.FRAG_LOAD_EMERGENCY_ABORTED, (_e, data) => emergencies.push(data.frag.level));
    const loaded: number[] = [];
    hls.on(Hls.Events.FRAG_LOADED, (_e, data) => loaded.push(data.frag.level));
    const fatal: string[] = [];
    hls.on(Hls.Events.ERROR, (_e, data) => {
      if (data.fatal) fatal.push(data.details);
    });
    hls.loadSource(master);
    hls.attachMedia(video);
    void video.play().catch(() => undefined);

    // Generous waits: the whole suite shares two cores with the encoder.
    await expect.poll(() => switched.length, { timeout: 60_000 }).toBeGreaterThan(0);
    expect(hls.levels.length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => downloads.length, { timeout: 60_000 }).toBeGreaterThan(6);
    // What the rule answers is what hls.js loads: the top rendition, then the lowest.
    // (Its own answer depends on how fast a loaded CI machine serves a part.)
    const top = hls.levels.length - 1;
    pick = 'top';
    await expect.poll(() => hls.currentLevel, { timeout: 60_000 }).toBe(top);
    pick = 'lowest';
    await expect.poll(() => switched.at(-1), { timeout: 60_000 }).toBe(0);
    pick = null;
    // hls.js read our estimate and our state came from hls.js.
    expect(hls.bandwidthEstimate).toBe(inner?.estimate());
    expect(hls.bandwidthEstimate).not.toBe(50_000); // measured, not the guess
    expect(hls.ttfbEstimate).toBe((inner?.ttfbEstimate() ?? 0) * 1000);
    const last = choices.at(-1) as LiveAbrState;
    expect(last.levels).toEqual(hls.levels.map((l) => l.bitrate));
    expect(last.partDuration).toBeGreaterThan(0.2);
    expect(last.partDuration).toBeLessThan(0.4);
    expect(last.targetLatency).toBeGreaterThan(0);
    // The emergency down-switch through hls.js's own path: on the top rendition, the next
    // part is held in flight and abandoned; hls.js loads the lowest, then the rule's choice
    // (top) again.
    pick = 'top';
    await expect.poll(() => hls.currentLevel, { timeout: 60_000 }).toBe(top);
    const before = loaded.length;
    abandonNext = true;
    slowMedia = true;
    await expect.poll(() => emergencies, { timeout: 60_000 }).toEqual([top]);
    await expect.poll(() => loaded.slice(before).includes(0), { timeout: 60_000 }).toBe(true);
    await expect
      .poll(() => loaded.slice(before + loaded.slice(before).indexOf(0)).includes(top), {
        timeout: 60_000,
      })
      .toBe(true);
    expect(fatal).toEqual([]);
    pick = null;
    // A level forced through hls.js (manual choice in auto mode) wins once.
    hls.nextAutoLevel = 0;
    expect(hls.nextAutoLevel).toBe(0);
  }, 240_000);
});
