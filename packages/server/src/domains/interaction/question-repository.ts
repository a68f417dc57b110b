import type { Question, QuestionSort } from '@onair/protocol';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { newId } from '../../platform/ids.js';
import type { Database } from '../../storage/database.js';
import { questions, questionVotes, users } from '../../storage/schema.js';

type QuestionRow = typeof questions.$inferSelect;

const toQuestion = (q: QuestionRow, author: { id: string; displayName: string }): Question => ({
  id: q.id,
  streamId: q.streamId,
  author: { id: author.id, displayName: author.displayName },
  text: q.text,
  upvotes: q.upvotes,
  answered: q.answered,
  hidden: q.hidden,
  createdAt: q.createdAt.toISOString(),
});

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
      .select({ q: questions, author: users })
      .from(questions)
      .innerJoin(users, eq(users.id, questions.authorId))
      .where(and(eq(questions.id, questionId), eq(questions.streamId, streamId)));
    const row = rows[0];
    return row ? toQuestion(row.q, row.author) : undefined;
  }

  /** Visible questions, by votes (ties: older first) or newest first. */
  async list(streamId: string, sort: QuestionSort): Promise<Question[]> {
    const rows = await this.db
      .select({ q: questions, author: users })
      .from(questions)
      .innerJoin(users, eq(users.id, questions.authorId))
      .where(and(eq(questions.streamId, streamId), eq(questions.hidden, false)))
      .orderBy(
        ...(sort === 'votes'
          ? [desc(questions.upvotes), questions.createdAt, questions.id]
          : [desc(questions.createdAt), desc(questions.id)]),
      )
      .limit(QUESTION_LIST_LIMIT);
    return rows.map((r) => toQuestion(r.q, r.author));
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

  /** Sets the answered or hidden flag. */
  async mark(questionId: string, patch: { answered?: boolean; hidden?: boolean }): Promise<void> {
    await this.db.update(questions).set(patch).where(eq(questions.id, questionId));
  }
}
