import { TtlCache } from './ttl-cache.js';

/**
 * Named {@link TtlCache}s whose entries can be dropped on every server of a
 * deployment: a writer invalidates what it changed here and, once
 * {@link SharedCaches.connect}ed (Redis), on the other servers too. The TTL
 * only bounds how long a missed invalidation can serve a stale entry.
 */
export class SharedCaches {
  private readonly caches = new Map<string, { delete(key: string): void }>();
  private tell: ((name: string, key: string) => void) | undefined;

  /** Makes the cache called `name`; a second cache of the same name is a mistake and throws. */
  register<V>(name: string, ttlMs: number): TtlCache<V> {
    if (this.caches.has(name)) throw new Error(`SharedCaches: ${name} is already registered`);
    const cache = new TtlCache<V>(ttlMs);
    this.caches.set(name, cache);
    return cache;
  }

  /** Drops `key` from cache `name` here and on the other servers. */
  invalidate(name: string, key: string): void {
    this.drop(name, key);
    this.tell?.(name, key);
  }

  /** Drops `key` from cache `name` on this server only (another server changed it). */
  drop(name: string, key: string): void {
    this.caches.get(name)?.delete(key);
  }

  /**
   * How invalidations reach the other servers; without it they stay on this
   * one. Returns the function that disconnects it.
   */
  connect(tell: (name: string, key: string) => void): () => void {
    this.tell = tell;
    return () => {
      if (this.tell === tell) this.tell = undefined;
    };
  }
}
