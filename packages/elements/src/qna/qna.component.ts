import { OnAirError, type QuestionState, QuestionStore } from '@onair/core';
import type { Question, QuestionSort } from '@onair/protocol';
import { html, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
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

/** The sort tabs, in their order. */
const SORTS: readonly QuestionSort[] = ['votes', 'recent'];

/**
 * A stream's Q&A: ask, upvote once, sort by votes or time (the "Top" and
 * "Newest" tabs; arrow keys, Home and End move between them). The owner and
 * moderators (`can-moderate`) put a question on air ("Answer now": everyone
 * sees it highlighted, here and in `<onair-qna-highlight>` over the player),
 * answer it aloud ("Mark answered") or in writing, and hide questions.
 * Everyone sees the written answers, with who answered. Screen readers hear
 * a question going on air, a question answered, and a question someone else
 * asked (not the list as it first loads, nor votes).
 *
 * @event onair-question-asked - The server accepted a question. Detail: {@link QuestionAskedDetail}.
 * @csspart header - Title and sort tabs.
 * @csspart list - The questions.
 * @csspart answer - A written answer.
 * @csspart form - The ask form.
 * @cssproperty --onair-panel-accent - Buttons, votes and the selected tab.
 * @cssproperty --onair-panel-background - Background colour.
 * @cssproperty --onair-panel-foreground - Text colour.
 * @cssproperty --onair-panel-muted - Secondary text: authors, answered questions, the other tab.
 * @cssproperty --onair-panel-error - Error colour.
 * @cssproperty --onair-qna-answering - The background of the question being answered now.
 * @cssproperty --onair-qna-answering-label - Its "Answering now" label.
 * @cssproperty --onair-qna-answer - A written answer's background.
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
  /** What the live region says now, and how many times it spoke (a repeat is said again). */
  #said: { count: number; lines: readonly string[] } = { count: 0, lines: [] };
  /** The last ready list, by id, that changes are told against; null before the first. */
  #known: ReadonlyMap<string, Question> | null = null;
  #knownList: readonly Question[] | undefined;
  #knownStore: QuestionStoreLike | undefined;
  /**
   * The viewer's own questions, never announced: the texts being asked (the
   * store lists a question before `ask` resolves) and the ids asked.
   */
  readonly #asking: string[] = [];
  readonly #mine = new Set<string>();

  constructor() {
    super();
    this.canModerate = false;
    this.readonly = false;
  }

  get #active(): QuestionStoreLike | undefined {
    return this.#state.current;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Back in the page, the list is a first load again: what changed while away is not told.
    this.#known = null;
    this.#knownList = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#state.follow(changed, this.store, () =>
      this.client && this.streamId ? new QuestionStore(this.client, this.streamId) : undefined,
    );
    this.#tellChanges();
  }

  /**
   * Puts in the live region what changed since the last ready list, question
   * by question (by id): one on air, one answered, one someone else asked.
   * The first list, a re-sort, a reload that changed nothing and votes (too
   * chatty) say nothing.
   */
  #tellChanges(): void {
    const store = this.#state.current;
    const s = this.#state.value;
    if (store !== this.#knownStore) {
      this.#knownStore = store;
      this.#known = null;
      this.#said = { count: this.#said.count, lines: [] };
    }
    if (s?.status !== 'ready' || s.questions === this.#knownList) return;
    this.#knownList = s.questions;
    const before = this.#known;
    this.#known = new Map(s.questions.map((q) => [q.id, q]));
    if (!before) return;
    const lines: string[] = [];
    for (const q of s.questions) {
      const was = before.get(q.id);
      if (!was) {
        if (!this.#mine.has(q.id) && !this.#asking.includes(q.text)) {
          lines.push(this.t('newQuestionFrom', { name: q.author.displayName }));
        }
      } else if (q.answering && !was.answering) {
        lines.push(`${this.t('answeringNow')}: ${q.text}`);
      } else if (q.answered && !was.answered) {
        lines.push(`${this.t('answered')}: ${q.text}`);
      }
    }
    if (lines.length) this.#said = { count: this.#said.count + 1, lines };
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
      this.#asking.push(text);
      let question: Question | undefined;
      try {
        question = await this.#active?.ask(text);
        if (question) this.#mine.add(question.id);
      } finally {
        this.#asking.splice(this.#asking.indexOf(text), 1);
      }
      input.value = '';
      if (question) this.emit('onair-question-asked', { question });
    });
  }

  /** Arrow keys (mirrored right to left), Home and End select a sort tab and focus it. */
  #onTabKey(event: KeyboardEvent): void {
    const at = SORTS.indexOf(this.#state.value?.sort ?? 'votes');
    const step = getComputedStyle(event.currentTarget as Element).direction === 'rtl' ? -1 : 1;
    const to = {
      ArrowRight: at + step,
      ArrowLeft: at - step,
      Home: 0,
      End: SORTS.length - 1,
    }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const sort = SORTS[(to + SORTS.length) % SORTS.length] as QuestionSort;
    this.#active?.setSort(sort);
    this.renderRoot.querySelector<HTMLElement>(`#tab-${sort}`)?.focus();
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
                    <textarea name="answer" maxlength="1000" required aria-label=${this.t('writeAnswer')} .value=${q.answer?.text ?? ''}></textarea>
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
    const empty = (s?.questions.length ?? 0) === 0;
    const error = this.#error ?? (s?.status === 'error' ? s.error : null);
    const tab = (value: QuestionSort, label: MessageKey) =>
      html`<button role="tab" id=${`tab-${value}`} aria-selected=${sort === value ? 'true' : 'false'} tabindex=${sort === value ? '0' : '-1'} aria-controls="questions" @click=${() => this.#active?.setSort(value)}>${this.t(label)}</button>`;
    return html`
      <header role="none" part="header">
        ${this.t('questions')}
        <div class="sort" role="tablist" aria-label=${this.t('sortQuestions')} @keydown=${this.#onTabKey}>
          ${tab('votes', 'sortTop')}${tab('recent', 'sortNewest')}
        </div>
      </header>
      <div id="questions" role="tabpanel" aria-labelledby=${`tab-${sort}`} tabindex=${empty ? '0' : nothing}>
        <ol part="list" aria-label=${this.t('questions')}>
          ${
            empty
              ? html`<li class="empty">${this.t('noQuestions')}</li>`
              : repeat(
                  s?.questions ?? [],
                  (q) => q.id,
                  (q) => this.#renderQuestion(q, mine.has(q.id)),
                )
          }
        </ol>
      </div>
      <div class="live visually-hidden" role="status">${keyed(
        this.#said.count,
        html`<div>${this.#said.lines.map((line) => html`<p>${line}</p>`)}</div>`,
      )}</div>
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
