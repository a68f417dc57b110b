import { OnAirError } from '../errors.js';
import { Subscribable } from '../subscribable.js';
import type { LiveEdge, PlaybackEngine, PlaybackHost } from './engine.js';
import { HlsEngine } from './engines/hls.js';
import { SfuEngine } from './engines/sfu.js';
import { WhepEngine } from './engines/whep.js';
import { liveSkipTarget } from './live-skip.js';
import type { PlayerOptions } from './player-options.js';
import {
  PLAYER_IDLE_STATE,
  type PlayerControls,
  type PlayerLoad,
  type PlayerState,
} from './player-state.js';
import type { RealtimeViewer } from './realtime-viewer.js';

/** Seconds past the target latency that still count as "at the live edge". */
const LIVE_EDGE_SLACK = 2.5;
/** A seekable range shorter than this is the live edge's own buffer, not a DVR window. */
const MIN_DVR_WINDOW = 10;

/**
 * Plays a stream's HLS in a `<video>` element: hls.js where Media Source
 * Extensions exist (loaded lazily), native HLS otherwise; or, with
 * {@link Player.loadRealtime}, the sub-second WebRTC feed. Retries network
 * failures with a bounded backoff and falls back to muted autoplay when the
 * browser blocks sound. Live, when playback resumes after a stall too far
 * behind the live edge (`maxLiveLatency`), it skips ahead to the edge and
 * says so (`state.skippedToLive`).
 *
 * @example
 * ```ts
 * const player = new Player(videoElement);
 * player.subscribe((s) => console.log(s.status));
 * await player.load(client.resolveUrl(stream.hlsUrl));
 * ```
 */
export class Player extends Subscribable<PlayerState> implements PlayerControls {
  protected snapshot: PlayerState = PLAYER_IDLE_STATE;
  /** How the stream arrives now (one engine at a time). */
  #engine: PlaybackEngine | undefined;
  /** The HLS URL to play when the real-time engine fails. */
  #fallbackSrc: string | undefined;
  readonly #host: PlaybackHost;
  #statsTimer: ReturnType<typeof setInterval> | undefined;
  #lastLatencyUpdate = 0;
  /** Playback ran dry while playing (not a seek's wait): when it resumes, it may skip ahead to the live edge. */
  #stalled = false;
  readonly #loadListeners = new Set<(load: PlayerLoad) => void>();
  /** The next start is the fallback to HLS. */
  #fallingBack = false;
  /** The playback's id (a load starts a new one; its fallback keeps it). */
  #sessionId = '';
  #load: PlayerLoad | null = null;
  /**
   * The viewer paused or sought behind the live edge: playing behind it is
   * what they asked for, and a stall then never skips them to live. Cleared
   * once they are back at the edge.
   */
  #behindByChoice = false;
  #destroyed = false;
  readonly #detachVideo: () => void;
  readonly #options: PlayerOptions;

