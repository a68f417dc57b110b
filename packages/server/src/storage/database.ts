import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.js';

/** The Drizzle database every repository works against, whichever driver is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Where the server keeps its data. */
export interface DatabaseOptions {
  /** PostgreSQL connection string. When absent, embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; absent means in memory (data is lost on exit). */
  dataDir?: string | undefined;
  /**
   * Called when PostgreSQL drops an idle pooled connection (a restart, a
   * failover, an administrator). The pool replaces it; without a handler the
   * process would crash.
   */
  onConnectionError?: (error: Error) => void;
}

/** An open database with its migrations applied. */
export interface OpenDatabase {
  db: Database;
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
}

function migrationsFolder(): string {
  // Works from src/storage (tests, tsx) and from dist (published build).
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('OnAir migrations folder (drizzle/) not found next to the server package');
}

/**
 * Opens the database and applies the committed migrations.
 * PostgreSQL when `databaseUrl` is set, embedded PGlite otherwise.
 */
export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  const folder = migrationsFolder();
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      // A PostgreSQL that hangs (a partition, a stopped host) fails requests in seconds
      // instead of holding them forever: they are answered UNAVAILABLE.
      connectionTimeoutMillis: 5_000,
      query_timeout: 30_000,
    });
    pool.on('error', (error) => options.onConnectionError?.(error));
    const db = drizzlePg(pool, { schema });
    await migratePg(db, { migrationsFolder: folder });
    return { db, driver: 'postgres', close: () => pool.end() };
  }
  const client = new PGlite(options.dataDir);
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder: folder });
  return { db, driver: 'pglite', close: () => client.close() };
}
