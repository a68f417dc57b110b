/**
 * HLS ladder benchmark (`pnpm bench:ladder`): CPU of the default ladder
 * (the 720p30 H.264 source copied, 480p and 240p encoded with x264, AAC
 * audio, thumbnails) per stream, and how many such streams this machine
 * packages at once without falling behind real time.
 *
 * Each stream's source is ffmpeg sending a pre-encoded 720p30 H.264 + Opus
 * file as RTP (stream copy, so a publisher costs almost nothing), received
 * and forwarded by the packager exactly as a browser publisher's producers
 * are. CPU is read from /proc for the ladder's ffmpeg children, the source
 * children and this process (RTP forwarding and the LL-HLS packager) apart.
 * A step is sustained when every rendition of every stream produced at
 * least 97 % of the wall-clock time in media and no ffmpeg restarted.
 * Writes its section of docs/benchmarks.md.
 *
 * Options (environment): BENCH_SECONDS (20), BENCH_WARMUP (8),
 * BENCH_MAX_STREAMS (6), BENCH_X264_PRESET (veryfast), BENCH_DEBUG=1 (progress every 5 s).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LADDER, LADDER_PRESETS } from '../src/media/hls/ladder.js';
import { HlsPackager } from '../src/media/hls/packager.js';
import { RtpStreamSource } from '../src/media/sfu/rtp-source.js';
import { h264Track, opusTrack, type RtpTestTrack } from '../test/rtp-test-source.js';
import { BENCHMARKS_DOC, writeDocSection } from './doc-section.js';
import { cpuSeconds } from './proc-stat.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 8);
const MAX_STREAMS = Number(process.env.BENCH_MAX_STREAMS ?? 6);
const PRESET = process.env.BENCH_X264_PRESET ?? 'veryfast';
const REAL_TIME_TARGET = 0.97;
const CORE_TARGET = 0.6;
/**
 * Length of the source file: longer than a step (start, warm-up, window), so
 * no step loops it (ffmpeg's -stream_loop stopped sending video after the
 * first loop in a copy to RTP).
 */
const SOURCE_SECONDS = WARMUP + SECONDS + 30;

const dir = await mkdtemp(join(tmpdir(), 'onair-ladder-bench-'));
const sourceFile = join(dir, 'source-720p30.mkv');
process.stdout.write('encoding the 720p30 source file…\n');
execFileSync('ffmpeg', [
  '-hide_banner',
  '-loglevel',
  'error',
  '-y',
  '-f',
  'lavfi',
  '-i',
  'testsrc2=size=1280x720:rate=30',
  '-f',
  'lavfi',
  '-i',
  'sine=frequency=440:sample_rate=48000',
  '-t',
  String(SOURCE_SECONDS),
  '-map',
  '0:v',
  '-map',
  '1:a',
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-profile:v',
  'main',
  '-bf',
  '0',
  '-pix_fmt',
  'yuv420p',
  '-b:v',
  '2500k',
  '-maxrate',
  '3000k',
  '-bufsize',
  '5000k',
  '-g',
  '60',
  '-keyint_min',
  '60',
  '-sc_threshold',
  '0',
  '-c:a',
  'libopus',
  '-b:a',
  '96k',
  '-ac',
  '2',
  sourceFile,
]);

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(match?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

interface Stream {
  packager: HlsPackager;
  sender: ChildProcess;
  video: RtpTestTrack;
  audio: RtpTestTrack;
}

async function startStream(index: number): Promise<Stream> {
  const video = h264Track('4d401f');
  const audio = opusTrack();
  const [videoPort, audioPort] = [await video.bind(), await audio.bind()];
  // Parameter sets in-band before each keyframe, as a browser sends them.
  const sender = spawn(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-re',
      '-i',
      sourceFile,
      '-map',
      '0:v',
      '-c:v',
      'copy',
      '-bsf:v',
      'h264_mp4toannexb',
      '-f',
      'rtp',
      '-payload_type',
      '102',
      `rtp://127.0.0.1:${videoPort}`,
      '-map',
      '0:a',
      '-c:a',
      'copy',
      '-f',
      'rtp',
      '-payload_type',
      '100',
      `rtp://127.0.0.1:${audioPort}`,
    ],
    { stdio: 'ignore' },
  );
  const outDir = join(dir, `stream-${index}`);
  const packager = new HlsPackager({
    outDir,
    ffmpegPath: 'ffmpeg',
    timing: { segmentTarget: 2, partTarget: 1 / 3, windowSeconds: 120 },
    ladder: {
      presets: DEFAULT_LADDER.map((name) => LADDER_PRESETS[name]),
      encoder: 'x264',
      av1: false,
    },
    x264Preset: PRESET,
    keyframeIntervalMs: 2000,
    thumbnailSeconds: 5,
    log: (message) => process.stderr.write(`[stream ${index}] ${message}\n`),
  });
  await packager.init();
  void packager.setSource(new RtpStreamSource(video, audio, outDir));
  return { packager, sender, video, audio };
}