  constructor(
    readonly video: HTMLVideoElement,
    options: PlayerOptions = {},
  ) {
    super();
    const { maxLiveLatency } = options;
    if (maxLiveLatency !== undefined && !(maxLiveLatency >= 0)) {
      throw new OnAirError(
        'BAD_REQUEST',
        `maxLiveLatency must be 0 or more seconds, not ${String(maxLiveLatency)}`,
      );
    }
    this.#options = options;
    const player = this;
    this.#host = {
      video,
      get state() {
        return player.snapshot;
      },
      get sessionId() {
        return player.#sessionId;
      },
      update: (patch) => this.#update(patch),
      autoplay: () => this.#autoplay(),
      startStats: () => this.#startStats(),
      fail: (error) => this.#fallBack(error),
    };
    const on = (event: string, handler: () => void) => {
      video.addEventListener(event, handler);
      return () => video.removeEventListener(event, handler);
    };
    const offs = [
      on('playing', this.#handlePlaying),
      on('waiting', this.#handleWaiting),
      on('pause', () => {
        // Paused on purpose: resuming behind the edge is what the viewer asked for.
        this.#stalled = false;
        this.#behindByChoice = true;
        if (!video.ended) this.#update({ status: 'paused', stalled: false });
      }),
      on('ended', () => this.#update({ status: 'ended' })),
      on('volumechange', () => this.#update({ muted: video.muted, volume: video.volume })),
      on('timeupdate', this.#handleTimeUpdate),
      on('seeked', this.#refreshPosition),
      // A recording's seek bar is known before it plays.
      on('durationchange', this.#refreshPosition),
    ];
    this.#detachVideo = () => {
      for (const off of offs) off();
    };
  }

  readonly #handleWaiting = (): void => {
    const { status } = this.snapshot;
    if (status === 'loading') return;
    // Only playback running dry is a stall: a seek waits for data too, and
    // resuming from a pause starts from wherever the viewer left it.
    if (status === 'playing') this.#stalled = !this.video.seeking;
    this.#update({ status: 'buffering', stalled: this.#stalled });
  };

  readonly #handlePlaying = (): void => {
    // After any stall (latency piles up over a string of them on a poor link), unless the
    // viewer chose to be behind the edge.
    const afterStall =
      this.snapshot.status === 'buffering' && this.#stalled && !this.#behindByChoice;
    this.#stalled = false;
    this.#update({
      status: 'playing',
      stalled: false,
      error: null,
      ...(afterStall ? this.#skipToLive() : {}),
    });
  };

  /** The live edge playback follows: live HLS only (not real time, not a replay). */
  #liveEdge(): LiveEdge | undefined {
    if (this.snapshot.mode !== 'hls' || this.snapshot.live === false) return undefined;
    return this.#engine?.liveEdge;
  }

  #targetLatency(edge: LiveEdge | undefined): number {
    return edge?.targetLatency ?? this.#options.targetLatency ?? 3;
  }

