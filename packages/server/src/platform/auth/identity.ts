import type { ChatBadge, Role, TokenClaims } from '@onair/protocol';

/** Who is calling, as the host app's token says. */
export interface Identity {
  userId: string;
  displayName: string;
  /** Their picture, from the token's `picture` claim. */
  avatarUrl?: string;
  roles: readonly Role[];
  /** Channel ids this user moderates. */
  moderates: readonly string[];
  /** Subscription tier per channel id. */
  subscriptions: Readonly<Record<string, number>>;
  /** When the token expires, seconds since the epoch (its `exp`): a realtime connection's identity ends then. */
  exp?: number;
}

/** Builds an identity from verified token claims and the token's `exp`. */
export function identityFromClaims(claims: TokenClaims, exp?: number): Identity {
  return {
    userId: claims.sub,
    displayName: claims.name ?? claims.sub,
    ...(claims.picture === undefined ? {} : { avatarUrl: claims.picture }),
    roles: claims.roles?.length ? claims.roles : ['viewer'],
    moderates: claims.moderates ?? [],
    subscriptions: claims.subscriptions ?? {},
    ...(exp === undefined ? {} : { exp }),
  };
}

/** The user `who` is, as stored and shown: id, display name and picture. */
export const userOf = (
  who: Pick<Identity, 'userId' | 'displayName' | 'avatarUrl'>,
): { id: string; displayName: string; avatarUrl?: string } => ({
  id: who.userId,
  displayName: who.displayName,
  ...(who.avatarUrl === undefined ? {} : { avatarUrl: who.avatarUrl }),
});

/** Whether `who`'s token has expired (an identity without `exp` never does). */
export const hasExpired = (who: Identity, now = Date.now()): boolean =>
  who.exp !== undefined && who.exp * 1000 <= now;

/** Whether the caller is an admin. */
export const isAdmin = (who: Identity | undefined): boolean => !!who?.roles.includes('admin');

/** Whether the caller owns the channel (its id is the owner's user id). */
export const ownsChannel = (who: Identity | undefined, channelId: string): boolean =>
  who?.userId === channelId;

/** Whether the caller may moderate the channel: its owner, one of its moderators, or an admin. */
export const canModerate = (who: Identity | undefined, channelId: string): boolean =>
  !!who && (ownsChannel(who, channelId) || isAdmin(who) || who.moderates.includes(channelId));

/** Subscription tier of the caller on a channel (0 = not subscribed). */
export const subscriptionTier = (who: Identity | undefined, channelId: string): number =>
  who?.subscriptions[channelId] ?? 0;

/** Chat badges of `who` in a channel, from their claims. */
export function badgesIn(who: Identity, channelId: string): ChatBadge[] {
  const badges: ChatBadge[] = [];
  if (ownsChannel(who, channelId)) badges.push('owner');
  else if (who.moderates.includes(channelId)) badges.push('moderator');
  if (isAdmin(who)) badges.push('admin');
  const tier = subscriptionTier(who, channelId);
  if (tier >= 1 && tier <= 3) badges.push(`subscriber-${tier}` as ChatBadge);
  return badges;
}
