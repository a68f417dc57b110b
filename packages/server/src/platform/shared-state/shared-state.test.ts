import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryState } from './memory-state.js';
import { RedisState } from './redis-state.js';
import { PRESENCE_TTL_MS, type SharedState } from './shared-state.js';

const REDIS_URL = process.env.ONAIR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL);
const prefix = `onair-test-${randomBytes(4).toString('hex')}:`;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const alice = { id: 'usr_a', displayName: 'Alice' };

describe.each([
  ['memory', () => new MemoryState()],
  ['redis', () => new RedisState(redis, prefix)],
] as Array<[string, () => SharedState]>)('%s shared state', (_name, make) => {
  it('takes tokens per key and answers how long to wait', async () => {
    const state = make();
    const rate = { capacity: 2, refillPerSecond: 1 };
    expect(await state.take('k1', rate)).toBe(0);
    expect(await state.take('k1', rate)).toBe(0);
    const wait = await state.take('k1', rate);
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1000);
    expect(await state.take('k2', rate)).toBe(0);
  });

  it('spaces sends in slow mode', async () => {
    const state = make();
    expect(await state.slowMode('s1', 1000)).toBe(0);
    const wait = await state.slowMode('s1', 1000);
    expect(wait).toBeGreaterThan(900);
    expect(await state.slowMode('s2', 1000)).toBe(0);
  });

  it('counts signed-in users once, anonymous connections each, and keeps the peak', async () => {
    const state = make();
    const stream = `str_${randomBytes(3).toString('hex')}`;
    const [early, late] = [Date.UTC(2026, 11, 4, 10), Date.UTC(2026, 11, 4, 11)];
    await state.present(stream, [
      { socketId: 'a2', user: alice, since: late },
      { socketId: 'a1', user: alice, since: early },
      { socketId: 'x1', user: null, since: late },
    ]);
    expect(await state.count(stream)).toEqual({ count: 2, signedIn: 1, anonymous: 1, peak: 2 });
    // Watching since their earliest connection.
    expect(await state.list(stream)).toEqual({
      viewers: [{ ...alice, since: new Date(early).toISOString() }],
      anonymous: 1,
    });
    await state.absent(stream, 'a1');
    expect((await state.list(stream)).viewers).toEqual([
      { ...alice, since: new Date(late).toISOString() },
    ]);
    await state.absent(stream, 'x1');
    expect(await state.count(stream)).toEqual({ count: 1, signedIn: 1, anonymous: 0, peak: 2 });
    await state.absent(stream, 'a2');
    expect(await state.count(stream)).toEqual({ count: 0, signedIn: 0, anonymous: 0, peak: 2 });
  });
});

describe('presence expiry', () => {
  it('drops viewers whose server stopped refreshing them', async () => {
    let now = 0;
    const state = new MemoryState(() => now);
    await state.present('s', [{ socketId: 'a', user: null }]);
    now = PRESENCE_TTL_MS - 1;
    expect((await state.count('s')).count).toBe(1);
    await state.present('s', [{ socketId: 'a', user: null }]);
    now = 2 * PRESENCE_TTL_MS - 2;
    expect((await state.count('s')).count).toBe(1);
    now = 2 * PRESENCE_TTL_MS + 1;
    expect((await state.count('s')).count).toBe(0);
  });

  it('expires entries in Redis on Redis time', async () => {
    const state = new RedisState(redis, prefix);
    const key = `${prefix}presence:s-exp`;
    await state.present('s-exp', [{ socketId: 'gone', user: null }]);
    // Age the entry as if its server stopped refreshing it.
    await redis.zadd(key, Date.now() - 1, 'gone');
    expect((await state.count('s-exp')).count).toBe(0);
    expect(await redis.hlen(`${prefix}presence-users:s-exp`)).toBe(0);
  });
});
