import {
  type OnAirClient,
  OnAirError,
  Player,
  type PlayerControls,
  type PlayerState,
  RealtimeViewer,
  type StreamHealthState,
  StreamHealthStore,
} from '@onair/core';
import { html, LitElement, nothing, type PropertyValues, svg } from 'lit';
import { defineElement, emit } from '../internal/events.js';
import { type MessageKey, translate } from '../internal/i18n.js';
import { StoreController } from '../internal/store-controller.js';
import { playerStyles } from './player.styles.js';

// Inline icons: no icon font or emoji font needed (many Linux machines lack one).
const icon = (path: ReturnType<typeof svg>) =>
  html`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="currentColor">${path}</svg>`;
const ICONS = {
  play: icon(svg`<path d="M8 5v14l11-7z" />`),
  pause: icon(svg`<path d="M6 5h4v14H6zm8 0h4v14h-4z" />`),
  volume: icon(
    svg`<path d="M3 9v6h4l5 5V4L7 9H3zm13.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4z" />`,
  ),
  fullscreen: icon(
    svg`<path d="M4 4h6v2H6v4H4zm10 0h6v6h-2V6h-4zM4 14h2v4h4v2H4zm14 4v-4h2v6h-6v-2z" />`,
  ),
  pip: icon(svg`<path d="M3 5h18v14H3zm2 2v10h14V7zm7 5h6v4h-6z" />`),
  muted: icon(
    svg`<path d="M3 9v6h4l5 5V4L7 9H3zm13.6 3 2.7-2.7-1.4-1.4-2.7 2.7-2.7-2.7-1.4 1.4 2.7 2.7-2.7 2.7 1.4 1.4 2.7-2.7 2.7 2.7 1.4-1.4z" />`,
  ),
};

/** Detail of `onair-player-quality`: the quality playing and whether it was chosen automatically. */
export interface PlayerQualityDetail {
  level: number;
  height: number | null;
  auto: boolean;
}

/** Detail of `onair-player-status`. */
export interface PlayerStatusDetail {
  status: PlayerState['status'];
  error: OnAirError | null;
}

/**
 * Plays a live stream over Low-Latency HLS, or in real time (sub-second, WebRTC).
 *
 * Give it `src` (an HLS URL), or `client` and `stream-id` to look the stream up.
 * With `realtime` (and `client` and `stream-id`), it receives the stream from
 * the server's SFU and falls back to HLS when that fails.
 *
 * Controls: play/pause, mute and volume, a seek bar over the server's DVR
 * window (HLS), a live badge with the latency and "go to live", a quality
 * menu (HLS renditions or real-time layers, or Auto), picture-in-picture and
 * full screen. While the broadcaster is away (the grace period), an overlay
 * says it is reconnecting.
 *
 * Keyboard (when the player has focus): `Space`/`K` play or pause, `M` mute,
 * `←`/`→` seek 5 s back or forward in the DVR window, `↑`/`↓` volume,
 * `L` go to live, `F` full screen, `P` picture-in-picture.
 *
 * @event onair-player-status - Playback status changed. Detail: {@link PlayerStatusDetail}.
 * @event onair-player-quality - The quality playing changed. Detail: {@link PlayerQualityDetail}.
 * @event onair-player-latency - The latency to the live edge changed (HLS, about once a second). Detail: seconds.
 * @csspart video - The `<video>` element.
 * @csspart controls - The control bar.
 * @csspart overlay - The loading / error overlay.
 * @cssproperty --onair-player-background - Letterbox colour.
 * @cssproperty --onair-player-accent - Live badge and focus colour.
 * @cssproperty --onair-player-foreground - Text and icon colour.
 * @cssproperty --onair-player-radius - Corner radius.
 */
export class OnAirPlayerElement extends LitElement {
  static override styles = playerStyles;
  static override properties = {
    src: { type: String, reflect: true },
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    client: { attribute: false },
    muted: { type: Boolean, reflect: true },
    realtime: { type: Boolean, reflect: true },
    poster: { type: String },
    engine: { attribute: false },
  };

