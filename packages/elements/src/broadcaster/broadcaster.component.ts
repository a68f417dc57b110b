import { type OnAirClient, OnAirError, Publisher, type PublisherState } from '@onair/core';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { defineElement, emit } from '../internal/events.js';
import { type MessageKey, translate } from '../internal/i18n.js';
import { StoreController } from '../internal/store-controller.js';
import { broadcasterStyles } from './broadcaster.styles.js';

/** Detail of `onair-broadcaster-status`. */
export interface BroadcasterStatusDetail {
  status: PublisherState['status'];
  error: OnAirError | null;
}

/**
 * Camera preview and go-live controls for a stream's owner.
 *
 * Needs `client` (signed in as the owner) and `stream-id`. "Go live" starts the
 * stream if it is scheduled, then publishes camera and microphone; "End
 * stream" asks for confirmation (unless `no-confirm`) and ends it.
 *
 * @event onair-broadcaster-status - Publishing status changed. Detail: {@link BroadcasterStatusDetail}.
 * @csspart preview - The camera preview `<video>`.
 * @csspart controls - The button bar.
 * @csspart error - The error message.
 * @cssproperty --onair-broadcaster-accent - Go-live button and live label colour.
 * @cssproperty --onair-broadcaster-background - Background colour.
 * @cssproperty --onair-broadcaster-foreground - Text colour.
 * @cssproperty --onair-broadcaster-radius - Corner radius.
 */
export class OnAirBroadcasterElement extends LitElement {
  static override styles = broadcasterStyles;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    client: { attribute: false },
    noConfirm: { type: Boolean, attribute: 'no-confirm' },
    simulcast: { type: Boolean },
  };

  /** Stream to publish to. */
  declare streamId: string | undefined;
  /** The OnAir client, signed in as the stream's owner. */
  declare client: OnAirClient | undefined;
  /** Skip the confirmation before ending. */
  declare noConfirm: boolean;
  /** Send three simulcast layers for real-time viewers on slow links (set before going live). */
  declare simulcast: boolean;

  private readonly state = new StoreController<PublisherState>(this);
  private publisher: Publisher | undefined;
  private actionError: OnAirError | null = null;
  private busy = false;
  private lastStatus: string | undefined;

  constructor() {
    super();
    this.noConfirm = false;
    this.simulcast = false;
  }

  private t(key: MessageKey) {
    return translate(this, key);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') || changed.has('streamId') || changed.has('simulcast')) {
      this.publisher?.destroy();
      this.publisher =
        this.client && this.streamId
          ? new Publisher(this.client, { streamId: this.streamId, simulcast: this.simulcast })
          : undefined;
      this.state.setStore(this.publisher);
    }
  }

  protected override updated(): void {
    const snapshot = this.state.value;
    const status = snapshot?.status ?? 'idle';
    this.dataset.status = status;
    const video = this.renderRoot.querySelector('video');
    const mediaStream = snapshot?.mediaStream ?? null;
    if (video && video.srcObject !== mediaStream) {
      video.srcObject = mediaStream;
      if (mediaStream) void video.play().catch(() => undefined);
    }
    if (status !== this.lastStatus) {
      this.lastStatus = status;
      emit<BroadcasterStatusDetail>(this, 'onair-broadcaster-status', {
        status,
        error: snapshot?.error ?? null,
      });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.publisher?.destroy();
    this.publisher = undefined;
    this.state.setStore(undefined);
  }

  private async run(action: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    this.actionError = null;
    this.requestUpdate();
    try {
      await action();
    } catch (error) {
      this.actionError = OnAirError.from(error);
    } finally {
      this.busy = false;
      this.requestUpdate();
    }
  }

  /** Opens the camera preview. */
  preview(): Promise<void> {
    return this.run(async () => this.publisher?.preview());
  }

  /** Starts the stream if needed, then publishes. */
  goLive(): Promise<void> {
    return this.run(async () => {
      const { client, streamId, publisher } = this;
      if (!client || !streamId || !publisher) return;
      const stream = await client.streams.get(streamId);
      if (stream.status === 'scheduled') await client.streams.start(streamId);
      await publisher.publish();
    });
  }

  /** Ends the stream for everyone. */
  end(): Promise<void> {
    if (!this.noConfirm && !globalThis.confirm?.(this.t('confirmEnd'))) return Promise.resolve();
    return this.run(async () => {
      await this.publisher?.stop();
      if (this.client && this.streamId) await this.client.streams.end(this.streamId);
    });
  }

  override render() {
    const s = this.state.value;
    const status = s?.status ?? 'idle';
    const error = this.actionError ?? s?.error ?? null;
    const label: Record<typeof status, MessageKey> = {
      idle: 'broadcaster',
      previewing: 'cameraPreview',
      connecting: 'connecting',
      live: 'onAir',
      ended: 'ended',
      failed: 'broadcaster',
    };
    return html`
      <section aria-label=${this.t('broadcaster')}>
        <video part="preview" muted playsinline aria-label=${this.t('cameraPreview')}></video>
        <div part="controls" class="bar">
          <span class="status" role="status" ?data-live=${status === 'live'}>
            ${this.t(label[status])}
          </span>
          ${
            status === 'idle' || status === 'failed'
              ? html`<button ?disabled=${this.busy} @click=${() => this.preview()}>
                  ${this.t('preview')}
                </button>`
              : nothing
          }
          ${
            status !== 'live' && status !== 'ended'
              ? html`<button
                  class="primary"
                  ?disabled=${this.busy || status === 'connecting'}
                  @click=${() => this.goLive()}
                >
                  ${this.t('goLive')}
                </button>`
              : nothing
          }
          ${
            status === 'live'
              ? html`<button class="primary" ?disabled=${this.busy} @click=${() => this.end()}>
                  ${this.t('endStream')}
                </button>`
              : nothing
          }
        </div>
        ${
          error
            ? html`<div part="error" class="error" role="alert" data-code=${error.code}>
                ${error.message}
              </div>`
            : nothing
        }
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-broadcaster': OnAirBroadcasterElement;
  }
  interface GlobalEventHandlersEventMap {
    'onair-broadcaster-status': CustomEvent<BroadcasterStatusDetail>;
  }
}

/** Registers `<onair-broadcaster>`. */
export function defineBroadcaster(): void {
  defineElement('onair-broadcaster', OnAirBroadcasterElement);
}
