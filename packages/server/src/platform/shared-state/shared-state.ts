import { OnAirError, type UserSummary, type ViewerCount, type ViewerList } from '@onair/protocol';
import type { RateLimit } from './token-buckets.js';

/** One connection watching a stream. */
export interface PresenceMember {
  socketId: string;
  /** Null for anonymous viewers. */
  user: UserSummary | null;
  /** When the connection joined the stream's room, ms since the epoch. */
  since?: number | undefined;
}

/** How long a presence entry lives without a heartbeat, ms. */
export const PRESENCE_TTL_MS = 30_000;
/** How often each server refreshes its own viewers' entries, ms. */
export const PRESENCE_HEARTBEAT_MS = 10_000;

/**
 * State every server of a deployment must agree on: rate limits, slow mode
 * and presence. In memory on a single server; in Redis when `REDIS_URL` is
 * set, so a user's limits and a viewer's count are the same on every server.
 */
export interface SharedState {
  /** Takes a token from bucket `key`; 0 when allowed, else ms until one is available. */
  take(key: string, rate: RateLimit): Promise<number>;
  /** Slow mode: 0 and records the send when `intervalMs` has passed since the last, else ms to wait. */
  slowMode(key: string, intervalMs: number): Promise<number>;
  /** Adds or refreshes viewers of a stream (join, and each heartbeat). */
  present(streamId: string, members: readonly PresenceMember[]): Promise<void>;
  /** Removes a viewer. */
  absent(streamId: string, socketId: string): Promise<void>;
  /** Viewer count: signed-in users once each, anonymous connections each; and the peak. */
  count(streamId: string): Promise<Omit<ViewerCount, 'streamId'>>;
  /** Signed-in viewers (once each) and the anonymous count. */
  list(streamId: string): Promise<ViewerList>;
  close(): Promise<void>;
}

/** A signed-in viewer as listed: since when they watch (their earliest connection). */
type ListedViewer = ViewerList['viewers'][number];

/**
 * Signed-in users (once each, with the earliest `since` of their
 * connections) and the anonymous count of presence entries.
 */
export function summarise(entries: Iterable<PresenceMember>) {
  const users = new Map<string, ListedViewer>();
  let anonymous = 0;
  for (const { user, since } of entries) {
    if (!user) {
      anonymous++;
      continue;
    }
    const before = users.get(user.id)?.since;
    const at = since === undefined ? undefined : new Date(since).toISOString();
    const earliest = before === undefined || (at !== undefined && at < before) ? at : before;
    users.set(user.id, {
      id: user.id,
      displayName: user.displayName,
      ...(earliest ? { since: earliest } : {}),
    });
  }
  return { users, anonymous };
}

/** Takes a token from `state`'s bucket `key`; `RATE_LIMITED` with `retryAfterSeconds` when empty. */
export async function takeToken(
  state: Pick<SharedState, 'take'>,
  key: string,
  rate: RateLimit,
  message: string,
): Promise<void> {
  const wait = await state.take(key, rate);
  if (wait > 0) {
    throw new OnAirError('RATE_LIMITED', message, { retryAfterSeconds: Math.ceil(wait / 1000) });
  }
}
