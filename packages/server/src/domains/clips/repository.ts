import type { UserSummary } from '@onair/protocol';
import { and, desc, eq, gt, inArray, notExists, sql } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../../storage/cursor.js';
import type { Database } from '../../storage/database.js';
import { clipFileDrops, clips, users } from '../../storage/schema.js';

/** A clip as stored (its URLs are made by the service). */
export interface StoredClip {
  id: string;
  streamId: string;
  createdBy: UserSummary;
  title: string;
  startSeconds: number;
  durationSeconds: number;
  hasPoster: boolean;
  /** Where peers reach the node keeping its files; null on a server without peers. */
  node?: string | null;
  createdAt: Date;
}

/** Clips of streams. */
export class ClipRepository {
  constructor(private readonly db: Database) {}

  /** Stores a clip just cut. */
  async create(clip: Omit<StoredClip, 'createdBy'> & { createdBy: string }): Promise<void> {
    await this.db.insert(clips).values(clip);
  }

  private query() {
    return this.db
      .select({ clip: clips, by: users })
      .from(clips)
      .innerJoin(users, eq(users.id, clips.createdBy));
  }

  private static toStored(row: { clip: typeof clips.$inferSelect; by: typeof users.$inferSelect }) {
    const { clip, by } = row;
    return {
      ...clip,
      createdBy: { id: by.id, displayName: by.displayName },
    } satisfies StoredClip;
  }

  /** A clip by id. */
  async find(id: string): Promise<StoredClip | undefined> {
    const [row] = await this.query().where(eq(clips.id, id)).limit(1);
    return row && ClipRepository.toStored(row);
  }

  /** A stream's clips, newest first, a page at a time. */
  async list(
    streamId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: StoredClip[]; nextCursor: string | null }> {
    const filters = [eq(clips.streamId, streamId)];
    if (cursor) {
      const after = decodeCursor(cursor);
      filters.push(
        sql`(${clips.createdAt}, ${clips.id}) < (${after.at.toISOString()}::timestamptz, ${after.id})`,
      );
    }
    const rows = await this.query()
      .where(and(...filters))
      .orderBy(desc(clips.createdAt), desc(clips.id))
      .limit(limit + 1);
    const items = rows.slice(0, limit).map(ClipRepository.toStored);
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  /**
   * Deletes a clip; false when there was none. With `filesOn` (another
   * node keeps its files), a tombstone for them is written with it, at once.
   */
  async delete(id: string, filesOn?: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const deleted = await tx.delete(clips).where(eq(clips.id, id)).returning({ id: clips.id });
      if (deleted.length > 0 && filesOn) {
        await tx.insert(clipFileDrops).values({ clipId: id, node: filesOn }).onConflictDoNothing();
      }
      return deleted.length > 0;
    });
  }

  /** Records that a deleted clip's files on `node` are still to be deleted there. */
  async tombstone(clipId: string, node: string): Promise<void> {
    await this.db.insert(clipFileDrops).values({ clipId, node }).onConflictDoNothing();
  }

  /**
   * Clips whose files `node` is to delete, by id, up to `limit` after the id
   * `after`. A tombstone whose clip row exists is skipped: written when the
   * row's insert seemed to fail (it committed, the answer was lost).
   */
  async tombstonesOf(node: string, limit: number, after?: string): Promise<string[]> {
    const rows = await this.db
      .select({ clipId: clipFileDrops.clipId })
      .from(clipFileDrops)
      .where(
        and(
          eq(clipFileDrops.node, node),
          after === undefined ? undefined : gt(clipFileDrops.clipId, after),
          notExists(
            this.db.select({ id: clips.id }).from(clips).where(eq(clips.id, clipFileDrops.clipId)),
          ),
        ),
      )
      .orderBy(clipFileDrops.clipId)
      .limit(limit);
    return rows.map((row) => row.clipId);
  }

  /** Forgets tombstones whose files are deleted. */
  async forgetTombstones(clipIds: readonly string[]): Promise<void> {
    if (clipIds.length === 0) return;
    await this.db.delete(clipFileDrops).where(inArray(clipFileDrops.clipId, [...clipIds]));
  }
}