async function stopStream(stream: Stream): Promise<void> {
  await stream.packager.end();
  stream.sender.kill('SIGKILL');
  stream.video.socket.close();
  stream.audio.socket.close();
}

interface Step {
  streams: number;
  ladderCores: number;
  ladderCoresPerStream: number;
  senderCores: number;
  nodeCores: number;
  worstRealTime: number;
  bestRealTime: number;
  restarts: number;
  ladderRssMb: number;
  maxPart: number;
  maxSegment: number;
  /** The playlists' EXT-X-TARGETDURATION, s. */
  targetDuration: number;
  ladder: string;
}

async function measure(count: number): Promise<Step> {
  const streams: Stream[] = [];
  for (let i = 0; i < count; i++) streams.push(await startStream(i));
  try {
    const ready = await Promise.all(streams.map((s) => s.packager.waitUntilReady(30_000)));
    if (ready.some((r) => !r)) throw new Error('a stream produced no HLS within 30 s');
    await new Promise((r) => setTimeout(r, WARMUP * 1000));
    const renditions = streams.flatMap((s) => s.packager.renditions);
    const before = {
      at: performance.now(),
      ladder: streams.map((s) => cpuSeconds(s.packager.pid)),
      sender: streams.reduce((sum, s) => sum + cpuSeconds(s.sender.pid), 0),
      node: process.cpuUsage(),
      media: renditions.map((r) => r.mediaSeconds),
      pids: streams.map((s) => s.packager.pid),
      restarts: streams.reduce((sum, s) => sum + s.packager.restartCount, 0),
    };
    for (let waited = 0; waited < SECONDS; waited += 5) {
      await new Promise((r) => setTimeout(r, Math.min(5, SECONDS - waited) * 1000));
      if (process.env.BENCH_DEBUG) {
        console.log(
          ((performance.now() - before.at) / 1000).toFixed(1),
          renditions.map((r, i) => (r.mediaSeconds - (before.media[i] ?? 0)).toFixed(1)).join(' '),
          streams.map((s) => `${s.video.packets}/${s.audio.packets}`).join(' '),
        );
      }
    }
    const wall = (performance.now() - before.at) / 1000;
    const restarts = streams.reduce((sum, s) => sum + s.packager.restartCount, 0) - before.restarts;
    const samePids = streams.every((s, i) => s.packager.pid === before.pids[i]);
    const ladderCpu = streams.reduce(
      (sum, s, i) => sum + cpuSeconds(s.packager.pid) - (before.ladder[i] ?? 0),
      0,
    );
    const node = process.cpuUsage(before.node);
    const realTime = renditions.map((r, i) => (r.mediaSeconds - (before.media[i] ?? 0)) / wall);
    process.stdout.write(
      `[${renditions.map((r, i) => `${r.name} ${((realTime[i] ?? 0) * 100).toFixed(1)} %`).join(', ')}] `,
    );
    const ladder = streams[0]?.packager.ladder ?? [];
    return {
      streams: count,
      ladderCores: ladderCpu / wall,
      ladderCoresPerStream: ladderCpu / wall / count,
      senderCores:
        (streams.reduce((sum, s) => sum + cpuSeconds(s.sender.pid), 0) - before.sender) / wall,
      nodeCores: (node.user + node.system) / 1e6 / wall,
      worstRealTime: Math.min(...realTime),
      bestRealTime: Math.max(...realTime),
      restarts: restarts + (samePids ? 0 : 1),
      ladderRssMb: streams.reduce((sum, s) => sum + rssMb(s.packager.pid), 0) / count,
      maxPart: Math.max(...renditions.map((r) => r.maxima.part)),
      maxSegment: Math.max(...renditions.map((r) => r.maxima.segment)),
      targetDuration: Math.max(...renditions.map((r) => r.targetDuration)),
      ladder: ladder
        .map((r) => `${r.name} ${r.copy ? 'copy' : `${r.videoKbps} kbit/s`}`)
        .join(', '),
    };
  } finally {
    await Promise.all(streams.map(stopStream));
  }
}

