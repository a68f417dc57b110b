#!/usr/bin/env node
// `pnpm test:unit` (and, with --postgres, the PostgreSQL pass): the suite in two
// lanes that run at the same time, each a vitest run of one file at a time.
//
// vitest gives a two-core machine one worker, so the node project ran file
// after file (13 minutes), then the browser project. Most of that time is
// spent waiting (on ffmpeg's real-time media, on servers, on Chromium), not
// computing: two lanes fill both cores. The lanes are drawn so that what
// competes for the CPU in real time stays in one lane, run in order: the
// media plane and the end-to-end pages (ffmpeg, WebRTC, Chromium playing
// live media). Everything else, then the browser project, runs beside them.
// Servers listen on random ports, every test file has its own database and
// Redis key prefix, and Chromium profiles are per test: the lanes share
// nothing but the cores. Each lane's output is printed whole when it ends.
import { spawn } from 'node:child_process';

const postgres = process.argv.includes('--postgres');
const media = ['packages/server/src/media'];

/** Lanes: each an ordered list of vitest runs. */
const lanes = postgres
  ? {
      // The server suite again on PostgreSQL; the fault tests start their own databases and
      // ran in the first pass.
      media: [['--project', 'node', ...media, '--exclude', '**/*.fault.test.ts']],
      rest: [
        [
          '--project',
          'node',
          'packages/server',
          '--exclude',
          'packages/server/src/media/**',
          '--exclude',
          '**/*.fault.test.ts',
        ],
      ],
    }
  : {
      media: [['--project', 'node', ...media, 'examples']],
      rest: [
        [
          '--project',
          'node',
          '--exclude',
          'packages/server/src/media/**',
          '--exclude',
          'examples/**',
        ],
        ['--project', 'browser'],
      ],
    };

/** Runs one lane's vitest runs in order; resolves with its output and whether all passed. */
async function runLane(name, runs) {
  let output = '';
  let ok = true;
  const started = Date.now();
  for (const args of runs) {
    output += `\n[${name}] vitest run ${args.join(' ')}\n`;
    const code = await new Promise((resolve) => {
      const child = spawn('pnpm', ['exec', 'vitest', 'run', ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
      });
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      child.on('close', (exitCode) => resolve(exitCode ?? 1));
    });
    if (code !== 0) ok = false;
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`${output}\n[${name}] ${ok ? 'passed' : 'FAILED'} in ${seconds} s\n`);
  return { name, ok, seconds };
}

const started = Date.now();
const results = await Promise.all(Object.entries(lanes).map(([name, runs]) => runLane(name, runs)));
const failed = results.filter((r) => !r.ok).map((r) => r.name);
const summary = results.map((r) => `${r.name} ${r.seconds} s`).join(', ');
process.stdout.write(
  `\n[lanes] ${failed.length ? `failed: ${failed.join(', ')}` : 'all passed'} (${summary}; ${Math.round((Date.now() - started) / 1000)} s in all)\n`,
);
process.exit(failed.length ? 1 : 0);
