import {
  type CaptureDevice,
  endStream,
  goLive,
  OnAirError,
  type PresenceState,
  PresenceStore,
  Publisher,
  type PublisherControls,
  type PublisherState,
  QUALITY_PRESETS,
  type QualityName,
  type StreamHealthState,
  StreamHealthStore,
} from '@onair/core';
import { reportPublishing } from '@onair/core/analytics';
import { html, nothing, type PropertyValues } from 'lit';
import { clock } from '../internal/clock.js';
import { askConfirm, confirmDialog } from '../internal/confirm-dialog.js';
import { deviceMenu } from '../internal/device-menu.js';
import type { MessageKey } from '../internal/i18n.js';
import { MicMeter } from '../internal/mic-meter.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { type ExternalStore, StoreController } from '../internal/store-controller.js';
import { broadcasterStyles } from './broadcaster.styles.js';

// The control bar's icons (24-unit strokes); `off` crosses one out.
const MIC = 'M9 5a3 3 0 0 1 6 0v6a3 3 0 0 1-6 0zM5 11a7 7 0 0 0 14 0M12 18v3';
const CAMERA = 'M3 7h12v10H3zM15 10l6-3v10l-6-3z';
const SCREEN = 'M3 4h18v12H3zM8 20h8M12 16v4';
// Sliders: the devices and quality behind it.
const SLIDERS = 'M4 6h16M4 12h16M4 18h16M8 4v4M16 10v4M10 16v4';
const END = 'M6 6h12v12H6z';
/** Where focus goes from a control of the studio that is gone, the first found: Go live gives way to End, the lobby's button to Go live. */
const FOCUS_PLACES = ['[part="end"]', '[part="go-live"]'];
const icon = (path: string, off = false) =>
  html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${off ? `${path}M3 3l18 18` : path}></path></svg>`;

/**
 * The broadcaster's studio for a stream's owner: camera preview, camera and
 * microphone choice, microphone and camera toggles, screen share (with the
 * camera in a corner, on or off while sharing), quality, go live / end (with confirmation),
 * a live timer, the viewer count and the ingest's health.
 *
 * Its control bar is icon buttons with their labels (microphone, camera,
 * share, devices, end); each names what a press does, on hover too, and in a
 * studio narrower than 480px only their icons show. The devices (camera and
 * microphone with its level, quality, the camera's corner while sharing) show
 * before going live and fold behind the Devices button while on air.
 *
 * Needs `client` (signed in as the owner) and `stream-id`. "Go live" counts
 * down over the preview (`countdown` seconds, 3 by default; its button
 * cancels meanwhile), starts the stream if it is scheduled, then publishes; "End stream" asks for
 * confirmation in a modal dialog, "Keep streaming" focused (unless
 * `no-confirm`), and ends it.
 *
 * @event onair-broadcaster-status - Publishing status changed. Detail: {@link BroadcasterStatusDetail}.
 * @csspart preview - The camera preview `<video>`.
 * @csspart meter - The microphone's level, beside its picker.
 * @csspart lobby - Before the camera starts: what to do first, and the button that starts it.
 * @csspart countdown - The seconds left before going live, over the preview.
 * @csspart status - The status row: on air with its clock, viewers, health.
 * @csspart controls - The button bar.
 * @csspart go-live - The Go live button (Cancel while counting down).
 * @csspart end - The End stream button.
 * @csspart devices - The camera, microphone and quality pickers (buttons naming the choice).
 * @csspart choices - A picker's list, a popover over the page.
 * @csspart health - The health indicator.
 * @csspart error - The error message.
 * @csspart dialog - The confirmation dialog before ending.
 * @cssproperty --onair-broadcaster-accent - Go-live button colour (the live label is a lighter red that reads on the dark bar).
 * @cssproperty --onair-broadcaster-background - Background colour.
 * @cssproperty --onair-broadcaster-foreground - Text colour.
 * @cssproperty --onair-broadcaster-radius - Corner radius.
 * @cssproperty --onair-broadcaster-live - The "On air" label and poor health (`#ff6b6b`).
 * @cssproperty --onair-broadcaster-control - Buttons' background and the meter's track (`#333`).
 * @cssproperty --onair-broadcaster-control-active - A toggle that is on: muted, sharing, devices shown (`#555`).
 * @cssproperty --onair-broadcaster-field - The pickers' background (`#222`).
 * @cssproperty --onair-broadcaster-line - The pickers' border (`#444`).
 * @cssproperty --onair-broadcaster-ok - The microphone's level and good health (`#3ad07a`).
 * @cssproperty --onair-broadcaster-warn - Fair health (`#f0b429`).
 * @cssproperty --onair-broadcaster-error-background - The error message's background (`#5a0b17`).
 * @cssproperty --onair-dialog-background - The end confirmation's background (the studio's).
 * @cssproperty --onair-dialog-foreground - The end confirmation's text (the studio's).
 * @cssproperty --onair-dialog-radius - The end confirmation's corners (the studio's).
 * @cssproperty --onair-dialog-border - The end confirmation's border (the studio's line).
 */
