import { type QuestionState, QuestionStore } from '@onair/core';
import { css, html, nothing, type PropertyValues } from 'lit';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { StoreController } from '../internal/store-controller.js';

/** What `<onair-qna-highlight>` needs from a question store (a core `QuestionStore` or a mock). */
export interface QuestionHighlightStoreLike {
  subscribe(listener: (state: QuestionState) => void): () => void;
  getSnapshot(): QuestionState;
}

/**
 * The question a stream is answering now, for viewers to see over the
 * picture: put it in the player's overlay slot
 * (`<onair-qna-highlight slot="overlay">` inside `<onair-player>`). It shows
 * while a moderator has a question on air (`<onair-qna>`'s "Answer now") and
 * is empty otherwise (`data-empty`). Screen readers hear each new question.
 *
 * @csspart card - The question, its author and the "Answering now" label.
 * @cssproperty --onair-qna-highlight-background - Card background.
 * @cssproperty --onair-qna-highlight-foreground - Card text colour.
 * @cssproperty --onair-qna-highlight-accent - The label's colour.
 */
export class OnAirQnaHighlightElement extends OnAirElement {
  static override styles = css`
    :host {
      display: block;
      position: absolute;
      inset-inline-start: 0.75rem;
      bottom: 0.75rem;
      max-width: min(28rem, calc(100% - 1.5rem));
      pointer-events: none;
    }
    [part='card'] {
      padding: calc(var(--_s) * 2) calc(var(--_s) * 3);
      border-radius: var(--_r);
      background: var(--onair-qna-highlight-background, rgb(17 17 17 / 0.82));
      color: var(--onair-qna-highlight-foreground, #fff);
      font: 14px/1.35 var(--_font);
      overflow-wrap: anywhere;
    }
    b {
      display: block;
      font-size: 11px;
      text-transform: uppercase;
      color: var(--onair-qna-highlight-accent, #fbbf24);
    }
    @media (prefers-reduced-motion: no-preference) {
      [part='card'] {
        animation: in 0.25s ease-out;
      }
    }
    @keyframes in {
      from {
        opacity: 0;
        transform: translateY(0.5rem);
      }
    }
  `;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    store: { attribute: false },
  };

  /** Stream whose question on air to show. */
  declare streamId: string | undefined;
  /** A question store to use instead of creating one (share `<onair-qna>`'s). */
  declare store: QuestionHighlightStoreLike | undefined;

  private readonly state = new StoreController<QuestionState, QuestionHighlightStoreLike>(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.state.follow(changed, this.store, () =>
      this.client && this.streamId ? new QuestionStore(this.client, this.streamId) : undefined,
    );
  }

  protected override updated(): void {
    this.toggleAttribute('data-empty', !this.state.value?.answering);
  }

  override render() {
    const q = this.state.value?.answering;
    return html`<div role="status">${
      q
        ? html`<div part="card" data-id=${q.id}><b>${this.t('answeringNow')}</b>${q.text} <small>— ${q.author.displayName}</small></div>`
        : nothing
    }</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-qna-highlight': OnAirQnaHighlightElement;
  }
}

/** Registers `<onair-qna-highlight>`. */
export function defineQnaHighlight(): void {
  defineElement('onair-qna-highlight', OnAirQnaHighlightElement);
}
