import { TtlCache } from './ttl-cache.js';

/**
 * Named {@link TtlCache}s whose entries can be dropped on every server of a
 * deployment: a writer invalidates what it changed here and, once
 * {@link SharedCaches.connect}ed (Redis), on the other servers too. The TTL
 * only bounds how long a missed invalidation can serve a stale entry.
 */
export class SharedCaches {
  private readonly caches = new Map<string, TtlCache<unknown>>();
  private tell: ((name: string, key: string) => void) | undefined;

  /** The cache called `name`, made on first use with `ttlMs`. */
  cache<V>(name: string, ttlMs: number): TtlCache<V> {
    let cache = this.caches.get(name);
    if (!cache) {
      cache = new TtlCache<unknown>(ttlMs);
      this.caches.set(name, cache);
    }
    return cache as TtlCache<V>;
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

  /** How invalidations reach the other servers; without it they stay on this one. */
  connect(tell: (name: string, key: string) => void): void {
    this.tell = tell;
  }
}
