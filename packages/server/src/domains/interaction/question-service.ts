import { OnAirError, type Question, type QuestionSort, type Stream } from '@onair/protocol';
import type { Identity } from '../../platform/auth/identity.js';
import { type SharedState, takeToken } from '../../platform/shared-state/shared-state.js';
import type { RateLimit } from '../../platform/shared-state/token-buckets.js';
import { isUniqueViolation } from '../../storage/errors.js';
import type { ChatFilter } from '../chat/filter.js';
import type { ModerationService } from '../moderation/service.js';
import type { QuestionRepository } from './question-repository.js';

/** What {@link QuestionService} needs. */
export interface QuestionServiceDeps {
  questions: QuestionRepository;
  moderation: ModerationService;
  filter: ChatFilter;
  state: SharedState;
  rate: RateLimit;
}

/**
 * Q&A: viewers ask (rate-limited, through the chat's word filter and review
 * hook) and upvote once; moderators mark questions answered or hide them.
 * Hidden questions are not found.
 */
export class QuestionService {
  constructor(private readonly deps: QuestionServiceDeps) {}

  /** `FORBIDDEN` unless the stream has Q&A turned on. */
  assertOpen(stream: Stream): void {
    if (!stream.qnaEnabled) throw new OnAirError('FORBIDDEN', 'Q&A is turned off for this stream');
  }

  /** A visible question (`NOT_FOUND` when missing or hidden). */
  async find(streamId: string, questionId: string): Promise<Question> {
    const found = await this.deps.questions.find(streamId, questionId);
    if (!found || found.hidden) throw new OnAirError('NOT_FOUND', 'Question not found');
    return found;
  }

  /** Asks a question in a stream with Q&A on. */
  async ask(stream: Stream, who: Identity, text: string): Promise<Question> {
    const { moderation, state, rate, filter, questions } = this.deps;
    this.assertOpen(stream);
    await moderation.assertNotRestricted(stream, who);
    await takeToken(state, `qna:${stream.id}:${who.userId}`, rate, 'You are asking too fast');
    const author = { id: who.userId, displayName: who.displayName };
    return questions.ask(
      stream.id,
      author,
      await filter.apply({ streamId: stream.id, author, text }),
    );
  }

  /** Upvotes a question once per user (`CONFLICT` the second time). */
  async upvote(stream: Stream, questionId: string, who: Identity): Promise<Question> {
    this.assertOpen(stream);
    await this.find(stream.id, questionId);
    if (!(await this.deps.questions.upvote(questionId, who.userId))) {
      throw new OnAirError('CONFLICT', 'You already upvoted this question');
    }
    return this.find(stream.id, questionId);
  }

  /**
   * Marks a question answered by `who`, with an optional written answer, or
   * not answered (moderators). It stops being answered now.
   */
  async answer(
    streamId: string,
    questionId: string,
    who: Identity,
    answered: boolean,
    text = '',
  ): Promise<Question> {
    await this.find(streamId, questionId);
    await this.deps.questions.answer(
      questionId,
      answered ? { text, by: who.userId, at: new Date() } : null,
    );
    return this.find(streamId, questionId);
  }

  /**
   * Makes a visible question the one answered now, or none with null
   * (moderators); returns the questions that changed, to announce.
   * `CONFLICT` when another moderator changed it at the same moment.
   */
  async answering(streamId: string, questionId: string | null): Promise<Question[]> {
    if (questionId) await this.find(streamId, questionId);
    let changed: string[];
    try {
      changed = await this.deps.questions.setAnswering(streamId, questionId);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new OnAirError('CONFLICT', 'Another question was put on air at the same moment');
    }
    const found = await Promise.all(changed.map((id) => this.deps.questions.find(streamId, id)));
    return found.filter((question): question is Question => question !== undefined);
  }

  /** Hides a question (moderators); returns it as hidden. */
  async hide(streamId: string, questionId: string): Promise<Question> {
    const found = await this.find(streamId, questionId);
    await this.deps.questions.hide(questionId);
    return { ...found, hidden: true, answering: false };
  }

  /** The stream's questions, and which of them `who` upvoted. */
  async list(
    streamId: string,
    sort: QuestionSort,
    who: Identity | undefined,
  ): Promise<{ items: Question[]; myUpvotes: string[] }> {
    const items = await this.deps.questions.list(streamId, sort);
    return {
      items,
      myUpvotes: who
        ? await this.deps.questions.upvotedBy(
            who.userId,
            items.map((q) => q.id),
          )
        : [],
    };
  }
}
