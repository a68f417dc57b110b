#!/usr/bin/env node
// Runs the server suite's storage-backed files a second time on a real
// PostgreSQL when DATABASE_URL is set (.ci/run sets it to the local server);
// each test file gets a fresh database that it drops afterwards.
import { followsTestDatabase, isMediaFile, nodeTestFiles, runInTurn } from './test-lanes.mjs';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stdout.write(
    'PostgreSQL pass not run: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the server suite on PostgreSQL too.\n',
  );
  process.exit(0);
}
// Only the files whose storage follows ONAIR_TEST_DATABASE_URL: the others would run the same
// again. The media files (a few long recording restarts) first, then the rest, as in test:unit.
const files = nodeTestFiles().filter(followsTestDatabase);
const env = { ONAIR_TEST_DATABASE_URL: url };
const passed = await runInTurn('PostgreSQL pass', [
  ['media:pg', 'node', files.filter(isMediaFile), env],
  ['node:pg', 'node', files.filter((file) => !isMediaFile(file)), env],
]);
process.exit(passed ? 0 : 1);
