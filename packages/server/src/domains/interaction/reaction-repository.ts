import type { ReactionStats } from '@onair/protocol';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Database } from '../../storage/database.js';
import { reactionCounts } from '../../storage/schema.js';

/** Reaction counts per stream, minute and emoji, for analytics. */
export class ReactionRepository {
  constructor(private readonly db: Database) {}

  /** Adds counts for one minute (`minute` is truncated to the minute). */
  async add(streamId: string, minute: Date, counts: ReadonlyMap<string, number>): Promise<void> {
    if (counts.size === 0) return;
    const at = new Date(Math.floor(minute.getTime() / 60_000) * 60_000);
    await this.db
      .insert(reactionCounts)
      .values([...counts].map(([emoji, count]) => ({ streamId, minute: at, emoji, count })))
      .onConflictDoUpdate({
        target: [reactionCounts.streamId, reactionCounts.minute, reactionCounts.emoji],
        set: { count: sql`${reactionCounts.count} + excluded.count` },
      });
  }

  /** Counts of the minutes that start in `[from, to)` (ms), by minute then emoji. */
  async between(
    streamId: string,
    from: number,
    to: number,
  ): Promise<Array<{ minute: Date; emoji: string; count: number }>> {
    return this.db
      .select({
        minute: reactionCounts.minute,
        emoji: reactionCounts.emoji,
        count: reactionCounts.count,
      })
      .from(reactionCounts)
      .where(
        and(
          eq(reactionCounts.streamId, streamId),
          gte(reactionCounts.minute, new Date(from)),
          lt(reactionCounts.minute, new Date(to)),
        ),
      )
      .orderBy(reactionCounts.minute, reactionCounts.emoji);
  }

  /** Totals by emoji and per minute. */
  async stats(streamId: string): Promise<ReactionStats> {
    const rows = await this.db
      .select()
      .from(reactionCounts)
      .where(eq(reactionCounts.streamId, streamId))
      .orderBy(reactionCounts.minute);
    const byEmoji: Record<string, number> = {};
    const perMinute = new Map<number, number>();
    let total = 0;
    for (const row of rows) {
      total += row.count;
      byEmoji[row.emoji] = (byEmoji[row.emoji] ?? 0) + row.count;
      const t = row.minute.getTime();
      perMinute.set(t, (perMinute.get(t) ?? 0) + row.count);
    }
    return {
      streamId,
      total,
      byEmoji,
      perMinute: [...perMinute].map(([t, count]) => ({ at: new Date(t).toISOString(), count })),
    };
  }
}
