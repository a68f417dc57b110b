import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OnAirClient } from './client.js';
import { streamFixture } from './test-fixtures.js';
import { UNKNOWN_EXPIRY_TOKEN_MS } from './token-cache.js';

const BASE = 'http://onair.test';
const stream = streamFixture();

const api = setupServer();
beforeAll(() => api.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  api.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => api.close());

/** An unsigned JWT-shaped token living `ttlSeconds` from now (only its payload is read client-side). */
function jwt(name: string, ttlSeconds: number): string {
  const iat = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part({ sub: name, iat, exp: iat + ttlSeconds })}.sig`;
}

/** A token function handing out `tokens` in turn (the last one again once they run out), counting calls. */
function providerOf(...tokens: Array<string | null>) {
  const provider = Object.assign(
    async () => {
      const token = tokens[Math.min(provider.calls, tokens.length - 1)] ?? null;
      provider.calls++;
      return token;
    },
    { calls: 0 },
  );
  return provider;
}

/** Answers GET /v1/streams/str_1, recording each request's bearer token. */
function recordAuth(refuse: (auth: string | null) => boolean = () => false) {
  const seen: Array<string | null> = [];
  api.use(
    http.get(`${BASE}/v1/streams/str_1`, ({ request }) => {
      const auth = request.headers.get('authorization');
      seen.push(auth);
      return refuse(auth)
        ? HttpResponse.json({ code: 'UNAUTHORIZED', message: 'Expired' }, { status: 401 })
        : HttpResponse.json(stream);
    }),
  );
  return seen;
}

describe('OnAirClient token cache', () => {
  it('calls the token function once across many requests, concurrent or not', async () => {
    const token = jwt('usr_1', 3600);
    const provider = providerOf(token);
    const seen = recordAuth();
    const client = new OnAirClient({ baseUrl: BASE, token: provider });
    await Promise.all(Array.from({ length: 20 }, () => client.streams.get('str_1')));
    for (let i = 0; i < 10; i++) await client.streams.get('str_1');
    expect(provider.calls).toBe(1);
    expect(seen).toHaveLength(30);
    expect(new Set(seen)).toEqual(new Set([`Bearer ${token}`]));
    client.destroy();
  });

  it('asks for a new token at 80 % of the lifetime read from its exp', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const [first, second] = [jwt('first', 100), jwt('second', 100)];
    const provider = providerOf(first, second);
    const seen = recordAuth();
    const client = new OnAirClient({ baseUrl: BASE, token: provider });
    await client.streams.get('str_1');
    vi.advanceTimersByTime(79_000);
    await client.streams.get('str_1');
    expect(provider.calls).toBe(1);
    vi.advanceTimersByTime(2_000);
    await client.streams.get('str_1');
    expect(provider.calls).toBe(2);
    expect(seen).toEqual([`Bearer ${first}`, `Bearer ${first}`, `Bearer ${second}`]);
    client.destroy();
  });

  it(`keeps a token without a readable exp for ${UNKNOWN_EXPIRY_TOKEN_MS} ms only`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const provider = providerOf('opaque-1', 'opaque-2');
    const seen = recordAuth();
    const client = new OnAirClient({ baseUrl: BASE, token: provider });
    await Promise.all([client.streams.get('str_1'), client.streams.get('str_1')]);
    vi.advanceTimersByTime(UNKNOWN_EXPIRY_TOKEN_MS - 1);
    await client.streams.get('str_1');
    expect(provider.calls).toBe(1);
    vi.advanceTimersByTime(1);
    await client.streams.get('str_1');
    expect(provider.calls).toBe(2);
    expect(seen.at(-1)).toBe('Bearer opaque-2');
    client.destroy();
  });

  it('does not keep an anonymous (null) answer', async () => {
    const provider = providerOf(null, 'signed-in');
    const seen = recordAuth();
    const client = new OnAirClient({ baseUrl: BASE, token: provider });
    await client.streams.get('str_1');
    await client.streams.get('str_1');
    expect(seen).toEqual([null, 'Bearer signed-in']);
    client.destroy();
  });

  it('drops a token refused with 401 and retries once with a fresh one', async () => {
    const [stale, fresh] = [jwt('stale', 3600), jwt('fresh', 3600)];
    const provider = providerOf(stale, fresh);
    const seen = recordAuth((auth) => auth === `Bearer ${stale}`);
    const client = new OnAirClient({ baseUrl: BASE, token: provider });
    // Concurrent refusals share one new call to the token function.
    const got = await Promise.all(Array.from({ length: 5 }, () => client.streams.get('str_1')));
    expect(got.map((s) => s.id)).toEqual(Array(5).fill('str_1'));
    expect(provider.calls).toBe(2);
    expect(seen.filter((auth) => auth === `Bearer ${fresh}`)).toHaveLength(5);
    await client.streams.get('str_1');
    expect(provider.calls).toBe(2);
    client.destroy();
  });

  it('retries a 401 only once, and never for a fixed token', async () => {
    const provider = providerOf('a', 'b', 'c');
    const seen = recordAuth(() => true);
    const client = new OnAirClient({ baseUrl: BASE, token: provider });
    await expect(client.streams.get('str_1')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(seen).toEqual(['Bearer a', 'Bearer b']);

    const fixed = new OnAirClient({ baseUrl: BASE, token: 'fixed' });
    await expect(fixed.streams.get('str_1')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(seen).toEqual(['Bearer a', 'Bearer b', 'Bearer fixed']);
    client.destroy();
    fixed.destroy();
  });
});

describe('OnAirClient baseUrl', () => {
  it('keeps the path of the base URL for REST and resolved URLs', async () => {
    const paths: string[] = [];
    api.use(
      http.get(`${BASE}/api/v1/streams/str_1`, ({ request }) => {
        paths.push(new URL(request.url).pathname);
        return HttpResponse.json(stream);
      }),
    );
    const client = new OnAirClient({ baseUrl: `${BASE}/api/`, token: 'tok' });
    expect(client.baseUrl).toBe(`${BASE}/api`);
    await client.streams.get('str_1');
    expect(paths).toEqual(['/api/v1/streams/str_1']);
    expect(client.resolveUrl('/hls/str_1/master.m3u8')).toBe(`${BASE}/api/hls/str_1/master.m3u8`);
    expect(client.resolveUrl('https://cdn.test/hls/a.m3u8')).toBe('https://cdn.test/hls/a.m3u8');
    client.destroy();
  });

  it('refuses a relative base URL outside a browser with BAD_REQUEST', () => {
    expect(typeof (globalThis as { location?: unknown }).location).toBe('undefined');
    for (const baseUrl of ['/', '/api']) {
      expect(() => new OnAirClient({ baseUrl })).toThrow(
        expect.objectContaining({ code: 'BAD_REQUEST' }),
      );
    }
  });
});
