#!/usr/bin/env node
// `pnpm test:stress`: the media and end-to-end suites on a busy machine. A
// child process keeps one core at 100 % (a bounded busy loop that stops by
// itself, and is ended when the runs are over) while the suites run three
// times in a row; any failure fails the whole run. Failures here are fixed at
// their cause (timing assumptions in the code), never with longer waits.
import { spawn, spawnSync } from 'node:child_process';

const ROUNDS = Number(process.env.ONAIR_STRESS_ROUNDS ?? 3);
/** The burner stops by itself after this long, should this script die without ending it. */
const BURN_LIMIT_MS = 2 * 60 * 60 * 1000;

const suites = [
  // Server media: the ladder and packager, LL-HLS routes, ingest, SFU, recording.
  ['--project', 'node', 'packages/server/src/media', '--exclude', '**/*.fault.test.ts'],
  // End to end: the quickstart pages in Chromium, publishing and playing real media.
  ['--project', 'node', 'examples/quickstart/test'],
  // Elements and core media in Chromium.
  ['--project', 'browser', 'packages/elements/src/player', 'packages/core/src'],
];

// The end-to-end pages load the built packages.
if (spawnSync('pnpm', ['build'], { stdio: 'inherit' }).status !== 0) process.exit(1);

const burner = spawn(
  process.execPath,
  [
    '-e',
    `const end = Date.now() + ${BURN_LIMIT_MS}; while (Date.now() < end) { for (let i = 0; i < 1e6; i++); }`,
  ],
  { stdio: 'ignore' },
);
/** The suite running now: spawned (not spawnSync) so that a signal reaches this script and ends it. */
let suiteRun;
const stopBurner = () => {
  if (burner.exitCode === null) burner.kill('SIGKILL');
};
process.on('exit', stopBurner);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopBurner();
    // vitest and its workers form the suite's own process group.
    if (suiteRun?.exitCode === null) process.kill(-suiteRun.pid, 'SIGKILL');
    process.exit(1);
  });
}
/** Runs `pnpm exec vitest run …suite` in a process group of its own; resolves with its exit status. */
const runSuite = (suite) =>
  new Promise((resolve) => {
    suiteRun = spawn('pnpm', ['exec', 'vitest', 'run', ...suite], {
      stdio: 'inherit',
      detached: true,
    });
    suiteRun.on('close', (code) => resolve(code ?? 1));
  });

const failures = [];
for (let round = 1; round <= ROUNDS; round++) {
  for (const suite of suites) {
    const label = `round ${round}/${ROUNDS}: vitest ${suite.join(' ')}`;
    process.stdout.write(`\n[stress] ${label} (one core busy)\n`);
    if ((await runSuite(suite)) !== 0) failures.push(label);
  }
}
stopBurner();
if (failures.length > 0) {
  process.stdout.write(`\n[stress] failed:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`\n[stress] ${ROUNDS} rounds passed with one core busy\n`);