  /**
   * Playback resumed after a stall: when it is now further behind the live
   * edge than `maxLiveLatency`, jumps to the edge (the target latency behind
   * it) and says so in the patch returned.
   */
  #skipToLive(): Partial<PlayerState> {
    const edge = this.#liveEdge();
    const { video } = this;
    const sync =
      edge &&
      liveSkipTarget(
        edge,
        video.currentTime,
        this.#targetLatency(edge),
        this.#options.maxLiveLatency,
      );
    if (!edge || !sync) return {};
    const seconds = sync - video.currentTime;
    video.currentTime = sync;
    return {
      skippedToLive: { at: Date.now(), seconds: Math.round(seconds * 10) / 10 },
      position: Math.round(sync * 10) / 10,
      latency: Math.round(Math.max(0, edge.latency - seconds) * 10) / 10,
      atLiveEdge: true,
    };
  }

  readonly #refreshPosition = (): void => {
    this.#lastLatencyUpdate = 0;
    this.#handleTimeUpdate();
  };

  readonly #handleTimeUpdate = (): void => {
    const now = performance.now();
    if (now - this.#lastLatencyUpdate < 1000) return;
    this.#lastLatencyUpdate = now;
    const patch: Partial<PlayerState> = { position: Math.round(this.video.currentTime * 10) / 10 };
    const edge = this.#engine?.liveEdge;
    const latency = edge?.latency;
    if (this.snapshot.live !== false && typeof latency === 'number' && Number.isFinite(latency)) {
      patch.latency = Math.round(latency * 10) / 10;
      patch.atLiveEdge = latency <= this.#targetLatency(edge) + LIVE_EDGE_SLACK;
      if (patch.atLiveEdge && !this.video.paused) this.#behindByChoice = false;
    }
    patch.seekable = this.snapshot.mode === 'hls' ? this.#dvrWindow() : null;
    const { seekable } = this.snapshot;
    if (
      patch.seekable &&
      seekable &&
      Math.abs(patch.seekable.start - seekable.start) < 0.5 &&
      Math.abs(patch.seekable.end - seekable.end) < 0.5
    ) {
      patch.seekable = seekable; // unchanged enough: keep the snapshot's object
    }
    this.#update(patch);
  };

  /**
   * The seekable range when it is a real DVR window (longer than the live
   * edge's buffer), or a whole recording.
   */
  #dvrWindow(): { start: number; end: number } | null {
    const ranges = this.video.seekable;
    if (ranges.length === 0) return null;
    const start = ranges.start(0);
    const end = ranges.end(ranges.length - 1);
    const recording = this.snapshot.live === false;
    if (!Number.isFinite(end) || (!recording && end - start < MIN_DVR_WINDOW)) return null;
    return { start: Math.round(start * 10) / 10, end: Math.round(end * 10) / 10 };
  }

  /**
   * Loads an HLS URL, live or a recording (VOD: `state.live` false, with a
   * `duration` and a seek bar from 0), and starts playing it; with
   * `autoplay: false` it waits for {@link Player.play} (status `paused`).
   */
  load(src: string, options: { autoplay?: boolean } = {}): Promise<void> {
    return this.#start(
      new HlsEngine(this.#host, src, this.#options, options.autoplay ?? true),
      'hls',
    );
  }

  /**
   * Stops playing and loading (the stream ended): the engine is released,
   * no more playlists are requested, the video shows its poster, and the
   * status is `idle`. Load again to play something else.
   */
  stop(): void {
    this.#load = null;
    this.#teardown();
    this.video.removeAttribute('src');
    this.video.load();
    this.#update({ ...PLAYER_IDLE_STATE, muted: this.video.muted, volume: this.video.volume });
  }

  /**
   * Plays in real-time mode (sub-second, WebRTC) through a
   * {@link RealtimeViewer}, which the Player then owns. When real-time
   * viewing fails or the server does not offer it, plays `fallbackSrc` (the
   * stream's HLS URL) instead, if given.
   */
  loadRealtime(viewer: RealtimeViewer, fallbackSrc?: string): Promise<void> {
    return this.#start(new SfuEngine(this.#host, viewer), 'realtime', fallbackSrc);
  }

  /**
   * Plays from a WHEP endpoint (any WHEP server; OnAir's is
   * `/whep/:streamId`, with the `token` of a followers-only or private
   * stream's `hlsUrl`): one receive-only RTCPeerConnection, sub-second. Falls
   * back to `fallbackSrc` (HLS) when the endpoint refuses or the connection
   * fails.
   */
  loadWhep(url: string, options: { token?: string; fallbackSrc?: string } = {}): Promise<void> {
    return this.#start(new WhepEngine(this.#host, url, options.token), 'whep', options.fallbackSrc);
  }

  /**
   * Calls `listener` each time the Player starts loading something (what
   * analytics counts as a view session, and its fallbacks). Returns the
   * unsubscribe function.
   */
  /** What the Player was last asked to play (null before a load, and after `stop`). */
  get currentLoad(): PlayerLoad | null {
    return this.#load;
  }

  onLoad(listener: (load: PlayerLoad) => void): () => void {
    this.#loadListeners.add(listener);
    return () => this.#loadListeners.delete(listener);
  }

  async #start(
    engine: PlaybackEngine,
    kind: PlayerLoad['engine'],
    fallbackSrc?: string,
  ): Promise<void> {
    if (!this.#fallingBack) this.#sessionId = crypto.randomUUID();
    const load: PlayerLoad = {
      engine: kind,
      fallback: this.#fallingBack,
      sessionId: this.#sessionId,
      at: Date.now(),
    };
    this.#load = load;
    this.#fallingBack = false;
    for (const listener of this.#loadListeners) listener(load);
    this.#teardown();
    this.#engine = engine;
    this.#fallbackSrc = fallbackSrc;
    this.#update({
      status: 'loading',
      error: null,
      latency: null,
      seekable: null,
      atLiveEdge: true,
      skippedToLive: null,
      mode: engine.mode,
      live: engine.mode === 'realtime' ? true : null,
      duration: null,
      levels: [],
      level: -1,
      autoLevel: true,
      stats: null,
    });
    if (this.#destroyed) {
      this.#teardown();
      return;
    }
    await engine.start();
  }

  // The one fallback: whichever real-time engine failed, HLS takes over when there is one.
  #fallBack(error: OnAirError): void {
    if (this.#destroyed) return;
    if (this.#fallbackSrc) {
      this.#fallingBack = true;
      void this.load(this.#fallbackSrc);
      return;
    }
    this.#teardown();
    this.#update({ status: 'error', error });
  }

  async #autoplay(): Promise<void> {
    try {
      await this.video.play();
    } catch (error) {
      if ((error as { name?: string }).name !== 'NotAllowedError') return;
      // Browsers allow muted autoplay: start muted and let the user unmute.
      this.video.muted = true;
      this.#update({ muted: true, autoplayBlocked: true });
      await this.video.play().catch(() => undefined);
    }
  }

  /** Resumes playback. */
  play(): Promise<void> {
    return this.video.play();
  }

  /** Pauses playback. */
  pause(): void {
    this.video.pause();
  }

  /** Unmutes (call from a user gesture). */
  unmute(): void {
    this.video.muted = false;
    this.#update({ muted: false, autoplayBlocked: false });
  }

  /** Mutes. */
  mute(): void {
    this.video.muted = true;
    this.#update({ muted: true });
  }

  /** Sets the volume (clamped to 0–1); a volume above 0 also unmutes. */
  setVolume(volume: number): void {
    const value = Math.min(1, Math.max(0, Number.isFinite(volume) ? volume : 1));
    this.video.volume = value;
    if (value > 0 && this.video.muted) this.unmute();
    this.#update({ volume: value });
  }

  /**
   * Seeks to a position in media seconds within the DVR window or the
   * recording (`state.seekable`), clamped to it; live, no further forward
   * than the live edge's target latency. No effect in real-time mode.
   */
  seek(position: number): void {
    if (this.snapshot.mode !== 'hls' || !Number.isFinite(position)) return;
    const window = this.#dvrWindow();
    if (!window) return;
    const edge =
      (this.snapshot.live === false ? null : this.#engine?.liveEdge?.liveSyncPosition) ??
      window.end;
    const target = Math.min(Math.max(position, window.start), edge);
    this.#stalled = false;
    this.#behindByChoice = target < edge - LIVE_EDGE_SLACK;
    this.video.currentTime = target;
    // Seen at once, so that repeated steps (arrow keys) add up before `seeked`.
    this.#update({ position: Math.round(target * 10) / 10 });
  }

  /**
   * In real-time mode, caps the simulcast layer received (0 = lowest;
   * `undefined` = best the connection allows). No effect over HLS.
   */
  async preferLayer(spatialLayer: number | undefined): Promise<void> {
    await this.#engine?.preferLayer?.(spatialLayer);
  }

  /**
   * Chooses a quality (an index into `levels`), or -1 to let the player
   * choose (HLS: its ABR; real time: the server, from the viewer's bandwidth).
   */
  async setLevel(index: number): Promise<void> {
    this.#update({ autoLevel: index < 0 });
    await this.#engine?.setLevel(index);
  }

  #startStats(): void {
    clearInterval(this.#statsTimer);
    this.#statsTimer = setInterval(this.#readStats, 1000);
  }

  readonly #readStats = async (): Promise<void> => {
    const engine = this.#engine;
    const { video } = this;
    if (!engine) return;
    const quality = video.getVideoPlaybackQuality?.();
    const width = video.videoWidth;
    const height = video.videoHeight;
    const droppedFrames = quality?.droppedVideoFrames ?? 0;
    const received = await engine.stats();
    if (!received || engine !== this.#engine) return;
    this.#update({ stats: { width, height, droppedFrames, ...received } });
  };

  /** Jumps to the live edge (the target latency behind it), resuming if paused. */
  goToLive(): void {
    const position = this.#engine?.liveEdge?.liveSyncPosition;
    this.#stalled = false;
    this.#behindByChoice = false;
    if (typeof position === 'number') this.video.currentTime = position;
    if (this.video.paused) void this.video.play().catch(() => undefined);
  }

  #teardown(): void {
    clearInterval(this.#statsTimer);
    this.#stalled = false;
    this.#behindByChoice = false;
    const engine = this.#engine;
    this.#engine = undefined;
    engine?.destroy();
    if (this.video.srcObject) this.video.srcObject = null;
  }

  /** Stops playback and releases hls.js and listeners. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#teardown();
    this.#detachVideo();
    this.video.removeAttribute('src');
    this.video.load();
  }

  #update(patch: Partial<PlayerState>): void {
    this.setSnapshot({ ...this.snapshot, ...patch });
  }
}
