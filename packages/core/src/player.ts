import type HlsType from 'hls.js';
import type { HlsConfig } from 'hls.js';
import { type AbrControllerClass, createAbrController } from './abr/hls-adapter.js';
import type { LiveAbrRule } from './abr/live-rule.js';
import { OnAirError } from './errors.js';
import type { RealtimeViewer } from './realtime-viewer.js';
import { Subscribable } from './subscribable.js';

/** Playback state of a {@link Player}. */
export type PlayerStatus =
  | 'idle'
  | 'loading'
  | 'playing'
  | 'buffering'
  | 'paused'
  | 'ended'
  | 'error';

/** Snapshot of a {@link Player}. */
export interface PlayerState {
  status: PlayerStatus;
  /** Whether the video is muted (autoplay may force this). */
  muted: boolean;
  /** Autoplay with sound was blocked: show an unmute prompt. */
  autoplayBlocked: boolean;
  /** Seconds behind the live edge, when known. */
  latency: number | null;
  /**
   * The part of the stream a viewer can seek in (media seconds): the server's
   * DVR window over HLS (`dvrWindowSeconds`, 120 s by default on OnAir's
   * server); null in real-time mode or before it is known.
   */
  seekable: { start: number; end: number } | null;
  /** The playback position in media seconds (updated about once a second and on seek). */
  position: number;
  /** Whether playback is at the live edge (within a couple of seconds of the target latency). */
  atLiveEdge: boolean;
  /** Volume from 0 to 1. */
  volume: number;
  /** How the stream arrives: LL-HLS, or real-time WebRTC (sub-second); null before loading. */
  mode: 'hls' | 'realtime' | null;
  /** Qualities to choose from: HLS renditions, or real-time simulcast layers (lowest first). */
  levels: PlayerLevel[];
  /** The quality playing (index into `levels`), -1 before the first is known. */
  level: number;
  /** Whether the player picks the quality itself (the default). */
  autoLevel: boolean;
  /** What the viewer receives, every second while playing. */
  stats: PlayerStats | null;
  error: OnAirError | null;
}

/** One quality a viewer can choose. */
export interface PlayerLevel {
  index: number;
  /** Picture height, when known (real-time layers: only once playing). */
  height: number | null;
  /** Advertised bitrate, bits/s (HLS only). */
  bitrate: number | null;
}

/** What a viewer receives. */
export interface PlayerStats {
  width: number;
  height: number;
  /** Bits/s: the rendition's (HLS) or measured (real time). */
  bitrate: number;
  /** The player's bandwidth estimate, bits/s (HLS only). */
  bandwidthEstimate: number | null;
  /** Seconds of media buffered ahead (HLS). */
  buffer: number;
  droppedFrames: number;
  /** Packets lost on the way (real time). */
  packetsLost: number;
}

/** Options of {@link Player}. */
export interface PlayerOptions {
  /** Low-latency live tuning. Default true. */
  lowLatency?: boolean;
  /**
   * Seconds behind the live edge to aim for over HLS. Default: the server's
   * PART-HOLD-BACK in low-latency mode (1 s from OnAir's server: three
   * parts), its HOLD-BACK otherwise. The player speeds up to 1.1× to catch up.
   */
  targetLatency?: number;
  /** Retries after a fatal network error before giving up. Default 20. */
  maxNetworkRetries?: number;
  /**
   * Who picks the HLS rendition: `'onair'` (default: {@link OnAirLiveAbr},
   * tuned for viewers near the live edge), `'hls.js'` (hls.js's own
   * controller), or a function making a {@link LiveAbrRule} of your own.
   * An `abrController` in `hlsConfig` overrides all three.
   */
  abr?: 'onair' | 'hls.js' | (() => LiveAbrRule);
  /** Extra hls.js configuration. */
  hlsConfig?: Partial<HlsConfig>;
  /** Loads hls.js; default: dynamic `import('hls.js')`, so pages that never play do not pay for it. */
  loadHls?: () => Promise<typeof HlsType>;
}

/** The state of a {@link Player} before it loads anything (for hooks and stand-in engines). */
export const PLAYER_IDLE_STATE: Readonly<PlayerState> = {
  status: 'idle',
  muted: false,
  autoplayBlocked: false,
  latency: null,
  seekable: null,
  position: 0,
  atLiveEdge: true,
  volume: 1,
  mode: null,
  levels: [],
  level: -1,
  autoLevel: true,
  stats: null,
  error: null,
};

