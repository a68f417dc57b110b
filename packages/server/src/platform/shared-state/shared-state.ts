import type { UserSummary, ViewerCount, ViewerList } from '@onair/protocol';
import type { Redis } from 'ioredis';
import { type RateLimit, TokenBuckets } from '../../transport/http/rate-limit.js';

/** One connection watching a stream. */
export interface PresenceMember {
  socketId: string;
  /** Null for anonymous viewers. */
  user: UserSummary | null;
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

interface Entry {
  user: UserSummary | null;
  expires: number;
}

function summarise(entries: Iterable<{ socketId: string; user: UserSummary | null }>) {
  const users = new Map<string, UserSummary>();
  let anonymous = 0;
  for (const entry of entries) {
    if (entry.user) users.set(entry.user.id, entry.user);
    else anonymous++;
  }
  return { users, anonymous };
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
    for (const m of members) room.set(m.socketId, { user: m.user, expires });
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
    const out: Array<{ socketId: string; user: UserSummary | null }> = [];
    for (const [socketId, entry] of room) {
      if (entry.expires <= now) room.delete(socketId);
      else out.push({ socketId, user: entry.user });
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

// Token bucket in Redis time, so servers with skewed clocks agree. Returns ms to wait.
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or cap
local at = tonumber(b[2]) or now
tokens = math.min(cap, tokens + (now - at) / 1000 * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate * 1000) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate * 1000) + 1000)
return wait
`;

// Drops expired members (sorted set by expiry, and their users in the
// hash), then returns the hash: socket id → JSON user or "null".
const LIVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
if #expired > 0 then
  redis.call('ZREM', KEYS[1], unpack(expired))
  redis.call('HDEL', KEYS[2], unpack(expired))
end
return redis.call('HGETALL', KEYS[2])
`;

/** {@link SharedState} in Redis: shared by every server of a deployment. */
export class RedisState implements SharedState {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'onair:',
  ) {}

  async take(key: string, rate: RateLimit): Promise<number> {
    const wait = await this.redis.eval(
      TAKE_SCRIPT,
      1,
      `${this.prefix}bucket:${rate.capacity}/${rate.refillPerSecond}:${key}`,
      rate.capacity,
      rate.refillPerSecond,
    );
    return Number(wait);
  }

  async slowMode(key: string, intervalMs: number): Promise<number> {
    const k = `${this.prefix}slow:${key}`;
    const set = await this.redis.set(k, '1', 'PX', intervalMs, 'NX');
    if (set === 'OK') return 0;
    return Math.max(1, await this.redis.pttl(k));
  }

  private presenceKeys(streamId: string): [string, string] {
    return [`${this.prefix}presence:${streamId}`, `${this.prefix}presence-users:${streamId}`];
  }

  async present(streamId: string, members: readonly PresenceMember[]): Promise<void> {
    if (members.length === 0) return;
    const expires = String(Date.now() + PRESENCE_TTL_MS);
    const scores: string[] = [];
    const users: string[] = [];
    for (const m of members) {
      scores.push(expires, m.socketId);
      users.push(m.socketId, JSON.stringify(m.user));
    }
    const [zset, hash] = this.presenceKeys(streamId);
    await this.redis
      .multi()
      .zadd(zset, ...scores)
      .hset(hash, ...users)
      .pexpire(zset, PRESENCE_TTL_MS * 2)
      .pexpire(hash, PRESENCE_TTL_MS * 2)
      .exec();
  }

  async absent(streamId: string, socketId: string): Promise<void> {
    const [zset, hash] = this.presenceKeys(streamId);
    await this.redis.multi().zrem(zset, socketId).hdel(hash, socketId).exec();
  }

  private async live(streamId: string) {
    const raw = (await this.redis.eval(LIVE_SCRIPT, 2, ...this.presenceKeys(streamId))) as string[];
    const out: Array<{ socketId: string; user: UserSummary | null }> = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      try {
        const user = JSON.parse(raw[i + 1] as string) as UserSummary | null;
        out.push({ socketId: raw[i] as string, user: user?.id ? user : null });
      } catch {
        // Not ours: ignore.
      }
    }
    return out;
  }

  async count(streamId: string) {
    const { users, anonymous } = summarise(await this.live(streamId));
    const count = users.size + anonymous;
    const peakKey = `${this.prefix}peak:${streamId}`;
    const peak = Number(
      await this.redis.eval(
        "local p = tonumber(redis.call('GET', KEYS[1]) or '0'); local c = tonumber(ARGV[1]); if c > p then redis.call('SET', KEYS[1], c, 'EX', 86400) return c end return p",
        1,
        peakKey,
        count,
      ),
    );
    return { count, signedIn: users.size, anonymous, peak };
  }

  async list(streamId: string): Promise<ViewerList> {
    const { users, anonymous } = summarise(await this.live(streamId));
    return { viewers: [...users.values()], anonymous };
  }

  async close(): Promise<void> {}
}
