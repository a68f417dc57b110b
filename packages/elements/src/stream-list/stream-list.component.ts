import { type StreamListState, StreamListStore } from '@onair/core';
import { html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { StoreController } from '../internal/store-controller.js';
import { defineStreamCard } from '../stream-card/stream-card.component.js';
import { streamListStyles } from './stream-list.styles.js';

/**
 * A grid of stream cards: live (default), scheduled or past streams,
 * optionally of one channel or category. It stays current over realtime
 * (no polling) and loads more on demand. Cards emit `onair-stream-select`.
 *
 * @csspart list - The grid.
 * @csspart more - The "load more" area.
 * @cssproperty --onair-list-min-card-width - Narrowest card before the grid wraps.
 * @cssproperty --onair-list-gap - Space between cards.
 */
export class OnAirStreamListElement extends OnAirElement {
  static override styles = streamListStyles;
  static override properties = {
    status: { type: String, reflect: true },
    channel: { type: String },
    category: { type: String },
    limit: { type: Number },
  };

  /** `live`, `scheduled` or `past`. */
  declare status: 'live' | 'scheduled' | 'past';
  /** Only this channel's streams. */
  declare channel: string | undefined;
  /** Only this category. */
  declare category: string | undefined;
  /** Page size (1–100). */
  declare limit: number;

  private readonly state = new StoreController<StreamListState>(this);
  private store: StreamListStore | undefined;

  constructor() {
    super();
    this.status = 'live';
    this.limit = 20;
    defineStreamCard();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const keys = ['client', 'status', 'channel', 'category', 'limit'] as const;
    if (keys.some((k) => changed.has(k))) {
      this.store = this.client
        ? new StreamListStore(this.client, {
            status: this.status,
            limit: this.limit,
            ...(this.channel ? { channel: this.channel } : {}),
            ...(this.category ? { category: this.category } : {}),
          })
        : undefined;
      this.state.setStore(this.store);
    }
  }

  protected override updated(): void {
    const s = this.state.value;
    this.dataset.state = s?.status ?? 'idle';
    this.dataset.count = String(s?.streams.length ?? 0);
  }

  override render() {
    const s = this.state.value;
    if (!s) return nothing;
    if (s.status === 'error' && s.streams.length === 0) {
      return html`<div class="error" role="alert" data-code=${s.error?.code ?? ''}>${s.error?.message}</div>`;
    }
    if (s.status === 'success' && s.streams.length === 0) {
      return html`<div class="empty">${this.t('noStreams')}</div>`;
    }
    return html`
      <ul part="list" aria-label=${this.t('streams')} aria-busy=${s.status === 'pending' ? 'true' : 'false'}>
        ${repeat(
          s.streams,
          (stream) => stream.id,
          (stream) =>
            html`<li><onair-stream-card .client=${this.client} .stream=${stream}></onair-stream-card></li>`,
        )}
      </ul>
      ${
        s.hasMore
          ? html`<div part="more" class="more">
              <button ?disabled=${s.loadingMore} @click=${() => this.store?.loadMore()}>${this.t('loadMore')}</button>
            </div>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-stream-list': OnAirStreamListElement;
  }
}

/** Registers `<onair-stream-list>` (and the cards it shows). */
export function defineStreamList(): void {
  defineStreamCard();
  defineElement('onair-stream-list', OnAirStreamListElement);
}
