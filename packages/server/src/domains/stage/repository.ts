import { OnAirError, type UserSummary } from '@onair/protocol';
import type { RaisedHand, StageLayout, StageRole } from '@onair/protocol/stage';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../storage/database.js';
import { stageHands, stageMembers, streams, users } from '../../storage/schema.js';

/** A stored member of a stage (without whether they publish: the media plane knows that). */
export interface StageMemberRow {
  user: UserSummary;
  role: StageRole;
  mutedByHost: boolean;
  invitedAt: Date;
}

/** Stage members and raised hands of streams. */
export class StageRepository {
  constructor(private readonly db: Database) {}

  /** A stream's members, in the order they came on stage. */
  async members(streamId: string): Promise<StageMemberRow[]> {
    const rows = await this.db
      .select({
        id: users.id,
        displayName: users.displayName,
        role: stageMembers.role,
        mutedByHost: stageMembers.mutedByHost,
        invitedAt: stageMembers.invitedAt,
      })
      .from(stageMembers)
      .innerJoin(users, eq(users.id, stageMembers.userId))
      .where(eq(stageMembers.streamId, streamId))
      .orderBy(asc(stageMembers.invitedAt), asc(stageMembers.userId));
    return rows.map(({ id, displayName, ...member }) => ({
      user: { id, displayName },
      ...member,
    }));
  }

  /** One member, or undefined when the user is not on the stage. */
  async member(streamId: string, userId: string): Promise<StageMemberRow | undefined> {
    return (await this.members(streamId)).find((m) => m.user.id === userId);
  }

  /** A stream's stage layout, if its owner chose one. */
  async layout(streamId: string): Promise<StageLayout | undefined> {
    const [row] = await this.db
      .select({ layout: streams.stageLayout })
      .from(streams)
      .where(eq(streams.id, streamId));
    return (row?.layout as StageLayout | null | undefined) ?? undefined;
  }

  /** Keeps a stream's stage layout. */
  async setLayout(streamId: string, layout: StageLayout): Promise<void> {
    await this.db.update(streams).set({ stageLayout: layout }).where(eq(streams.id, streamId));
  }

  /** A stream's raised hands, first raised first. */
  async hands(streamId: string): Promise<RaisedHand[]> {
    const rows = await this.db
      .select({ id: users.id, displayName: users.displayName, raisedAt: stageHands.raisedAt })
      .from(stageHands)
      .innerJoin(users, eq(users.id, stageHands.userId))
      .where(eq(stageHands.streamId, streamId))
      .orderBy(asc(stageHands.raisedAt), asc(stageHands.userId));
    return rows.map((r) => ({
      user: { id: r.id, displayName: r.displayName },
      raisedAt: r.raisedAt.toISOString(),
    }));
  }

  /**
   * Puts a user on the stage in `role` (or changes the role of one who is
   * there), lowering their hand. With the stream's row locked, so that two
   * invitations at once cannot pass `maxMembers` together: `STREAM_FULL`
   * past it, `NOT_FOUND` for a user this server never saw.
   */
  async invite(
    streamId: string,
    userId: string,
    role: StageRole,
    maxMembers: number,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .select({ id: streams.id })
        .from(streams)
        .where(eq(streams.id, streamId))
        .for('update');
      const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
      if (!user) throw new OnAirError('NOT_FOUND', 'No such user');
      const where = and(eq(stageMembers.streamId, streamId), eq(stageMembers.userId, userId));
      const updated = await tx
        .update(stageMembers)
        .set({ role })
        .where(where)
        .returning({ userId: stageMembers.userId });
      if (updated.length === 0) {
        const [taken] = await tx
          .select({ n: count() })
          .from(stageMembers)
          .where(eq(stageMembers.streamId, streamId));
        if ((taken?.n ?? 0) >= maxMembers) {
          throw new OnAirError('STREAM_FULL', `The stage is full (${maxMembers + 1} people)`, {
            stageLimit: maxMembers + 1,
          });
        }
        await tx.insert(stageMembers).values({ streamId, userId, role });
      }
      await tx
        .delete(stageHands)
        .where(and(eq(stageHands.streamId, streamId), eq(stageHands.userId, userId)));
    });
  }

  /** Mutes or unmutes a member for everyone; false when the user is not on the stage. */
  async setMuted(streamId: string, userId: string, mutedByHost: boolean): Promise<boolean> {
    const rows = await this.db
      .update(stageMembers)
      .set({ mutedByHost })
      .where(and(eq(stageMembers.streamId, streamId), eq(stageMembers.userId, userId)))
      .returning({ userId: stageMembers.userId });
    return rows.length > 0;
  }

  /** Takes a user off the stage; false when they were not on it. */
  async remove(streamId: string, userId: string): Promise<boolean> {
    const rows = await this.db
      .delete(stageMembers)
      .where(and(eq(stageMembers.streamId, streamId), eq(stageMembers.userId, userId)))
      .returning({ userId: stageMembers.userId });
    return rows.length > 0;
  }

  /** Raises a user's hand (a second raise keeps the first one's place). */
  async raiseHand(streamId: string, userId: string): Promise<void> {
    await this.db.insert(stageHands).values({ streamId, userId }).onConflictDoNothing();
  }

  /**
   * Takes a user off every stage of a channel's streams that have not ended
   * (a ban): their raised hands and their places on stage. Returns the
   * streams whose hand went down and those they left the stage of.
   */
  async leaveChannel(
    channelId: string,
    userId: string,
  ): Promise<{ hands: string[]; members: string[] }> {
    const open = this.db
      .select({ id: streams.id })
      .from(streams)
      .where(and(eq(streams.ownerId, channelId), inArray(streams.status, ['scheduled', 'live'])));
    const hands = await this.db
      .delete(stageHands)
      .where(and(eq(stageHands.userId, userId), inArray(stageHands.streamId, open)))
      .returning({ streamId: stageHands.streamId });
    const members = await this.db
      .delete(stageMembers)
      .where(and(eq(stageMembers.userId, userId), inArray(stageMembers.streamId, open)))
      .returning({ streamId: stageMembers.streamId });
    return { hands: hands.map((h) => h.streamId), members: members.map((m) => m.streamId) };
  }

  /** Lowers a user's hand; false when it was not raised. */
  async lowerHand(streamId: string, userId: string): Promise<boolean> {
    const rows = await this.db
      .delete(stageHands)
      .where(and(eq(stageHands.streamId, streamId), eq(stageHands.userId, userId)))
      .returning({ userId: stageHands.userId });
    return rows.length > 0;
  }
}
