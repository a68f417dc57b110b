import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MediaNode } from './media-node.js';
import { MemoryMediaRegistry } from './memory-registry.js';
import { RedisMediaRegistry } from './redis-registry.js';
import type { MediaHolder, MediaRegistry } from './registry.js';

const REDIS_URL = process.env.ONAIR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `onair-test-${randomBytes(4).toString('hex')}:`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const a: MediaHolder = { nodeId: 'node_a', url: 'http://10.0.0.1:8080' };
const b: MediaHolder = { nodeId: 'node_b', url: 'http://10.0.0.2:8080' };

// The same contract, in memory and in Redis, with real (short) TTLs.
describe.each([
  ['in memory', () => new MemoryMediaRegistry()],
  ['in Redis', () => new RedisMediaRegistry(redis, prefix)],
])('MediaRegistry %s', (_name, make: () => MediaRegistry) => {
  it('names the holder until the entry expires', async () => {
    const registry = make();
    expect(await registry.holderOf('str_one')).toBeUndefined();
    await registry.claim('str_one', a, 300);
    expect(await registry.holderOf('str_one')).toEqual(a);
    await sleep(450);
    expect(await registry.holderOf('str_one')).toBeUndefined();
  });

  it('renews its own entries and leaves another node’s alone', async () => {
    const registry = make();
    await registry.claim('str_renew', a, 300);
    await registry.claim('str_taken', a, 300);
    // B's publisher arrived: B claims the stream over A.
    await registry.claim('str_taken', b, 5_000);
    await sleep(200);
    expect(await registry.renew(['str_renew', 'str_taken'], a, 300)).toEqual(['str_taken']);
    await sleep(200);
    expect(await registry.holderOf('str_renew')).toEqual(a);
    expect(await registry.holderOf('str_taken')).toEqual(b);
    // An entry that expired meanwhile (a Redis restart, a pause) is taken back.
    await sleep(400);
    expect(await registry.renew(['str_renew'], a, 300)).toEqual([]);
    expect(await registry.holderOf('str_renew')).toEqual(a);
  });

  it('releases only the entries of the node that asks', async () => {
    const registry = make();
    await registry.claim('str_release', b, 5_000);
    await registry.release('str_release', a.nodeId);
    expect(await registry.holderOf('str_release')).toEqual(b);
    await registry.release('str_release', b.nodeId);
    expect(await registry.holderOf('str_release')).toBeUndefined();
  });
});

describe('RedisMediaRegistry', () => {
  it('ignores what it did not write under its key', async () => {
    const registry = new RedisMediaRegistry(redis, prefix);
    await redis.set(`${prefix}media:holder:str_garbage`, '{"nodeId":"x","url":"ftp://nope"}');
    expect(await registry.holderOf('str_garbage')).toBeUndefined();
    await redis.set(`${prefix}media:holder:str_garbage`, 'not json');
    expect(await registry.holderOf('str_garbage')).toBeUndefined();
    // Not this node's: renewing leaves it, releasing too.
    expect(await registry.renew(['str_garbage'], a, 1_000)).toEqual(['str_garbage']);
    await registry.release('str_garbage', a.nodeId);
    expect(await redis.get(`${prefix}media:holder:str_garbage`)).toBe('not json');
  });
});

