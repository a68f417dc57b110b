import { createServer as createNetServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../test/harness.js';
import { resolveOptions } from './config.js';
import { createServer } from './server.js';

describe('createServer options', () => {
  it('refuses to start without a way to verify tokens', () => {
    expect(() => resolveOptions({})).toThrow(/set jwtSecret .* or enable devAuth/);
    expect(() => resolveOptions({ jwtSecret: 'short' })).toThrow(/at least 32 characters/);
  });

  it('fails fast with a clear message when Redis is unreachable, without the password', async () => {
    await expect(
      createServer({
        devAuth: true,
        logLevel: 'silent',
        media: { enabled: false },
        databaseUrl: undefined,
        redisUrl: 'redis://:hunter2@127.0.0.1:1',
      }),
    ).rejects.toThrow(
      /^OnAir server: cannot reach Redis at 127\.0\.0\.1:1 \((?!.*hunter2).*\); check REDIS_URL$/,
    );
    expect(() => resolveOptions({ devAuth: true, redisUrl: 'http://x' })).toThrow(/redis:\/\//);
    expect(() => resolveOptions({ devAuth: true, batchWindowMs: 5 })).toThrow(/batchWindowMs/);
    expect(() => resolveOptions({ devAuth: true, tokenGraceMs: -1 })).toThrow(/tokenGraceMs/);
  });

  it('keeps running without ffmpeg and says how to fix it', async () => {
    const server = await startTestServer({ media: { ffmpegPath: '/nonexistent/ffmpeg' } });
    try {
      expect(server.warnings.join()).toMatch(/ffmpeg not found .*apt-get install -y ffmpeg/);
      // It runs, but /healthz tells the operator (and an orchestrator) that ffmpeg is missing.
      const response = await server.request('/healthz');
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        ok: false,
        media: true,
        hls: false,
        checks: { database: { status: 'up' }, ffmpeg: { status: 'down' } },
      });
      expect((await server.request('/readyz')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers CORS preflights only for configured origins', async () => {
    const server = await startTestServer({ corsOrigins: ['https://app.example'] });
    try {
      const preflight = (origin: string) =>
        server.request('/v1/streams', {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST' },
        });
      const allowed = await preflight('https://app.example');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const other = await preflight('https://evil.example');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('closes what it had started when the start fails (RTMP listener, storage, media)', async () => {
    const listening = (server: Server) =>
      new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
      );
    const taken = createNetServer();
    const httpPort = await listening(taken);
    const probe = createNetServer();
    const rtmpPort = await listening(probe);
    await new Promise((resolve) => probe.close(resolve));
    try {
      // The HTTP port is taken: the start fails after the RTMP ingest began listening.
      await expect(
        startTestServer({ port: httpPort, media: { enabled: true, rtmpPort } }),
      ).rejects.toThrow(/EADDRINUSE/);
      const server = await startTestServer({ media: { enabled: true, rtmpPort } });
      try {
        expect(server.rtmpUrl).toBe(`rtmp://127.0.0.1:${rtmpPort}/live`);
      } finally {
        await server.close();
      }
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
