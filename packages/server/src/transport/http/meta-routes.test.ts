import { type ChildProcess, spawn } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import Fastify from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { registerMetaRoutes } from './meta-routes.js';

/*
 * /healthz reports each dependency (database, Redis, ffmpeg) with its
 * latency and answers 503 while one is down; /readyz tells an orchestrator
 * whether to send traffic. Redis is a redis-server of this test's own,
 * killed and restarted by its PID (app/health-checks.test.ts closes a
 * database under its check).
 */
interface Health {
  ok: boolean;
  storage: string;
  checks: Record<string, { status: 'up' | 'down'; latencyMs: number }>;
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A redis-server of the test's own on `port`, resolved once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
  return child;
}

async function stopRedis(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('/healthz with Redis', () => {
  let port: number;
  let redis: ChildProcess | undefined;
  let server: TestServer;
  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    server = await startTestServer({
      redisUrl: `redis://127.0.0.1:${port}`,
      redisPrefix: 'onair-health-test:',
    });
  });
  afterAll(async () => {
    await server?.close();
    await stopRedis(redis);
  });

  const health = async () => {
    const response = await server.request('/healthz');
    return { status: response.status, body: (await response.json()) as Health };
  };

  it('reports every dependency up with its latency', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, storage: server.storage, media: false, hls: false });
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'redis']);
    for (const check of Object.values(body.checks)) {
      expect(check.status).toBe('up');
      expect(check.latencyMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('answers 503 while Redis is down and 200 once it is back', async () => {
    await stopRedis(redis);
    await expect.poll(async () => (await health()).status, { timeout: 10_000 }).toBe(503);
    const down = await health();
    expect(down.body.ok).toBe(false);
    expect(down.body.checks.redis?.status).toBe('down');
    expect(down.body.checks.database?.status).toBe('up');

    redis = await startRedis(port);
    await expect.poll(async () => (await health()).status, { timeout: 20_000 }).toBe(200);
    expect((await health()).body.checks.redis?.status).toBe('up');
  }, 40_000);

  it('answers /readyz 200 once started', async () => {
    const response = await server.request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ready: true });
  });
});

describe('/healthz and /readyz', () => {
  const apps: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  it('reports a check that fails or hangs as down', async () => {
    const app = Fastify();
    apps.push(app);
    registerMetaRoutes(
      app,
      { storage: 'pglite', media: true, hls: false },
      {
        checks: [
          { name: 'database', check: () => new Promise<void>(() => undefined) },
          { name: 'ffmpeg', check: () => Promise.reject(new Error('gone')) },
          { name: 'redis', check: async () => 'PONG' },
        ],
        ready: () => true,
        timeoutMs: 50,
      },
    );
    const response = await app.inject('/healthz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      ok: false,
      checks: { database: { status: 'down' }, ffmpeg: { status: 'down' }, redis: { status: 'up' } },
    });
  });

  it('answers /readyz 503 until ready and 200 after', async () => {
    let ready = false;
    const app = Fastify();
    apps.push(app);
    registerMetaRoutes(
      app,
      { storage: 'pglite', media: false, hls: false },
      { checks: [], ready: () => ready },
    );
    const before = await app.inject('/readyz');
    expect(before.statusCode).toBe(503);
    expect(before.json()).toEqual({ ready: false });
    ready = true;
    expect((await app.inject('/readyz')).statusCode).toBe(200);
  });
});
