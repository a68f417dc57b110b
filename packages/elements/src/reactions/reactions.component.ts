import {
  OnAirError,
  type ReactionBurstEntry,
  type ReactionState,
  ReactionStore,
} from '@onair/core';
import { html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { StoreController } from '../internal/store-controller.js';
import { reactionsStyles } from './reactions.styles.js';

/** What `<onair-reactions>` needs from a reaction store (a core `ReactionStore` or a mock). */
export interface ReactionStoreLike {
  subscribe(listener: (state: ReactionState) => void): () => void;
  getSnapshot(): ReactionState;
  send(emoji: string, x?: number): Promise<void>;
}

/** Emoji offered by default. */
export const DEFAULT_REACTIONS = ['❤️', '😂', '🎉', '👏', '🔥', '😮'];

/** Longest a floating reaction stays on screen, ms. */
const FLOAT_MS = 2600;
/** Most floating reactions at once (a burst of thousands shows as counts). */
const MAX_FLOATING = 40;

/**
 * Live reactions over a player: a picker and a floating overlay. Put it in
 * the player's overlay slot (`<onair-reactions slot="overlay">` inside
 * `<onair-player>`), which keeps it clear of the control bar, or over any
 * video yourself (`position: absolute; inset: 0`). Each window's reactions
 * arrive aggregated; large counts show as one emoji with its count. With
 * `prefers-reduced-motion` the emoji do not move.
 *
 * @event onair-reaction-sent - The server accepted a reaction. Detail: {@link ReactionSentDetail}.
 * @csspart picker - The emoji buttons.
 * @csspart overlay - The floating reactions.
 * @cssproperty --onair-reactions-size - Size of floating emoji.
 * @cssproperty --onair-reactions-duration - How long one floats.
 * @cssproperty --onair-reactions-button-background - Picker button background.
 */
export class OnAirReactionsElement extends OnAirElement {
  static override styles = reactionsStyles;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    store: { attribute: false },
    emojis: { attribute: false },
    noPicker: { type: Boolean, attribute: 'no-picker' },
  };

  /** Stream to react to. */
  declare streamId: string | undefined;
  /** A reaction store to use instead of creating one. */
  declare store: ReactionStoreLike | undefined;
  /** Emoji in the picker. Default {@link DEFAULT_REACTIONS}. */
  declare emojis: readonly string[];
  /** Show the overlay only. */
  declare noPicker: boolean;

  readonly #state = new StoreController<ReactionState, ReactionStoreLike>(this);
  #error: OnAirError | null = null;
  #floating: ReactionBurstEntry[] = [];
  #seenSeq = 0;
  #sweep: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.emojis = DEFAULT_REACTIONS;
    this.noPicker = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#state.follow(changed, this.store, () =>
      this.client && this.streamId ? new ReactionStore(this.client, this.streamId) : undefined,
    );
    const bursts = this.#state.value?.bursts ?? [];
    const fresh = bursts.filter((b) => b.seq > this.#seenSeq);
    if (fresh.length) {
      this.#seenSeq = fresh.at(-1)?.seq ?? this.#seenSeq;
      this.#floating = [...this.#floating, ...fresh].slice(-MAX_FLOATING);
      this.#scheduleSweep();
    }
  }

  #scheduleSweep(): void {
    if (this.#sweep) return;
    this.#sweep = setTimeout(() => {
      this.#sweep = undefined;
      const cutoff = Date.now() - FLOAT_MS;
      this.#floating = this.#floating.filter((b) => b.at > cutoff);
      if (this.#floating.length) this.#scheduleSweep();
      this.requestUpdate();
    }, 500);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#sweep);
    this.#sweep = undefined;
  }

  protected override updated(): void {
    this.dataset.floating = String(this.#floating.length);
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this.dataset.reducedMotion = '';
    } else delete this.dataset.reducedMotion;
  }

  async #react(emoji: string): Promise<void> {
    const store = this.#state.current;
    if (!store) return;
    this.#error = null;
    try {
      await store.send(emoji, Math.round((0.6 + Math.random() * 0.35) * 100) / 100);
      this.emit('onair-reaction-sent', { emoji });
    } catch (error) {
      this.#error = OnAirError.from(error);
    }
    this.requestUpdate();
  }

  override render() {
    return html`
      <div part="overlay" class="overlay" aria-hidden="true">
        ${repeat(
          this.#floating,
          (b) => b.seq,
          (b) => {
            const x = b.positions[0] ?? 0.8;
            return html`<span class="float" data-emoji=${b.emoji} style="left:${Math.round(x * 90)}%">${b.emoji}${b.count > 1 ? html`<small>×${b.count}</small>` : nothing}</span>`;
          },
        )}
      </div>
      ${
        this.noPicker
          ? nothing
          : html`<div part="picker" class="picker" role="group" aria-label=${this.t('reactions')}>
              ${this.emojis.map(
                (emoji) =>
                  html`<button type="button" aria-label=${this.t('react', { emoji })} @click=${() => this.#react(emoji)}>${emoji}</button>`,
              )}
            </div>`
      }
      ${this.#error ? html`<div class="error" role="alert" data-code=${this.#error.code}>${this.#error.message}</div>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-reactions': OnAirReactionsElement;
  }
}

/** Registers `<onair-reactions>`. */
export function defineReactions(): void {
  defineElement('onair-reactions', OnAirReactionsElement);
}
