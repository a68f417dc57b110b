import type { JoinedStream, Question, QuestionSort } from '@onair/protocol';
import { OnAirError } from '../errors.js';
import { isStreamOver as isOver } from '../stream-status.js';
import type { OnAirClient } from '../transport/client.js';
import { RoomStore } from './room-store.js';

/** Snapshot of a {@link QuestionStore}. */
export interface QuestionState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Visible questions in the chosen order. */
  questions: readonly Question[];
  /** Ids the caller upvoted. */
  myUpvotes: readonly string[];
  sort: QuestionSort;
  /** The question being answered now, on air; null when none. */
  answering: Question | null;
  /** The stream ended (or was cancelled): questions are closed, the list stays readable. */
  closed: boolean;
  error: OnAirError | null;
}

const INITIAL: QuestionState = {
  status: 'idle',
  questions: [],
  myUpvotes: [],
  sort: 'votes',
  answering: null,
  closed: false,
  error: null,
};

function sorted(questions: Iterable<Question>, sort: QuestionSort): Question[] {
  return [...questions]
    .filter((q) => !q.hidden)
    .sort((a, b) =>
      sort === 'votes'
        ? b.upvotes - a.upvotes || a.createdAt.localeCompare(b.createdAt)
        : b.createdAt.localeCompare(a.createdAt),
    );
}

/**
 * A stream's Q&A: ask, upvote once (optimistically), and for the owner and
 * moderators answer and hide. Live updates are merged by id, so a question is
 * never shown twice; a rejoin after a reconnection reloads the list.
 *
 * @example
 * ```ts
 * const qna = new QuestionStore(client, streamId);
 * qna.subscribe(({ questions }) => render(questions));
 * await qna.ask('Will the slides be shared?');
 * ```
 */
export class QuestionStore extends RoomStore<QuestionState> {
  readonly #byId = new Map<string, Question>();

  constructor(client: OnAirClient, streamId: string) {
    super(client, streamId, INITIAL);
  }

  protected listen(): Array<() => void> {
    return [
      this.client.realtime.on('qna:question', (question) => {
        if (question.streamId === this.streamId) this.#upsert(question);
      }),
      this.client.realtime.on('stream:updated', (stream) => {
        if (stream.id === this.streamId) this.update({ closed: isOver(stream.status) });
      }),
    ];
  }

  protected joined(answer: JoinedStream): void {
    this.update({ closed: isOver(answer.stream.status) });
    void this.load();
  }

  protected override joinFailed(error: OnAirError): void {
    this.update({ status: 'error', error });
  }

  protected override reset(): QuestionState {
    this.#byId.clear();
    // The chosen order outlives a pause in listening.
    return { ...INITIAL, sort: this.snapshot.sort };
  }

  /** Reloads the list from the server. */
  async load(): Promise<void> {
    if (this.snapshot.status !== 'ready') this.update({ status: 'loading' });
    try {
      const list = await this.client.realtime.request('qna:list', {
        streamId: this.streamId,
        sort: this.snapshot.sort,
      });
      if (!this.hasListeners()) return;
      this.#byId.clear();
      for (const q of list.items) this.#byId.set(q.id, q);
      this.update({
        status: 'ready',
        myUpvotes: list.myUpvotes,
        questions: sorted(this.#byId.values(), this.snapshot.sort),
        error: null,
      });
      this.#updateAnswering();
    } catch (error) {
      this.update({ status: 'error', error: OnAirError.from(error) });
    }
  }

  /** Orders by votes (most first) or by time (newest first). */
  setSort(sort: QuestionSort): void {
    this.update({ sort, questions: sorted(this.#byId.values(), sort) });
  }

  /** Asks a question (at most 300 characters). */
  ask(text: string): Promise<Question> {
    return this.run(async () => {
      const question = await this.client.realtime.request('qna:ask', {
        streamId: this.streamId,
        text,
      });
      this.#upsert(question);
      return question;
    });
  }

  /** Upvotes once; shown at once and rolled back if the server refuses. */
  upvote(questionId: string): Promise<Question> {
    const before = this.#byId.get(questionId);
    if (before && !this.snapshot.myUpvotes.includes(questionId)) {
      this.#upsert({ ...before, upvotes: before.upvotes + 1 });
      this.update({ myUpvotes: [...this.snapshot.myUpvotes, questionId] });
    }
    return this.run(
      async () => {
        const question = await this.client.realtime.request('qna:upvote', {
          streamId: this.streamId,
          questionId,
        });
        this.#upsert(question);
        return question;
      },
      () => {
        if (!before) return;
        this.#upsert(before, true);
        this.update({ myUpvotes: this.snapshot.myUpvotes.filter((id) => id !== questionId) });
      },
    );
  }

  /**
   * Marks a question answered, with an optional written answer (at most 1000
   * characters; none when answered aloud), or not answered (owner and moderators).
   */
  answer(questionId: string, answered = true, text?: string): Promise<Question> {
    return this.run(async () => {
      const question = await this.client.realtime.request('qna:answer', {
        streamId: this.streamId,
        questionId,
        answered,
        ...(text ? { text } : {}),
      });
      this.#upsert(question);
      return question;
    });
  }

  /**
   * Puts a question on air, the one being answered now (everyone sees it,
   * over the player too), or none with null (owner and moderators).
   */
  setAnswering(questionId: string | null): Promise<void> {
    return this.run(async () => {
      await this.client.realtime.request('qna:answering', { streamId: this.streamId, questionId });
    });
  }

  /** Hides a question for everyone (owner and moderators). */
  hide(questionId: string): Promise<void> {
    return this.run(async () => {
      await this.client.realtime.request('qna:hide', { streamId: this.streamId, questionId });
      const q = this.#byId.get(questionId);
      if (q) this.#upsert({ ...q, hidden: true });
    });
  }

  #upsert(question: Question, force = false): void {
    const known = this.#byId.get(question.id);
    // Votes only grow: a snapshot with fewer votes and the same flags is older; skip it.
    const stale =
      known &&
      question.upvotes < known.upvotes &&
      question.answered === known.answered &&
      question.answering === known.answering &&
      question.hidden === known.hidden;
    if (stale && !force) return;
    this.#byId.set(question.id, question);
    this.update({ questions: sorted(this.#byId.values(), this.snapshot.sort) });
    this.#updateAnswering();
  }

  #updateAnswering(): void {
    let answering: Question | null = null;
    for (const question of this.#byId.values()) {
      if (question.answering && !question.hidden) answering = question;
    }
    this.update({ answering });
  }
}
