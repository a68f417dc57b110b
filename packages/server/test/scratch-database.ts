import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Test and benchmark helper (not exported from the package): a fresh,
 * uniquely named PostgreSQL database on the server at `baseUrl`, and a way to
 * drop it.
 */
export async function scratchDatabase(
  baseUrl: string,
  prefix = 'onair_test',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
