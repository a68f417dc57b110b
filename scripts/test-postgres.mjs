#!/usr/bin/env node
// Runs the server suite a second time on a real PostgreSQL when DATABASE_URL
// is set (.ci/run sets it to the local server); each test file gets a fresh
// database that it drops afterwards.
import { spawnSync } from 'node:child_process';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stdout.write(
    'PostgreSQL pass not run: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the server suite on PostgreSQL too.\n',
  );
  process.exit(0);
}
const result = spawnSync(
  'pnpm',
  // The fault tests start their own PostgreSQL and Redis: the first pass ran them already.
  [
    'exec',
    'vitest',
    'run',
    '--project',
    'node',
    'packages/server',
    '--exclude',
    '**/*.fault.test.ts',
  ],
  {
    stdio: 'inherit',
    env: { ...process.env, ONAIR_TEST_DATABASE_URL: url },
  },
);
process.exit(result.status ?? 1);
