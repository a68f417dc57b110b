import {
  OnAirError,
  Publisher,
  type PublisherControls,
  type PublisherState,
  type QualityName,
} from '@onair/core';
import { type StageState, StageStore } from '@onair/core/stage';
import { html, nothing, type PropertyValues } from 'lit';
import { deviceMenu } from '../internal/device-menu.js';
import { defineElement, OnAirElementBase } from '../internal/element-base.js';
import { MicMeter } from '../internal/mic-meter.js';
import { type ExternalStore, StoreController } from '../internal/store-controller.js';
import { stageEnglish } from '../stage/stage-messages.js';
import { stageJoinStyles } from './stage-join.styles.js';

/** What `<onair-stage-join>` needs of a stage store: a core `StageStore`, or a stand-in. */
export interface StageJoinStoreLike extends ExternalStore<StageState> {
  raiseHand(): Promise<void>;
  lowerHand(userId?: string): Promise<void>;
  leave(): Promise<void>;
}

/**
 * Where a viewer is on the way to the stage: `idle` (watching),
 * `hand-raised`, `invited` (brought on stage, checking their devices),
 * `joining`, `on-stage` (publishing), `unavailable` (signed out, or the
 * stream is not live).
 */
export type StageJoinStep =
  | 'unavailable'
  | 'idle'
  | 'hand-raised'
  | 'invited'
  | 'joining'
  | 'on-stage';

/**
 * A viewer's way onto a live stream's stage (docs/stage.md): "Raise hand";
 * once the host brings them on stage, a check of their camera and
 * microphone (a preview, a level meter, and pickers to choose others) and
 * "Join stage", which
 * publishes them; "Leave stage" stops. Taken off the stage by the host,
 * their publishing stops and the element goes back to watching.
 *
 * Give it `client`, `stream-id` and `user-id` (the signed-in user's id, the
 * `sub` of their token), or `store` (a `StageStore`) and `publisher`.
 *
 * @csspart preview - The camera preview while checking devices.
 * @csspart meter - The microphone level meter.
 * @csspart devices - The camera and microphone pickers.
 * @csspart choices - A picker's list, a popover over the page.
 * @cssproperty --onair-stage-join-accent - The main button's colour.
 * @cssproperty --onair-stage-join-foreground - Text colour.
 * @cssproperty --onair-stage-join-muted - Secondary text colour.
 * @cssproperty --onair-stage-join-radius - Corner radius of buttons and the preview.
 */
