import {
  findStreamPlayback,
  OnAirError,
  Player,
  type PlayerControls,
  type PlayerState,
  playStream,
  type StreamHealthState,
  StreamHealthStore,
  type StreamPlayback,
} from '@onair/core';
import { html, nothing, type PropertyValues } from 'lit';
import { OnAirEvents } from '../internal/events.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { StoreController } from '../internal/store-controller.js';
import { playerStyles } from './player.styles.js';
import { ICONS } from './player-icons.js';

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
export class OnAirPlayerElement extends OnAirElement {
  static override styles = playerStyles;
  static override properties = {
    src: { type: String, reflect: true },
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    muted: { type: Boolean, reflect: true },
    realtime: { type: Boolean, reflect: true },
    poster: { type: String },
    engine: { attribute: false },
  };

  /** HLS URL to play. Takes precedence over `stream-id`. */
  declare src: string | undefined;
  /** Stream to play, looked up through `client`. */
  declare streamId: string | undefined;
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
  /** Counts reloads: a lookup that answers after a newer reload started is dropped. */
  private reloads = 0;
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
      this.emit(OnAirEvents.PLAYER_STATUS, {
        status,
        error: snapshot?.error ?? this.lookupError,
      });
    }
    if (snapshot && snapshot.level >= 0) {
      const key = `${snapshot.level}/${snapshot.autoLevel}`;
      if (key !== this.lastQuality) {
        this.lastQuality = key;
        this.emit(OnAirEvents.PLAYER_QUALITY, {
          level: snapshot.level,
          height: snapshot.levels[snapshot.level]?.height ?? null,
          auto: snapshot.autoLevel,
        });
      }
    }
    const latency = snapshot?.latency ?? null;
    if (latency !== null && latency !== this.lastLatency) {
      this.lastLatency = latency;
      this.emit(OnAirEvents.PLAYER_LATENCY, latency);
    }
  }

  private async reload(): Promise<void> {
    const video = this.renderRoot.querySelector('video');
    if (!video || !this.isConnected) return;
    const reload = ++this.reloads;
    if (this.engine) {
      this.own?.destroy();
      this.own = undefined;
      this.state.setStore(this.engine);
      return;
    }
    this.lookupError = null;
    const { src, client, streamId } = this;
    let playback: StreamPlayback | undefined;
    try {
      if (src) playback = { mode: 'hls', src };
      else if (client && streamId) {
        playback = await findStreamPlayback(client, streamId, { realtime: this.realtime });
      }
    } catch (error) {
      if (reload !== this.reloads || !this.isConnected) return;
      const typed = OnAirError.from(error);
      // The core says it in English: the overlay and the status event say it in the page's language.
      this.lookupError =
        typed.code === 'STREAM_NOT_LIVE'
          ? new OnAirError(typed.code, this.t('offline'), undefined, { cause: typed })
          : typed;
      this.requestUpdate();
      return;
    }
    // Removed, or a newer reload started (another stream) during the lookup: its answer is stale.
    if (!playback || this.engine || reload !== this.reloads || !this.isConnected) return;
    this.own?.destroy();
    video.muted = this.muted;
    const player = new Player(video);
    this.own = player;
    this.state.setStore(player);
    await playStream(player, playback);
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
}

/** Registers `<onair-player>` (no-op outside browsers or when already defined). */
export function definePlayer(): void {
  defineElement('onair-player', OnAirPlayerElement);
}
