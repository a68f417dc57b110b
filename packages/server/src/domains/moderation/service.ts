import { OnAirError, type Stream, type UserSummary } from '@onair/protocol';
import type { Identity } from '../../platform/auth/identity.js';
import type { SharedCaches } from '../../platform/caches.js';
import type { TtlCache } from '../../platform/ttl-cache.js';
import type { Restriction, RestrictionRepository } from './repository.js';

/** Name of the restriction cache in {@link SharedCaches}. */
export const RESTRICTION_CACHE = 'restriction';

/** A ban (no end) or a timeout. */
export type RestrictionRequest = { kind: 'ban' } | { kind: 'timeout'; seconds: number };

/**
 * Bans and timeouts in a channel, and the check every audience action makes.
 * Active restrictions are cached by `channelId:userId` and invalidated on
 * every server when they change.
 */
export class ModerationService {
  private readonly cache: TtlCache<Restriction | null>;

  constructor(
    private readonly restrictions: RestrictionRepository,
    private readonly caches: SharedCaches,
  ) {
    this.cache = caches.register(RESTRICTION_CACHE, 30_000);
  }

  /** The user's active ban or timeout in a channel; `fresh` reads the database, not the cache. */
  active(channelId: string, userId: string, fresh = false): Promise<Restriction | null> {
    if (fresh) return this.restrictions.active(channelId, userId);
    return this.cache.get(`${channelId}:${userId}`, () =>
      this.restrictions.active(channelId, userId),
    );
  }

  /**
   * Refuses a banned or timed-out user (`BANNED`, with `until` for a timeout);
   * with `only: 'ban'`, timeouts pass. The channel's owner is never
   * restricted. `fresh` reads the database (joins do, so a ban holds on
   * reconnect even before caches catch up).
   */
  async assertNotRestricted(
    stream: Stream,
    who: Identity,
    only?: 'ban',
    fresh = false,
  ): Promise<void> {
    if (who.userId === stream.owner.id) return;
    const restriction = await this.active(stream.owner.id, who.userId, fresh);
    if (!restriction || (only === 'ban' && restriction.kind !== 'ban')) return;
    if (restriction.kind === 'timeout' && (restriction.until?.getTime() ?? 0) <= Date.now()) return;
    if (restriction.kind === 'ban') {
      throw new OnAirError('BANNED', 'You are banned from this channel', { until: null });
    }
    const until = restriction.until?.toISOString() ?? null;
    const seconds = Math.ceil(((restriction.until?.getTime() ?? Date.now()) - Date.now()) / 1000);
    throw new OnAirError('BANNED', `You are timed out for ${seconds} s`, {
      until,
      retryAfterSeconds: seconds,
    });
  }

  /**
   * Bans or times out a user in the stream's channel; returns when it ends
   * (null for a ban). The channel's owner and the caller themselves cannot be
   * restricted.
   */
  async restrict(
    stream: Stream,
    by: Identity,
    userId: string,
    restriction: RestrictionRequest,
    reason?: string,
  ): Promise<Date | null> {
    if (userId === stream.owner.id) {
      throw new OnAirError('FORBIDDEN', "The channel's owner cannot be banned or timed out");
    }
    if (userId === by.userId) throw new OnAirError('FORBIDDEN', 'You cannot restrict yourself');
    const until =
      restriction.kind === 'timeout' ? new Date(Date.now() + restriction.seconds * 1000) : null;
    await this.restrictions.restrict(stream.owner.id, userId, {
      kind: restriction.kind,
      until,
      by: by.userId,
      reason,
    });
    this.caches.invalidate(RESTRICTION_CACHE, `${stream.owner.id}:${userId}`);
    return until;
  }

  /** Lifts a user's ban or timeout; false when there was none. */
  async lift(channelId: string, userId: string): Promise<boolean> {
    const lifted = await this.restrictions.lift(channelId, userId);
    this.caches.invalidate(RESTRICTION_CACHE, `${channelId}:${userId}`);
    return lifted;
  }

  /** A user by id or display name (for chat commands). */
  resolveUser(name: string): Promise<UserSummary> {
    return this.restrictions.resolveUser(name);
  }
}
