import { type StreamListState, StreamListStore } from '@onair/core';
import { html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { StoreController } from '../internal/store-controller.js';
import { defineStreamCard } from '../stream-card/stream-card.component.js';
import { streamListStyles } from './stream-list.styles.js';

/**
 * A grid of stream cards: live (default), scheduled or past streams,
 * optionally of one channel, category or `external-id`, matching words (`q`: title,
 * description, category, tags, channel), a `tag`, or the channels the
 * signed-in user follows; live streams newest first, or the most watched
 * first (`sort="viewers"`). It stays current over realtime (no polling) and
 * loads more on demand. With `search`, a bar above the grid lets viewers
 * type words (searched 300 ms after they stop), pick live, most watched,
 * upcoming or past, and keep to the channels they follow. Cards emit `onair-stream-select`.
 * Under each scheduled card it puts `<onair-remind-button>` ("Remind me"), which it does
 * not load (not every page listing streams should carry it): a page that imports
 * `@onair/elements/remind-button` has it.
 *
 * @csspart search - The search bar (with `search`).
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
    externalId: { type: String, attribute: 'external-id' },
    q: { type: String },
    tag: { type: String },
    following: { type: Boolean },
    sort: { type: String },
    search: { type: Boolean },
    limit: { type: Number },
  };

  /** `live`, `scheduled` or `past`. */
  declare status: 'live' | 'scheduled' | 'past';
  /** Only this channel's streams. */
  declare channel: string | undefined;
  /** Only this category. */
  declare category: string | undefined;
  /** Only the streams with this `externalId` (a host app's id: a course lesson, a chat channel). */
  declare externalId: string | undefined;
  /** Words to find (at most 100 characters; each word, or a word it begins). */
  declare q: string | undefined;
  /** Only streams with this tag. */
  declare tag: string | undefined;
  /** Only the channels the signed-in user follows. */
  declare following: boolean;
  /**
   * `viewers`: live streams ranked by how many watch them (with
   * `status="live"` only; other lists ignore it), as counted when the list
   * loads: it is not re-ranked while counts change. Default: the newest first.
   */
  declare sort: 'recent' | 'viewers' | undefined;
  /** Shows the search bar. */
  declare search: boolean;
  /** Page size (1–100). */
  declare limit: number;
  #typing: ReturnType<typeof setTimeout> | undefined;

  readonly #state = new StoreController<StreamListState>(this);
  #store: StreamListStore | undefined;

  constructor() {
    super();
    this.status = 'live';
    this.limit = 20;
    defineStreamCard();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const keys = [
      'client',
      'status',
      'channel',
      'category',
      'externalId',
      'q',
      'tag',
      'following',
      'sort',
      'limit',
    ] as const;
    if (keys.some((k) => changed.has(k))) {
      const { channel, category, externalId, q, tag } = this;
      this.#store = this.client
        ? new StreamListStore(this.client, {
            status: this.status,
            limit: this.limit,
            ...(channel ? { channel } : {}),
            ...(category ? { category } : {}),
            ...(externalId ? { externalId } : {}),
            ...(q ? { q } : {}),
            ...(tag ? { tag } : {}),
            ...(this.following ? { following: 'true' } : {}),
            sort: this.status === 'live' ? this.sort : undefined,
          })
        : undefined;
      this.#state.setStore(this.#store);
    }
  }

  protected override updated(): void {
    const s = this.#state.value;
    this.dataset.state = s?.status ?? 'idle';
    this.dataset.count = String(s?.streams.length ?? 0);
  }

  /** The list picked: `popular` is the live streams ranked by viewers. */
  #choose(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    const popular = value === 'popular';
    this.sort = popular ? 'viewers' : undefined;
    this.status = popular ? 'live' : (value as 'live');
  }

  #bar() {
    const picked = this.sort === 'viewers' && this.status === 'live' ? 'popular' : this.status;
    const typed = (event: Event) => {
      clearTimeout(this.#typing);
      const words = (event.target as HTMLInputElement).value.trim();
      this.#typing = setTimeout(() => {
        this.q = words || undefined;
      }, 300);
    };
    return html`<div part="search" class="search" role="search">
      <input type="search" maxlength="100" aria-label=${this.t('searchStreams')} placeholder=${this.t('searchStreams')} .value=${this.q ?? ''} @input=${typed} />
      <select aria-label=${this.t('streams')} @change=${this.#choose}>
        ${(['live', 'popular', 'scheduled', 'past'] as const).map((v) => html`<option value=${v} ?selected=${picked === v}>${this.t(`${v}Streams`)}</option>`)}
      </select>
      <label><input type="checkbox" ?checked=${this.following} @change=${(e: Event) => (this.following = (e.target as HTMLInputElement).checked)} />${this.t('followingOnly')}</label>
    </div>`;
  }

  override render() {
    const s = this.#state.value;
    if (!s) return nothing;
    return html`${this.search ? this.#bar() : nothing}${this.#results(s)}`;
  }

  #results(s: StreamListState) {
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
            html`<li><onair-stream-card .client=${this.client} .stream=${stream}></onair-stream-card>${stream.status === 'scheduled' ? html`<onair-remind-button .client=${this.client} .stream=${stream}></onair-remind-button>` : nothing}</li>`,
        )}
      </ul>
      ${
        s.hasMore
          ? html`<div part="more" class="more">
              <button ?disabled=${s.loadingMore} @click=${() => this.#store?.loadMore()}>${this.t('loadMore')}</button>
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
