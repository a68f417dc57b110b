import { randomBytes } from 'node:crypto';
import { ErrorEnvelopeSchema } from '@onair/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { TokenBuckets } from '../../platform/shared-state/token-buckets.js';

const REDIS_URL = process.env.ONAIR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Three writes, then nothing for minutes: no refill can happen within a test.
const TIGHT = { capacity: 3, refillPerSecond: 0.01 };

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function start(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

/** A POST that creates a stream, with `authorization` as given (no header when undefined). */
function create(server: TestServer, authorization?: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/v1/streams`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
      ...headers,
    },
    body: JSON.stringify({ title: 'x' }),
  });
}

/** The same JWT with its signature's last character changed in the bits base64url leaves unused. */
function unusedBitsVariants(token: string): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(token.at(-1) as string);
  // A 32-byte HS256 signature is 43 characters: the last one carries 4 bits and 2 unused ones.
  return [1, 2, 3].map((flip) => token.slice(0, -1) + alphabet[last ^ flip]);
}

const fakeToken = () =>
  [randomBytes(12), randomBytes(30), randomBytes(32)].map((b) => b.toString('base64url')).join('.');

describe('REST rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the burst, per caller; reads have their own allowance', async () => {
    const server = await start({ restRateLimit: TIGHT });
    const a = await server.token('A');
    const b = await server.token('B');
    for (let i = 0; i < 3; i++)
      expect((await create(server, `Bearer ${a.token}`)).status).toBe(201);
    const limited = await create(server, `Bearer ${a.token}`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const envelope = ErrorEnvelopeSchema.parse(await limited.json());
    expect(envelope.code).toBe('RATE_LIMITED');
    expect(envelope.details?.retryAfterSeconds).toBe(Number(limited.headers.get('retry-after')));
    expect((await create(server, `Bearer ${b.token}`)).status).toBe(201);
    expect((await server.request('/v1/streams', { token: a.token })).status).toBe(200);
  });

  it('limits a path however it is escaped: /%761/streams is routed as /v1/streams', async () => {
    const server = await start({ restRateLimit: TIGHT });
    const { token } = await server.token('Escaper');
    const post = (path: string) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'x' }),
      });
    const statuses = [];
    for (const path of ['/v1/streams', '/%761/streams', '/v%31/streams', '/%76%31/%73treams']) {
      statuses.push((await post(path)).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it('keys on the verified subject: other spellings of a token share its allowance', async () => {
    const server = await start({ restRateLimit: TIGHT });
    const a = await server.token('A');
    for (let i = 0; i < 3; i++)
      expect((await create(server, `Bearer ${a.token}`)).status).toBe(201);
    // The address's own allowance, spent by anonymous calls (refused, but counted).
    for (let i = 0; i < 3; i++) expect((await create(server)).status).toBe(401);
    const spellings = [
      `Bearer ${a.token}=`,
      ...unusedBitsVariants(a.token).map((t) => `Bearer ${t}`),
      `bearer ${a.token}`,
      `BEARER  ${a.token}`,
    ];
    for (const authorization of spellings) {
      const response = await create(server, authorization);
      expect({ authorization, status: response.status }).toEqual({ authorization, status: 429 });
    }
    // Another user at the same address keeps their own allowance.
    const b = await server.token('B');
    expect((await create(server, `Bearer ${b.token}`)).status).toBe(201);
  });

  it('gives forged tokens no allowance of their own: they share their address’s', async () => {
    const server = await start({ restRateLimit: TIGHT });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await create(server, `Bearer ${fakeToken()}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    // X-Forwarded-For is not trusted by default: a made-up address is no way out.
    const spoofed = await create(server, `Bearer ${fakeToken()}`, {
      'x-forwarded-for': '203.0.113.9',
    });
    expect(spoofed.status).toBe(429);
  });

  it('keys on X-Forwarded-For behind a trusted proxy', async () => {
    const server = await start({ restRateLimit: TIGHT, trustProxy: ['loopback'] });
    const from = (address: string) => ({ 'x-forwarded-for': address });
    for (let i = 0; i < 3; i++) await create(server, undefined, from('203.0.113.9'));
    expect((await create(server, undefined, from('203.0.113.9'))).status).toBe(429);
    expect((await create(server, undefined, from('203.0.113.10'))).status).toBe(401);
    // Only the trusted proxy's entry counts: what the client wrote before it is not believed.
    expect((await create(server, undefined, from('198.51.100.1, 203.0.113.9'))).status).toBe(429);
  });

  it('limits reads (GET, HEAD) with their own allowance, but not health checks', async () => {
    const server = await start({
      restRateLimit: TIGHT,
      restReadRateLimit: { capacity: 4, refillPerSecond: 0.01 },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await server.request('/v1/streams')).status);
    statuses.push((await server.request('/v1/streams', { method: 'HEAD' })).status);
    const limited = await server.request('/v1/streams/str_nothing');
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(limited.status).toBe(429);
    expect(ErrorEnvelopeSchema.parse(await limited.json()).code).toBe('RATE_LIMITED');
    for (let i = 0; i < 10; i++) expect((await server.request('/healthz')).status).toBe(200);
    // Writes draw on the other allowance.
    const a = await server.token('A');
    expect((await create(server, `Bearer ${a.token}`)).status).toBe(201);
  });

  it('shares one allowance between servers through Redis', async () => {
    const shared = {
      restRateLimit: TIGHT,
      redisUrl: REDIS_URL,
      redisPrefix: `onair-test-${randomBytes(4).toString('hex')}:`,
    };
    // The same secret on both, so one token is valid everywhere.
    const jwtSecret = randomBytes(32).toString('hex');
    const first = await start({ ...shared, jwtSecret });
    const second = await start({ ...shared, jwtSecret });
    const a = await first.token('A');
    expect((await create(first, `Bearer ${a.token}`)).status).toBe(201);
    expect((await create(second, `Bearer ${a.token}`)).status).toBe(201);
    expect((await create(first, `Bearer ${a.token}`)).status).toBe(201);
    expect((await create(second, `Bearer ${a.token}`)).status).toBe(429);
    expect((await create(first, `Bearer ${a.token}`)).status).toBe(429);
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
