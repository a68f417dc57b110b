import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/database.js';
import { registerMetaRoutes } from '../transport/http/meta-routes.js';
import { dependencyChecks } from './health-checks.js';

/* The checks /healthz runs, against a real (PGlite) database that goes away. */
const apps: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

function healthApp(checks: ReturnType<typeof dependencyChecks>) {
  const app = Fastify();
  apps.push(app);
  registerMetaRoutes(
    app,
    { storage: 'pglite', media: true, hls: true },
    { checks, ready: () => true },
  );
  return app;
}

describe('dependency checks', () => {
  it('answer 503 once the database went away', async () => {
    const database = await openDatabase({});
    const app = healthApp(dependencyChecks({ db: database.db, ffmpeg: true }));
    const up = await app.inject('/healthz');
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({
      ok: true,
      checks: { database: { status: 'up' }, ffmpeg: { status: 'up' } },
    });
    await database.close();
    const down = await app.inject('/healthz');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({
      ok: false,
      storage: 'pglite',
      checks: { database: { status: 'down' }, ffmpeg: { status: 'up' } },
    });
  });

  it('report ffmpeg down when it did not run at start, and leave out what is not used', async () => {
    const app = healthApp(dependencyChecks({ ffmpeg: false }));
    const response = await app.inject('/healthz');
    expect(response.statusCode).toBe(503);
    expect(Object.keys(response.json().checks)).toEqual(['ffmpeg']);
    expect(response.json().checks.ffmpeg.status).toBe('down');
    expect(dependencyChecks({})).toEqual([]);
  });
});