const MAX_BACKOFF_MS = 3000;
/** Seconds past the target latency that still count as "at the live edge". */
const LIVE_EDGE_SLACK = 2.5;
/** A seekable range shorter than this is the live edge's own buffer, not a DVR window. */
const MIN_DVR_WINDOW = 10;

/**
 * What a player UI drives: the {@link Player}, or a stand-in with the same
 * state (Storybook, tests, a custom engine).
 */
export interface PlayerControls {
  subscribe(listener: (state: PlayerState) => void): () => void;
  getSnapshot(): PlayerState;
  play(): Promise<void>;
  pause(): void;
  mute(): void;
  unmute(): void;
  setVolume(volume: number): void;
  setLevel(index: number): Promise<void>;
  seek(position: number): void;
  goToLive(): void;
}

/**
 * Plays a stream's HLS in a `<video>` element: hls.js where Media Source
 * Extensions exist (loaded lazily), native HLS otherwise; or, with
 * {@link Player.loadRealtime}, the sub-second WebRTC feed. Retries network
 * failures with a bounded backoff and falls back to muted autoplay when the
 * browser blocks sound.
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
  private hls: HlsType | undefined;
  private viewer: RealtimeViewer | undefined;
  private offViewer: (() => void) | undefined;
  private whep: { pc: RTCPeerConnection; resource: string | undefined } | undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private lastReceived: { bytes: number; at: number } | undefined;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private lastLatencyUpdate = 0;
  private destroyed = false;
  private readonly detachVideo: () => void;

  constructor(
    readonly video: HTMLVideoElement,
    private readonly options: PlayerOptions = {},
  ) {
    super();
    const on = (event: string, handler: () => void) => {
      video.addEventListener(event, handler);
      return () => video.removeEventListener(event, handler);
    };
    const offs = [
      on('playing', () => this.update({ status: 'playing', error: null })),
      on(
        'waiting',
        () => this.snapshot.status !== 'loading' && this.update({ status: 'buffering' }),
      ),
      on('pause', () => !video.ended && this.update({ status: 'paused' })),
      on('ended', () => this.update({ status: 'ended' })),
      on('volumechange', () => this.update({ muted: video.muted, volume: video.volume })),
      on('timeupdate', this.handleTimeUpdate),
      on('seeked', () => {
        this.lastLatencyUpdate = 0;
        this.handleTimeUpdate();
      }),
    ];
    this.detachVideo = () => {
      for (const off of offs) off();
    };
  }

  private readonly handleTimeUpdate = (): void => {
    const now = performance.now();
    if (now - this.lastLatencyUpdate < 1000) return;
    this.lastLatencyUpdate = now;
    const patch: Partial<PlayerState> = { position: Math.round(this.video.currentTime * 10) / 10 };
    const latency = this.hls?.latency;
    if (typeof latency === 'number' && Number.isFinite(latency)) {
      patch.latency = Math.round(latency * 10) / 10;
      const target = this.hls?.targetLatency ?? this.options.targetLatency ?? 3;
      patch.atLiveEdge = latency <= target + LIVE_EDGE_SLACK;
    }
    patch.seekable = this.snapshot.mode === 'hls' ? this.dvrWindow() : null;
    const { seekable } = this.snapshot;
    if (
      patch.seekable &&
      seekable &&
      Math.abs(patch.seekable.start - seekable.start) < 0.5 &&
      Math.abs(patch.seekable.end - seekable.end) < 0.5
    ) {
      patch.seekable = seekable; // unchanged enough: keep the snapshot's object
    }
    this.update(patch);
  };

  /** The seekable range when it is a real DVR window (longer than the live edge's buffer). */
  private dvrWindow(): { start: number; end: number } | null {
    const ranges = this.video.seekable;
    if (ranges.length === 0) return null;
    const start = ranges.start(0);
    const end = ranges.end(ranges.length - 1);
    if (!Number.isFinite(end) || end - start < MIN_DVR_WINDOW) return null;
    return { start: Math.round(start * 10) / 10, end: Math.round(end * 10) / 10 };
  }

  /** Loads and starts playing an HLS URL. */
  async load(src: string): Promise<void> {
    this.teardown();
    this.retries = 0;
    this.update({
      status: 'loading',
      error: null,
      latency: null,
      seekable: null,
      atLiveEdge: true,
      mode: 'hls',
      levels: [],
      level: -1,
      autoLevel: true,
      stats: null,
    });
    const Hls = await (this.options.loadHls ?? (async () => (await import('hls.js')).default))();
    if (this.destroyed) return;
    if (Hls.isSupported()) {
      const lowLatency = this.options.lowLatency ?? true;
      const hls = new Hls({
        lowLatencyMode: lowLatency,
        // Any liveSyncDuration(Count) given overrides the playlist's PART-HOLD-BACK in
        // hls.js: set it only when asked (a count of 2 meant 6 s behind, not 1).
        ...(this.options.targetLatency !== undefined
          ? { liveSyncDuration: this.options.targetLatency }
          : {}),
        maxLiveSyncPlaybackRate: lowLatency ? 1.1 : 1,
        ...this.abrConfig(),
        ...this.options.hlsConfig,
      });
      this.hls = hls;
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
          return;
        }
        if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
          this.retry(src, data.details);
          return;
        }
        this.update({ status: 'error', error: new OnAirError('MEDIA_UNAVAILABLE', data.details) });
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => this.update({ level: data.level }));
      hls.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
        this.update({
          levels: data.levels.map((level, index) => ({
            index,
            height: level.height || null,
            bitrate: level.bitrate || null,
          })),
        });
        this.startStats();
        this.retries = 0;
        void this.autoplay();
      });
      hls.loadSource(src);
      hls.attachMedia(this.video);
    } else if (this.video.canPlayType('application/vnd.apple.mpegurl')) {
      this.video.src = src;
      await this.autoplay();
    } else {
      this.update({
        status: 'error',
        error: new OnAirError('NOT_SUPPORTED', 'This browser cannot play HLS'),
      });
    }
  }

  private abrConfig(): Partial<HlsConfig> {
    const { abr = 'onair' } = this.options;
    if (abr === 'hls.js') return {};
    const controller: AbrControllerClass = createAbrController(abr === 'onair' ? undefined : abr);
    // hls.js types the option as its own class; any AbrComponentAPI works.
    return { abrController: controller as unknown as HlsConfig['abrController'] };
  }

  /**
   * Plays in real-time mode (sub-second, WebRTC) through a
   * {@link RealtimeViewer}, which the Player then owns. When real-time
   * viewing fails or the server does not offer it, plays `fallbackSrc` (the
   * stream's HLS URL) instead, if given.
   */
  async loadRealtime(viewer: RealtimeViewer, fallbackSrc?: string): Promise<void> {
    this.teardown();
    this.viewer = viewer;
    this.update({
      status: 'loading',
      error: null,
      latency: null,
      seekable: null,
      atLiveEdge: true,
      mode: 'realtime',
      levels: [],
      level: -1,
      autoLevel: true,
      stats: null,
    });
    const fallBack = (error: OnAirError | null) => {
      if (this.viewer !== viewer || this.destroyed) return;
      if (fallbackSrc) {
        void this.load(fallbackSrc);
        return;
      }
      this.teardown();
      this.update({
        status: 'error',
        error: error ?? new OnAirError('MEDIA_UNAVAILABLE', 'Real-time viewing failed'),
      });
    };
    this.offViewer = viewer.subscribe((state) => {
      if (state.status === 'failed') fallBack(state.error);
      else if (state.status === 'closed' && this.viewer === viewer)
        this.update({ status: 'ended' });
      else if (state.status === 'waiting' || state.status === 'connecting') {
        if (this.snapshot.status !== 'loading') this.update({ status: 'buffering' });
      } else if (
        state.status === 'playing' &&
        this.snapshot.status === 'buffering' &&
        !this.video.paused
      ) {
        // Tracks came back (a new transport after a reconnection): the video may not
        // fire `playing` again for a track added to the same MediaStream.
        this.update({ status: 'playing' });
      }
      if (state.spatialLayers !== this.snapshot.levels.length) {
        this.update({
          levels: Array.from({ length: state.spatialLayers }, (_, index) => ({
            index,
            height: null,
            bitrate: null,
          })),
        });
      }
    });
    try {
      const mediaStream = await viewer.start();
      if (this.viewer !== viewer || this.destroyed) return;
      this.video.srcObject = mediaStream;
      this.startStats();
      await this.autoplay();
    } catch (error) {
      fallBack(OnAirError.from(error));
    }
  }

  /**
   * Plays from a WHEP endpoint (any WHEP server; OnAir's is
   * `/whep/:streamId`, with the `token` of a followers-only or private
   * stream's `hlsUrl`): one receive-only RTCPeerConnection, sub-second. Falls
   * back to `fallbackSrc` (HLS) when the endpoint refuses or the connection
   * fails.
   */
  async loadWhep(
    url: string,
    options: { token?: string; fallbackSrc?: string } = {},
  ): Promise<void> {
    this.teardown();
    this.update({
      status: 'loading',
      error: null,
      latency: null,
      seekable: null,
      atLiveEdge: true,
      mode: 'realtime',
      levels: [],
      level: -1,
      autoLevel: true,
      stats: null,
    });
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    const session = { pc, resource: undefined as string | undefined };
    this.whep = session;
    const fail = (error: OnAirError) => {
      if (this.whep !== session || this.destroyed) return;
      if (options.fallbackSrc) {
        void this.load(options.fallbackSrc);
        return;
      }
      this.teardown();
      this.update({ status: 'error', error });
    };
    const mediaStream = new MediaStream();
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addEventListener('track', (event) => mediaStream.addTrack(event.track));
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'failed')
        fail(new OnAirError('NETWORK', 'WHEP connection failed'));
    });
    const auth: Record<string, string> = options.token
      ? { authorization: `Bearer ${options.token}` }
      : {};
    try {
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise<void>((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve();
        const timer = setTimeout(resolve, 2000);
        pc.addEventListener('icegatheringstatechange', () => {
          if (pc.iceGatheringState !== 'complete') return;
          clearTimeout(timer);
          resolve();
        });
      });
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp', ...auth },
        body: pc.localDescription?.sdp ?? '',
      }).catch((cause: unknown) => {
        throw new OnAirError('NETWORK', 'The WHEP endpoint could not be reached', undefined, {
          cause,
        });
      });
      if (response.status !== 201) {
        const body = await response.text().catch(() => '');
        let code: OnAirError['code'] =
          response.status === 401 ? 'UNAUTHORIZED' : 'MEDIA_UNAVAILABLE';
        try {
          const envelope = JSON.parse(body) as { code?: OnAirError['code'] };
          if (envelope.code) code = envelope.code;
        } catch {
          // not an OnAir server: keep the status's meaning
        }
        throw new OnAirError(code, `WHEP endpoint answered ${response.status}`);
      }
      const location = response.headers.get('location');
      session.resource = location
        ? new URL(location, new URL(url, globalThis.location?.href)).href
        : undefined;
      await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
      if (this.whep !== session || this.destroyed) return;
      this.video.srcObject = mediaStream;
      this.startStats();
      await this.autoplay();
    } catch (error) {
      fail(OnAirError.from(error));
    }
  }

  private retry(src: string, reason: string): void {
    const max = this.options.maxNetworkRetries ?? 20;
    if (this.retries >= max) {
      this.update({
        status: 'error',
        error: new OnAirError('NETWORK', `Stream unavailable after ${max} retries (${reason})`),
      });
      return;
    }
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.retries);
    this.retries++;
    this.update({ status: 'loading' });
    this.retryTimer = setTimeout(() => {
      if (this.destroyed || !this.hls) return;
      this.hls.loadSource(src);
      this.hls.startLoad();
    }, delay);
  }

  private async autoplay(): Promise<void> {
    try {
      await this.video.play();
    } catch (error) {
      if ((error as { name?: string }).name !== 'NotAllowedError') return;
      // Browsers allow muted autoplay: start muted and let the user unmute.
      this.video.muted = true;
      this.update({ muted: true, autoplayBlocked: true });
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
    this.update({ muted: false, autoplayBlocked: false });
  }

  /** Mutes. */
  mute(): void {
    this.video.muted = true;
    this.update({ muted: true });
  }

  /** Sets the volume (clamped to 0–1); a volume above 0 also unmutes. */
  setVolume(volume: number): void {
    const value = Math.min(1, Math.max(0, Number.isFinite(volume) ? volume : 1));
    this.video.volume = value;
    if (value > 0 && this.video.muted) this.unmute();
    this.update({ volume: value });
  }

  /**
   * Seeks to a position in media seconds within the DVR window
   * (`state.seekable`), clamped to it; no further forward than the live
   * edge's target latency. No effect in real-time mode.
   */
  seek(position: number): void {
    if (this.snapshot.mode !== 'hls' || !Number.isFinite(position)) return;
    const window = this.dvrWindow();
    if (!window) return;
    const edge = this.hls?.liveSyncPosition ?? window.end;
    const target = Math.min(Math.max(position, window.start), edge);
    this.video.currentTime = target;
    // Seen at once, so that repeated steps (arrow keys) add up before `seeked`.
    this.update({ position: Math.round(target * 10) / 10 });
  }

  /**
   * In real-time mode, caps the simulcast layer received (0 = lowest;
   * `undefined` = best the connection allows). No effect over HLS.
   */
  async preferLayer(spatialLayer: number | undefined): Promise<void> {
    await this.viewer?.preferLayer(spatialLayer);
  }

  /**
   * Chooses a quality (an index into `levels`), or -1 to let the player
   * choose (HLS: its ABR; real time: the server, from the viewer's bandwidth).
   */
  async setLevel(index: number): Promise<void> {
    const auto = index < 0;
    this.update({ autoLevel: auto });
    if (this.hls) {
      // currentLevel switches at once (flushing the buffer); -1 hands back to ABR.
      this.hls.currentLevel = auto ? -1 : index;
      return;
    }
    if (this.viewer) {
      await this.viewer.preferLayer(auto ? undefined : index);
      if (!auto) this.update({ level: index });
    }
  }

  private startStats(): void {
    clearInterval(this.statsTimer);
    this.lastReceived = undefined;
    this.statsTimer = setInterval(() => void this.readStats(), 1000);
  }

  private async readStats(): Promise<void> {
    const video = this.video;
    const quality = video.getVideoPlaybackQuality?.();
    const base = {
      width: video.videoWidth,
      height: video.videoHeight,
      droppedFrames: quality?.droppedVideoFrames ?? 0,
    };
    const hls = this.hls;
    if (hls) {
      const level = hls.levels[hls.currentLevel];
      const buffered = video.buffered;
      const end = buffered.length > 0 ? buffered.end(buffered.length - 1) : video.currentTime;
      this.update({
        stats: {
          ...base,
          bitrate: level?.bitrate ?? 0,
          bandwidthEstimate: Number.isFinite(hls.bandwidthEstimate) ? hls.bandwidthEstimate : null,
          buffer: Math.max(0, end - video.currentTime),
          packetsLost: 0,
        },
      });
      return;
    }
    const report = this.whep
      ? await this.whep.pc.getStats().catch(() => undefined)
      : await this.viewer?.stats();
    if (!report || (!this.viewer && !this.whep)) return;
    let bytes = 0;
    let packetsLost = 0;
    report.forEach((entry: Record<string, unknown>) => {
      if (entry.type !== 'inbound-rtp') return;
      bytes += Number(entry.bytesReceived ?? 0);
      packetsLost += Math.max(0, Number(entry.packetsLost ?? 0));
    });
    const now = performance.now();
    const last = this.lastReceived;
    this.lastReceived = { bytes, at: now };
    const bitrate = last ? Math.max(0, ((bytes - last.bytes) * 8) / ((now - last.at) / 1000)) : 0;
    this.update({
      stats: {
        ...base,
        bitrate: Math.round(bitrate),
        bandwidthEstimate: null,
        buffer: 0,
        packetsLost,
      },
    });
  }

  /** Jumps to the live edge (the target latency behind it), resuming if paused. */
  goToLive(): void {
    const position = this.hls?.liveSyncPosition;
    if (typeof position === 'number') this.video.currentTime = position;
    if (this.video.paused) void this.video.play().catch(() => undefined);
  }

  private teardown(): void {
    clearTimeout(this.retryTimer);
    this.hls?.destroy();
    this.hls = undefined;
    clearInterval(this.statsTimer);
    const whep = this.whep;
    this.whep = undefined;
    if (whep) {
      whep.pc.close();
      if (whep.resource) void fetch(whep.resource, { method: 'DELETE' }).catch(() => undefined);
    }
    this.offViewer?.();
    this.offViewer = undefined;
    const viewer = this.viewer;
    this.viewer = undefined;
    viewer?.close();
    if (this.video.srcObject) this.video.srcObject = null;
  }

  /** Stops playback and releases hls.js and listeners. Idempotent. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.teardown();
    this.detachVideo();
    this.video.removeAttribute('src');
    this.video.load();
  }

  private update(patch: Partial<PlayerState>): void {
    this.setSnapshot({ ...this.snapshot, ...patch });
  }
}
