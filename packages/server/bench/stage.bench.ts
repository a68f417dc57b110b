/**
 * Stage composition benchmark (`pnpm bench:stage`): what composing 2, 4 and
 * 6 publishers at 720p30 into the HLS ladder costs, and how long a change in
 * a publisher's picture takes to reach an HLS viewer.
 *
 * Each publisher is ffmpeg sending a pre-encoded 720p30 H.264 + Opus file as
 * RTP (stream copy: a publisher costs almost nothing), received exactly as
 * the SFU's producers are. A {@link ComposedSource} draws them in the grid
 * (one ffmpeg: decode everyone, scale, overlay, mix the audio, x264 at
 * 720p30 and AAC) and the default ladder packages the picture (720p copied,
 * 480p and 240p with x264). CPU comes from /proc for the composer and the
 * ladder apart. A step is sustained when every rendition produced at least
 * 97 % of the wall-clock time in media and nothing restarted.
 *
 * Latency: the first publisher's picture turns from red to lime and back
 * every 4 s of its media time (the file is made so); the wall-clock time of
 * each turn follows from when its first RTP packet arrived (ffmpeg's `-re`
 * sends media time in real time). The benchmark follows the copied
 * rendition part by part as a player's blocking playlist requests would,
 * decodes the parts as they come and notes when the first tile first shows
 * the new colour: the time from the turn to that frame. An LL-HLS
 * player plays PART-HOLD-BACK (three parts, 1 s) behind the newest part, so
 * glass-to-glass is that plus 1 s (plus a browser's capture and encode,
 * which the pre-encoded source leaves out).
 * Writes its section of docs/benchmarks.md.
 *
 * Options (environment): BENCH_SECONDS (20), BENCH_WARMUP (8),
 * BENCH_LATENCY_SECONDS (24), BENCH_STEPS (2,4,6), BENCH_X264_PRESET (veryfast).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComposedSource } from '../src/media/compose/composed-source.js';
import { gridTiles, type Tile } from '../src/media/compose/layout.js';
import { DEFAULT_LADDER, LADDER_PRESETS } from '../src/media/hls/ladder.js';
import { HlsPackager } from '../src/media/hls/packager.js';
import type { LlHlsRendition } from '../src/media/hls/segmenter.js';
import { h264Track, opusTrack, type RtpTestTrack } from '../test/rtp-test-source.js';
import { BENCHMARKS_DOC, writeDocSection } from './doc-section.js';
import { cpuSeconds } from './proc-stat.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 8);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 24);
const STEPS = (process.env.BENCH_STEPS ?? '2,4,6').split(',').map(Number);
const PRESET = process.env.BENCH_X264_PRESET ?? 'veryfast';
const REAL_TIME_TARGET = 0.97;
const GLASS_TO_GLASS_TARGET_MS = 2500;
const PART_TARGET = 1 / 3;
const PART_HOLD_BACK_MS = 3 * PART_TARGET * 1000;
/** Media seconds between the first publisher's turns of colour. */
const BLINK_SECONDS = 4;
const SIZE = { width: 1280, height: 720 };
const SOURCE_SECONDS = WARMUP + SECONDS + LATENCY_SECONDS + 40;

const dir = await mkdtemp(join(tmpdir(), 'onair-stage-bench-'));
const encode = (file: string, video: string[]) =>
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...video,
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
    ...['-t', String(SOURCE_SECONDS), '-map', '0:v', '-map', '1:a'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-bf', '0'],
    ...['-pix_fmt', 'yuv420p', '-b:v', '2500k', '-maxrate', '3000k', '-bufsize', '5000k'],
    ...['-g', '30', '-keyint_min', '30', '-sc_threshold', '0'],
    ...['-c:a', 'libopus', '-b:a', '64k', '-ac', '2', file],
  ]);
process.stdout.write('encoding the 720p30 sources…\n');
const sourceFile = join(dir, 'people-720p30.mkv');
encode(sourceFile, ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30']);
// Red and lime in turn, BLINK_SECONDS each: a turn starts at every multiple of BLINK_SECONDS.
const blinkFile = join(dir, 'blink-720p30.mkv');
const frames = BLINK_SECONDS * 30;
encode(blinkFile, [
  '-f',
  'lavfi',
  '-i',
  `color=c=red:s=1280x720:r=30:d=${BLINK_SECONDS}[a];color=c=lime:s=1280x720:r=30:d=${BLINK_SECONDS}[b];` +
    `[a][b]concat=n=2,loop=loop=-1:size=${2 * frames}[out0]`,
]);

interface Person {
  sender: ChildProcess;
  video: RtpTestTrack;
  audio: RtpTestTrack;
  /** Wall-clock ms of the first video packet, and its RTP timestamp. */
  first?: { at: number; timestamp: number };
}

async function startPerson(file: string): Promise<Person> {
  const video = h264Track('4d401f');
  const audio = opusTrack();
  const [videoPort, audioPort] = [await video.bind(), await audio.bind()];
  const sender = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-re', '-i', file],
      ...['-map', '0:v', '-c:v', 'copy', '-bsf:v', 'h264_mp4toannexb'],
      ...['-f', 'rtp', '-payload_type', '102', `rtp://127.0.0.1:${videoPort}`],
      ...['-map', '0:a', '-c:a', 'copy', '-f', 'rtp', '-payload_type', '100'],
      `rtp://127.0.0.1:${audioPort}`,
    ],
    { stdio: 'ignore' },
  );
  const person: Person = { sender, video, audio };
  const stop = video.onPacket((packet) => {
    person.first = { at: performance.now(), timestamp: packet.header.timestamp };
    stop();
  });
  return person;
}

