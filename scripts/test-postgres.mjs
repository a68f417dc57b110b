#!/usr/bin/env node
// Runs the server suite's storage-backed files a second time on a real
// PostgreSQL when DATABASE_URL is set (.ci/run sets it to the local server);
// each test file gets a fresh database that it drops afterwards.
import { followsTestDatabase, isMediaFile, nodeTestFiles, runSideBySide } from './test-lanes.mjs';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stdout.write(
    'PostgreSQL pass not run: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the server suite on PostgreSQL too.\n',
  );
  process.exit(0);
}
// Only the files whose storage follows ONAIR_TEST_DATABASE_URL: the others would run the same
// again. Two lanes side by side, as in test:unit: the media files and every other one of the
// rest, and the remaining half.
const files = nodeTestFiles().filter(followsTestDatabase);
const rest = files.filter((file) => !isMediaFile(file));
const env = { ONAIR_TEST_DATABASE_URL: url };
const passed = await runSideBySide('PostgreSQL pass', [
  ['pg:1', 'node', [...files.filter(isMediaFile), ...rest.filter((_, i) => i % 2 === 0)], env],
  ['pg:2', 'node', rest.filter((_, i) => i % 2 === 1), env],
]);
process.exit(passed ? 0 : 1);
