/**
 * A small time-bounded cache for the realtime hot path (a chat message must
 * not cost a stream lookup and a ban lookup in the database each time).
 * Entries live `ttlMs`; writers invalidate what they change on this server,
 * and the TTL bounds how long another server may serve a stale entry.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The cached value of `key`, or `load()`'s (shared by concurrent callers). Failures are not cached. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load();
    this.entries.set(key, { value, expires: now + this.ttlMs });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** Forgets `key`. */
  delete(key: string): void {
    this.entries.delete(key);
  }
}