describe('MediaNode', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function nodes(registry: MediaRegistry, logs: string[] = []) {
    const options = {
      registry,
      heartbeatMs: 2_000,
      ttlMs: 6_000,
      log: (m: string) => logs.push(m),
    };
    return [new MediaNode(options), new MediaNode(options)] as const;
  }

  it('claims once started, renews on its heartbeat, and its entries expire when it stops', async () => {
    vi.useFakeTimers();
    const registry = new MemoryMediaRegistry();
    const [nodeA, nodeB] = nodes(registry);
    // A publisher may arrive before the HTTP server listens: the claim waits for the URL.
    nodeA.hold('str_live');
    await vi.advanceTimersByTimeAsync(0);
    expect(await registry.holderOf('str_live')).toBeUndefined();
    nodeA.start('http://10.0.0.1:8080/');
    nodeB.start('http://10.0.0.2:8080');
    await vi.advanceTimersByTimeAsync(0);
    expect(await registry.holderOf('str_live')).toEqual({
      nodeId: nodeA.id,
      url: 'http://10.0.0.1:8080',
    });
    expect(await nodeB.peerHolding('str_live')).toEqual({
      nodeId: nodeA.id,
      url: 'http://10.0.0.1:8080',
    });
    expect(await nodeA.peerHolding('str_live')).toBeUndefined();
    expect(nodeA.holds('str_live')).toBe(true);

    // Well past the TTL: the heartbeat kept the entry.
    await vi.advanceTimersByTimeAsync(20_000);
    expect((await registry.holderOf('str_live'))?.nodeId).toBe(nodeA.id);

    // A's renewals stop reaching the registry (a crash, a partition): the entry lasts the TTL.
    vi.spyOn(registry, 'renew').mockResolvedValue([]);
    await vi.advanceTimersByTimeAsync(5_900);
    expect((await registry.holderOf('str_live'))?.nodeId).toBe(nodeA.id);
    await vi.advanceTimersByTimeAsync(200);
    expect(await registry.holderOf('str_live')).toBeUndefined();
    await nodeA.close();
    await nodeB.close();
  });

  it('releases an entry when the stream’s media ends, and all of them on close', async () => {
    const registry = new MemoryMediaRegistry();
    const [nodeA] = nodes(registry);
    nodeA.start('http://10.0.0.1:8080');
    nodeA.hold('str_one');
    nodeA.hold('str_two');
    await sleep(0);
    nodeA.release('str_one');
    await sleep(0);
    expect(await registry.holderOf('str_one')).toBeUndefined();
    expect((await registry.holderOf('str_two'))?.nodeId).toBe(nodeA.id);
    await nodeA.close();
    expect(await registry.holderOf('str_two')).toBeUndefined();
    // Closed: nothing more is claimed.
    nodeA.hold('str_three');
    await sleep(0);
    expect(await registry.holderOf('str_three')).toBeUndefined();
  });

  it('gives way to a node that took a stream over, and says so once', async () => {
    vi.useFakeTimers();
    const registry = new MemoryMediaRegistry();
    const logs: string[] = [];
    const [nodeA, nodeB] = nodes(registry, logs);
    nodeA.start('http://10.0.0.1:8080');
    nodeB.start('http://10.0.0.2:8080');
    nodeA.hold('str_moved');
    await vi.advanceTimersByTimeAsync(0);
    nodeB.hold('str_moved');
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await registry.holderOf('str_moved'))?.nodeId).toBe(nodeB.id);
    expect(logs.filter((m) => m.includes('another node now holds'))).toHaveLength(1);
    // A holds it no more: it sends its viewers to B, and renews nothing of it. What A
    // packaged is a part B's recording lacks (A leaves the recording to B).
    expect(nodeA.holds('str_moved')).toBe(false);
    expect(nodeA.superseded('str_moved')).toBe(true);
    expect(nodeB.superseded('str_moved')).toBe(false);
    expect((await nodeA.peerHolding('str_moved'))?.nodeId).toBe(nodeB.id);
    // A's media of it ends: B's entry stays.
    nodeA.release('str_moved');
    await vi.advanceTimersByTimeAsync(0);
    expect((await registry.holderOf('str_moved'))?.nodeId).toBe(nodeB.id);
    expect(nodeA.superseded('str_moved')).toBe(false);
    // Taken back (the publisher returned to A): A's again.
    nodeB.hold('str_back');
    await vi.advanceTimersByTimeAsync(0);
    nodeA.hold('str_back');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(nodeB.superseded('str_back')).toBe(true);
    nodeB.hold('str_back');
    expect(nodeB.superseded('str_back')).toBe(false);
    await nodeA.close();
    await nodeB.close();
  });

  it('caches a holder briefly and forgets it on request', async () => {
    const registry = new MemoryMediaRegistry();
    const holderOf = vi.spyOn(registry, 'holderOf');
    const node = new MediaNode({ registry, lookupCacheMs: 60_000, log: () => undefined });
    node.start('http://10.0.0.2:8080');
    await registry.claim('str_far', a, 60_000);
    expect(await node.peerHolding('str_far')).toEqual(a);
    expect(await node.peerHolding('str_far')).toEqual(a);
    expect(holderOf).toHaveBeenCalledTimes(1);
    node.forget('str_far');
    expect(await node.peerHolding('str_far')).toEqual(a);
    expect(holderOf).toHaveBeenCalledTimes(2);
    await node.close();
  });

  it('refuses a TTL no longer than its heartbeat', () => {
    const registry = new MemoryMediaRegistry();
    expect(
      () => new MediaNode({ registry, heartbeatMs: 5_000, ttlMs: 5_000, log: () => undefined }),
    ).toThrow('ttlMs must be longer than heartbeatMs');
  });
});
