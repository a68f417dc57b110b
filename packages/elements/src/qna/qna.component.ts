import { OnAirError, type QuestionState, QuestionStore } from '@onair/core';
import type { Question, QuestionSort } from '@onair/protocol';
import { html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { MessageKey } from '../internal/i18n.js';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { StoreController } from '../internal/store-controller.js';
import { qnaStyles } from './qna.styles.js';

/** What `<onair-qna>` needs from a question store (a core `QuestionStore` or a mock). */
export interface QuestionStoreLike {
  subscribe(listener: (state: QuestionState) => void): () => void;
  getSnapshot(): QuestionState;
  ask(text: string): Promise<Question>;
  upvote(questionId: string): Promise<Question>;
  answer(questionId: string, answered?: boolean, text?: string): Promise<Question>;
  setAnswering?(questionId: string | null): Promise<void>;
  hide(questionId: string): Promise<void>;
  setSort(sort: QuestionSort): void;
}

/**
 * A stream's Q&A: ask, upvote once, sort by votes or time. The owner and
 * moderators (`can-moderate`) put a question on air ("Answer now": everyone
 * sees it highlighted, here and in `<onair-qna-highlight>` over the player),
 * answer it aloud ("Mark answered") or in writing, and hide questions.
 * Everyone sees the written answers, with who answered.
 *
 * @event onair-question-asked - The server accepted a question. Detail: {@link QuestionAskedDetail}.
 * @csspart header - Title and sort buttons.
 * @csspart list - The questions.
 * @csspart answer - A written answer.
 * @csspart form - The ask form.
 * @cssproperty --onair-panel-accent - Buttons and votes.
 * @cssproperty --onair-qna-max-height - Height of the list before it scrolls.
 */
export class OnAirQnaElement extends OnAirElement {
  static override styles = qnaStyles;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    store: { attribute: false },
    canModerate: { type: Boolean, attribute: 'can-moderate' },
    readonly: { type: Boolean, reflect: true },
  };

  /** Stream whose questions to show. */
  declare streamId: string | undefined;
  /** A question store to use instead of creating one. */
  declare store: QuestionStoreLike | undefined;
  /** Show answer and hide actions (the server checks again). */
  declare canModerate: boolean;
  /** Hide the ask form. */
  declare readonly: boolean;

  readonly #state = new StoreController<QuestionState, QuestionStoreLike>(this);
  #error: OnAirError | null = null;
  /** The question whose written answer the moderator is typing. */
  #writing: string | null = null;

  constructor() {
    super();
    this.canModerate = false;
    this.readonly = false;
  }

  get #active(): QuestionStoreLike | undefined {
    return this.#state.current;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#state.follow(changed, this.store, () =>
      this.client && this.streamId ? new QuestionStore(this.client, this.streamId) : undefined,
    );
  }

  protected override updated(): void {
    this.dataset.status = this.#state.value?.status ?? 'idle';
  }

  async #run(action: () => unknown): Promise<void> {
    this.#error = null;
    try {
      await action();
    } catch (error) {
      this.#error = OnAirError.from(error);
    }
    this.requestUpdate();
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem(
      'text',
    ) as HTMLInputElement;
    const text = input.value.trim();
    if (!text) return;
    await this.#run(async () => {
      const question = await this.#active?.ask(text);
      input.value = '';
      if (question) this.emit('onair-question-asked', { question });
    });
  }

  async #onAnswer(event: SubmitEvent, q: Question): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const text = (form.elements.namedItem('answer') as HTMLTextAreaElement).value.trim();
    await this.#run(async () => {
      await this.#active?.answer(q.id, true, text);
      this.#writing = null;
    });
  }

  #renderQuestion(q: Question, mine: boolean) {
    const act = (action: string, label: MessageKey, then: () => unknown, pressed?: boolean) =>
      html`<button class="link" data-action=${action} aria-pressed=${pressed ?? nothing} @click=${() => this.#run(then)}>${this.t(label)}</button>`;
    return html`<li data-id=${q.id} ?data-answered=${q.answered} ?data-answering=${q.answering}>
      <button
        class="vote"
        aria-pressed=${mine ? 'true' : 'false'}
        aria-label=${`${this.t('upvote')}: ${this.t('upvotes', { count: q.upvotes })}`}
        ?disabled=${mine}
        @click=${() => this.#run(() => this.#active?.upvote(q.id))}
      >▲<span class="count">${q.upvotes}</span></button>
      <div class="body">
        <div class="text">${q.text}${q.answering ? html`<span class="badge">${this.t('answeringNow')}</span>` : q.answered ? html`<span class="badge">${this.t('answered')}</span>` : nothing}</div>
        <div class="author">${q.author.displayName}</div>
        ${q.answer?.text ? html`<p part="answer"><b>${q.answer.by.displayName}</b> ${q.answer.text}</p>` : nothing}
        ${
          this.canModerate
            ? html`<div class="actions">
                ${this.#active?.setAnswering ? act('on-air', 'answerNow', () => this.#active?.setAnswering?.(q.answering ? null : q.id), !!q.answering) : nothing}
                ${act('answer', 'markAnswered', () => this.#active?.answer(q.id, !q.answered))}
                ${act('write', 'writeAnswer', () => (this.#writing = this.#writing === q.id ? null : q.id))}
                ${act('hide', 'hide', () => this.#active?.hide(q.id))}
              </div>
              ${
                this.#writing === q.id
                  ? html`<form class="reply" @submit=${(e: SubmitEvent) => this.#onAnswer(e, q)}>
                    <textarea name="answer" maxlength="1000" required aria-label=${this.t('writeAnswer')}>${q.answer?.text ?? ''}</textarea>
                    <button type="submit">${this.t('send')}</button>
                  </form>`
                  : nothing
              }`
            : nothing
        }
      </div>
    </li>`;
  }

  override render() {
    const s = this.#state.value;
    const mine = new Set(s?.myUpvotes ?? []);
    const sort = s?.sort ?? 'votes';
    const error = this.#error ?? (s?.status === 'error' ? s.error : null);
    return html`
      <header role="none" part="header">
        ${this.t('questions')}
        <span class="sort" role="group" aria-label=${this.t('questions')}>
          <button class="link" aria-pressed=${sort === 'votes' ? 'true' : 'false'} @click=${() => this.#active?.setSort('votes')}>${this.t('sortTop')}</button>
          <button class="link" aria-pressed=${sort === 'recent' ? 'true' : 'false'} @click=${() => this.#active?.setSort('recent')}>${this.t('sortNewest')}</button>
        </span>
      </header>
      <ol part="list" aria-label=${this.t('questions')}>
        ${
          (s?.questions.length ?? 0) === 0
            ? html`<li class="empty">${this.t('noQuestions')}</li>`
            : repeat(
                s?.questions ?? [],
                (q) => q.id,
                (q) => this.#renderQuestion(q, mine.has(q.id)),
              )
        }
      </ol>
      ${error ? html`<div class="error" role="alert" data-code=${error.code}>${error.message}</div>` : nothing}
      ${
        this.readonly
          ? nothing
          : s?.closed
            ? html`<p class="closed" role="status">${this.t('qnaClosed')}</p>`
            : html`<form part="form" @submit=${this.#onSubmit}>
              <input name="text" maxlength="300" autocomplete="off" aria-label=${this.t('askPlaceholder')} placeholder=${this.t('askPlaceholder')} />
              <button type="submit">${this.t('ask')}</button>
            </form>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-qna': OnAirQnaElement;
  }
}

/** Registers `<onair-qna>`. */
export function defineQna(): void {
  defineElement('onair-qna', OnAirQnaElement);
}