// Over 100 % + the tolerance means catching up on a backlog: it had fallen behind.
const sustained = (s: Step) =>
  s.worstRealTime >= REAL_TIME_TARGET && s.bestRealTime <= 2 - REAL_TIME_TARGET && s.restarts === 0;
const steps: Step[] = [];
for (let count = 1; count <= MAX_STREAMS; count++) {
  process.stdout.write(`${count} stream(s)… `);
  const step = await measure(count);
  steps.push(step);
  process.stdout.write(
    `ladder ${step.ladderCoresPerStream.toFixed(2)} core/stream, node ${step.nodeCores.toFixed(2)}, senders ${step.senderCores.toFixed(2)}, real time ${(step.worstRealTime * 100).toFixed(1)} %, restarts ${step.restarts}\n`,
  );
  if (!sustained(step)) break;
}
await rm(dir, { recursive: true, force: true });

const one = steps[0] as Step;
const best = [...steps].reverse().find(sustained);
const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
const date = new Date().toISOString().slice(0, 10);
const row = (s: Step) =>
  `| ${s.streams} | ${s.ladderCoresPerStream.toFixed(2)} | ${s.ladderCores.toFixed(2)} | ${s.nodeCores.toFixed(2)} | ${s.senderCores.toFixed(2)} | ${(s.worstRealTime * 100).toFixed(1)}–${(s.bestRealTime * 100).toFixed(1)} % | ${s.restarts} | ${s.ladderRssMb.toFixed(0)} | ${sustained(s) ? 'yes' : '**no**'} |`;
const doc = `## HLS ladder

\`pnpm bench:ladder\` on ${cpus().length} cores (${cpu}), ${date}, ffmpeg ${execFileSync('ffmpeg', ['-version']).toString().split(' ')[2]}, x264 preset \`${PRESET}\`.
Each stream: a 720p30 H.264 source (main profile, no B-frames, as WebRTC sends it) + Opus, sent as RTP by ffmpeg (stream copy), packaged with the
default ladder — ${one.ladder} — as Low-Latency HLS (parts of 1/3 s, segments of 2 s), AAC audio per
rendition and a thumbnail every 5 s. ${SECONDS} s measured after ${WARMUP} s of warm-up.

**Default ladder: ${one.ladderCoresPerStream.toFixed(2)} of a core per stream** (ffmpeg decode, scale, two x264 encodes,
three AAC encodes). Target under ${CORE_TARGET}: **${one.ladderCoresPerStream < CORE_TARGET ? 'met' : 'not met'}**. RTP forwarding and the LL-HLS packager in
Node add ${one.nodeCores.toFixed(2)} of a core for one stream.

**Streams packaged at once without falling behind real time: ${best?.streams ?? 0}**
(every rendition within ${Math.round((1 - REAL_TIME_TARGET) * 100)} % of wall-clock time in media — above it means catching up on a backlog — and no ffmpeg restart). The sources run on the same machine.

| streams | ladder cores / stream | ladder cores | Node cores | source cores | renditions vs real time | restarts | ffmpeg RSS MB / stream | sustained |
| ------- | --------------------- | ------------ | ---------- | ------------ | ------------------------------ | -------- | ---------------------- | --------- |
${steps.map(row).join('\n')}

Longest part ${one.maxPart.toFixed(3)} s (PART-TARGET 0.333 s), longest segment ${one.maxSegment.toFixed(2)} s (TARGETDURATION ${one.targetDuration} s) for one stream.
`;
await writeDocSection(BENCHMARKS_DOC, 'ladder', doc);
process.stdout.write(`\nwrote the ladder section of ${BENCHMARKS_DOC}\n`);
process.exit(0);
