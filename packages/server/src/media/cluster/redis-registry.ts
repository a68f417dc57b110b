import type { Redis } from 'ioredis';
import { type MediaHolder, MediaHolderSchema, type MediaRegistry } from './registry.js';

// Renews an entry when it is still this node's, or when it expired meanwhile (a Redis
// restart, a long pause): 1 renewed, 0 another node's. Expiry is Redis's, so nodes with
// skewed clocks agree on it.
const RENEW_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, entry = pcall(cjson.decode, current)
  if not (ok and type(entry) == 'table' and entry.nodeId == ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
`;

// Deletes an entry only while it names this node: a node that took the stream over keeps it.
const RELEASE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local ok, entry = pcall(cjson.decode, current)
if ok and type(entry) == 'table' and entry.nodeId == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * {@link MediaRegistry} in Redis, shared by every server of a deployment:
 * one key per stream (`<prefix>media:holder:<streamId>`) holding the
 * holder's JSON, with a millisecond TTL.
 */
export class RedisMediaRegistry implements MediaRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'onair:',
  ) {}

  private key(streamId: string): string {
    return `${this.prefix}media:holder:${streamId}`;
  }

  async claim(streamId: string, holder: MediaHolder, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(streamId), entry(holder), 'PX', ttlMs);
  }

  async renew(streamIds: readonly string[], holder: MediaHolder, ttlMs: number): Promise<string[]> {
    if (streamIds.length === 0) return [];
    const value = entry(holder);
    const pipeline = this.redis.pipeline();
    for (const streamId of streamIds) {
      pipeline.eval(RENEW_SCRIPT, 1, this.key(streamId), value, holder.nodeId, ttlMs);
    }
    const replies = (await pipeline.exec()) ?? [];
    const lost: string[] = [];
    replies.forEach(([error, renewed], i) => {
      if (error) throw error;
      if (Number(renewed) === 0) lost.push(streamIds[i] as string);
    });
    return lost;
  }

  async release(streamId: string, nodeId: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.key(streamId), nodeId);
  }

  async holderOf(streamId: string): Promise<MediaHolder | undefined> {
    const stored = await this.redis.get(this.key(streamId));
    if (stored === null) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(stored);
    } catch {
      return undefined;
    }
    // Anything else under the key is not ours: no holder.
    const holder = MediaHolderSchema.safeParse(json);
    return holder.success ? holder.data : undefined;
  }
}

/** The stored form of a holder (fields in a fixed order). */
const entry = (holder: MediaHolder) => JSON.stringify({ nodeId: holder.nodeId, url: holder.url });
