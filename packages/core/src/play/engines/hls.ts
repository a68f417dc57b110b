import type HlsType from 'hls.js';
import type { HlsConfig } from 'hls.js';
import { type AbrControllerClass, createAbrController } from '../../abr/hls-adapter.js';
import { OnAirError } from '../../errors.js';
import type { LiveEdge, PlaybackEngine, PlaybackHost, ReceiveStats } from '../engine.js';
import type { PlayerOptions } from '../player-options.js';

const MAX_BACKOFF_MS = 3000;

/**
 * Low-Latency HLS: hls.js where Media Source Extensions exist (loaded
 * lazily), the browser's own HLS otherwise. Network failures are retried
 * with a bounded backoff; media errors are recovered.
 */
export class HlsEngine implements PlaybackEngine {
  readonly mode = 'hls';
  #hls: HlsType | undefined;
  #retries = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  readonly #host: PlaybackHost;
  readonly #src: string;
  readonly #options: PlayerOptions;
  readonly #autoplay: boolean;

  constructor(host: PlaybackHost, src: string, options: PlayerOptions, autoplay = true) {
    this.#host = host;
    this.#src = src;
    this.#options = options;
    this.#autoplay = autoplay;
  }

  get liveEdge(): LiveEdge | undefined {
    const hls = this.#hls;
    if (!hls) return undefined;
    const { video } = this.#host;
    return {
      // hls.js's own `latency` is refreshed by its timeupdate listener only:
      // stale while paused, and read before it updates by a listener added
      // first (the Player's). Computed here, the way hls.js does, for now.
      get latency() {
        const details = hls.latestLevelDetails;
        return details ? details.edge + details.age - video.currentTime : hls.latency;
      },
      get targetLatency() {
        return hls.targetLatency;
      },
      get liveSyncPosition() {
        return hls.liveSyncPosition;
      },
    };
  }

  async start(): Promise<void> {
    const host = this.#host;
    const src = this.#src;
    const options = this.#options;
    const Hls = await (options.loadHls ?? (async () => (await import('hls.js')).default))();
    if (this.#closed) return;
    if (Hls.isSupported()) {
      const lowLatency = options.lowLatency ?? true;
      const hls = new Hls({
        lowLatencyMode: lowLatency,
        // Any liveSyncDuration(Count) given overrides the playlist's PART-HOLD-BACK in
        // hls.js: set it only when asked (a count of 2 meant 6 s behind, not 1).
        ...(options.targetLatency !== undefined ? { liveSyncDuration: options.targetLatency } : {}),
        maxLiveSyncPlaybackRate: lowLatency ? 1.1 : 1,
        // CTA-5004 data on every request (query form: no CORS preflight), under the playback's id.
        ...(options.cmcd === false ? {} : { cmcd: { sessionId: host.sessionId } }),
        ...this.#abrConfig(),
        ...options.hlsConfig,
      });
      this.#hls = hls;
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
          return;
        }
        if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
          this.#retry(data.details);
          return;
        }
        host.update({ status: 'error', error: new OnAirError('MEDIA_UNAVAILABLE', data.details) });
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => host.update({ level: data.level }));
      hls.on(Hls.Events.LEVEL_LOADED, (_event, { details }) => {
        // A playlist with an end (a replay, or a stream that just ended) has a length.
        const duration = details.live ? null : Math.round(details.totalduration * 10) / 10;
        if (host.state.live !== details.live || host.state.duration !== duration) {
          host.update({ live: details.live, duration });
        }
      });
      hls.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
        host.update({
          levels: data.levels.map((level, index) => ({
            index,
            height: level.height || null,
            bitrate: level.bitrate || null,
          })),
        });
        host.startStats();
        this.#retries = 0;
        if (this.#autoplay) void host.autoplay();
        else host.update({ status: 'paused' });
      });
      hls.loadSource(src);
      hls.attachMedia(host.video);
    } else if (host.video.canPlayType('application/vnd.apple.mpegurl')) {
      const video = host.video;
      video.addEventListener(
        'loadedmetadata',
        () => {
          const live = !Number.isFinite(video.duration);
          host.update({ live, duration: live ? null : Math.round(video.duration * 10) / 10 });
        },
        { once: true },
      );
      video.src = src;
      if (this.#autoplay) await host.autoplay();
      else host.update({ status: 'paused' });
    } else {
      host.update({
        status: 'error',
        error: new OnAirError('NOT_SUPPORTED', 'This browser cannot play HLS'),
      });
    }
  }

  #abrConfig(): Partial<HlsConfig> {
    const { abr = 'onair' } = this.#options;
    if (abr === 'hls.js') return {};
    const controller: AbrControllerClass = createAbrController(abr === 'onair' ? undefined : abr);
    // hls.js types the option as its own class; any AbrComponentAPI works.
    return { abrController: controller as unknown as HlsConfig['abrController'] };
  }

  #retry(reason: string): void {
    const max = this.#options.maxNetworkRetries ?? 20;
    if (this.#retries >= max) {
      this.#host.update({
        status: 'error',
        error: new OnAirError('NETWORK', `Stream unavailable after ${max} retries (${reason})`),
      });
      return;
    }
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.#retries);
    this.#retries++;
    this.#host.update({ status: 'loading' });
    this.#retryTimer = setTimeout(() => {
      if (this.#closed || !this.#hls) return;
      this.#hls.loadSource(this.#src);
      this.#hls.startLoad();
    }, delay);
  }

  async setLevel(index: number): Promise<void> {
    // currentLevel switches at once (flushing the buffer); -1 hands back to ABR.
    if (this.#hls) this.#hls.currentLevel = index < 0 ? -1 : index;
  }

  async stats(): Promise<ReceiveStats | null> {
    const hls = this.#hls;
    if (!hls) return null;
    const { video } = this.#host;
    const level = hls.levels[hls.currentLevel];
    const buffered = video.buffered;
    const end = buffered.length > 0 ? buffered.end(buffered.length - 1) : video.currentTime;
    return {
      bitrate: level?.bitrate ?? 0,
      bandwidthEstimate: Number.isFinite(hls.bandwidthEstimate) ? hls.bandwidthEstimate : null,
      buffer: Math.max(0, end - video.currentTime),
      packetsLost: 0,
    };
  }

  destroy(): void {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#hls?.destroy();
    this.#hls = undefined;
  }
}
