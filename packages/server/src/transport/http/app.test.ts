import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

function preflight(server: TestServer, path: string, origin: string) {
  return server.request(path, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
}

describe('CORS', () => {
  let listed: TestServer;
  let none: TestServer;
  beforeAll(async () => {
    listed = await startTestServer({ corsOrigins: ['https://app.example'] });
    none = await startTestServer();
  });
  afterAll(async () => {
    await listed?.close();
    await none?.close();
  });

  it('answers a preflight from an allowed origin', async () => {
    const response = await preflight(listed, '/v1/streams', 'https://app.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    // The invite list of a private stream is a PUT.
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  it('gives other origins no allow header', async () => {
    const response = await preflight(listed, '/v1/streams', 'https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets cross-origin clients read what they need of a response', async () => {
    const response = await listed.request('/v1/streams', {
      headers: { origin: 'https://app.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(response.headers.get('access-control-expose-headers')).toBe(
      'Location, Link, Retry-After',
    );
  });

  it('has no CORS handler without allowed origins: a preflight finds no route', async () => {
    const response = await preflight(none, '/v1/streams', 'https://app.example');
    expect(response.status).toBe(404);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