  /** HLS URL to play. Takes precedence over `stream-id`. */
  declare src: string | undefined;
  /** Stream to play, looked up through `client`. */
  declare streamId: string | undefined;
  /** The OnAir client (needed with `stream-id`). */
  declare client: OnAirClient | undefined;
  /** Start muted. */
  declare muted: boolean;
  /** Real-time (sub-second) viewing, with HLS as the fallback. Needs `client` and `stream-id`. */
  declare realtime: boolean;
  /** Poster image URL. */
  declare poster: string | undefined;
  /**
   * A player engine to drive instead of the element's own {@link Player}
   * (Storybook mocks, tests, a custom engine). Its video is not this
   * element's: the controls and overlays follow its state.
   */
  declare engine: PlayerControls | undefined;

  private readonly state = new StoreController<PlayerState>(this);
  private readonly presence = new StoreController<StreamHealthState>(this);
  private own: Player | undefined;
  private lookupError: OnAirError | null = null;
  private lastStatus: string | undefined;
  private lastQuality: string | undefined;
  private lastLatency: number | null = null;

  constructor() {
    super();
    this.muted = false;
    this.realtime = false;
  }

  /** The core Player behind the element (for stats, or to drive it from code). */
  get player(): Player | undefined {
    return this.own;
  }

  /** What the controls drive: `engine` when given, else the element's own Player. */
  private get controls(): PlayerControls | undefined {
    return this.engine ?? this.own;
  }

