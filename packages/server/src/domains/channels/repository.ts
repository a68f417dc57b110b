import { type Channel, OnAirError, type UpdateChannelInput } from '@onair/protocol';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../storage/database.js';
import { channels, follows, users } from '../../storage/schema.js';

/** Reads and writes channels and follows. */
export class ChannelRepository {
  constructor(private readonly db: Database) {}

  /** A channel as seen by `viewerId` (whose follow state it includes); `NOT_FOUND` if none. */
  async require(id: string, viewerId: string | undefined): Promise<Channel> {
    const rows = await this.db
      .select({ channel: channels, user: users })
      .from(channels)
      .innerJoin(users, eq(users.id, channels.id))
      .where(eq(channels.id, id))
      .limit(1);
    const row = rows[0];
    if (!row) throw new OnAirError('NOT_FOUND', 'Channel not found');
    return {
      id: row.channel.id,
      displayName: row.user.displayName,
      avatarUrl: row.channel.avatarUrl,
      bannerUrl: row.channel.bannerUrl,
      description: row.channel.description,
      emotes: row.channel.emotes,
      followerCount: row.channel.followerCount,
      following: viewerId ? await this.isFollowing(viewerId, id) : null,
    };
  }

  /** Updates the caller's own channel. */
  async update(id: string, input: UpdateChannelInput): Promise<Channel> {
    await this.db.transaction(async (tx) => {
      if (input.displayName !== undefined) {
        await tx.update(users).set({ displayName: input.displayName }).where(eq(users.id, id));
      }
      const set: Partial<typeof channels.$inferInsert> = { updatedAt: new Date() };
      if (input.avatarUrl !== undefined) set.avatarUrl = input.avatarUrl;
      if (input.bannerUrl !== undefined) set.bannerUrl = input.bannerUrl;
      if (input.description !== undefined) set.description = input.description;
      if (input.emotes !== undefined) set.emotes = input.emotes;
      await tx.update(channels).set(set).where(eq(channels.id, id));
    });
    return this.require(id, id);
  }

  /** Whether `followerId` follows `channelId`. */
  async isFollowing(followerId: string, channelId: string): Promise<boolean> {
    const rows = await this.db
      .select({ id: follows.channelId })
      .from(follows)
      .where(and(eq(follows.followerId, followerId), eq(follows.channelId, channelId)))
      .limit(1);
    return rows.length > 0;
  }

  /**
   * Follows or unfollows. The follower count changes only when the follow row
   * really appeared or disappeared (`changed`), in the same transaction, so
   * repeated or concurrent calls cannot skew it.
   */
  async setFollowing(
    followerId: string,
    channelId: string,
    following: boolean,
  ): Promise<{ followerCount: number; changed: boolean }> {
    return this.db.transaction(async (tx) => {
      const changed = following
        ? await tx
            .insert(follows)
            .values({ followerId, channelId })
            .onConflictDoNothing()
            .returning({ id: follows.channelId })
        : await tx
            .delete(follows)
            .where(and(eq(follows.followerId, followerId), eq(follows.channelId, channelId)))
            .returning({ id: follows.channelId });
      const delta = changed.length === 0 ? 0 : following ? 1 : -1;
      const [row] = await tx
        .update(channels)
        .set({ followerCount: sql`${channels.followerCount} + ${delta}` })
        .where(eq(channels.id, channelId))
        .returning({ count: channels.followerCount });
      return { followerCount: row?.count ?? 0, changed: delta !== 0 };
    });
  }
}
