import {
  OnAirError,
  Player,
  type PlayerControls,
  type PlayerState,
  StreamSession,
  type StreamSessionState,
} from '@onair/core';
import { viewAnalyticsOf } from '@onair/core/analytics';
import { html, nothing, type PropertyValues } from 'lit';
import { clock } from '../internal/clock.js';
import { deviceMenu, deviceMenuStyles } from '../internal/device-menu.js';
import { formatDateTime } from '../internal/i18n.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { StoreController } from '../internal/store-controller.js';
import { playerStyles } from './player.styles.js';
import { ICONS } from './player-icons.js';

/**
 * Plays a stream: live over Low-Latency HLS or in real time (sub-second,
 * WebRTC), and its replay once it has ended.
 *
 * Give it `src` (an HLS URL, live or recorded), or `client` and `stream-id`
 * to follow a stream through its life (a {@link StreamSession}): a
 * scheduled stream shows its poster and start time and starts playing when
 * it goes live; when the broadcaster ends it, every viewer sees "ended" at
 * once, playback stops (no more playlist requests) and the replay loads
 * when the recording is ready (a seek bar from 0 and the duration); an
 * ended stream opens on its replay. With `realtime`, the live stream comes
 * from the server's SFU, falling back to HLS when that fails.
 *
 * Controls: play/pause, mute and volume, a seek bar over the server's DVR
 * window (live HLS) or the whole recording, the LIVE pill (red at the live
 * edge, grey behind it; a click goes to live) with the latency, a quality menu (its list of HLS renditions or real-time layers, and
 * Auto, over the video), picture-in-picture and full screen. While the broadcaster is away
 * (the grace period, and only then), an overlay says it is reconnecting.
 *
 * Put an overlay such as `<onair-reactions slot="overlay">` inside the
 * player: the overlay slot sits above the picture and always clear of the
 * control bar.
 *
 * Keyboard (when the player has focus): `Space`/`K` play or pause, `M` mute,
 * `←`/`→` seek 5 s back or forward in the DVR window, `↑`/`↓` volume,
 * `L` go to live, `F` full screen, `P` picture-in-picture.
 *
 * @event onair-player-status - Playback status changed. Detail: {@link PlayerStatusDetail}.
 * @event onair-player-quality - The quality playing changed. Detail: {@link PlayerQualityDetail}.
 * @event onair-player-latency - The latency to the live edge changed (HLS, about once a second). Detail: seconds.
 * @event onair-player-skipped-to-live - Playback resumed after a stall too far behind the live edge and skipped ahead to it (a notice shows for a few seconds). Detail: {@link PlayerSkippedToLiveDetail}.
 * @csspart video - The `<video>` element.
 * @csspart controls - The control bar.
 * @csspart live - The LIVE pill, a button to the live edge (red there, grey behind it).
 * @csspart choices - The quality menu's list (over the video).
 * @slot overlay - Content over the picture, kept clear of the control bar (reactions, a logo).
 * @csspart overlay - The loading / error / ended overlay.
 * @csspart notice - The transient "Skipped ahead to live" notice.
 * @cssproperty --onair-player-background - Letterbox colour.
 * @cssproperty --onair-player-accent - Live pill and seek bar colour.
 * @cssproperty --onair-player-foreground - Text, icon, volume and focus colour.
 * @cssproperty --onair-player-radius - Corner radius.
 * @cssproperty --onair-player-scrim - The veil over the picture behind a state's message (ended, scheduled, an error).
 * @cssproperty --onair-player-bar-scrim - Where the control bar's gradient ends, at the bottom edge; the quality menu's button too.
 * @cssproperty --onair-player-notice-background - Behind a passing notice at the top ("Skipped ahead to live").
 * @cssproperty --onair-player-control - The control bar's buttons.
 * @cssproperty --onair-player-control-line - The quality menu's borders.
 * @cssproperty --onair-player-behind - The live pill when behind the live edge (a press goes to live).
 * @cssproperty --onair-player-menu-background - The quality menu's list.
 * @cssproperty --onair-player-menu-foreground - The quality menu's choices.
 */
export class OnAirPlayerElement extends OnAirElement {
  static override styles = [deviceMenuStyles, playerStyles];
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

