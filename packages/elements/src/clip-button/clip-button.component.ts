import type { OnAirClient } from '@onair/core';
import { OnAirError } from '@onair/core';
import { ClipsApi } from '@onair/core/clips';
import {
  type Clip,
  DEFAULT_CLIP_SECONDS,
  MAX_CLIP_SECONDS,
  MIN_CLIP_SECONDS,
} from '@onair/protocol/clips';
import { html, nothing, type PropertyValues } from 'lit';
import { translateOwn } from '../internal/i18n.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { clipButtonStyles } from './clip-button.styles.js';
import { CLIP_MESSAGES, CLIP_MESSAGES_ES, type ClipMessageKey } from './clip-messages.js';

/** What the button shows: nothing yet, a cut under way, the clip made, or why none was. */
type ClipButtonState =
  | { status: 'idle' }
  | { status: 'cutting' }
  | { status: 'ready'; clip: Clip; copied: boolean | 'failed' }
  | { status: 'error'; error: OnAirError };

/** The errors a viewer can act on, in their words; any other shows the server's message. */
const FRIENDLY: Partial<Record<OnAirError['code'], ClipMessageKey>> = {
  RATE_LIMITED: 'rateLimited',
  STREAM_NOT_LIVE: 'notLive',
  UNAUTHORIZED: 'signIn',
};

const IDLE: ClipButtonState = { status: 'idle' };

/**
 * Clips the last seconds of a live stream: a button that asks the server to
 * cut them (a second or two), then shows the clip's poster, title and length,
 * a link to its share page and a "Copy link" button (where the browser has a
 * clipboard). The cut's progress is announced politely; a failure shows why.
 * Renders nothing without a `client` and a `stream-id`. The host carries
 * `data-state`: `idle`, `cutting`, `ready` or `error`.
 *
 * @event onair-clip-created - A clip was made. Detail: `{ clip }`.
 * @csspart button - The clip button.
 * @csspart status - The live status ("Clipping…", "Clip ready").
 * @csspart result - The clip made: poster, title, link and copy button.
 * @csspart poster - The clip's poster image.
 * @csspart open - The link to the clip's page.
 * @csspart copy - The "Copy link" button.
 * @csspart error - Why the clip could not be made.
 * @cssproperty --onair-clip-accent - The buttons' and the link's colour.
 * @cssproperty --onair-clip-poster-width - The poster's width (16:9).
 * @cssproperty --onair-clip-poster-background - Behind the poster while it loads (`#222`).
 */
export class OnAirClipButtonElement extends OnAirElement {
  static override styles = clipButtonStyles;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    duration: { type: Number },
  };

  /** The stream to clip. */
  declare streamId: string | undefined;
  /**
   * Seconds to clip, up to now (default 30); kept within 5–60, what the
   * server accepts.
   */
  declare duration: number;

  #state: ClipButtonState = IDLE;
  /** Which cut may still change the state: one for an earlier stream or client may not. */
  #generation = 0;

  constructor() {
    super();
    this.duration = DEFAULT_CLIP_SECONDS;
  }

  #text(key: ClipMessageKey, vars?: Record<string, string | number>): string {
    return translateOwn(this, 'clips', key, CLIP_MESSAGES, CLIP_MESSAGES_ES, vars);
  }

  get #seconds(): number {
    const asked = Number.isFinite(this.duration) ? this.duration : DEFAULT_CLIP_SECONDS;
    return Math.min(MAX_CLIP_SECONDS, Math.max(MIN_CLIP_SECONDS, asked));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('streamId') || changed.has('client')) {
      this.#generation++;
      this.#state = IDLE;
    }
  }

  protected override updated(): void {
    this.dataset.state = this.#state.status;
  }

  #setState(state: ClipButtonState): void {
    this.#state = state;
    this.requestUpdate();
  }

  async #cut(): Promise<void> {
    const { client, streamId } = this;
    if (!client || !streamId || this.#state.status === 'cutting') return;
    const generation = ++this.#generation;
    this.#setState({ status: 'cutting' });
    try {
      const clip = await new ClipsApi(client).create(streamId, { durationSeconds: this.#seconds });
      if (generation !== this.#generation) return;
      this.#setState({ status: 'ready', clip, copied: false });
      this.emit('onair-clip-created', { clip });
    } catch (error) {
      if (generation === this.#generation) {
        this.#setState({ status: 'error', error: OnAirError.from(error) });
      }
    }
  }

  async #copy(clip: Clip, url: string): Promise<void> {
    let copied: boolean | 'failed' = true;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      copied = 'failed';
    }
    if (this.#state.status === 'ready' && this.#state.clip === clip) {
      this.#setState({ status: 'ready', clip, copied });
    }
  }

  override render() {
    const { client, streamId } = this;
    const state = this.#state;
    if (!client || !streamId) return nothing;
    const cutting = state.status === 'cutting';
    const status = cutting
      ? this.#text('clipping')
      : state.status === 'ready'
        ? this.#text('ready')
        : '';
    // aria-disabled, not disabled: the button keeps the focus while the clip is cut.
    return html`
      <div class="row">
        <button part="button" type="button" aria-disabled=${cutting ? 'true' : 'false'} aria-label=${this.#text('clipLast', { seconds: this.#seconds })} @click=${this.#cut}><span aria-hidden="true">✂</span> ${this.#text('clip')}</button>
        <span part="status" role="status" aria-live="polite">${status}</span>
      </div>
      ${state.status === 'ready' ? this.#renderClip(client, state.clip, state.copied) : nothing}
      ${state.status === 'error' ? html`<span part="error" role="alert">${this.#message(state.error)}</span>` : nothing}
    `;
  }

  #renderClip(client: OnAirClient, clip: Clip, copied: boolean | 'failed') {
    const page = client.resolveUrl(clip.pageUrl);
    return html`<div part="result">
      ${clip.posterUrl ? html`<img part="poster" src=${client.resolveUrl(clip.posterUrl)} alt="" />` : nothing}
      <span>${clip.title} <small>${this.#text('seconds', { seconds: Math.round(clip.durationSeconds) })}</small></span>
      <a part="open" href=${page} target="_blank" rel="noopener">${this.#text('open')}</a>
      ${'clipboard' in navigator ? html`<button part="copy" type="button" @click=${() => this.#copy(clip, page)}>${this.#text(copied === true ? 'copied' : 'copy')}</button>` : nothing}
      ${copied === 'failed' ? html`<span part="error" role="alert">${this.#text('copyFailed')}</span>` : nothing}
    </div>`;
  }

  #message(error: OnAirError): string {
    const friendly = FRIENDLY[error.code];
    return friendly ? this.#text(friendly) : error.message;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-clip-button': OnAirClipButtonElement;
  }
}

/** Registers `<onair-clip-button>`. */
export function defineClipButton(): void {
  defineElement('onair-clip-button', OnAirClipButtonElement);
}
