#!/usr/bin/env node
// Checks what the test suite needs beyond npm packages and says how to get it,
// instead of letting a test fail later with a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const problems = [];
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  problems.push(`Node ${process.versions.node} is too old: OnAir needs Node 22 or newer.`);
}
const ffmpeg = process.env.FFMPEG_PATH ?? 'ffmpeg';
if (spawnSync(ffmpeg, ['-version'], { stdio: 'ignore' }).status !== 0) {
  problems.push(
    `ffmpeg not found (${ffmpeg}): install it (Debian/Ubuntu: apt-get install -y ffmpeg) or set FFMPEG_PATH.`,
  );
}
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  problems.push(
    `Chromium not found at ${chromium}: install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`,
  );
}
// A font with colour emoji (the reactions, chat and stories show them): fontconfig lists the
// colour fonts that hold 🎉 (U+1F389). Without fontconfig, Chromium's own check in the tests says it.
const emoji = spawnSync('fc-list', [':charset=1f389:color=true', 'family'], { encoding: 'utf8' });
if (emoji.status === 0 && !emoji.stdout.trim()) {
  problems.push(
    'No colour emoji font: install one (Debian: apt-get install -y fonts-noto-color-emoji).',
  );
}
if (problems.length) {
  process.stderr.write(
    `\nOnAir tests cannot run on this machine yet:\n  - ${problems.join('\n  - ')}\n\n`,
  );
  process.exit(1);
}
