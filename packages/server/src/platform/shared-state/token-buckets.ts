/** A token bucket: `capacity` requests at once, refilled at `refillPerSecond`. */
export interface RateLimit {
  capacity: number;
  refillPerSecond: number;
}

const MAX_BUCKETS = 50_000;

/**
 * Per-caller token buckets in memory (`MemoryState` uses them; `RedisState`
 * keeps the same buckets in Redis). Keys are opaque strings.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => Date.now(),
    private readonly unit: 's' | 'ms' = 's',
  ) {}

  /** Takes one token; returns 0 when allowed, else the time (in `unit`) until one is available. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.capacity, at: now };
    bucket.tokens = Math.min(
      this.limit.capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * this.limit.refillPerSecond,
    );
    bucket.at = now;
    if (this.buckets.size >= MAX_BUCKETS && !this.buckets.has(key)) this.prune(now);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    const seconds = (1 - bucket.tokens) / this.limit.refillPerSecond;
    return this.unit === 'ms' ? Math.ceil(seconds * 1000) : Math.ceil(seconds);
  }

  // Full buckets carry no information: drop them first.
  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const tokens = bucket.tokens + ((now - bucket.at) / 1000) * this.limit.refillPerSecond;
      if (tokens >= this.limit.capacity) this.buckets.delete(key);
    }
    if (this.buckets.size >= MAX_BUCKETS) this.buckets.clear();
  }
}