export class OnAirBroadcasterElement extends OnAirElement {
  static override styles = broadcasterStyles;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    noConfirm: { type: Boolean, attribute: 'no-confirm' },
    countdown: { type: Number },
    simulcast: { type: Boolean },
    quality: { type: String },
    engine: { attribute: false },
    healthStore: { attribute: false },
  };

  /** Stream to publish to. */
  declare streamId: string | undefined;
  /** Skip the confirmation before ending. */
  declare noConfirm: boolean;
  /** Seconds "Go live" counts down before going live (0: at once; at most 60). Default 3. */
  declare countdown: number;
  /** Send three simulcast layers for real-time viewers on slow links (set before going live). */
  declare simulcast: boolean;
  /** Initial capture quality (`360p` … `4k`). Default `720p`. */
  declare quality: QualityName;
  /**
   * A publishing engine to drive instead of the element's own
   * {@link Publisher} (Storybook mocks, tests, a host app's own engine).
   */
  declare engine: PublisherControls | undefined;
  /**
   * The ingest's health to show on air instead of the element's own
   * {@link StreamHealthStore} (one a host app's dashboard shares, a
   * Storybook mock).
   */
  declare healthStore: ExternalStore<StreamHealthState> | undefined;

  readonly #state = new StoreController<PublisherState>(this);
  readonly #presence = new StoreController<PresenceState>(this);
  readonly #health = new StoreController<StreamHealthState>(this);
  readonly #mic = new MicMeter(this);
  #own: Publisher | undefined;
  /** Stops reporting the own Publisher's figures to the stream's analytics. */
  #stopReport: (() => void) | undefined;
  #actionError: OnAirError | null = null;
  #busy = false;
  #lastStatus: string | undefined;
  #liveSince: number | undefined;
  #clockTimer: ReturnType<typeof setInterval> | undefined;
  #withCamera = true;
  /** The devices row shown (the Devices button); unset: shown until on air. */
  #devicesShown: boolean | undefined;
  /** Where keyboard focus goes once a render has a place for it (see update()). */
  #focusOwed: { to: HTMLElement; or: readonly string[] } | undefined;
  /** Seconds left while "Go live" counts down, and the status it started from. */
  #count = 0;
  #countFrom = '';
  #countTimer: ReturnType<typeof setInterval> | undefined;
  /** From "Go live" to the publisher's `connecting`: the stream starting on the server. */
  #starting = false;

  constructor() {
    super();
    this.noConfirm = false;
    this.countdown = 3;
    this.simulcast = false;
    this.quality = '720p';
  }

  /** The core Publisher behind the element (for `<onair-stats>`, or to drive it from code). */
  get publisher(): Publisher | undefined {
    return this.#own;
  }

  /** What the controls drive: `engine` when given, else the element's own Publisher. */
  get #controls(): PublisherControls | undefined {
    return this.engine ?? this.#own;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A countdown goes live for the stream and engine it started with, or not at all.
    const publisherChanged =
      changed.has('client') || changed.has('streamId') || changed.has('simulcast');
    if (publisherChanged || changed.has('engine')) this.#stopCount();
    if (publisherChanged) {
      const { client, streamId } = this;
      this.#replaceOwn(
        client && streamId && !this.engine
          ? new Publisher(client, {
              streamId,
              simulcast: this.simulcast,
              quality: this.quality in QUALITY_PRESETS ? this.quality : '720p',
            })
          : undefined,
      );
      // Its send bitrate, frame rate, quality limits and reconnections reach the stream's analytics.
      if (client && streamId && this.#own) {
        this.#stopReport = reportPublishing(client, this.#own, streamId);
      }
      this.#state.setStore(this.#controls);
      this.#presence.setStore(client && streamId ? new PresenceStore(client, streamId) : undefined);
    }
    if (publisherChanged || changed.has('healthStore')) {
      const { client, streamId } = this;
      this.#health.setStore(
        this.healthStore ??
          (client && streamId ? new StreamHealthStore(client, streamId) : undefined),
      );
    }
    if (changed.has('engine')) {
      if (this.engine) this.#replaceOwn(undefined);
      this.#state.setStore(this.#controls);
    }
  }

  /** The devices row shows before going live, and on air once the Devices button opens it. */
  #devicesOpen(status: string | undefined): boolean {
    return this.#devicesShown ?? !(status === 'live' || status === 'reconnecting');
  }

  protected override update(changed: PropertyValues<this>): void {
    // A control that a render removes or disables (Go live while connecting and once live, the
    // lobby's button, a picker when the devices fold) drops keyboard focus to the page: it is
    // owed to the control that takes its place, once there is one, unless focus went elsewhere.
    const focused = this.shadowRoot?.activeElement as HTMLElement | null | undefined;
    const inDevices = focused?.closest('#devices') != null;
    super.update(changed);
    if (focused && (!focused.isConnected || focused.matches(':disabled'))) {
      // A press anywhere (the page, a part of it that takes no focus) settles it too.
      if (!this.#focusOwed) {
        document.addEventListener('pointerdown', this.#dropFocusDebt, {
          capture: true,
          once: true,
        });
      }
      this.#focusOwed = {
        to: focused,
        or: inDevices ? ['[data-tool="devices"]', ...FOCUS_PLACES] : FOCUS_PLACES,
      };
    }
    const owed = this.#focusOwed;
    if (!owed) return;
    // Focus went elsewhere meanwhile (a disabled control may keep it until it goes).
    const mine = this.shadowRoot?.activeElement;
    const page = document.activeElement;
    if (mine ? mine !== owed.to : page && page !== document.body && page !== this) {
      this.#dropFocusDebt();
      return;
    }
    // Back to the control itself (a picker after its switch, Go live after a failure); once it
    // is gone, to the first place there is. Either once enabled. No place (the stream ended):
    // nothing is owed any more.
    const next = owed.to.isConnected
      ? owed.to
      : owed.or.map((place) => this.renderRoot.querySelector<HTMLElement>(place)).find(Boolean);
    if (next?.matches(':disabled')) return;
    this.#dropFocusDebt();
    next?.focus();
  }

  readonly #dropFocusDebt = (): void => {
    this.#focusOwed = undefined;
    document.removeEventListener('pointerdown', this.#dropFocusDebt, { capture: true });
  };

  protected override updated(): void {
    const snapshot = this.#state.value;
    const status = snapshot?.status ?? 'idle';
    this.dataset.status = status;
    // The camera failed, the stream ended or went live elsewhere: nothing left to count down to.
    if (this.#count && status !== this.#countFrom) this.#stopCount();
    const video = this.renderRoot.querySelector('video');
    const mediaStream = snapshot?.mediaStream ?? null;
    if (video && video.srcObject !== mediaStream) {
      video.srcObject = mediaStream;
      if (mediaStream) void video.play().catch(() => undefined);
    }
    const onAir = status === 'live' || status === 'reconnecting';
    if (onAir && this.#liveSince === undefined) {
      this.#liveSince = Date.now();
      this.#clockTimer = setInterval(() => this.requestUpdate(), 1000);
    } else if (!onAir && this.#liveSince !== undefined) {
      this.#liveSince = undefined;
      clearInterval(this.#clockTimer);
    }
    // The meter follows the microphone while it captures and the devices row shows it.
    this.#mic.follow(this.#devicesOpen(status) ? mediaStream?.getAudioTracks()[0] : undefined);
    // Ended or dropped elsewhere: nothing left to confirm.
    if (!onAir) this.renderRoot.querySelector('dialog')?.close();
    if (status !== this.#lastStatus) {
      this.#lastStatus = status;
      this.emit('onair-broadcaster-status', { status, error: snapshot?.error ?? null });
    }
  }

  #replaceOwn(next: Publisher | undefined): void {
    this.#stopReport?.();
    this.#stopReport = undefined;
    this.#own?.destroy();
    this.#own = next;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopCount();
    this.#dropFocusDebt();
    clearInterval(this.#clockTimer);
    this.#liveSince = undefined;
    this.#replaceOwn(undefined);
    this.#state.setStore(undefined);
    this.#presence.setStore(undefined);
    this.#health.setStore(undefined);
  }

  async #run(action: () => Promise<unknown>): Promise<void> {
    this.#busy = true;
    this.#actionError = null;
    this.requestUpdate();
    try {
      await action();
    } catch (error) {
      this.#actionError = OnAirError.from(error);
    } finally {
      this.#busy = false;
      this.requestUpdate();
    }
  }

  /** Opens the camera preview. */
  preview(): Promise<void> {
    return this.#run(async () => this.#controls?.preview());
  }

  /** Starts the stream if needed, then publishes (at once: a countdown under way stops). */
  goLive(): Promise<void> {
    this.#stopCount();
    this.#starting = true;
    return this.#run(async () => {
      const { client, streamId } = this;
      const controls = this.#controls;
      // An engine without a stream of ours only publishes.
      if (client && streamId && controls) await goLive(client, streamId, controls);
      else await controls?.publish();
    }).finally(() => {
      this.#starting = false;
    });
  }

  // "Go live": counts down, then goes live; clicked while counting, cancels.
  #goLiveClicked = () => {
    if (this.#count) return this.#stopCount();
    // Up to a minute; not a number (a removed attribute): the default.
    const seconds = Math.min(Math.ceil(this.countdown ?? 3), 60);
    if (seconds <= 0) return void this.goLive();
    this.#count = Number.isNaN(seconds) ? 3 : seconds;
    this.#countFrom = this.dataset.status ?? '';
    this.#countTimer = setInterval(() => {
      // Held while another action runs (a device switch, the screen picker).
      if (this.#busy) return;
      if (--this.#count) return this.requestUpdate();
      void this.goLive();
    }, 1000);
    this.requestUpdate();
  };

  #stopCount(): void {
    clearInterval(this.#countTimer);
    this.#count = 0;
    this.requestUpdate();
  }

  /** Ends the stream for everyone, once confirmed in the element's dialog (unless `no-confirm`). */
  async end(): Promise<void> {
    const dialog = this.renderRoot.querySelector('dialog');
    if (!this.noConfirm && !(dialog && (await askConfirm(dialog)))) return;
    return this.#run(async () => {
      const { client, streamId } = this;
      const controls = this.#controls;
      if (client && streamId && controls) await endStream(client, streamId, controls);
      else await controls?.stop();
    });
  }

  #toggleScreen = () =>
    this.#run(async () => {
      const publisher = this.#controls;
      if (!publisher) return;
      if (publisher.getSnapshot().screenSharing) await publisher.stopScreenShare();
      else await publisher.startScreenShare({ withCamera: this.#withCamera });
    });

  /** The status in words: the live region says it when it changes (not at each tick of the clock). */
  #statusWords(s: PublisherState | undefined): string {
    const status = s?.status ?? 'idle';
    if (this.#count) return this.t('goingLiveIn', { n: this.#count });
    if (this.#starting && (status === 'idle' || status === 'previewing')) {
      return this.t('connecting');
    }
    const label: Record<PublisherState['status'], MessageKey> = {
      idle: 'offline',
      previewing: 'cameraPreview',
      connecting: 'connecting',
      live: 'onAir',
      reconnecting: 'reconnecting',
      ended: 'ended',
      failed: 'offline',
    };
    return this.t(label[status]);
  }

  /**
   * A control bar button: its icon (crossed out when `off`), its label (only
   * the icon in a narrow studio: the label stays its name, and its tooltip).
   */
  #tool(
    shape: string,
    label: MessageKey,
    active: boolean,
    click: () => unknown,
    off = false,
    disabled = false,
    expanded?: boolean,
  ) {
    const text = this.t(label);
    return html`<button
      class="tool"
      data-tool=${label}
      title=${text}
      ?data-active=${active}
      ?disabled=${disabled}
      aria-expanded=${expanded ?? nothing}
      aria-controls=${expanded ? 'devices' : nothing}
      @click=${click}
    >
      ${icon(shape, off)}<span class="label">${text}</span>
    </button>`;
  }

  #renderHealth() {
    const report = this.#health.value?.health;
    if (!report) return nothing;
    const level = report.score >= 80 ? 'good' : report.score >= 50 ? 'fair' : 'poor';
    const words: MessageKey =
      level === 'good' ? 'healthGood' : level === 'fair' ? 'healthFair' : 'healthPoor';
    const details = [
      `${Math.round(report.bitrateKbps)} kbit/s`,
      `${report.width}×${report.height}`,
      `${Math.round(report.frameRate)} fps`,
      ...report.issues,
    ].join(' · ');
    // The first thing that lowers the score, in words (the figures on hover).
    const reason = report.issues[0];
    return html`<span part="health" class="health" data-level=${level} title=${details}>
      ${this.t('health', { state: this.t(words) })}${reason ? ` · ${reason}` : ''}
    </span>`;
  }

  #renderDevices(s: PublisherState) {
    const menu = (
      label: MessageKey,
      devices: readonly CaptureDevice[],
      current: string | null,
      choose: (id: string) => Promise<void>,
      shape?: string,
    ) =>
      deviceMenu({
        id: label,
        label: this.t(label),
        icon: shape ? icon(shape) : undefined,
        devices,
        current,
        disabled: this.#busy,
        choose: (id) => void this.#run(() => choose(id)),
      });
    const publisher = this.#controls as PublisherControls;
    return html`<div part="devices" id="devices" class="bar devices">
      ${menu('camera', s.cameras, s.cameraId, (id) => publisher.setCamera(id), CAMERA)}
      ${menu('microphone', s.microphones, s.microphoneId, (id) => publisher.setMicrophone(id), MIC)}
      <meter part="meter" max="1" .value=${this.#mic.level} aria-label=${this.t('microphone')}></meter>
      ${menu(
        'quality',
        // Up to the stream's quality preset.
        (Object.keys(QUALITY_PRESETS) as QualityName[])
          .filter(
            (q) =>
              !s.maxQuality || QUALITY_PRESETS[q].height <= QUALITY_PRESETS[s.maxQuality].height,
          )
          .map((q) => ({ deviceId: q, label: q })),
        s.quality,
        (q) => publisher.setQuality(q as QualityName),
      )}
      ${
        // While sharing: the camera in the screen's corner, on or off at once (the next share too).
        s.screenSharing
          ? html`<label class="check">
              <input
                type="checkbox"
                .checked=${s.cameraOverScreen}
                ?disabled=${this.#busy || !s.cameraId}
                @change=${(e: Event) => {
                  const box = e.target as HTMLInputElement;
                  this.#withCamera = box.checked;
                  // The box shows what is sent, even when the change did not happen.
                  void this.#run(async () => {
                    await publisher.setCameraOverScreen?.(box.checked);
                    box.checked = publisher.getSnapshot().cameraOverScreen;
                  });
                }}
              />
              ${this.t('cameraInCorner')}
            </label>`
          : nothing
      }
    </div>`;
  }

  /** The status line: on air, with the clock (a timer, out of the live region) from the first live render. */
  #statusLine(s: PublisherState | undefined) {
    if (s?.status !== 'live') return this.#statusWords(s);
    const [before, after] = this.t('onAirFor', { time: '\n' }).split('\n');
    // The clock starts in updated(), right after the first live render.
    const time = clock(this.#liveSince ? (Date.now() - this.#liveSince) / 1000 : 0, true);
    return html`${before}<span role="timer">${time}</span>${after}`;
  }

  override render() {
    const s = this.#state.value;
    const status = s?.status ?? 'idle';
    const error = this.#actionError ?? s?.error ?? null;
    const capturing = s?.mediaStream != null;
    const onAir = status === 'live' || status === 'reconnecting';
    const viewers = this.#presence.value?.count;
    const devicesShown = this.#devicesOpen(status);
    return html`
      <section aria-label=${this.t('broadcaster')}>
        <video part="preview" muted playsinline aria-label=${this.t('cameraPreview')}></video>
        ${
          // The lobby, before the camera: what to do first, over the empty preview.
          !capturing && !this.#count && (status === 'idle' || status === 'failed')
            ? html`<div part="lobby" class="lobby">
                <p>${this.t('lobby')}</p>
                <button ?disabled=${this.#busy} @click=${() => this.preview()}>${this.t('preview')}</button>
              </div>`
            : nothing
        }
        ${this.#count ? html`<div part="countdown" class="countdown" aria-hidden="true">${this.#count}</div>` : nothing}
        <div part="status" class="bar">
          <span class="status" ?data-live=${status === 'live'}>${this.#statusLine(s)}</span>
          <span class="visually-hidden" role="status">${this.#statusWords(s)}</span>
          ${onAir && viewers !== undefined ? html`<span class="viewers">${this.t('viewers', { count: viewers })}</span>` : nothing}
          ${onAir ? this.#renderHealth() : nothing}
        </div>
        <div part="controls" class="bar">
          ${
            // Each says what a press does next; aria-pressed too would contradict it ("Unmute, pressed").
            capturing && s
              ? html`${this.#tool(
                  MIC,
                  s.audioMuted ? 'unmuteMic' : 'muteMic',
                  s.audioMuted,
                  () => this.#controls?.setAudioMuted(!s.audioMuted),
                  s.audioMuted,
                )}${this.#tool(
                  CAMERA,
                  s.videoMuted ? 'cameraOn' : 'cameraOff',
                  s.videoMuted,
                  () => this.#controls?.setVideoMuted(!s.videoMuted),
                  s.videoMuted,
                )}${this.#tool(
                  SCREEN,
                  s.screenSharing ? 'stopSharing' : 'shareScreen',
                  s.screenSharing,
                  this.#toggleScreen,
                  false,
                  this.#busy,
                )}${this.#tool(
                  SLIDERS,
                  'devices',
                  devicesShown,
                  () => {
                    this.#devicesShown = !devicesShown;
                    this.requestUpdate();
                  },
                  false,
                  false,
                  devicesShown,
                )}`
              : nothing
          }
          <span class="spacer"></span>
          ${
            !onAir && status !== 'ended'
              ? html`<button
                  part="go-live"
                  class="primary"
                  ?disabled=${!this.#count && (this.#busy || status === 'connecting')}
                  aria-label=${this.#count ? this.t('cancelGoLive') : nothing}
                  @click=${this.#goLiveClicked}
                >
                  ${this.t(this.#count ? 'cancel' : 'goLive')}
                </button>`
              : nothing
          }
          ${
            onAir
              ? html`<button
                  part="end"
                  class="primary tool"
                  title=${this.t('endStream')}
                  ?disabled=${this.#busy}
                  @click=${() => this.end()}
                >
                  ${icon(END)}<span class="label">${this.t('endStream')}</span>
                </button>`
              : nothing
          }
        </div>
        ${capturing && s && this.#controls && devicesShown ? this.#renderDevices(s) : nothing}
        ${
          error
            ? html`<div part="error" class="error" role="alert" data-code=${error.code}>
                ${error.message}
              </div>`
            : nothing
        }
      </section>
      ${confirmDialog({
        title: this.t('confirmEnd'),
        description: this.t('confirmEndDetail'),
        confirm: this.t('endStream'),
        cancel: this.t('keepStreaming'),
      })}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-broadcaster': OnAirBroadcasterElement;
  }
}

/** Registers `<onair-broadcaster>`. */
export function defineBroadcaster(): void {
  defineElement('onair-broadcaster', OnAirBroadcasterElement);
}
