import {
  type OnAirClient,
  OnAirError,
  Player,
  type PlayerState,
  RealtimeViewer,
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
  muted: icon(
    svg`<path d="M3 9v6h4l5 5V4L7 9H3zm13.6 3 2.7-2.7-1.4-1.4-2.7 2.7-2.7-2.7-1.4 1.4 2.7 2.7-2.7 2.7 1.4 1.4 2.7-2.7 2.7 2.7 1.4-1.4z" />`,
  ),
};

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
 * Keyboard: `Space`/`K` play or pause, `M` mute, `L` go to live.
 *
 * @event onair-player-status - Playback status changed. Detail: {@link PlayerStatusDetail}.
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

  private readonly state = new StoreController<PlayerState>(this);
  private player: Player | undefined;
  private lookupError: OnAirError | null = null;
  private lastStatus: string | undefined;

  constructor() {
    super();
    this.muted = false;
    this.realtime = false;
  }

  private t(key: MessageKey, vars?: Record<string, string | number>) {
    return translate(this, key, vars);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.player?.destroy();
    this.player = undefined;
    this.state.setStore(undefined);
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
      changed.has('realtime')
    ) {
      void this.reload();
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
    this.lookupError = null;
    let src: string | undefined;
    try {
      src = await this.resolveSrc();
    } catch (error) {
      this.lookupError = OnAirError.from(error);
      this.requestUpdate();
      return;
    }
    if (!src) return;
    this.player?.destroy();
    video.muted = this.muted;
    this.player = new Player(video);
    this.state.setStore(this.player);
    if (this.realtime && !this.src && this.client && this.streamId) {
      const viewer = new RealtimeViewer({
        realtime: this.client.realtime,
        streamId: this.streamId,
      });
      await this.player.loadRealtime(viewer, src);
    } else {
      await this.player.load(src);
    }
  }

  private togglePlay = () => {
    const video = this.player?.video;
    if (!video) return;
    if (video.paused) void this.player?.play();
    else this.player?.pause();
  };

  private toggleMute = () => {
    const player = this.player;
    if (!player) return;
    if (player.video.muted) player.unmute();
    else player.video.muted = true;
  };

  private onKeyDown = (event: KeyboardEvent) => {
    const key = event.key.toLowerCase();
    if (key === ' ' || key === 'k') this.togglePlay();
    else if (key === 'm') this.toggleMute();
    else if (key === 'l') this.player?.goToLive();
    else return;
    event.preventDefault();
  };

  override render() {
    const s = this.state.value;
    const status = s?.status ?? (this.lookupError ? 'error' : 'idle');
    const error = s?.error ?? this.lookupError;
    const overlay =
      status === 'error'
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
          <span class="spacer"></span>
          ${
            status === 'playing' || status === 'buffering'
              ? html`<span class="badge">${this.t('live')}</span>
                  ${s?.latency != null ? html`<span>${s.latency.toFixed(1)} s</span>` : nothing}
                  <button @click=${() => this.player?.goToLive()}>${this.t('goToLive')}</button>`
              : nothing
          }
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
  }
}

/** Registers `<onair-player>` (no-op outside browsers or when already defined). */
export function definePlayer(): void {
  defineElement('onair-player', OnAirPlayerElement);
}