  private t(key: MessageKey, vars?: Record<string, string | number>) {
    return translate(this, key, vars);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.own?.destroy();
    this.own = undefined;
    this.state.setStore(undefined);
    this.presence.setStore(undefined);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) void this.reload();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (
      changed.has('src') ||
      changed.has('streamId') ||
      changed.has('client') ||
      changed.has('realtime') ||
      changed.has('engine')
    ) {
      void this.reload();
    }
    if (changed.has('streamId') || changed.has('client')) {
      const { client, streamId } = this;
      this.presence.setStore(
        client && streamId ? new StreamHealthStore(client, streamId) : undefined,
      );
    }
    const snapshot = this.state.value;
    const status = snapshot?.status ?? (this.lookupError ? 'error' : 'idle');
    this.dataset.status = status;
    if (status !== this.lastStatus) {
      this.lastStatus = status;
      emit<PlayerStatusDetail>(this, 'onair-player-status', {
        status,
        error: snapshot?.error ?? this.lookupError,
      });
    }
    if (snapshot && snapshot.level >= 0) {
      const key = `${snapshot.level}/${snapshot.autoLevel}`;
      if (key !== this.lastQuality) {
        this.lastQuality = key;
        emit<PlayerQualityDetail>(this, 'onair-player-quality', {
          level: snapshot.level,
          height: snapshot.levels[snapshot.level]?.height ?? null,
          auto: snapshot.autoLevel,
        });
      }
    }
    const latency = snapshot?.latency ?? null;
    if (latency !== null && latency !== this.lastLatency) {
      this.lastLatency = latency;
      emit<number>(this, 'onair-player-latency', latency);
    }
  }

  private async resolveSrc(): Promise<string | undefined> {
    if (this.src) return this.src;
    if (!this.streamId || !this.client) return undefined;
    const stream = await this.client.streams.get(this.streamId);
    if (!stream.hlsUrl) throw new OnAirError('STREAM_NOT_LIVE', this.t('offline'));
    return this.client.resolveUrl(stream.hlsUrl);
  }

  private async reload(): Promise<void> {
    const video = this.renderRoot.querySelector('video');
    if (!video || !this.isConnected) return;
    if (this.engine) {
      this.own?.destroy();
      this.own = undefined;
      this.state.setStore(this.engine);
      return;
    }
    this.lookupError = null;
    let src: string | undefined;
    try {
      src = await this.resolveSrc();
    } catch (error) {
      this.lookupError = OnAirError.from(error);
      this.requestUpdate();
      return;
    }
    if (!src || this.engine) return;
    this.own?.destroy();
    video.muted = this.muted;
    const player = new Player(video);
    this.own = player;
    this.state.setStore(player);
    if (this.realtime && !this.src && this.client && this.streamId) {
      const viewer = new RealtimeViewer({
        realtime: this.client.realtime,
        streamId: this.streamId,
      });
      await player.loadRealtime(viewer, src);
    } else {
      await player.load(src);
    }
  }

  private togglePlay = () => {
    const controls = this.controls;
    const status = controls?.getSnapshot().status;
    if (!controls) return;
    if (status === 'playing' || status === 'buffering') controls.pause();
    else void controls.play().catch(() => undefined);
  };

  private toggleMute = () => {
    const controls = this.controls;
    if (!controls) return;
    if (controls.getSnapshot().muted) controls.unmute();
    else controls.mute();
  };

  private seekBy(seconds: number) {
    const controls = this.controls;
    const s = controls?.getSnapshot();
    if (!controls || !s?.seekable) return;
    controls.seek(s.position + seconds);
  }

  private nudgeVolume(step: number) {
    const controls = this.controls;
    const s = controls?.getSnapshot();
    if (!controls || !s) return;
    controls.setVolume(Math.round((s.volume + step) * 10) / 10);
  }

  private toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void this.requestFullscreen?.().catch(() => undefined);
  };

  private togglePip = () => {
    const video = this.own?.video;
    if (!video) return;
    if (document.pictureInPictureElement) {
      void document.exitPictureInPicture().catch(() => undefined);
    } else {
      void video.requestPictureInPicture?.().catch(() => undefined);
    }
  };

  private onKeyDown = (event: KeyboardEvent) => {
    // Keys typed into the quality menu or a slider are theirs.
    const tag = (event.target as Element | null)?.tagName;
    if (tag === 'SELECT' || tag === 'INPUT') return;
    const key = event.key.toLowerCase();
    if (key === ' ' || key === 'k') this.togglePlay();
    else if (key === 'm') this.toggleMute();
    else if (key === 'arrowleft') this.seekBy(-5);
    else if (key === 'arrowright') this.seekBy(5);
    else if (key === 'arrowup') this.nudgeVolume(0.1);
    else if (key === 'arrowdown') this.nudgeVolume(-0.1);
    else if (key === 'l') this.controls?.goToLive();
    else if (key === 'f') this.toggleFullscreen();
    else if (key === 'p') this.togglePip();
    else return;
    event.preventDefault();
  };

  private renderQuality(s: PlayerState) {
    if (s.levels.length < 2) return nothing;
    const name = (level: PlayerState['levels'][number]) =>
      level.height
        ? `${level.height}p`
        : this.t('layer', { n: level.index + 1, of: s.levels.length });
    return html`<label class="quality">
      <span class="visually-hidden">${this.t('quality')}</span>
      <select
        aria-label=${this.t('quality')}
        @change=${(e: Event) => {
          void this.controls?.setLevel(Number((e.target as HTMLSelectElement).value));
        }}
      >
        <option value="-1" ?selected=${s.autoLevel}>
          ${this.t('auto')}${!s.autoLevel || s.level < 0 ? '' : ` (${name(s.levels[s.level] ?? (s.levels[0] as PlayerState['levels'][number]))})`}
        </option>
        ${[...s.levels].reverse().map(
          (
            level,
          ) => html`<option value=${level.index} ?selected=${!s.autoLevel && s.level === level.index}>
            ${name(level)}
          </option>`,
        )}
      </select>
    </label>`;
  }

  /** The DVR seek bar: from the window's start to the live edge. */
  private renderSeek(s: PlayerState) {
    const window = s.seekable;
    if (!window) return nothing;
    const behind = Math.max(0, Math.round(s.latency ?? window.end - s.position));
    return html`<input
      class="seek"
      type="range"
      aria-label=${this.t('seek')}
      aria-valuetext=${s.atLiveEdge ? this.t('atLive') : this.t('behindLive', { n: behind })}
      min=${window.start}
      max=${window.end}
      step="1"
      .value=${String(s.position)}
      @change=${(e: Event) => this.controls?.seek(Number((e.target as HTMLInputElement).value))}
    />`;
  }

  override render() {
    const s = this.state.value;
    const status = s?.status ?? (this.lookupError ? 'error' : 'idle');
    const error = s?.error ?? this.lookupError;
    const away = this.presence.value?.publisher?.state === 'reconnecting';
    const overlay =
      away && status !== 'error'
        ? html`<div part="overlay" class="overlay" aria-live="polite">${this.t('publisherReconnecting')}</div>`
        : status === 'error'
          ? html`<div part="overlay" class="overlay" role="alert">
            ${error?.code === 'STREAM_NOT_LIVE' ? this.t('offline') : this.t('playbackError')}
          </div>`
          : status === 'loading' || status === 'buffering'
            ? html`<div part="overlay" class="overlay" aria-live="polite">
              ${this.t(status === 'loading' ? 'loading' : 'buffering')}
            </div>`
            : s?.autoplayBlocked
              ? html`<div part="overlay" class="overlay">
                <button @click=${this.toggleMute}>${this.t('tapToUnmute')}</button>
              </div>`
              : nothing;
    return html`
      <div
        role="region"
        aria-label=${this.t('player')}
        tabindex="0"
        @keydown=${this.onKeyDown}
        style="height:100%"
      >
        <video part="video" playsinline poster=${this.poster ?? nothing}></video>
        ${overlay}
        <div part="controls" class="controls">
          <button
            aria-label=${status === 'playing' ? this.t('pause') : this.t('play')}
            @click=${this.togglePlay}
          >
            ${status === 'playing' ? ICONS.pause : ICONS.play}
          </button>
          <button aria-label=${s?.muted ? this.t('unmute') : this.t('mute')} @click=${this.toggleMute}>
            ${s?.muted ? ICONS.muted : ICONS.volume}
          </button>
          <input
            class="volume"
            type="range"
            aria-label=${this.t('volume')}
            min="0"
            max="1"
            step="0.05"
            .value=${String(s?.muted ? 0 : (s?.volume ?? 1))}
            @input=${(e: Event) => this.controls?.setVolume(Number((e.target as HTMLInputElement).value))}
          />
          ${s?.seekable ? this.renderSeek(s) : html`<span class="spacer"></span>`}
          ${
            status === 'playing' || status === 'buffering' || status === 'paused'
              ? html`<span class="badge" ?data-behind=${s?.atLiveEdge === false}>${this.t('live')}</span>
                  ${s?.latency != null ? html`<span class="latency">${s.latency.toFixed(1)} s</span>` : nothing}
                  <button @click=${() => this.controls?.goToLive()}>${this.t('goToLive')}</button>`
              : nothing
          }
          ${s ? this.renderQuality(s) : nothing}
          ${
            globalThis.document?.pictureInPictureEnabled
              ? html`<button aria-label=${this.t('pictureInPicture')} @click=${this.togglePip}>
                  ${ICONS.pip}
                </button>`
              : nothing
          }
          <button aria-label=${this.t('fullscreen')} @click=${this.toggleFullscreen}>
            ${ICONS.fullscreen}
          </button>
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-player': OnAirPlayerElement;
  }
  interface GlobalEventHandlersEventMap {
    'onair-player-status': CustomEvent<PlayerStatusDetail>;
    'onair-player-quality': CustomEvent<PlayerQualityDetail>;
    'onair-player-latency': CustomEvent<number>;
  }
}

/** Registers `<onair-player>` (no-op outside browsers or when already defined). */
export function definePlayer(): void {
  defineElement('onair-player', OnAirPlayerElement);
}
