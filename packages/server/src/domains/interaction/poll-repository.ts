import type { Poll } from '@onair/protocol';
import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import { newId } from '../../platform/ids.js';
import type { Database } from '../../storage/database.js';
import { polls, pollVotes } from '../../storage/schema.js';

type PollRow = typeof polls.$inferSelect;

/** Most polls a list returns. */
export const POLL_LIST_LIMIT = 20;

/** Polls and their votes. */
export class PollRepository {
  constructor(private readonly db: Database) {}

  /** Creates a poll; an open poll of the stream is closed first (one open poll at a time). */
  async create(
    streamId: string,
    createdBy: string,
    question: string,
    options: string[],
  ): Promise<Poll> {
    const id = newId('poll');
    const now = new Date();
    await this.db.transaction(async (tx) => {
      await tx
        .update(polls)
        .set({ closedAt: now })
        .where(and(eq(polls.streamId, streamId), isNull(polls.closedAt)));
      await tx.insert(polls).values({ id, streamId, question, options, createdBy, createdAt: now });
    });
    return (await this.find(streamId, id)) as Poll;
  }

  /** One poll with its results. */
  async find(streamId: string, pollId: string): Promise<Poll | undefined> {
    const rows = await this.db
      .select()
      .from(polls)
      .where(and(eq(polls.id, pollId), eq(polls.streamId, streamId)));
    const row = rows[0];
    return row ? (await this.withResults([row]))[0] : undefined;
  }

  /** The stream's latest polls, newest first, with results. */
  async list(streamId: string): Promise<Poll[]> {
    const rows = await this.db
      .select()
      .from(polls)
      .where(eq(polls.streamId, streamId))
      .orderBy(desc(polls.createdAt), desc(polls.id))
      .limit(POLL_LIST_LIMIT);
    return this.withResults(rows);
  }

  /** Option chosen by `userId`, per poll id. */
  async votesOf(userId: string, pollIds: string[]): Promise<Record<string, number>> {
    if (pollIds.length === 0) return {};
    const rows = await this.db
      .select({ pollId: pollVotes.pollId, option: pollVotes.option })
      .from(pollVotes)
      .where(and(eq(pollVotes.userId, userId), inArray(pollVotes.pollId, pollIds)));
    return Object.fromEntries(rows.map((r) => [r.pollId, r.option]));
  }

  /** Records a vote; false when this user already voted. */
  async vote(pollId: string, userId: string, option: number): Promise<boolean> {
    const inserted = await this.db
      .insert(pollVotes)
      .values({ pollId, userId, option })
      .onConflictDoNothing()
      .returning({ pollId: pollVotes.pollId });
    return inserted.length > 0;
  }

  /** Closes a poll (idempotent). */
  async close(pollId: string): Promise<void> {
    await this.db
      .update(polls)
      .set({ closedAt: new Date() })
      .where(and(eq(polls.id, pollId), isNull(polls.closedAt)));
  }

  private async withResults(rows: PollRow[]): Promise<Poll[]> {
    if (rows.length === 0) return [];
    const tallies = await this.db
      .select({ pollId: pollVotes.pollId, option: pollVotes.option, votes: count() })
      .from(pollVotes)
      .where(
        inArray(
          pollVotes.pollId,
          rows.map((r) => r.id),
        ),
      )
      .groupBy(pollVotes.pollId, pollVotes.option);
    return rows.map((row) => {
      const options = row.options.map((text, i) => ({
        text,
        votes: Number(tallies.find((t) => t.pollId === row.id && t.option === i)?.votes ?? 0),
      }));
      return {
        id: row.id,
        streamId: row.streamId,
        question: row.question,
        options,
        totalVotes: options.reduce((sum, o) => sum + o.votes, 0),
        closed: row.closedAt !== null,
        createdAt: row.createdAt.toISOString(),
      };
    });
  }
}
