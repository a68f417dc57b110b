/**
 * Glass-to-glass latency (`pnpm bench:latency`), on loopback in headless
 * Chromium, through the SDK as a host app uses it: a Publisher sends a
 * canvas on which the wall clock is drawn as black and white blocks; a
 * Player on another page reads the blocks back from every presented frame
 * (requestVideoFrameCallback) and subtracts. Modes, one at a time: real time
 * (WebRTC through the SFU), LL-HLS on the copied top rendition, and LL-HLS on
 * a transcoded one. Also the time from `load` to the first frame.
 * Writes its section of docs/benchmarks.md.
 *
 * Options (environment): BENCH_SECONDS (20), BENCH_WARMUP (8).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from '@onair/server';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { BENCHMARKS_DOC, writeDocSection } from '../../../packages/server/bench/doc-section.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 8);
const TARGETS = { realtime: 150, copied: 1500, transcoded: 2500 };
const FIRST_FRAME_TARGETS = { realtime: 1000, hls: 2000 };

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = await mkdtemp(join(tmpdir(), 'onair-latency-'));
process.stdout.write('building the bench page…\n');
await build({
  root,
  logLevel: 'error',
  resolve: { conditions: ['@onair/source', 'module', 'browser', 'development|production'] },
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: join(root, 'latency.html') },
  },
});
const server = await createServer({
  devAuth: true,
  staticDir: outDir,
  logLevel: 'error',
  databaseUrl: undefined,
  media: { rtmpPort: 0 },
});
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  // Several pages at once: none may be throttled as a background tab.
  args: [
    ...CHROMIUM_ARGS,
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
  ],
});

const token = await server.issueToken('usr_latencyhost', 'Latency host');
const created = await fetch(`${server.url}/v1/streams`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({ title: 'Latency' }),
});
const { stream } = (await created.json()) as { stream: { id: string } };
await fetch(`${server.url}/v1/streams/${stream.id}/start`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}` },
});

const publisher = await (await browser.newContext()).newPage();
await publisher.goto(`${server.url}/latency.html`);
await publisher.evaluate(([t, id]) => window.bench.publish(t, id), [token, stream.id] as const);
process.stdout.write('publishing; waiting for the HLS ladder…\n');
let master = '';
for (let i = 0; i < 60 && !master.includes('#EXT-X-STREAM-INF'); i++) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  const response = await fetch(`${server.url}/hls/${stream.id}/master.m3u8`);
  if (response.ok) master = await response.text();
}
// Variants: the tallest is the copied source; the next one down is transcoded.
const variants = [...master.matchAll(/RESOLUTION=(\d+)x(\d+)[^\n]*\n([^\n]+)/g)]
  .map((m) => ({ height: Number(m[2]), uri: m[3] as string }))
  .sort((a, b) => b.height - a.height);
const copied = variants[0];
const transcoded = variants[1];
if (!copied || !transcoded) throw new Error(`no ladder in the master playlist:\n${master}`);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

interface Result {
  mode: string;
  median: number;
  p95: number;
  samples: number;
  firstFrameMs: number | null;
  size: string;
  target: number;
  firstFrameTarget: number;
}

async function measure(
  mode: string,
  watch: 'realtime' | 'hls',
  target: number,
  src?: string,
): Promise<Result> {
  process.stdout.write(`${mode}…\n`);
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/latency.html`);
  const viewerToken = await server.issueToken(`usr_viewer${Date.now()}`, 'Viewer');
  await page.evaluate(([t, id, w, s]) => window.bench.watch(t, id, w, s), [
    viewerToken,
    stream.id,
    watch,
    src,
  ] as const);
  await page.waitForTimeout(WARMUP * 1000);
  const before = (await page.evaluate(() => window.bench.samples())).latencies.length;
  await page.waitForTimeout(SECONDS * 1000);
  const after = await page.evaluate(() => window.bench.samples());
  await page.context().close();
  const window_ = after.latencies.slice(before);
  return {
    mode,
    median: percentile(window_, 50),
    p95: percentile(window_, 95),
    samples: window_.length,
    firstFrameMs: after.firstFrameMs,
    size: `${after.width}×${after.height}`,
    target,
    firstFrameTarget: watch === 'realtime' ? FIRST_FRAME_TARGETS.realtime : FIRST_FRAME_TARGETS.hls,
  };
}

const results: Result[] = [];
try {
  results.push(await measure('Real time (WebRTC)', 'realtime', TARGETS.realtime));
  results.push(
    await measure(
      `LL-HLS, copied rendition (${copied.height}p)`,
      'hls',
      TARGETS.copied,
      `${server.url}/hls/${stream.id}/${copied.uri}`,
    ),
  );
  results.push(
    await measure(
      `LL-HLS, transcoded rendition (${transcoded.height}p)`,
      'hls',
      TARGETS.transcoded,
      `${server.url}/hls/${stream.id}/${transcoded.uri}`,
    ),
  );
} finally {
  await browser.close();
  await server.close();
  await rm(outDir, { recursive: true, force: true });
}

const ms = (n: number | null) => (n === null || Number.isNaN(n) ? '–' : `${Math.round(n)}`);
const rows = results.map(
  (r) =>
    `| ${r.mode} | ${ms(r.median)} | ${ms(r.p95)} | ${r.target} | ${r.median <= r.target ? 'yes' : 'no'} | ${ms(r.firstFrameMs)} | ${r.firstFrameTarget} | ${r.firstFrameMs !== null && r.firstFrameMs <= r.firstFrameTarget ? 'yes' : 'no'} | ${r.samples} | ${r.size} |`,
);
for (const row of rows) process.stdout.write(`${row}\n`);
const markdown = `## Glass-to-glass latency (\`pnpm bench:latency\`)

A Publisher sends a 1280×720 canvas on which the wall clock is drawn as black and white blocks
(H.264 from Chromium); a Player on another page reads the clock back from every presented frame
(\`requestVideoFrameCallback\`) and subtracts, so the figure includes capture, encoding, the
SFU or packager, the network stack, buffering, decoding and presentation. One mode at a time,
${WARMUP} s of warm-up, then ${SECONDS} s of samples; loopback, headless Chromium,
${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}. First frame: from \`load\` to the first presented
frame (the player page already open).

| Mode | Median (ms) | p95 (ms) | Target median | Met | First frame (ms) | Target | Met | Samples | Picture |
| ---- | ----------: | -------: | ------------: | :-: | ---------------: | -----: | :-: | ------: | ------- |
${rows.join('\n')}

The publisher, the server (SFU, ffmpeg ladder, packager) and the viewer share the machine's
two cores, so the transcoded rendition's figure includes waiting for a busy CPU.
`;
await writeDocSection(BENCHMARKS_DOC, 'latency', markdown);
process.stdout.write(`written to ${BENCHMARKS_DOC}\n`);
process.exit(0);
