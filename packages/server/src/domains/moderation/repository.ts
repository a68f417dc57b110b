import { OnAirError, type UserSummary } from '@onair/protocol';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../storage/database.js';
import { channelRestrictions, users } from '../../storage/schema.js';

/** A ban (no end) or a timeout (ends at `until`) of a user in a channel's chat. */
export interface Restriction {
  kind: 'ban' | 'timeout';
  until: Date | null;
}

/** Bans and timeouts per channel. */
export class RestrictionRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The user's active restriction in a channel; expired timeouts count as none. */
  async active(channelId: string, userId: string): Promise<Restriction | null> {
    const rows = await this.db
      .select({ kind: channelRestrictions.kind, until: channelRestrictions.until })
      .from(channelRestrictions)
      .where(
        and(eq(channelRestrictions.channelId, channelId), eq(channelRestrictions.userId, userId)),
      );
    const row = rows[0];
    if (!row) return null;
    if (row.kind === 'timeout' && (!row.until || row.until.getTime() <= this.now())) return null;
    return row;
  }

  /** Bans (until is null) or times out a user, replacing any earlier restriction. */
  async restrict(
    channelId: string,
    userId: string,
    restriction: Restriction & { by: string; reason?: string | undefined },
  ): Promise<void> {
    const values = {
      kind: restriction.kind,
      until: restriction.until,
      by: restriction.by,
      reason: restriction.reason ?? null,
      createdAt: new Date(this.now()),
    };
    await this.db
      .insert(channelRestrictions)
      .values({ channelId, userId, ...values })
      .onConflictDoUpdate({
        target: [channelRestrictions.channelId, channelRestrictions.userId],
        set: values,
      });
  }

  /**
   * The user a moderator named in a command: by id, or by display name
   * (case-insensitive, an optional leading `@`). `NOT_FOUND` when nobody or
   * `CONFLICT` when several users have that name.
   */
  async resolveUser(name: string): Promise<UserSummary> {
    const wanted = name.replace(/^@/, '');
    const byId = await this.db.select().from(users).where(eq(users.id, wanted));
    if (byId[0]) return { id: byId[0].id, displayName: byId[0].displayName };
    const byName = await this.db
      .select()
      .from(users)
      .where(sql`lower(${users.displayName}) = lower(${wanted})`)
      .limit(2);
    if (byName.length === 0) throw new OnAirError('NOT_FOUND', `No user called ${wanted}`);
    if (byName.length > 1) {
      throw new OnAirError('CONFLICT', `Several users are called ${wanted}: use their id`);
    }
    const user = byName[0] as { id: string; displayName: string };
    return { id: user.id, displayName: user.displayName };
  }

  /** Lifts a ban or timeout; false if there was none. */
  async lift(channelId: string, userId: string): Promise<boolean> {
    const removed = await this.db
      .delete(channelRestrictions)
      .where(
        and(eq(channelRestrictions.channelId, channelId), eq(channelRestrictions.userId, userId)),
      )
      .returning({ userId: channelRestrictions.userId });
    return removed.length > 0;
  }
}
