import { OnAirError } from '@onair/core';
import { ReplayApi } from '@onair/core/replay';
import type { Chapter } from '@onair/protocol';
import { css, html, nothing, type PropertyValues } from 'lit';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import type { ReplayMessageKey } from './replay-messages.js';
import { translateReplay } from './replay-text.js';

/** What the button shows: the button alone, the form, a marker being set, the one set, or why not. */
type ChapterButtonState =
  | { status: 'idle' }
  | { status: 'open' }
  | { status: 'saving' }
  | { status: 'saved'; chapter: Chapter }
  | { status: 'error'; error: OnAirError };

/** The errors the staff can act on, in their words; any other shows the server's message. */
const FRIENDLY: Partial<Record<OnAirError['code'], ReplayMessageKey>> = {
  FORBIDDEN: 'forbidden',
  STREAM_NOT_LIVE: 'notLive',
  UNAUTHORIZED: 'signIn',
};

/** How long the title of the chapter just set stays shown, ms. */
const SAVED_MS = 4_000;
const IDLE: ChapterButtonState = { status: 'idle' };

/**
 * "Add chapter" for the stream's owner and moderators while it is live: a
 * button that opens a small form (a title, at most 100 characters) and sets
 * a chapter marker at the live moment; the replay shows it as a chapter
 * (`<onair-chat-replay>`). The title set shows for a few seconds; a refusal
 * shows why (not staff, not live). Renders nothing without a `client` and a
 * `stream-id`, nor once the stream is known not to be live. Show it to the
 * staff only: the server refuses anyone else. The host carries `data-state`:
 * `idle`, `open`, `saving`, `saved` or `error`.
 *
 * @event onair-chapter-created - A chapter marker was set. Detail: `{ chapter }`.
 * @csspart button - The "Add chapter" button.
 * @csspart form - The title form.
 * @csspart input - The title input.
 * @csspart status - The live status ("Chapter added: …").
 * @csspart error - Why the chapter was not set.
 * @cssproperty --onair-chapter-accent - The buttons' colour.
 */
export class OnAirChapterButtonElement extends OnAirElement {
  static override styles = css`
    :host {
      --onair-chapter-accent: var(--_brand);
      display: inline-flex;
      flex-wrap: wrap;
      align-items: center;
      gap: calc(var(--_s) * 1.6);
      font: 14px/1.4 var(--_font);
    }
    :host([hidden]) {
      display: none;
    }
    button {
      font: inherit;
      border: 1px solid var(--onair-chapter-accent);
      border-radius: calc(var(--_r) / 2);
      padding: calc(var(--_s) * 1.2) calc(var(--_s) * 2.8);
      background: var(--onair-chapter-accent);
      color: var(--_on-brand);
      cursor: pointer;
    }
    button[type='button'][data-secondary] {
      background: none;
      color: var(--onair-chapter-accent);
    }
    button[aria-disabled='true'] {
      opacity: 0.6;
      cursor: default;
    }
    form {
      display: inline-flex;
      gap: calc(var(--_s) * 1.2);
    }
    input {
      font: inherit;
      padding: calc(var(--_s) * 1.2) calc(var(--_s) * 2);
      border: 1px solid var(--_field);
      border-radius: calc(var(--_r) / 2);
    }
    [part='status'] {
      color: var(--_ok);
    }
    [part='error'] {
      color: var(--_danger);
    }
  `;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
  };

  /** The live stream to mark. */
  declare streamId: string | undefined;

  #state: ChapterButtonState = IDLE;
  /** Whether the stream is live (null until known). */
  #live: boolean | null = null;
  /** Which request may still change the state: one for an earlier stream or client may not. */
  #generation = 0;
  #hideSaved: ReturnType<typeof setTimeout> | undefined;
  /** The form just opened: its input takes the focus once rendered. */
  #focusInput = false;

  #text(key: ReplayMessageKey, vars?: Record<string, string | number>): string {
    return translateReplay(this, key, vars);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('streamId') && !changed.has('client')) return;
    const generation = ++this.#generation;
    this.#state = IDLE;
    this.#live = null;
    const { client, streamId } = this;
    if (!client || !streamId) return;
    client.streams.get(streamId).then(
      (stream) => {
        if (generation !== this.#generation) return;
        this.#live = stream.status === 'live';
        this.requestUpdate();
      },
      // Unknown: the button shows, and marking says what is wrong.
      () => undefined,
    );
  }

  protected override updated(): void {
    this.dataset.state = this.#state.status;
    if (this.#focusInput) this.renderRoot.querySelector<HTMLInputElement>('input')?.focus();
    this.#focusInput = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#hideSaved);
  }

  #setState(state: ChapterButtonState): void {
    clearTimeout(this.#hideSaved);
    this.#focusInput = state.status === 'open' && this.#state.status !== 'open';
    this.#state = state;
    this.requestUpdate();
    if (state.status === 'saved') {
      this.#hideSaved = setTimeout(() => this.#setState(IDLE), SAVED_MS);
    }
  }

  #close(): void {
    this.#setState(IDLE);
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLButtonElement>('[part="button"]')?.focus(),
    );
  }

  async #mark(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const { client, streamId } = this;
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem(
      'title',
    ) as HTMLInputElement;
    const title = input.value.trim();
    if (!client || !streamId || !title || this.#state.status === 'saving') return;
    const generation = this.#generation;
    this.#setState({ status: 'saving' });
    try {
      const chapter = await new ReplayApi(client).mark(streamId, title);
      if (generation !== this.#generation) return;
      this.#setState({ status: 'saved', chapter });
      this.emit('onair-chapter-created', { chapter });
    } catch (error) {
      if (generation !== this.#generation) return;
      const typed = OnAirError.from(error);
      if (typed.code === 'STREAM_NOT_LIVE') this.#live = false;
      this.#setState({ status: 'error', error: typed });
    }
  }

  override render() {
    const { client, streamId } = this;
    const state = this.#state;
    if (!client || !streamId) return nothing;
    const error =
      state.status === 'error'
        ? html`<span part="error" role="alert" data-code=${state.error.code}>${this.#message(state.error)}</span>`
        : nothing;
    if (this.#live === false) return error;
    const status =
      state.status === 'saving'
        ? this.#text('adding')
        : state.status === 'saved'
          ? this.#text('added', { title: state.chapter.title })
          : '';
    const open = state.status === 'open' || state.status === 'saving';
    return html`
      ${
        open
          ? html`<form part="form" @submit=${this.#mark} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.#close()}>
              <input part="input" name="title" required maxlength="100" autocomplete="off" aria-label=${this.#text('chapterTitle')} placeholder=${this.#text('chapterTitle')} />
              <button type="submit" aria-disabled=${state.status === 'saving' ? 'true' : 'false'}>${this.#text('add')}</button>
              <button type="button" data-secondary @click=${this.#close}>${this.#text('cancel')}</button>
            </form>`
          : html`<button part="button" type="button" @click=${() => this.#setState({ status: 'open' })}><span aria-hidden="true">⚑</span> ${this.#text('addChapter')}</button>`
      }
      <span part="status" role="status" aria-live="polite">${status}</span>
      ${error}
    `;
  }

  #message(error: OnAirError): string {
    const friendly = FRIENDLY[error.code];
    return friendly ? this.#text(friendly) : error.message;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-chapter-button': OnAirChapterButtonElement;
  }
}

/** Registers `<onair-chapter-button>`. */
export function defineChapterButton(): void {
  defineElement('onair-chapter-button', OnAirChapterButtonElement);
}
