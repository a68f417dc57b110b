import { type UserSummary, UserSummarySchema, type ViewerList } from '@onair/protocol';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import {
  PRESENCE_TTL_MS,
  type PresenceMember,
  type SharedState,
  summarise,
} from './shared-state.js';
import type { RateLimit } from './token-buckets.js';

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

/** HGETALL's reply: field, value, field, value, … */
const HashReplySchema = z.array(z.string());

/** A presence entry's user as stored: the JSON of a user summary, or `null` (anonymous). */
const StoredUserSchema = z
  .string()
  .transform((text, context): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      context.addIssue({ code: 'custom', message: 'not JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.nullable(z.object({ ...UserSummarySchema.shape, since: z.optional(z.number()) })));

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
      // The join time rides with the user (an anonymous entry needs none).
      users.push(m.socketId, JSON.stringify(m.user && { ...m.user, since: m.since }));
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
    const raw = HashReplySchema.parse(
      await this.redis.eval(LIVE_SCRIPT, 2, ...this.presenceKeys(streamId)),
    );
    const out: PresenceMember[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const stored = StoredUserSchema.safeParse(raw[i + 1]);
      // Anything else is not ours: ignore it.
      if (!stored.success) continue;
      const { since, ...user } = stored.data ?? { since: undefined };
      out.push({
        socketId: raw[i] as string,
        user: stored.data ? (user as UserSummary) : null,
        since,
      });
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