  readonly #state = new StoreController<PlayerState>(this);
  readonly #session = new StoreController<StreamSessionState>(this);
  #own: Player | undefined;
  #ownSession: StreamSession | undefined;
  #lastStatus: string | undefined;
  #lastQuality: string | undefined;
  #lastLatency: number | null = null;
  #lastSkip: PlayerState['skippedToLive'] = null;
  /** Whether the "skipped ahead to live" notice shows. */
  #skipNotice = false;
  #skipNoticeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.muted = false;
    this.realtime = false;
  }

  /** The core Player behind the element (for stats, or to drive it from code). */
  get player(): Player | undefined {
    return this.#own;
  }

  /** What the controls drive: `engine` when given, else the element's own Player. */
  get #controls(): PlayerControls | undefined {
    return this.engine ?? this.#own;
  }

  /** The stream's life as the element follows it (with `client` and `stream-id`). */
  get streamSession(): StreamSession | undefined {
    return this.#ownSession;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#skipNoticeTimer);
    this.#skipNotice = false;
    this.#release();
    this.#state.setStore(undefined);
  }

  /** Drops the element's own session and Player. */
  #release(): void {
    this.#ownSession?.destroy();
    this.#ownSession = undefined;
    this.#session.setStore(undefined);
    this.#own?.destroy();
    this.#own = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) void this.#reload();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (
      changed.has('src') ||
      changed.has('streamId') ||
      changed.has('client') ||
      changed.has('realtime') ||
      changed.has('engine')
    ) {
      void this.#reload();
    }
    const phase = this.#session.value?.phase;
    if (phase) this.dataset.phase = phase;
    else delete this.dataset.phase;
    const snapshot = this.#state.value;
    const status = this.#status;
    this.dataset.status = status;
    if (status !== this.#lastStatus) {
      this.#lastStatus = status;
      this.emit('onair-player-status', { status, error: this.#shownError });
    }
    if (snapshot && snapshot.level >= 0) {
      const key = `${snapshot.level}/${snapshot.autoLevel}`;
      if (key !== this.#lastQuality) {
        this.#lastQuality = key;
        this.emit('onair-player-quality', {
          level: snapshot.level,
          height: snapshot.levels[snapshot.level]?.height ?? null,
          auto: snapshot.autoLevel,
        });
      }
    }
    const latency = snapshot?.latency ?? null;
    if (latency !== null && latency !== this.#lastLatency) {
      this.#lastLatency = latency;
      this.emit('onair-player-latency', latency);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Before rendering, so that this very update shows the notice.
    const skip = this.#state.value?.skippedToLive ?? null;
    if (skip && skip !== this.#lastSkip) this.#showSkipNotice(skip.seconds);
    this.#lastSkip = skip;
  }

  /** Says for a few seconds that playback skipped ahead to live, and emits the event. */
  #showSkipNotice(seconds: number): void {
    this.#skipNotice = true;
    clearTimeout(this.#skipNoticeTimer);
    this.#skipNoticeTimer = setTimeout(() => {
      this.#skipNotice = false;
      this.requestUpdate();
    }, SKIP_NOTICE_MS);
    this.emit('onair-player-skipped-to-live', { seconds });
  }

  async #reload(): Promise<void> {
    const video = this.renderRoot.querySelector('video');
    if (!video || !this.isConnected) return;
    this.#release();
    if (this.engine) {
      this.#state.setStore(this.engine);
      return;
    }
    const { src, client, streamId } = this;
    if (!src && !(client && streamId)) {
      this.#state.setStore(undefined);
      return;
    }
    video.muted = this.muted;
    const player = new Player(video);
    this.#own = player;
    this.#state.setStore(player);
    if (src) {
      await player.load(src);
      return;
    }
    if (!client || !streamId) return;
    const session = new StreamSession(player, client, streamId, {
      realtime: this.realtime,
      // Each playback reports its QoE (the client's `analytics` option: sampling, opt-out).
      analytics: viewAnalyticsOf(client),
    });
    this.#ownSession = session;
    this.#session.setStore(session);
    await session.start();
  }

  /**
   * The element's status: the Player's, except `error` when the stream
   * could not be looked up and `ended` once the stream ended with nothing
   * (yet) to replay.
   */
  get #status(): PlayerState['status'] {
    const phase = this.#session.value?.phase;
    if (phase === 'error') return 'error';
    if (phase === 'ended') return 'ended';
    const status = this.#state.value?.status ?? 'idle';
    return phase === 'loading' && status === 'idle' ? 'loading' : status;
  }

  /** The error to show: the Player's, else the lookup's (in the page's language). */
  get #shownError(): OnAirError | null {
    const error = this.#state.value?.error ?? this.#session.value?.error ?? null;
    if (error?.code !== 'STREAM_NOT_LIVE') return error;
    // The core says it in English: the overlay and the status event say it in the page's language.
    return new OnAirError(error.code, this.t('offline'), undefined, { cause: error });
  }

  #togglePlay = () => {
    const controls = this.#controls;
    const status = controls?.getSnapshot().status;
    if (!controls) return;
    if (status === 'playing' || status === 'buffering') controls.pause();
    else void controls.play().catch(() => undefined);
  };

  #toggleMute = () => {
    const controls = this.#controls;
    if (!controls) return;
    if (controls.getSnapshot().muted) controls.unmute();
    else controls.mute();
  };

  #seekBy(seconds: number) {
    const controls = this.#controls;
    const s = controls?.getSnapshot();
    if (!controls || !s?.seekable) return;
    controls.seek(s.position + seconds);
  }

  #nudgeVolume(step: number) {
    const controls = this.#controls;
    const s = controls?.getSnapshot();
    if (!controls || !s) return;
    controls.setVolume(Math.round((s.volume + step) * 10) / 10);
  }

  #toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void this.requestFullscreen?.().catch(() => undefined);
  };

  #togglePip = () => {
    const video = this.#own?.video;
    if (!video) return;
    if (document.pictureInPictureElement) {
      void document.exitPictureInPicture().catch(() => undefined);
    } else {
      void video.requestPictureInPicture?.().catch(() => undefined);
    }
  };

  #onKeyDown = (event: KeyboardEvent) => {
    // Keys typed into the quality menu's list or a slider are theirs; Space presses a focused button.
    const target = event.target as Element | null;
    const key = event.key.toLowerCase();
    if (target?.tagName === 'INPUT' || target?.closest('[popover]')) return;
    if (key === ' ' && target?.tagName === 'BUTTON') return;
    if (key === ' ' || key === 'k') this.#togglePlay();
    else if (key === 'm') this.#toggleMute();
    else if (key === 'arrowleft') this.#seekBy(-5);
    else if (key === 'arrowright') this.#seekBy(5);
    else if (key === 'arrowup') this.#nudgeVolume(0.1);
    else if (key === 'arrowdown') this.#nudgeVolume(-0.1);
    else if (key === 'l') this.#controls?.goToLive();
    else if (key === 'f') this.#toggleFullscreen();
    else if (key === 'p') this.#togglePip();
    else return;
    event.preventDefault();
  };

  #renderQuality(s: PlayerState) {
    if (s.levels.length < 2) return nothing;
    const name = (level: PlayerState['levels'][number]) =>
      level.height
        ? `${level.height}p`
        : this.t('layer', { n: level.index + 1, of: s.levels.length });
    const playing = s.levels[s.level];
    // The button names what plays ("Auto (720p)"), its list the choices, highest first.
    return deviceMenu({
      id: 'quality',
      label: this.t('quality'),
      up: true,
      icon: html``,
      devices: [
        {
          deviceId: '-1',
          label: `${this.t('auto')}${s.autoLevel && playing ? ` (${name(playing)})` : ''}`,
        },
        ...[...s.levels].reverse().map((level) => ({
          deviceId: String(level.index),
          label: name(level),
        })),
      ],
      current: s.autoLevel ? '-1' : String(s.level),
      disabled: false,
      choose: (id) => void this.#controls?.setLevel(Number(id)),
    });
  }

  /** The seek bar: over the DVR window to the live edge, or over the whole recording. */
  #renderSeek(s: PlayerState) {
    const window = s.seekable;
    if (!window) return nothing;
    const recording = s.live === false;
    const behind = Math.max(0, Math.round(s.latency ?? window.end - s.position));
    return html`<input
      class="seek"
      type="range"
      aria-label=${this.t('seek')}
      aria-valuetext=${
        recording
          ? `${clock(s.position)} / ${clock(s.duration ?? window.end)}`
          : s.atLiveEdge
            ? this.t('atLive')
            : this.t('behindLive', { n: behind })
      }
      min=${window.start}
      max=${window.end}
      step="1"
      .value=${String(s.position)}
      @change=${(e: Event) => this.#controls?.seek(Number((e.target as HTMLInputElement).value))}
    />`;
  }

  /** What covers the picture: the stream's phase first, then the Player's status. */
  #renderOverlay(s: PlayerState | undefined) {
    const session = this.#session.value;
    const status = this.#status;
    const overlay = (content: unknown, role: 'status' | 'alert' = 'status') =>
      html`<div part="overlay" class="overlay" role=${role} aria-live="polite">${content}</div>`;
    if (status === 'error') {
      return overlay(
        this.#shownError?.code === 'STREAM_NOT_LIVE' ? this.t('offline') : this.t('playbackError'),
        'alert',
      );
    }
    switch (session?.phase) {
      case 'scheduled': {
        const at = session.stream?.scheduledAt;
        return overlay(
          at ? this.t('startsOn', { time: formatDateTime(this, at) }) : this.t('notStarted'),
        );
      }
      case 'ended':
        return overlay(
          html`<p>${this.t('streamEnded')}</p>
            ${session.stream?.recording ? html`<p>${this.t('replaySoon')}</p>` : nothing}`,
        );
      case 'reconnecting':
        return overlay(this.t('publisherReconnecting'));
      case 'replay':
        if (s && (s.status === 'paused' || s.status === 'idle') && s.position === 0) {
          return overlay(
            html`<p>${this.t('streamEnded')}</p>
              <button class="replay" @click=${() => void this.#controls?.play().catch(() => undefined)}>
                ${ICONS.play} ${this.t('watchReplay')}
              </button>`,
          );
        }
        break;
      case 'loading':
        if (!s || s.status === 'idle') return overlay(this.t('loading'));
        break;
    }
    if (status === 'loading' || status === 'buffering') {
      return overlay(this.t(status === 'loading' ? 'loading' : 'buffering'));
    }
    if (s?.autoplayBlocked) {
      return html`<div part="overlay" class="overlay">
        <button @click=${this.#toggleMute}>${this.t('tapToUnmute')}</button>
      </div>`;
    }
    return nothing;
  }

  /** The badge and time: the LIVE pill (it goes to live) with the latency, or the replay's position. */
  #renderPosition(s: PlayerState, status: PlayerState['status']) {
    if (s.live === false) {
      return html`<span class="badge replay-badge">${this.t('replayBadge')}</span>
        <span class="latency">${clock(s.position)} / ${clock(s.duration ?? 0)}</span>`;
    }
    if (status !== 'playing' && status !== 'buffering' && status !== 'paused') return nothing;
    // The LIVE pill is the "go to live" button: red at the live edge, grey behind it.
    return html`<button part="live" class="badge" ?data-behind=${s.atLiveEdge === false} aria-label=${this.t('goToLive')} @click=${() => this.#controls?.goToLive()}>${this.t('live')}</button>
      ${s.latency != null ? html`<span class="latency">${s.latency.toFixed(1)} s</span>` : nothing}`;
  }

  override render() {
    const s = this.#state.value;
    const status = this.#status;
    const phase = this.#session.value?.phase;
    // Nothing to control before a stream starts or once it ended with nothing to replay.
    const controls = phase !== 'scheduled' && phase !== 'ended' && phase !== 'error';
    const poster = this.poster ?? this.#session.value?.poster ?? undefined;
    return html`
      <div
        role="region"
        aria-label=${this.t('player')}
        tabindex="0"
        @keydown=${this.#onKeyDown}
        style="height:100%"
      >
        <video part="video" playsinline poster=${poster ?? nothing}></video>
        ${this.#renderOverlay(s)}
        <div part="notice" class="notice" role="status" aria-live="polite">${this.#skipNotice ? this.t('skippedToLive') : nothing}</div>
        <div class="overlay-slot"><slot name="overlay"></slot></div>
        <div part="controls" class="controls" ?hidden=${!controls}>
          <button
            aria-label=${status === 'playing' ? this.t('pause') : this.t('play')}
            @click=${this.#togglePlay}
          >
            ${status === 'playing' ? ICONS.pause : ICONS.play}
          </button>
          <button aria-label=${s?.muted ? this.t('unmute') : this.t('mute')} @click=${this.#toggleMute}>
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
            @input=${(e: Event) => this.#controls?.setVolume(Number((e.target as HTMLInputElement).value))}
          />
          ${s?.seekable ? this.#renderSeek(s) : html`<span class="spacer"></span>`}
          ${s ? this.#renderPosition(s, status) : nothing}
          ${s ? this.#renderQuality(s) : nothing}
          ${
            globalThis.document?.pictureInPictureEnabled
              ? html`<button aria-label=${this.t('pictureInPicture')} @click=${this.#togglePip}>
                  ${ICONS.pip}
                </button>`
              : nothing
          }
          <button aria-label=${this.t('fullscreen')} @click=${this.#toggleFullscreen}>
            ${ICONS.fullscreen}
          </button>
        </div>
      </div>
    `;
  }
}

/** How long the "skipped ahead to live" notice shows. */
const SKIP_NOTICE_MS = 4000;

declare global {
  interface HTMLElementTagNameMap {
    'onair-player': OnAirPlayerElement;
  }
}

/** Registers `<onair-player>` (no-op outside browsers or when already defined). */
export function definePlayer(): void {
  defineElement('onair-player', OnAirPlayerElement);
}
