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
 * Options (environment): BENCH_SECONDS (20), BENCH_REALTIME_SECONDS (60),
 * BENCH_WARMUP (8), BENCH_MODES (realtime,whep,copied,transcoded; a run of
 * fewer modes does not rewrite the doc).
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
/** Real-time viewers are measured longer: their delay grows over the first seconds. */
const REALTIME_SECONDS = Number(process.env.BENCH_REALTIME_SECONDS ?? 60);
/** Real-time viewers joining one by one, for the first-frame distribution. */
const JOINS = Number(process.env.BENCH_JOINS ?? 12);
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
  watch: 'realtime' | 'whep' | 'hls',
  target: number,
  src?: string,
  seconds = SECONDS,
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
  await page.waitForTimeout(seconds * 1000);
  const after = await page.evaluate(() => window.bench.samples());
  if (watch === 'whep') {
    const jitter = await page.evaluate(() => window.bench.jitter());
    process.stdout.write(`  jitter buffer (ms, average per frame): ${JSON.stringify(jitter)}\n`);
  }
  await page.evaluate(() => window.bench.stop());
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
    firstFrameTarget: watch === 'hls' ? FIRST_FRAME_TARGETS.hls : FIRST_FRAME_TARGETS.realtime,
  };
}

const ms = (n: number | null) => (n === null || Number.isNaN(n) ? '–' : `${Math.round(n)}`);

/** First frames of `count` viewers joining one after another (ms from `watch` to the first picture). */
async function joins(watch: 'realtime' | 'whep', count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/latency.html`);
    const viewerToken = await server.issueToken(`usr_joiner${Date.now()}`, 'Viewer');
    await page.evaluate(([t, id, w]) => window.bench.watch(t, id, w), [
      viewerToken,
      stream.id,
      watch,
    ] as const);
    await page.waitForFunction(() => window.bench.samples().firstFrameMs !== null, undefined, {
      timeout: 10_000,
    });
    times.push((await page.evaluate(() => window.bench.samples().firstFrameMs)) as number);
    // A viewer leaving ends its WHEP session, as stock clients do (a client holds four at most).
    await page.evaluate(() => window.bench.stop());
    await page.context().close();
    // Joins spread over the keyframe relay interval, as viewers arrive.
    await new Promise((resolve) => setTimeout(resolve, 137 + i * 61));
  }
  return times;
}

const joinRows: string[] = [];
const results: Result[] = [];
const modes = (process.env.BENCH_MODES ?? 'realtime,whep,copied,transcoded').split(',');
try {
  if (modes.includes('realtime')) {
    results.push(
      await measure(
        'Real time (SDK viewer)',
        'realtime',
        TARGETS.realtime,
        undefined,
        REALTIME_SECONDS,
      ),
    );
  }
  if (modes.includes('whep')) {
    results.push(
      await measure(
        'Real time (stock WHEP client)',
        'whep',
        TARGETS.realtime,
        undefined,
        REALTIME_SECONDS,
      ),
    );
  }
  for (const [label, watch] of [
    ['SDK viewer', 'realtime'],
    ['stock WHEP client', 'whep'],
  ] as const) {
    if (!modes.includes(watch)) continue;
    const times = await joins(watch, JOINS);
    const row = `| ${label} | ${times.length} | ${ms(percentile(times, 50))} | ${ms(percentile(times, 95))} | ${ms(Math.max(...times))} |`;
    process.stdout.write(`${row}\n`);
    joinRows.push(row);
  }
  if (modes.includes('copied')) {
    results.push(
      await measure(
        `LL-HLS, copied rendition (${copied.height}p)`,
        'hls',
        TARGETS.copied,
        `${server.url}/hls/${stream.id}/${copied.uri}`,
      ),
    );
  }
  if (modes.includes('transcoded')) {
    results.push(
      await measure(
        `LL-HLS, transcoded rendition (${transcoded.height}p)`,
        'hls',
        TARGETS.transcoded,
        `${server.url}/hls/${stream.id}/${transcoded.uri}`,
      ),
    );
  }
} finally {
  await browser.close();
  await server.close();
  await rm(outDir, { recursive: true, force: true });
}

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
${WARMUP} s of warm-up, then ${REALTIME_SECONDS} s of samples in real time and ${SECONDS} s on LL-HLS; loopback, headless Chromium,
${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}. First frame: from \`load\` to the first presented
frame (the player page already open).

| Mode | Median (ms) | p95 (ms) | Target median | Met | First frame (ms) | Target | Met | Samples | Picture |
| ---- | ----------: | -------: | ------------: | :-: | ---------------: | -----: | :-: | ------: | ------- |
${rows.join('\n')}

Real-time viewers joining one after another (${JOINS} each, spread over the SFU's keyframe
relay interval): the time from \`watch\` (page open, nothing connected) to the first picture,
signalling, ICE and DTLS included. The SFU's own part, from the viewer's DTLS being up to
its first keyframe, is at most the keyframe relay interval (350 ms) plus one encode, and usually
one encode (a keyframe requested at once); the rest is signalling, ICE and DTLS.

| Viewer | Joins | First frame median (ms) | p95 (ms) | Max (ms) |
| ------ | ----: | ----------------------: | -------: | -------: |
${joinRows.join('\n')}

The publisher, the server (SFU, ffmpeg ladder, packager) and the viewer share the machine's
two cores, so the transcoded rendition's figure includes waiting for a busy CPU.
`;
if (modes.length === 4) {
  await writeDocSection(BENCHMARKS_DOC, 'latency', markdown);
  process.stdout.write(`written to ${BENCHMARKS_DOC}\n`);
}
process.exit(0);
