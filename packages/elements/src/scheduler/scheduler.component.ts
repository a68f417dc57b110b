import { OnAirError } from '@onair/core';
import type { CreatedStream, StreamPrivacy } from '@onair/protocol';
import { html, nothing } from 'lit';
import {
  chosenImage,
  fromLocalInput,
  IMAGE_TYPES,
  invalidFields,
  PRIVACY_OPTIONS,
  parseTags,
  tierField,
} from '../internal/forms.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { schedulerStyles } from './scheduler.styles.js';

/**
 * Creates a stream now or schedules it for later. After creation it shows
 * the stream key once (for encoders such as OBS).
 *
 * @event onair-stream-created - A stream was created. Detail: the stream and its one-time key.
 * @csspart form - The form.
 * @csspart key - The one-time stream key panel.
 * @cssproperty --onair-form-accent - Buttons and focus.
 * @cssproperty --onair-form-error - Errors.
 */
export class OnAirSchedulerElement extends OnAirElement {
  static override styles = schedulerStyles;
  static override properties = {};

  #busy = false;
  #error: OnAirError | null = null;
  #created: CreatedStream | null = null;
  /** The privacy picked: a `subscribers` stream asks for its minimum tier. */
  #privacy: StreamPrivacy = 'public';

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.client || this.#busy) return;
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '');
    this.#busy = true;
    this.#error = null;
    this.requestUpdate();
    try {
      const category = text('category').trim();
      const created = await this.client.streams.create({
        title: text('title'),
        description: text('description'),
        category: category || null,
        tags: parseTags(text('tags')),
        privacy: text('privacy') as StreamPrivacy,
        minTier: Number(text('minTier') || 1),
        scheduledAt: fromLocalInput(text('scheduledAt')),
      });
      // Kept at once: its key is shown once, even if the image fails.
      this.#created = created;
      const image = chosenImage(data);
      if (image) {
        const stream = await this.client.streams.uploadThumbnail(created.stream.id, image);
        this.#created = { ...created, stream };
      }
      this.dataset.state = 'created';
      this.emit('onair-stream-created', this.#created);
    } catch (error) {
      this.#error = OnAirError.from(error);
      this.dataset.state = 'error';
    } finally {
      this.#busy = false;
      this.requestUpdate();
    }
  }

  #pickPrivacy(event: Event): void {
    this.#privacy = (event.target as HTMLSelectElement).value as StreamPrivacy;
    this.requestUpdate();
  }

  /** Clears the form for another stream. */
  reset(): void {
    this.#created = null;
    this.#error = null;
    this.#privacy = 'public';
    delete this.dataset.state;
    this.requestUpdate();
  }

  override render() {
    if (this.#created) {
      return html`
        <div part="key" class="key" role="status">
          <strong>${this.t('created')}: ${this.#created.stream.title}</strong>
          <label>
            ${this.t('streamKey')}
            <input readonly .value=${this.#created.streamKey} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
          </label>
          <small>${this.t('keyShownOnce')}</small>
          ${this.#error ? html`<div class="error" role="alert">${this.#error.message}</div>` : nothing}
          <div class="row"><button class="secondary" @click=${() => this.reset()}>${this.t('scheduler')}</button></div>
        </div>
      `;
    }
    const invalid = invalidFields(this.#error);
    return html`
      <form part="form" aria-label=${this.t('scheduler')} @submit=${this.#onSubmit}>
        <label>
          ${this.t('title')}
          <input name="title" required maxlength="140" aria-invalid=${invalid.has('title')} />
        </label>
        <label>
          ${this.t('description')}
          <textarea name="description" rows="3" maxlength="5000"></textarea>
        </label>
        <div class="row">
          <label>
            ${this.t('category')}
            <input name="category" maxlength="60" aria-invalid=${invalid.has('category')} />
          </label>
          <label>
            ${this.t('tags')}
            <input name="tags" aria-invalid=${invalid.has('tags')} />
          </label>
        </div>
        <div class="row">
          <label>
            ${this.t('privacy')}
            <select name="privacy" @change=${this.#pickPrivacy}>
              ${PRIVACY_OPTIONS.map(([value, key]) => html`<option value=${value}>${this.t(key)}</option>`)}
            </select>
          </label>
          ${tierField(this.t('minTier'), this.#privacy, 1, invalid.has('minTier'))}
          <label>
            ${this.t('startsAt')}
            <input name="scheduledAt" type="datetime-local" aria-invalid=${invalid.has('scheduledAt')} />
          </label>
        </div>
        <label>
          ${this.t('thumbnail')}
          <input name="thumbnail" type="file" accept=${IMAGE_TYPES} />
        </label>
        ${this.#error ? html`<div class="error" role="alert" data-code=${this.#error.code}>${this.#error.message}</div>` : nothing}
        <div class="row"><button type="submit" ?disabled=${this.#busy || !this.client}>${this.t('create')}</button></div>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-scheduler': OnAirSchedulerElement;
  }
}

/** Registers `<onair-scheduler>`. */
export function defineScheduler(): void {
  defineElement('onair-scheduler', OnAirSchedulerElement);
}
