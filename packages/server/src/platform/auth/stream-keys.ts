import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Visible prefix so a leaked key is recognisable (and greppable by secret scanners). */
export const STREAM_KEY_PREFIX = 'onair_sk_';

/** Creates, hashes and checks stream keys. Keys are 128-bit random; only an HMAC is stored. */
export class StreamKeys {
  constructor(private readonly secret: string) {}

  /** A new stream key, shown to its owner once. */
  generate(): string {
    return `${STREAM_KEY_PREFIX}${randomBytes(16).toString('base64url')}`;
  }

  /** The HMAC-SHA-256 that is stored in place of the key. */
  hash(key: string): string {
    return createHmac('sha256', this.secret).update(key).digest('hex');
  }

  /** Constant-time comparison of a presented key with a stored hash. */
  verify(key: string, storedHash: string): boolean {
    const presented = Buffer.from(this.hash(key), 'hex');
    const stored = Buffer.from(storedHash, 'hex');
    return presented.length === stored.length && timingSafeEqual(presented, stored);
  }
}