interface Step {
  people: number;
  composerCores: number;
  ladderCores: number;
  nodeCores: number;
  worstRealTime: number;
  bestRealTime: number;
  restarts: number;
  latencies: number[];
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/**
 * Follows the copied rendition part by part, as a player's blocking reloads
 * would, into one ffmpeg that decodes it (one thread: no frame held back)
 * and reports the first tile's colour per frame; ms from each turn of
 * colour to the frame showing it.
 */
async function latencies(rendition: LlHlsRendition, first: Person, tile: Tile) {
  const found: number[] = [];
  const decoder = spawn(
    'ffmpeg',
    [
      ...['-v', 'error', '-threads', '1', '-f', 'mp4', '-i', 'pipe:0'],
      ...['-vf', `crop=${tile.width}:${tile.height}:${tile.x}:${tile.y},scale=1:1`],
      ...['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    ],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  decoder.stdin.on('error', () => undefined);
  let shown: string | undefined;
  let pending = Buffer.alloc(0);
  decoder.stdout.on('data', (chunk: Buffer) => {
    const at = performance.now();
    pending = Buffer.concat([pending, chunk]);
    for (; pending.length >= 3; pending = pending.subarray(3)) {
      const [r = 0, g = 0] = pending;
      const colour = r > 160 && g < 96 ? 'red' : g > 160 && r < 96 ? 'lime' : undefined;
      if (colour && shown && colour !== shown && first.first) {
        // The turn it shows: the latest at or before now, on the publisher's clock.
        const turn = Math.floor((at - first.first.at) / 1000 / BLINK_SECONDS) * BLINK_SECONDS;
        found.push(at - (first.first.at + turn * 1000));
      }
      if (colour) shown = colour;
    }
  });
  let init: Buffer | undefined;
  for (let i = 0; rendition.init(i); i++) init = rendition.init(i);
  decoder.stdin.write(init as Buffer);
  // From the newest segment's start: its first part is independent.
  let next = { msn: (rendition.newest?.msn ?? 0) + 1, part: 0 };
  const until = performance.now() + LATENCY_SECONDS * 1000;
  while (performance.now() < until) {
    if (!(await rendition.waitFor(next, 5_000))) continue;
    const part = rendition.part(next.msn, next.part);
    if (part) {
      decoder.stdin.write(part);
      next = { msn: next.msn, part: next.part + 1 };
    } else next = { msn: next.msn + 1, part: 0 };
  }
  decoder.stdin.end();
  decoder.kill('SIGKILL');
  return found;
}

async function measure(count: number): Promise<Step> {
  const people: Person[] = [await startPerson(blinkFile)];
  for (let i = 1; i < count; i++) people.push(await startPerson(sourceFile));
  const outDir = join(dir, `stage-${count}`);
  const composed = new ComposedSource(
    people.map((p, i) => ({ userId: `usr_${i}`, video: p.video, audio: p.audio })),
    {
      dir: outDir,
      ffmpegPath: 'ffmpeg',
      layout: 'grid',
      keyframeSeconds: 2,
      x264Preset: PRESET,
      log: (message) => process.stderr.write(`[composer] ${message}\n`),
    },
  );
  const packager = new HlsPackager({
    outDir,
    ffmpegPath: 'ffmpeg',
    timing: { segmentTarget: 2, partTarget: PART_TARGET, windowSeconds: 120 },
    ladder: {
      presets: DEFAULT_LADDER.map((name) => LADDER_PRESETS[name]),
      encoder: 'x264',
      av1: false,
    },
    x264Preset: PRESET,
    keyframeIntervalMs: 2000,
    thumbnailSeconds: 5,
    log: (message) => process.stderr.write(`[ladder] ${message}\n`),
  });
  try {
    await packager.init();
    void packager.setSource(composed);
    if (!(await packager.waitUntilReady(60_000))) throw new Error('no HLS within 60 s');
    await new Promise((r) => setTimeout(r, WARMUP * 1000));
    const renditions = packager.renditions;
    const before = {
      at: performance.now(),
      composer: cpuSeconds(composed.pid),
      ladder: cpuSeconds(packager.pid),
      node: process.cpuUsage(),
      media: renditions.map((r) => r.mediaSeconds),
      pids: [composed.pid, packager.pid],
      restarts: packager.restartCount,
    };
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const wall = (performance.now() - before.at) / 1000;
    const node = process.cpuUsage(before.node);
    const realTime = renditions.map((r, i) => (r.mediaSeconds - (before.media[i] ?? 0)) / wall);
    const samePids = composed.pid === before.pids[0] && packager.pid === before.pids[1];
    const step: Step = {
      people: count,
      composerCores: (cpuSeconds(composed.pid) - before.composer) / wall,
      ladderCores: (cpuSeconds(packager.pid) - before.ladder) / wall,
      nodeCores: (node.user + node.system) / 1e6 / wall,
      worstRealTime: Math.min(...realTime),
      bestRealTime: Math.max(...realTime),
      restarts: packager.restartCount - before.restarts + (samePids ? 0 : 1),
      latencies: [],
    };
    const top = renditions[0] as LlHlsRendition;
    step.latencies = await latencies(top, people[0] as Person, gridTiles(count, SIZE)[0] as Tile);
    return step;
  } finally {
    await packager.end();
    for (const p of people) {
      p.sender.kill('SIGKILL');
      p.video.socket.close();
      p.audio.socket.close();
    }
  }
}

const sustained = (s: Step) =>
  s.worstRealTime >= REAL_TIME_TARGET && s.bestRealTime <= 2 - REAL_TIME_TARGET && s.restarts === 0;
const steps: Step[] = [];
for (const count of STEPS) {
  process.stdout.write(`${count} people… `);
  const step = await measure(count);
  steps.push(step);
  process.stdout.write(
    `composer ${step.composerCores.toFixed(2)} cores, ladder ${step.ladderCores.toFixed(2)}, node ${step.nodeCores.toFixed(2)}, real time ${(step.worstRealTime * 100).toFixed(1)}–${(step.bestRealTime * 100).toFixed(1)} %, restarts ${step.restarts}, turns ${step.latencies.map((l) => Math.round(l)).join(' ')} ms\n`,
  );
}
await rm(dir, { recursive: true, force: true });

const ms = (n: number) => (Number.isNaN(n) ? '–' : `${Math.round(n)}`);
const glass = (s: Step) => percentile(s.latencies, 50) + PART_HOLD_BACK_MS;
const row = (s: Step) =>
  `| ${s.people} | ${s.composerCores.toFixed(2)} | ${s.ladderCores.toFixed(2)} | ${(s.composerCores + s.ladderCores).toFixed(2)} | ${s.nodeCores.toFixed(2)} | ${(s.worstRealTime * 100).toFixed(1)}–${(s.bestRealTime * 100).toFixed(1)} % | ${s.restarts} | ${sustained(s) ? 'yes' : '**no**'} | ${s.latencies.length} | ${ms(percentile(s.latencies, 50))} | ${ms(percentile(s.latencies, 95))} | ${ms(glass(s))} | ${glass(s) <= GLASS_TO_GLASS_TARGET_MS ? 'yes' : '**no**'} |`;
const date = new Date().toISOString().slice(0, 10);
const doc = `## Stage composition

\`pnpm bench:stage\` on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'CPU'}), ${date}, ffmpeg ${execFileSync('ffmpeg', ['-version']).toString().split(' ')[2]}, x264 preset \`${PRESET}\`.
Each publisher: a 720p30 H.264 file (main profile, no B-frames) + Opus sent as RTP by ffmpeg (stream copy).
The composer (one ffmpeg) decodes everyone, draws the grid on a 1280×720 canvas, mixes the audio and
encodes x264 720p30 + AAC; the default ladder copies that and encodes 480p and 240p. ${SECONDS} s measured
after ${WARMUP} s of warm-up, then ${LATENCY_SECONDS} s of latency samples.

**Latency** is from a turn of colour in the first publisher's media (its send time, as \`-re\` paces it)
to the first frame showing it, decoded from the LL-HLS parts of the copied rendition as each is served;
**glass-to-glass** adds PART-HOLD-BACK (${PART_HOLD_BACK_MS.toFixed(0)} ms, where an LL-HLS player plays) — a browser
publisher's capture and encode (tens of ms) are not in it. Target: ≤ ${GLASS_TO_GLASS_TARGET_MS} ms.

| people | composer cores | ladder cores | total cores | Node cores | renditions vs real time | restarts | sustained | turns | to frame, median (ms) | p95 (ms) | glass-to-glass (ms) | ≤ ${GLASS_TO_GLASS_TARGET_MS} ms |
| -----: | -------------: | -----------: | ----------: | ---------: | ----------------------- | -------: | --------- | ----: | -------------------: | ------: | ------------------: | :--: |
${steps.map(row).join('\n')}

The publishers (ffmpeg stream copies) and this process share the machine's cores with the composer and the ladder.
`;
if (STEPS.join() === '2,4,6') {
  await writeDocSection(BENCHMARKS_DOC, 'stage', doc);
  process.stdout.write(`\nwrote the stage section of ${BENCHMARKS_DOC}\n`);
} else process.stdout.write(doc);
process.exit(0);
