// The node test files, split for running side by side (see test-unit.mjs and
// test-postgres.mjs). Listed by vitest itself, so the split always covers
// exactly the files the config includes.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** Every file of the vitest `node` project, relative to the repository root. */
export function nodeTestFiles() {
  const listed = spawnSync(
    'pnpm',
    ['exec', 'vitest', 'list', '--project', 'node', '--filesOnly', '--json'],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  if (listed.status !== 0) throw new Error(`vitest list failed: ${listed.stderr}`);
  return JSON.parse(listed.stdout).map(({ file }) => relative(process.cwd(), file));
}

/** Media and end to end: ffmpeg, the SFU, Chromium pages. The CPU-heavy lanes. */
export const isMediaFile = (file) =>
  isEndToEndFile(file) || file.startsWith('packages/server/src/media/');

/**
 * The example apps' end-to-end files: each drives Chromium pages that publish
 * and watch through the server and the ladder's ffmpeg, which two cores can
 * do for one file at a time, not two.
 */
export const isEndToEndFile = (file) => file.startsWith('examples/');

/**
 * Server files whose storage follows ONAIR_TEST_DATABASE_URL (the harness's
 * servers, or the variable read directly): the ones a PostgreSQL pass runs
 * differently. Fault tests start their own PostgreSQL and Redis, and the
 * cluster tests run on PostgreSQL always: both are left out.
 */
export const followsTestDatabase = (file) => {
  if (!file.startsWith('packages/server/') || file.endsWith('.fault.test.ts')) return false;
  const text = readFileSync(file, 'utf8');
  if (text.includes('test/cluster.js')) return false;
  return text.includes('ONAIR_TEST_DATABASE_URL') || text.includes('startTestServer(');
};

/** How many of a lane's last lines runSideBySide prints again when it fails. */
const TAIL_LINES = 150;
/** The last lines of each lane that failed, by name: vitest ends with its failure summary. */
const failedTails = new Map();

/**
 * Runs `vitest run` on `files` of a project (all of them when undefined; none
 * when empty) with each output line prefixed by the lane's name; resolves
 * with the exit status. `args` go to vitest as well.
 */
export function runLane(name, project, files, env = {}, args = []) {
  return new Promise((resolve) => {
    if (files?.length === 0) return resolve(0);
    const command = ['exec', 'vitest', 'run', '--project', project, ...args, ...(files ?? [])];
    const child = spawn('pnpm', command, {
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail = [];
    const print = (line) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      process.stdout.write(`[${name}] ${line}\n`);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) print(line);
      });
      stream.on('end', () => rest && print(rest));
    }
    child.on('close', (code) => {
      if (code !== 0) failedTails.set(name, tail);
      resolve(code ?? 1);
    });
  });
}

/**
 * Runs lanes side by side and reports each; resolves with whether all passed.
 * A failed lane's last lines (its failure summary) are printed again at the
 * end, where a log's tail shows them, instead of among the other lane's.
 */
export function runSideBySide(label, lanes) {
  return runLanes(label, lanes, true);
}

/**
 * Runs lanes one after the other, each with the whole machine, and reports
 * them as {@link runSideBySide} does; every lane runs even when one failed.
 */
export function runInTurn(label, lanes) {
  return runLanes(label, lanes, false);
}

async function runLanes(label, lanes, together) {
  const started = performance.now();
  // A lane is a runLane's arguments, or a function running several in turn.
  const start = ([name, run, ...rest]) =>
    typeof run === 'function' ? run() : runLane(name, run, ...rest);
  const statuses = [];
  if (together) statuses.push(...(await Promise.all(lanes.map(start))));
  else for (const lane of lanes) statuses.push(await start(lane));
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  for (const [name, tail] of failedTails) {
    process.stdout.write(`\n${label}: the end of lane ${name} again\n`);
    for (const line of tail) process.stdout.write(`[${name}] ${line}\n`);
  }
  const report = lanes
    .map(([name], i) => `${name} ${statuses[i] === 0 ? 'passed' : 'FAILED'}`)
    .join(', ');
  process.stdout.write(`${label}: ${report} in ${seconds} s\n`);
  return statuses.every((status) => status === 0);
}
