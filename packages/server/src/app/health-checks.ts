import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Database } from '../storage/database.js';
import type { HealthCheck } from '../transport/http/meta-routes.js';

/** The dependencies {@link dependencyChecks} checks; absent ones are not reported. */
export interface CheckedDependencies {
  /** The database: `select 1`. */
  db?: Database | undefined;
  /** Redis, when configured: connected and answering `PING`. */
  redis?: Redis | undefined;
  /** Whether ffmpeg ran at start (the media preflight); undefined when media is off. */
  ffmpeg?: boolean | undefined;
}

/**
 * What `/healthz` checks: the database, Redis when configured, ffmpeg when
 * the media plane runs. Each check rejects when its dependency is down.
 */
export function dependencyChecks(deps: CheckedDependencies): HealthCheck[] {
  const { db, redis, ffmpeg } = deps;
  const checks: HealthCheck[] = [];
  if (db) checks.push({ name: 'database', check: () => db.execute(sql`select 1`) });
  if (redis) {
    checks.push({
      name: 'redis',
      check: async () => {
        // While reconnecting, a PING would wait in the offline queue: down at once.
        if (redis.status !== 'ready') throw new Error(`redis is ${redis.status}`);
        await redis.ping();
      },
    });
  }
  if (ffmpeg !== undefined) {
    checks.push({
      name: 'ffmpeg',
      check: async () => {
        if (!ffmpeg) throw new Error('ffmpeg did not run at start');
      },
    });
  }
  return checks;
}
