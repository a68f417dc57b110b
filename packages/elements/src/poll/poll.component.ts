import { OnAirError, type PollState, PollStore } from '@onair/core';
import type { Poll } from '@onair/protocol';
import { html, nothing, type PropertyValues } from 'lit';
import { defineElement, OnAirElement } from '../internal/onair-element.js';
import { StoreController } from '../internal/store-controller.js';
import { pollStyles } from './poll.styles.js';

/** What `<onair-poll>` needs from a poll store (a core `PollStore` or a mock). */
export interface PollStoreLike {
  subscribe(listener: (state: PollState) => void): () => void;
  getSnapshot(): PollState;
  create(question: string, options: string[]): Promise<Poll>;
  vote(pollId: string, option: number): Promise<Poll>;
  close(pollId: string): Promise<Poll>;
}

/**
 * The stream's current poll with live results. Viewers vote once; results
 * show after voting or when the poll closes. The owner and moderators
 * (`can-moderate`) start polls (2–10 options) and close them.
 *
 * @event onair-poll-voted - The server accepted a vote. Detail: {@link PollVotedDetail}.
 * @csspart header - Title.
 * @csspart options - The options.
 * @csspart option - An option's button (`data-mine` on the viewer's vote).
 * @csspart form - The new-poll form (moderators).
 * @cssproperty --onair-poll-bar - Colour of result bars.
 * @cssproperty --onair-panel-background - Background colour.
 * @cssproperty --onair-panel-foreground - Text colour.
 * @cssproperty --onair-panel-muted - Secondary text: the vote count, the form's labels.
 * @cssproperty --onair-panel-accent - Buttons.
 * @cssproperty --onair-panel-error - Error colour.
 */
export class OnAirPollElement extends OnAirElement {
  static override styles = pollStyles;
  static override properties = {
    streamId: { type: String, attribute: 'stream-id', reflect: true },
    store: { attribute: false },
    canModerate: { type: Boolean, attribute: 'can-moderate' },
  };

  /** Stream whose polls to show. */
  declare streamId: string | undefined;
  /** A poll store to use instead of creating one. */
  declare store: PollStoreLike | undefined;
  /** Show the new-poll form and close button (the server checks again). */
  declare canModerate: boolean;

  readonly #state = new StoreController<PollState, PollStoreLike>(this);
  #error: OnAirError | null = null;

  constructor() {
    super();
    this.canModerate = false;
  }

  get #active(): PollStoreLike | undefined {
    return this.#state.current;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#state.follow(changed, this.store, () =>
      this.client && this.streamId ? new PollStore(this.client, this.streamId) : undefined,
    );
  }

  protected override updated(): void {
    const current = this.#state.value?.current;
    this.dataset.status = this.#state.value?.status ?? 'idle';
    this.dataset.poll = current ? (current.closed ? 'closed' : 'open') : 'none';
  }

  async #run(action: () => Promise<unknown> | undefined): Promise<void> {
    this.#error = null;
    try {
      await action();
    } catch (error) {
      this.#error = OnAirError.from(error);
    }
    this.requestUpdate();
  }

  async #vote(poll: Poll, option: number): Promise<void> {
    await this.#run(async () => {
      const updated = await this.#active?.vote(poll.id, option);
      if (updated) this.emit('onair-poll-voted', { poll: updated, option });
    });
  }

  async #onCreate(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const question = (form.elements.namedItem('question') as HTMLInputElement).value.trim();
    const options = (form.elements.namedItem('options') as HTMLTextAreaElement).value
      .split('\n')
      .map((o) => o.trim())
      .filter(Boolean);
    await this.#run(async () => {
      await this.#active?.create(question, options);
      form.reset();
    });
  }

  #renderPoll(poll: Poll, myVote: number | undefined) {
    // Moderators follow results live; viewers see them once they voted or the poll closed.
    const showResults = poll.closed || myVote !== undefined || this.canModerate;
    return html`
      <div class="question">${poll.question}</div>
      <ul part="options" aria-label=${poll.question}>
        ${poll.options.map((option, i) => {
          const share = poll.totalVotes ? Math.round((option.votes / poll.totalVotes) * 100) : 0;
          const label = showResults
            ? `${option.text}: ${share}% (${this.t('votes', { count: option.votes })})${myVote === i ? `, ${this.t('yourVote')}` : ''}`
            : option.text;
          return html`<li>
            <button
              part="option"
              class="option"
              data-index=${i}
              ?data-mine=${myVote === i}
              aria-label=${label}
              ?disabled=${showResults}
              @click=${() => this.#vote(poll, i)}
            >
              ${showResults ? html`<span class="bar" style="width:${share}%"></span>` : nothing}
              <span>${option.text}</span>
              ${showResults ? html`<span class="share">${share}%</span>` : nothing}
            </button>
          </li>`;
        })}
      </ul>
      <div class="footer">
        <span aria-live="polite">${this.t('votes', { count: poll.totalVotes })}${poll.closed ? ` · ${this.t('pollClosed')}` : ''}</span>
        ${
          this.canModerate && !poll.closed
            ? html`<button class="link" data-action="close" @click=${() => this.#run(() => this.#active?.close(poll.id))}>${this.t('closePoll')}</button>`
            : nothing
        }
      </div>
    `;
  }

  override render() {
    const s = this.#state.value;
    const poll = s?.current ?? null;
    return html`
      <header role="none" part="header">${this.t('poll')}</header>
      ${poll ? this.#renderPoll(poll, s?.myVotes[poll.id]) : html`<p class="empty">${this.t('noPoll')}</p>`}
      ${this.#error ? html`<div class="error" role="alert" data-code=${this.#error.code}>${this.#error.message}</div>` : nothing}
      ${
        this.canModerate && (!poll || poll.closed)
          ? html`<form part="form" @submit=${this.#onCreate}>
              <label>${this.t('pollQuestion')}<input name="question" maxlength="200" required /></label>
              <label>${this.t('pollOptions')}<textarea name="options" rows="3" required></textarea></label>
              <button type="submit">${this.t('startPoll')}</button>
            </form>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onair-poll': OnAirPollElement;
  }
}

/** Registers `<onair-poll>`. */
export function definePoll(): void {
  defineElement('onair-poll', OnAirPollElement);
}
