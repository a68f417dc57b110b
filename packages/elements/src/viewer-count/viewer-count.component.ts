import { OnAirError, type PresenceState, PresenceStore } from '@onair/core';
import type { ViewerList } from '@onair/protocol';
import { html, nothing, type PropertyValues } from 'lit';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { StoreController } from '../internal/store-controller.js';
import { viewerCountStyles } from './viewer-count.styles.js';

/** What `<onair-viewer-count>` needs from a presence store (a core `PresenceStore` or a mock). */
export interface PresenceStoreLike {
  subscribe(listener: (state: PresenceState) => void): () => void;
  getSnapshot(): PresenceState;
  loadViewers?(): Promise<ViewerList>;
}

/**
 * How many watch a stream now (signed-in viewers once each, plus anonymous
 * ones), optionally the peak, and for the owner and moderators
 * (`can-moderate`) the list of signed-in viewers. Once the stream is over
 * (ended or cancelled) the element hides itself (`data-ended`).
 *
 * @csspart count - The live count.
 * @csspart list - The viewer list.
 * @cssproperty --onair-viewer-count-foreground - Text colour (default: inherited from the page).
 * @cssproperty --onair-viewer-count-dot - Colour of the live dot.
 * @cssproperty --onair-viewer-count-muted - Colour of the peak, and of the anonymous count and errors under the list.
 */
export class OnAirViewerCountElement extends OnAirElement {
  static override styles = viewerCountStyles;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    store: { attribute: false },
    showPeak: { type: Boolean, attribute: 'show-peak' },
    canModerate: { type: Boolean, attribute: 'can-moderate' },
  };

  /** Stream to count. */
  declare streamId: string | undefined;
  /** A presence store to use instead of creating one. */
  declare store: PresenceStoreLike | undefined;
  /** Show the peak next to the count. */
  declare showPeak: boolean;
  /** Offer the viewer list (the server checks again). */
  declare canModerate: boolean;

  readonly #state = new StoreController<PresenceState, PresenceStoreLike>(this);
  #error: OnAirError | null = null;
  #listOpen = false;

  constructor() {
    super();
    this.showPeak = false;
    this.canModerate = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#state.follow(changed, this.store, () =>
      this.client && this.streamId ? new PresenceStore(this.client, this.streamId) : undefined,
    );
  }

  protected override updated(): void {
    this.dataset.count = String(this.#state.value?.count ?? 0);
    // Once the stream is over nobody watches live: the count goes.
    this.toggleAttribute('data-ended', this.#state.value?.ended === true);
  }

  async #toggleList(): Promise<void> {
    this.#listOpen = !this.#listOpen;
    this.#error = null;
    if (this.#listOpen) {
      try {
        await this.#state.current?.loadViewers?.();
      } catch (error) {
        this.#error = OnAirError.from(error);
      }
    }
    this.requestUpdate();
  }

  override render() {
    const s = this.#state.value;
    const viewers = s?.viewers;
    return html`
      <span part="count" class="count" role="status" aria-live="polite">
        ${this.t('viewers', { count: s?.count ?? 0 })}
        ${this.showPeak ? html`<span class="peak">(${this.t('peakViewers', { count: s?.peak ?? 0 })})</span>` : nothing}
      </span>
      ${
        this.canModerate
          ? html`<button aria-expanded=${this.#listOpen ? 'true' : 'false'} @click=${this.#toggleList}>${this.t('showViewers')}</button>`
          : nothing
      }
      ${
        this.#listOpen && viewers
          ? html`<ul part="list" aria-label=${this.t('showViewers')}>
              ${viewers.viewers.map((v) => html`<li data-id=${v.id}>${v.displayName}</li>`)}
            </ul>
            ${viewers.anonymous ? html`<span class="anon">${this.t('anonymousViewers', { count: viewers.anonymous })}</span>` : nothing}`
          : nothing
      }
      ${this.#error ? html`<span class="anon" role="alert">${this.#error.message}</span>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-viewer-count': OnAirViewerCountElement;
  }
}

/** Registers `<onair-viewer-count>`. */
export function defineViewerCount(): void {
  defineElement('onair-viewer-count', OnAirViewerCountElement);
}
