import type { UserSummary, ViewerList } from '@onair/protocol';
import {
  PRESENCE_TTL_MS,
  type PresenceMember,
  type SharedState,
  summarise,
} from './shared-state.js';
import { type RateLimit, TokenBuckets } from './token-buckets.js';

interface Entry {
  user: UserSummary | null;
  since: number | undefined;
  expires: number;
}

/** {@link SharedState} of a single server, in memory. */
export class MemoryState implements SharedState {
  private readonly buckets = new Map<string, TokenBuckets>();
  private readonly lastSend = new Map<string, number>();
  private readonly viewers = new Map<string, Map<string, Entry>>();
  private readonly peaks = new Map<string, number>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  async take(key: string, rate: RateLimit): Promise<number> {
    const id = `${rate.capacity}/${rate.refillPerSecond}`;
    let buckets = this.buckets.get(id);
    if (!buckets) {
      buckets = new TokenBuckets(rate, this.now, 'ms');
      this.buckets.set(id, buckets);
    }
    return buckets.take(key);
  }

  async slowMode(key: string, intervalMs: number): Promise<number> {
    const now = this.now();
    const last = this.lastSend.get(key);
    if (last !== undefined && now - last < intervalMs) return intervalMs - (now - last);
    if (this.lastSend.size > 100_000) this.lastSend.clear();
    this.lastSend.set(key, now);
    return 0;
  }

  async present(streamId: string, members: readonly PresenceMember[]): Promise<void> {
    let room = this.viewers.get(streamId);
    if (!room) {
      room = new Map();
      this.viewers.set(streamId, room);
    }
    const expires = this.now() + PRESENCE_TTL_MS;
    for (const m of members) room.set(m.socketId, { user: m.user, since: m.since, expires });
  }

  async absent(streamId: string, socketId: string): Promise<void> {
    const room = this.viewers.get(streamId);
    room?.delete(socketId);
    if (room?.size === 0) this.viewers.delete(streamId);
  }

  private live(streamId: string) {
    const room = this.viewers.get(streamId);
    if (!room) return [];
    const now = this.now();
    const out: PresenceMember[] = [];
    for (const [socketId, entry] of room) {
      if (entry.expires <= now) room.delete(socketId);
      else out.push({ socketId, user: entry.user, since: entry.since });
    }
    return out;
  }

  async count(streamId: string) {
    const { users, anonymous } = summarise(this.live(streamId));
    const count = users.size + anonymous;
    const peak = Math.max(this.peaks.get(streamId) ?? 0, count);
    this.peaks.set(streamId, peak);
    return { count, signedIn: users.size, anonymous, peak };
  }

  async list(streamId: string): Promise<ViewerList> {
    const { users, anonymous } = summarise(this.live(streamId));
    return { viewers: [...users.values()], anonymous };
  }

  async close(): Promise<void> {
    this.viewers.clear();
  }
}
