/**
 * Render benchmark of the virtualised <onair-chat> (`pnpm bench:chat-ui`):
 * builds scripts/chat-ui-bench with Vite, opens it in Debian's Chromium and
 * runs it: 10,000 messages, 200 new ones a second, then a scroll through the
 * history. Prints the figures and writes docs/benchmarks-chat-ui.md.
 */
import { spawnSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

const root = fileURLToPath(new URL('./chat-ui-bench', import.meta.url));
const outDir = join(tmpdir(), `onair-chat-ui-bench-${process.pid}`);
await build({
  root,
  logLevel: 'warn',
  resolve: { conditions: ['@onair/source'] },
  build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2048 },
});

const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
};
const server = createServer(async (request, response) => {
  const path = join(
    outDir,
    new URL(request.url ?? '/', 'http://x').pathname.replace(/\/$/, '/index.html'),
  );
  try {
    const body = await readFile(path);
    response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 800, height: 700 } });
  await page.goto(url);
  // These callbacks run in the page; globalThis is its window.
  await page.waitForFunction(() => 'runBench' in globalThis);
  const r = await page.evaluate(() =>
    (
      globalThis as unknown as { runBench: () => Promise<Record<string, number | null>> }
    ).runBench(),
  );
  const n = (v: number | null | undefined, digits = 1) => (v ?? 0).toFixed(digits);
  const doc = `# Chat render benchmark

\`pnpm bench:chat-ui\` in headless Chromium (Debian, software rendering), ${new Date().toISOString().slice(0, 10)}.
\`<onair-chat>\` 360×600 px holding ${r.messages?.toLocaleString('en')} messages of mixed heights; then 200 new
messages a second, in batches of 20 every 100 ms (as the server sends them) for 10 s, following
the newest; then a scroll from the oldest to the newest in 150 frames.

| measure | value |
| --- | --- |
| first render with 10,000 messages | ${n(r.mountMs)} ms |
| rows in the DOM | ${r.rowsRendered} |
| render per batch of 20 (p50 / p99 / max) | ${n(r.updateP50)} / ${n(r.updateP99)} / ${n(r.updateMax)} ms |
| frame interval while live (p50 / p99) | ${n(r.liveFrameP50)} / ${n(r.liveFrameP99)} ms |
| frames over 50 ms while live | ${r.liveFramesOver50} of ${r.liveFrames} |
| long tasks (> 50 ms) while live | ${r.liveLongTasks} |
| frame interval while scrolling (p50 / p99) | ${n(r.scrollFrameP50)} / ${n(r.scrollFrameP99)} ms |
| frames over 50 ms while scrolling | ${r.scrollFramesOver50} of ${r.scrollFrames} |
| long tasks while scrolling | ${r.scrollLongTasks} |
| JS heap after the run | ${r.heapMb === null ? 'n/a' : `${n(r.heapMb, 0)} MB`} |
`;
  process.stdout.write(`${doc}\n`);
  const out = fileURLToPath(new URL('../docs/benchmarks-chat-ui.md', import.meta.url));
  await writeFile(out, doc);
  spawnSync('pnpm', ['exec', 'biome', 'format', '--write', out], { stdio: 'ignore' });
} finally {
  await browser.close();
  server.close();
  await rm(outDir, { recursive: true, force: true });
}
