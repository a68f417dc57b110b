import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';

/*
 * Security headers on every kind of response of a real server (REST, errors,
 * static pages, HLS), and HLS caching that never lets a shared cache keep a
 * followers-only or private stream's media.
 */
let server: TestServer;
let owner: { token: string; userId: string };
let dir: string;

const PAGE = '<!doctype html><title>t</title><script type="module" src="/app.js"></script>';

/** A recording on disk, as the packager leaves it: master, one rendition, init and a segment. */
async function writeRecording(hlsDir: string, streamId: string) {
  const stream = join(hlsDir, streamId);
  await mkdir(join(stream, '180p'), { recursive: true });
  await writeFile(
    join(stream, 'master.m3u8'),
    '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000\n180p/index.m3u8\n',
  );
  await writeFile(
    join(stream, '180p', 'index.m3u8'),
    '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI="init-0.mp4"\n#EXTINF:2,\n0.m4s\n#EXT-X-ENDLIST\n',
  );
  await writeFile(join(stream, '180p', 'init-0.mp4'), Buffer.alloc(16));
  await writeFile(join(stream, '180p', '0.m4s'), Buffer.alloc(32));
}

async function stream(privacy: 'public' | 'private'): Promise<{ id: string; hlsUrl: string }> {
  const id = await server.liveStream(owner.token, { privacy });
  await writeRecording(join(dir, 'hls'), id);
  const response = await server.request(`/v1/streams/${id}`, { token: owner.token });
  const body = (await response.json()) as { hlsUrl: string | null };
  if (!body.hlsUrl) throw new Error(`stream ${id} has no hlsUrl`);
  return { id, hlsUrl: body.hlsUrl };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onair-headers-'));
  await mkdir(join(dir, 'static'));
  await writeFile(join(dir, 'static', 'index.html'), PAGE);
  await writeFile(join(dir, 'static', 'app.js'), 'export {};\n');
  server = await startTestServer({
    staticDir: join(dir, 'static'),
    media: { hlsDir: join(dir, 'hls'), rtmpPort: false },
  });
  owner = await server.token('Host');
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function expectSecurityHeaders(response: Response) {
  const where = `${response.url} (${response.status})`;
  expect(response.headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(response.headers.get('x-frame-options'), where).toBe('SAMEORIGIN');
  expect(response.headers.get('referrer-policy'), where).toBe('no-referrer');
  expect(response.headers.get('content-security-policy'), where).toContain(
    "frame-ancestors 'self'",
  );
}

describe('security headers', () => {
  it('are on REST, error, static and HLS responses', async () => {
    const { id } = await stream('public');
    const responses = [
      await server.request('/v1/streams'),
      await server.request('/healthz'),
      await server.request('/v1/streams', { method: 'POST', json: { title: 'x' } }), // 401
      await server.request('/v1/no-such-route'), // 404
      await server.request('/'),
      await server.request('/app.js'),
      await server.request('/missing.css'), // static 404
      await server.request(`/hls/${id}/master.m3u8`),
      await server.request(`/hls/${id}/180p/0.m4s`),
      await server.request('/hls/st_nosuchstream01/master.m3u8'), // HLS 404
    ];
    expect(responses.map((r) => r.status)).toEqual([
      200, 200, 401, 404, 200, 200, 404, 200, 200, 404,
    ]);
    for (const response of responses) expectSecurityHeaders(response);
  });

  it('give served pages a CSP that lets them run their own scripts, sockets and media only', async () => {
    const page = await server.request('/');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = Object.fromEntries(
      (page.headers.get('content-security-policy') ?? '')
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .map(([name = '', ...values]) => [name, values]),
    );
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    // 'self' covers ws:/wss: to the same host (CSP Level 3): socket.io, WHIP/WHEP, HLS.
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(csp['media-src']).toEqual(["'self'", 'blob:']);
    expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp['worker-src']).toEqual(["'self'", 'blob:']);
    expect(csp['object-src']).toEqual(["'none'"]);
    // Plain-http development servers must keep loading their own scripts.
    expect(csp['upgrade-insecure-requests']).toBeUndefined();
  });

  it('let players on other origins load HLS, and keep the API to its own origin', async () => {
    const { id } = await stream('public');
    const segment = await server.request(`/hls/${id}/180p/0.m4s`);
    expect(segment.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const api = await server.request('/v1/streams');
    expect(api.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });
});

describe('API caching', () => {
  it('keeps answers to a signed-in caller out of shared caches; anonymous ones are left alone', async () => {
    const viewer = await server.token('Cached');
    for (const path of ['/v1/streams', '/v1/me/notifications', '/v1/me/streams']) {
      const response = await server.request(path, { token: viewer.token });
      expect([path, response.status, response.headers.get('cache-control')]).toEqual([
        path,
        200,
        'private, no-store',
      ]);
    }
    const anonymous = await server.request('/v1/streams');
    expect(anonymous.headers.get('cache-control')).toBeNull();
  });
});

describe('HLS caching', () => {
  it('keeps public streams cacheable', async () => {
    const { id } = await stream('public');
    expect((await server.request(`/hls/${id}/180p/0.m4s`)).headers.get('cache-control')).toBe(
      'public, max-age=31536000, immutable',
    );
    expect((await server.request(`/hls/${id}/180p/init-0.mp4`)).headers.get('cache-control')).toBe(
      'public, max-age=31536000, immutable',
    );
  });

  it('never lets a shared cache keep a private stream', async () => {
    const { id, hlsUrl } = await stream('private');
    const query = new URL(hlsUrl, server.url).search;
    expect(query).toMatch(/^\?token=/);
    const paths = ['master.m3u8', '180p/index.m3u8', '180p/init-0.mp4', '180p/0.m4s'];
    for (const path of paths) {
      const response = await server.request(`/hls/${id}/${path}${query}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('private, no-store');
    }
    // Without the token: refused, and the refusal is not cacheable either.
    const refused = await server.request(`/hls/${id}/180p/0.m4s`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('cache-control') ?? '').not.toMatch(/public|immutable/);
  });
});