export class OnAirStageJoinElement extends OnAirElementBase {
  static override styles = stageJoinStyles;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    userId: { type: String, attribute: 'user-id' },
    quality: { type: String },
    store: { attribute: false },
    publisher: { attribute: false },
  };

  /** Its strings: `stageMessages` and the few of the main catalog it shares. */
  protected static override english = stageEnglish;

  /** The live stream. */
  declare streamId: string | undefined;
  /** The signed-in user's id (the `sub` of their token). */
  declare userId: string | undefined;
  /** Capture quality when joining. Default `480p`. */
  declare quality: QualityName;
  /** A stage store to use instead of creating one. */
  declare store: StageJoinStoreLike | undefined;
  /** A publisher to use instead of creating one on joining. */
  declare publisher: PublisherControls | undefined;

  private readonly state = new StoreController<StageState, StageJoinStoreLike>(this);
  private readonly sending = new StoreController<PublisherState, PublisherControls>(this);
  private busy = false;
  private error: OnAirError | null = null;
  private readonly mic = new MicMeter(this);

  constructor() {
    super();
    this.quality = '480p';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('userId') && !changed.has('store') && !this.store) {
      // The store's view of "me" comes from the user id: a new id needs a new store.
      this.state.setStore(this.createStore());
    }
    this.state.follow(changed, this.store, () => this.createStore());
    if (changed.has('publisher')) this.sending.setStore(this.publisher);
  }

  private createStore(): StageJoinStoreLike | undefined {
    return this.client && this.streamId
      ? new StageStore(this.client, this.streamId, { userId: this.userId ?? null })
      : undefined;
  }

  /** Where the viewer is now (also `data-step`). */
  get step(): StageJoinStep {
    const stage = this.state.value;
    const sent = this.sending.value?.status;
    if (sent === 'live' || sent === 'reconnecting') return 'on-stage';
    if (sent === 'connecting') return 'joining';
    if (stage?.status !== 'ready' || !this.userId || stage.myRole === 'host') {
      return 'unavailable';
    }
    if (stage.onStage) return 'invited';
    return stage.handRaised ? 'hand-raised' : 'idle';
  }

  protected override updated(): void {
    const step = this.step;
    this.dataset.step = step;
    // Taken off the stage while publishing: stop sending (the server closed it already).
    const stage = this.state.value;
    const sent = this.sending.value?.status;
    if (stage?.status === 'ready' && !stage.onStage && (sent === 'live' || sent === 'failed')) {
      void this.stopPublishing();
    }
    // The meter follows the preview's microphone while the devices are checked.
    const microphone =
      step === 'invited' ? this.sending.value?.mediaStream?.getAudioTracks()[0] : undefined;
    this.mic.follow(microphone);
  }

  private async act(work: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    this.error = null;
    this.requestUpdate();
    try {
      await work();
    } catch (error) {
      this.error = OnAirError.from(error);
    } finally {
      this.busy = false;
      this.requestUpdate();
    }
  }

  private ensurePublisher(): PublisherControls | undefined {
    if (!this.sending.current && this.client && this.streamId) {
      this.sending.setStore(
        new Publisher(this.client, { streamId: this.streamId, quality: this.quality }),
      );
    }
    return this.sending.current;
  }

  private async stopPublishing(): Promise<void> {
    const publisher = this.sending.current;
    this.sending.setStore(this.publisher);
    await publisher?.stop();
  }

  private readonly raise = () =>
    this.act(() => this.state.current?.raiseHand() ?? Promise.resolve());
  private readonly lower = () =>
    this.act(() => this.state.current?.lowerHand() ?? Promise.resolve());
  private readonly join = () =>
    this.act(async () => {
      await this.ensurePublisher()?.publish();
      const failed = this.sending.value?.error;
      if (this.sending.value?.status === 'failed' && failed) throw failed;
    });
  private readonly leave = () =>
    this.act(async () => {
      await this.stopPublishing();
      await this.state.current?.leave();
    });

  /** Camera and microphone pickers, once the preview has listed the devices. */
  private renderDevices() {
    const s = this.sending.value;
    const publisher = this.sending.current;
    if (!s || !publisher) return nothing;
    return html`<div part="devices">
      ${deviceMenu({
        id: 'camera',
        label: this.t('camera'),
        devices: s.cameras,
        current: s.cameraId,
        disabled: this.busy,
        choose: (id) => void this.act(() => publisher.setCamera(id)),
      })}
      ${deviceMenu({
        id: 'microphone',
        label: this.t('microphone'),
        devices: s.microphones,
        current: s.microphoneId,
        disabled: this.busy,
        choose: (id) => void this.act(() => publisher.setMicrophone(id)),
      })}
    </div>`;
  }

  override render() {
    const step = this.step;
    const preview = this.sending.value?.mediaStream;
    const alert = this.error
      ? html`<p class="alert" role="alert" data-code=${this.error.code}>${this.error.message}</p>`
      : nothing;
    switch (step) {
      case 'unavailable':
        return alert;
      case 'idle':
        return html`<button class="primary" ?disabled=${this.busy} @click=${this.raise}>
            ${this.t('stageRaiseHand')}
          </button>
          ${alert}`;
      case 'hand-raised':
        return html`<p class="note" role="status">${this.t('stageHandRaised')}</p>
          <button ?disabled=${this.busy} @click=${this.lower}>${this.t('stageLowerHand')}</button>
          ${alert}`;
      case 'invited':
        return html`<p class="note" role="status">${this.t('stageInvited')}</p>
          ${
            preview
              ? html`<video
                    part="preview"
                    .srcObject=${preview}
                    .muted=${true}
                    muted
                    autoplay
                    playsinline
                  ></video>
                  <meter
                    part="meter"
                    min="0"
                    max="1"
                    .value=${this.mic.level}
                    aria-label=${this.t('microphone')}
                  ></meter>
                  ${this.renderDevices()}`
              : html`<button ?disabled=${this.busy} @click=${() => this.act(async () => this.ensurePublisher()?.preview())}>
                  ${this.t('stageCheckDevices')}
                </button>`
          }
          <div class="actions">
            <button class="primary" ?disabled=${this.busy} @click=${this.join}>
              ${this.t('stageJoin')}
            </button>
            <button ?disabled=${this.busy} @click=${this.leave}>${this.t('notNow')}</button>
          </div>
          ${alert}`;
      default:
        return html`<p class="note" role="status">
            ${step === 'joining' ? this.t('connecting') : this.t('stageOnStage')}
          </p>
          <button ?disabled=${this.busy} @click=${this.leave}>${this.t('stageLeave')}</button>
          ${alert}`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-stage-join': OnAirStageJoinElement;
  }
}

/** Registers `<onair-stage-join>`. */
export function defineStageJoin(): void {
  defineElement('onair-stage-join', OnAirStageJoinElement);
}
