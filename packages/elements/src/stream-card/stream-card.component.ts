import type { Stream } from '@onair/protocol';
import { html, nothing } from 'lit';
import { formatDateTime } from '../internal/i18n.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { streamCardStyles } from './stream-card.styles.js';

/**
 * One stream in a list: thumbnail (the host's image, else OnAir's poster
 * of the stream, resolved against the `client`'s server), live badge and viewer count, title,
 * channel, category and tags; the scheduled or end time in the viewer's
 * locale. The title is the card's button: a click anywhere on the card, or Enter or Space
 * on the title, emits `onair-stream-select`; screen readers read the card as an article.
 *
 * @event onair-stream-select - The card was activated. Detail: {@link StreamSelectDetail}.
 * @csspart card - The card.
 * @csspart thumbnail - The thumbnail area.
 * @csspart title - The title, the card's button.
 * @cssproperty --onair-card-background - Card background.
 * @cssproperty --onair-card-foreground - Text colour.
 * @cssproperty --onair-card-muted - Secondary text colour.
 * @cssproperty --onair-card-accent - Live badge and focus colour.
 * @cssproperty --onair-card-radius - Corner radius.
 * @cssproperty --onair-card-placeholder - What fills the picture without a thumbnail (a background: a colour or a gradient, purple by default).
 */
export class OnAirStreamCardElement extends OnAirElement {
  static override styles = streamCardStyles;
  static override properties = {
    stream: { attribute: false },
    viewerCount: { type: Number, attribute: 'viewer-count' },
  };

  /** The stream to show. */
  declare stream: Stream | undefined;
  /** Current viewers; defaults to the stream's own `viewerCount`. */
  declare viewerCount: number | undefined;

  protected override updated(): void {
    if (this.stream) this.dataset.status = this.stream.status;
  }

  #select = () => {
    if (this.stream) this.emit('onair-stream-select', { stream: this.stream });
  };

  #when(stream: Stream): string {
    if (stream.status === 'scheduled' && stream.scheduledAt) {
      return this.t('scheduledFor', { time: formatDateTime(this, stream.scheduledAt) });
    }
    if (stream.status === 'ended' && stream.endedAt) {
      return this.t('endedAt', { time: formatDateTime(this, stream.endedAt) });
    }
    if (stream.status === 'cancelled') return this.t('cancelled');
    return '';
  }

  override render() {
    const stream = this.stream;
    if (!stream) return nothing;
    const live = stream.status === 'live';
    const when = this.#when(stream);
    const viewers = this.viewerCount ?? stream.viewerCount ?? undefined;
    return html`
      <article part="card">
        <div part="thumbnail" class="thumb">
          ${
            stream.thumbnailUrl
              ? html`<img src=${this.client?.resolveUrl(stream.thumbnailUrl) ?? stream.thumbnailUrl} alt="" loading="lazy" />`
              : nothing
          }
          ${live ? html`<span class="badge">${this.t('live')}</span>` : nothing}
          ${
            live && viewers !== undefined
              ? html`<span class="viewers">${this.t('watching', { count: viewers })}</span>`
              : nothing
          }
        </div>
        <div class="body">
          <h3><button part="title" title=${stream.title} @click=${this.#select}>${stream.title}</button></h3>
          <div class="meta">
            ${stream.owner.displayName}${stream.category ? html` · ${stream.category}` : nothing}
          </div>
          ${when ? html`<div class="meta when">${when}</div>` : nothing}
          ${stream.recordingUrl ? html`<div class="meta">${this.t('recording')}</div>` : nothing}
          ${
            stream.tags.length
              ? html`<div class="tags">${stream.tags.map((tag) => html`<span class="tag">${tag}</span>`)}</div>`
              : nothing
          }
        </div>
      </article>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-stream-card': OnAirStreamCardElement;
  }
}

/** Registers `<onair-stream-card>`. */
export function defineStreamCard(): void {
  defineElement('onair-stream-card', OnAirStreamCardElement);
}
