import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLlHlsMedia } from '../../../../../scripts/validate-ll-hls.js';
import { h264RtpSize, h264SpsSize, vp8RtpSize } from '../video-probe.js';
import { Fmp4Splitter, parseFragment, parseInit } from './fmp4.js';
import {
  DEFAULT_LADDER,
  encoderProblem,
  LADDER_PRESETS,
  ladderArgs,
  planLadder,
} from './ladder.js';
import { LlHlsRendition } from './segmenter.js';

const presets = DEFAULT_LADDER.map((name) => LADDER_PRESETS[name]);
const options = { presets, encoder: 'x264' as const, av1: false };

describe('planLadder', () => {
  it('copies an H.264 source on top and adds only the presets below it', () => {
    const rungs = planLadder({ codec: 'h264', width: 1280, height: 720 }, options);
    expect(rungs.map((r) => [r.name, r.copy, r.width, r.height])).toEqual([
      ['720p', true, 1280, 720],
      ['480p', false, 854, 480],
      ['240p', false, 426, 240],
    ]);
  });

  it('never goes above the source, and encodes a VP8 source at its own size', () => {
    const rungs = planLadder({ codec: 'vp8', width: 640, height: 360 }, options);
    expect(rungs.map((r) => [r.name, r.copy, r.height])).toEqual([
      ['360p', false, 360],
      ['240p', false, 240],
    ]);
    // A 4K VP8 source is encoded at the highest preset, not at 2160p.
    const big = planLadder({ codec: 'vp8', width: 3840, height: 2160 }, options);
    expect(big[0]).toMatchObject({ copy: false, height: 720, width: 1280 });
  });

  it("caps the ladder at the stream's quality preset: a taller source is encoded down to it", () => {
    const capped = planLadder(
      { codec: 'h264', width: 1920, height: 1080 },
      { ...options, maxHeight: 480 },
    );
    expect(capped.map((r) => [r.name, r.copy, r.width, r.height, r.videoKbps])).toEqual([
      ['480p', false, 854, 480, 1400],
      ['240p', false, 426, 240, 400],
    ]);
    // A source within the cap is copied as before.
    const within = planLadder(
      { codec: 'h264', width: 854, height: 480 },
      { ...options, maxHeight: 720 },
    );
    expect(within[0]).toMatchObject({ name: '480p', copy: true });
  });

  it('keeps odd aspect ratios with even dimensions and adds AV1 rungs on request', () => {
    const portrait = planLadder({ codec: 'h264', width: 720, height: 1280 }, options);
    expect(portrait.map((r) => [r.width, r.height])).toEqual([
      [720, 1280],
      [406, 720],
      [270, 480],
      [136, 240],
    ]);
    const av1 = planLadder({ codec: 'h264', width: 1280, height: 720 }, { ...options, av1: true });
    expect(av1.map((r) => `${r.name}:${r.encoder}`)).toEqual([
      '720p:x264',
      '480p:x264',
      '240p:x264',
      '480p-av1:svt-av1',
      '240p-av1:svt-av1',
    ]);
  });

  it('writes one ffmpeg command: one decode, a split, one pipe per rung', () => {
    const rungs = planLadder({ codec: 'h264', width: 1280, height: 720 }, options);
    const args = ladderArgs({
      input: ['-i', 'in.sdp'],
      rungs,
      hasAudio: true,
      copyAudio: false,
      segmentTarget: 2,
      x264Preset: 'veryfast',
      thumbnailSeconds: 5,
      thumbnailPattern: 'thumb-0-%05d.jpg',
    });
    const command = args.join(' ');
    expect(command).toContain('[0:v:0]fps=30,split=3[s0][s1][s2]');
    expect(command).toContain('[s0]scale=854:480[v0]');
    expect(command).toContain('[s2]fps=1/5,scale=-2:360[thumb]');
    expect(args.filter((a) => /^pipe:\d$/.test(a))).toEqual(['pipe:3', 'pipe:4', 'pipe:5']);
    expect(command).toContain('-map 0:v:0 -map 0:a:0 -c:v copy');
    expect(command).toContain('-force_key_frames source');
    expect(command).not.toContain('-frag_duration 300000');
    expect(command.match(/-frag_duration 1 /g)).toHaveLength(3); // a fragment per frame, every rung
  });

  it('explains why an encoder cannot be used instead of failing later', () => {
    // No NVIDIA GPU here: the encoder is listed by ffmpeg but cannot open.
    expect(encoderProblem('ffmpeg', 'nvenc')).toMatch(/cannot encode with h264_nvenc/);
    expect(encoderProblem('/nonexistent/ffmpeg', 'qsv')).toMatch(/could not run/);
  });
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onair-probe-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Encodes a second of test pattern with ffmpeg and returns the output file's bytes. */
function encode(args: string[], file: string): Buffer {
  const path = join(dir, file);
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    ...args,
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
  return readFileSync(path);
}

function annexBNals(data: Buffer): Buffer[] {
  const nals: Buffer[] = [];
  let start = -1;
  for (let i = 0; i + 3 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      if (start >= 0) nals.push(data.subarray(start, i - (data[i - 1] === 0 ? 1 : 0)));
      start = i + 3;
      i += 2;
    }
  }
  if (start >= 0) nals.push(data.subarray(start));
  return nals;
}

describe('video-probe (streams encoded by ffmpeg)', () => {
  it.each([
    ['baseline 640x360', ['-profile:v', 'baseline'], 640, 360],
    ['high 426x240 (cropped)', ['-profile:v', 'high'], 426, 240],
    ['high 1920x1080 (cropped)', ['-profile:v', 'high'], 1920, 1080],
  ])('reads the SPS of %s', (_name, profile, width, height) => {
    const data = encode(
      [
        '-f',
        'lavfi',
        '-i',
        `testsrc=size=${width}x${height}:rate=30`,
        '-frames:v',
        '1',
        '-c:v',
        'libx264',
        ...profile,
        '-f',
        'h264',
      ],
      `${width}.h264`,
    );
    const sps = annexBNals(data).find((nal) => ((nal[0] ?? 0) & 0x1f) === 7);
    expect(sps).toBeDefined();
    expect(h264SpsSize(sps as Buffer)).toEqual({ width, height });
    // The same SPS inside a STAP-A aggregation packet (RFC 6184 §5.7.1).
    const stap = Buffer.concat([Buffer.from([24, 0, (sps as Buffer).length]), sps as Buffer]);
    expect(h264RtpSize(stap)).toEqual({ width, height });
  });

  it('reads a VP8 key frame behind an RTP payload descriptor', () => {
    const ivf = encode(
      [
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=320x180:rate=30',
        '-frames:v',
        '1',
        '-c:v',
        'libvpx',
        '-f',
        'ivf',
      ],
      'frame.ivf',
    );
    const frame = ivf.subarray(32 + 12); // IVF file header, then the frame header
    // Descriptor: X=1, S=1, PID=0; I=1 with a 15-bit picture id.
    const payload = Buffer.concat([Buffer.from([0x90, 0x80, 0x80, 0x01]), frame]);
    expect(vp8RtpSize(payload)).toEqual({ width: 320, height: 180 });
    // Not the start of a partition: nothing to read.
    expect(
      vp8RtpSize(Buffer.concat([Buffer.from([0x80, 0x80, 0x80, 0x01]), frame])),
    ).toBeUndefined();
  });
});

describe('fmp4', () => {
  it('splits ffmpeg fMP4 into init and fragments and reads codecs, sizes and keyframes', () => {
    const data = encode(
      [
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=854x480:rate=30',
        '-f',
        'lavfi',
        '-i',
        'sine=sample_rate=48000',
        '-t',
        '2',
        '-c:v',
        'libx264',
        '-profile:v',
        'main',
        '-g',
        '30',
        '-c:a',
        'aac',
        '-f',
        'mp4',
        '-movflags',
        '+frag_keyframe+empty_moov+default_base_moof',
        '-frag_duration',
        '300000',
      ],
      'out.mp4',
    );
    const inits: Buffer[] = [];
    const fragments: Buffer[] = [];
    const splitter = new Fmp4Splitter(
      (b) => inits.push(b),
      (b) => fragments.push(b),
    );
    // Arbitrary chunking, as a pipe delivers it.
    for (let i = 0; i < data.length; i += 1000) splitter.push(data.subarray(i, i + 1000));
    expect(inits).toHaveLength(1);
    const tracks = parseInit(inits[0] as Buffer);
    expect(tracks.map((t) => [t.kind, t.codec, t.width, t.height])).toEqual([
      ['video', 'avc1.4d401f', 854, 480],
      ['audio', 'mp4a.40.2', 0, 0],
    ]);
    const parsed = fragments.map((f) => parseFragment(f, tracks));
    expect(parsed.reduce((s, f) => s + f.videoFrames, 0)).toBe(60);
    expect(parsed.filter((f) => f.independent).map((f) => f.startTime)).toEqual([0, 1]);
    expect(Math.max(...parsed.map((f) => f.duration))).toBeLessThanOrEqual(0.3 + 1e-9);
    expect(() => splitter.push(Buffer.from('garbage!garbage!'))).toThrow(/Not an MP4 box stream/);
  });

  it('builds parts of a copied rendition with uneven frame times from per-frame fragments, none over PART-TARGET', async () => {
    // A publisher's frames arrive unevenly: every seventh gap is 60 % longer.
    packagePerFrame(
      [
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=320x240:rate=30',
        '-f',
        'lavfi',
        '-i',
        'sine=sample_rate=48000',
        '-t',
        '8',
        '-vf',
        "setpts='(N+floor(N/7)*0.6)/30/TB'",
        '-fps_mode',
        'passthrough',
        '-c:v',
        'libx264',
        '-g',
        '60',
        '-bf',
        '0',
        '-c:a',
        'aac',
      ],
      'uneven.mp4',
    );
  });

  it('does not close the first part short after a stretched first picture (an encoder starting under load)', async () => {
    // The first picture lasts a quarter of a second; the rest come every 1/30 s.
    packagePerFrame(
      [
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=320x240:rate=30',
        '-t',
        '6',
        '-vf',
        "setpts='(N+gt(N,0)*6.6)/30/TB'",
        '-fps_mode',
        'passthrough',
        '-c:v',
        'libx264',
        '-g',
        '60',
        '-bf',
        '0',
      ],
      'stretched-start.mp4',
    );
  });

  it('keeps parts even when keyframes come early (a keyframe request mid-segment)', async () => {
    // An encoded rung follows the source's keyframes: two requested ones land 0.4 s apart.
    packagePerFrame(
      [
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=320x240:rate=30',
        '-t',
        '8',
        '-c:v',
        'libx264',
        '-g',
        '300',
        '-force_key_frames',
        '0,2,3.2,3.6,4,6',
      ],
      'early-keyframes.mp4',
    );
  });
});

/**
 * Encodes with `args` to fMP4 with a fragment per frame (as the ladder writes every rung),
 * packages it as one LL-HLS rendition and checks its parts strictly.
 */
function packagePerFrame(args: string[], file: string) {
  const data = encode(
    [
      ...args,
      '-f',
      'mp4',
      '-movflags',
      '+frag_keyframe+empty_moov+default_base_moof',
      '-frag_duration',
      '1',
    ],
    file,
  );
  const timing = { segmentTarget: 2, partTarget: 1 / 3, windowSeconds: 120 };
  const rendition = new LlHlsRendition(file, join(dir, file.replace('.mp4', '')), timing);
  const splitter = new Fmp4Splitter(
    (b) => rendition.addInit(b),
    (b) => rendition.addFragment(b),
  );
  splitter.push(data);
  expectEvenParts(rendition, timing);
  rendition.end();
}

/** Strict LL-HLS (no tolerance): no part over PART-TARGET, none under 85 % but a segment's last. */
function expectEvenParts(
  rendition: LlHlsRendition,
  timing: { segmentTarget: number; partTarget: number },
) {
  const playlist = validateLlHlsMedia(rendition.livePlaylist());
  expect(playlist.segments.filter((s) => s.uri).length).toBeGreaterThanOrEqual(2);
  for (const segment of playlist.segments) {
    const parts = (segment.parts ?? []).filter((p) => !p.hint);
    parts.forEach((part, i) => {
      expect(part.duration).toBeLessThanOrEqual(timing.partTarget + 1e-6);
      if (i < parts.length - 1)
        expect(part.duration).toBeGreaterThanOrEqual(timing.partTarget * 0.85);
    });
    if (parts.length > 0) expect(parts[0]?.independent).toBe(true);
  }
  expect(rendition.maxima.part).toBeLessThanOrEqual(timing.partTarget + 1e-6);
}
