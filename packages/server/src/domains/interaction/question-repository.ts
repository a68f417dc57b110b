import type { Question, QuestionSort, UserSummary } from '@onair/protocol';
import { and, asc, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { newId } from '../../platform/ids.js';
import type { Database } from '../../storage/database.js';
import { questions, questionVotes, users } from '../../storage/schema.js';

type QuestionRow = typeof questions.$inferSelect;

/** A user row's columns a question shows. */
type Person = { id: string; displayName: string };

const summary = (user: Person): UserSummary => ({
  id: user.id,
  displayName: user.displayName,
});

const toQuestion = (q: QuestionRow, author: Person, answerer?: Person | null): Question => ({
  id: q.id,
  streamId: q.streamId,
  author: summary(author),
  text: q.text,
  upvotes: q.upvotes,
  answered: q.answered,
  answer:
    q.answered && answerer && q.answeredAt
      ? { text: q.answerText ?? '', by: summary(answerer), at: q.answeredAt.toISOString() }
      : null,
  answering: q.answering,
  hidden: q.hidden,
  createdAt: q.createdAt.toISOString(),
});

/** Who answered a question (a second join of users). */
const answerers = alias(users, 'answerers');

/** Most questions a list returns. */
export const QUESTION_LIST_LIMIT = 200;

/** Q&A questions and their upvotes. */
export class QuestionRepository {
  constructor(private readonly db: Database) {}

  /** Stores a new question. */
  async ask(
    streamId: string,
    author: { id: string; displayName: string },
    text: string,
  ): Promise<Question> {
    const [row] = await this.db
      .insert(questions)
      .values({ id: newId('q'), streamId, authorId: author.id, text, createdAt: new Date() })
      .returning();
    return toQuestion(row as QuestionRow, author);
  }

  /** One question of a stream. */
  async find(streamId: string, questionId: string): Promise<Question | undefined> {
    const rows = await this.db
      .select({ q: questions, author: users, answerer: answerers })
      .from(questions)
      .innerJoin(users, eq(users.id, questions.authorId))
      .leftJoin(answerers, eq(answerers.id, questions.answeredBy))
      .where(and(eq(questions.id, questionId), eq(questions.streamId, streamId)));
    const row = rows[0];
    return row ? toQuestion(row.q, row.author, row.answerer) : undefined;
  }

  /** Visible questions asked in any of the wall-clock `ranges` (`[from, to)` ms), oldest first. */
  async between(
    streamId: string,
    ranges: ReadonlyArray<{ from: number; to: number }>,
  ): Promise<Question[]> {
    if (ranges.length === 0) return [];
    const rows = await this.db
      .select({ q: questions, author: users, answerer: answerers })
      .from(questions)
      .innerJoin(users, eq(users.id, questions.authorId))
      .leftJoin(answerers, eq(answerers.id, questions.answeredBy))
      .where(
        and(
          eq(questions.streamId, streamId),
          eq(questions.hidden, false),
          or(
            ...ranges.map((range) =>
              and(
                gte(questions.createdAt, new Date(range.from)),
                lt(questions.createdAt, new Date(range.to)),
              ),
            ),
          ),
        ),
      )
      .orderBy(asc(questions.createdAt), asc(questions.id))
      .limit(QUESTION_LIST_LIMIT);
    return rows.map((r) => toQuestion(r.q, r.author, r.answerer));
  }

  /** Visible questions, by votes (ties: older first) or newest first. */
  async list(streamId: string, sort: QuestionSort): Promise<Question[]> {
    const rows = await this.db
      .select({ q: questions, author: users, answerer: answerers })
      .from(questions)
      .innerJoin(users, eq(users.id, questions.authorId))
      .leftJoin(answerers, eq(answerers.id, questions.answeredBy))
      .where(and(eq(questions.streamId, streamId), eq(questions.hidden, false)))
      .orderBy(
        ...(sort === 'votes'
          ? [desc(questions.upvotes), questions.createdAt, questions.id]
          : [desc(questions.createdAt), desc(questions.id)]),
      )
      .limit(QUESTION_LIST_LIMIT);
    return rows.map((r) => toQuestion(r.q, r.author, r.answerer));
  }

  /** Ids among `questionIds` that `userId` upvoted. */
  async upvotedBy(userId: string, questionIds: string[]): Promise<string[]> {
    if (questionIds.length === 0) return [];
    const rows = await this.db
      .select({ id: questionVotes.questionId })
      .from(questionVotes)
      .where(and(eq(questionVotes.userId, userId), inArray(questionVotes.questionId, questionIds)));
    return rows.map((r) => r.id);
  }

  /** Adds one upvote; false when this user already upvoted (nothing changes). */
  async upvote(questionId: string, userId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(questionVotes)
        .values({ questionId, userId })
        .onConflictDoNothing()
        .returning({ id: questionVotes.questionId });
      if (inserted.length === 0) return false;
      await tx
        .update(questions)
        .set({ upvotes: sql`${questions.upvotes} + 1` })
        .where(eq(questions.id, questionId));
      return true;
    });
  }

  /** Hides a question (it stops being answered now, too). */
  async hide(questionId: string): Promise<void> {
    await this.db
      .update(questions)
      .set({ hidden: true, answering: false })
      .where(eq(questions.id, questionId));
  }

  /**
   * Marks a question answered with `answer` (text, by whom, when), or not
   * answered with null (the answer is dropped). Either way it stops being
   * answered now.
   */
  async answer(
    questionId: string,
    answer: { text: string; by: string; at: Date } | null,
  ): Promise<void> {
    await this.db
      .update(questions)
      .set({
        answered: answer !== null,
        answerText: answer?.text ?? null,
        answeredBy: answer?.by ?? null,
        answeredAt: answer?.at ?? null,
        answering: false,
      })
      .where(eq(questions.id, questionId));
  }

  /**
   * Makes `questionId` (a visible question of the stream) the one it is
   * answering now, or none with null; returns the ids of the questions that
   * changed. A unique partial index keeps it to one per stream: a concurrent
   * change loses with a unique violation.
   */
  async setAnswering(streamId: string, questionId: string | null): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const cleared = await tx
        .update(questions)
        .set({ answering: false })
        .where(
          and(
            eq(questions.streamId, streamId),
            eq(questions.answering, true),
            ...(questionId ? [sql`${questions.id} <> ${questionId}`] : []),
          ),
        )
        .returning({ id: questions.id });
      const changed = cleared.map((row) => row.id);
      if (questionId) {
        const set = await tx
          .update(questions)
          .set({ answering: true })
          .where(
            and(
              eq(questions.id, questionId),
              eq(questions.streamId, streamId),
              eq(questions.hidden, false),
              eq(questions.answering, false),
            ),
          )
          .returning({ id: questions.id });
        changed.push(...set.map((row) => row.id));
      }
      return changed;
    });
  }
}
