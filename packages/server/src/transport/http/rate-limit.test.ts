import { ErrorEnvelopeSchema } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../../test/harness.js';
import { TokenBuckets } from '../../platform/shared-state/token-buckets.js';

describe('REST rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the burst, per caller, reads unaffected', async () => {
    const server = await startTestServer({ restRateLimit: { capacity: 3, refillPerSecond: 0.01 } });
    try {
      const a = await server.token('A');
      const b = await server.token('B');
      const create = (token: string) =>
        server.request('/v1/streams', { method: 'POST', token, json: { title: 'x' } });
      for (let i = 0; i < 3; i++) expect((await create(a.token)).status).toBe(201);
      const limited = await create(a.token);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(ErrorEnvelopeSchema.parse(await limited.json()).code).toBe('RATE_LIMITED');
      expect((await create(b.token)).status).toBe(201);
      expect((await server.request('/v1/streams')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refills over time', () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 2, refillPerSecond: 1 }, () => now);
    expect([buckets.take('k'), buckets.take('k'), buckets.take('k')]).toEqual([0, 0, 1]);
    now = 1000;
    expect(buckets.take('k')).toBe(0);
    expect(buckets.take('k')).toBe(1);
  });
});
