import { spawnSync } from 'node:child_process';
import type { QualityPreset } from '@onair/protocol';
import type { SourceVideo } from '../source.js';

/** A rung of the HLS ladder before it is fitted to a source. */
export interface LadderPreset {
  /** Rendition name, used in URLs: letters, digits, `-` and `_`. */
  name: string;
  /** Output height in pixels; the width follows the source's aspect ratio. */
  height: number;
  /** Video bitrate, kbit/s. */
  videoKbps: number;
  /** Audio bitrate, kbit/s. */
  audioKbps: number;
  /** Output frame rate. Default 30. */
  frameRate?: number;
}

/** Named presets for `media.ladder`. */
export const LADDER_PRESETS = {
  '1080p': { name: '1080p', height: 1080, videoKbps: 5000, audioKbps: 128 },
  '720p': { name: '720p', height: 720, videoKbps: 2800, audioKbps: 128 },
  '480p': { name: '480p', height: 480, videoKbps: 1400, audioKbps: 96 },
  '360p': { name: '360p', height: 360, videoKbps: 800, audioKbps: 96 },
  '240p': { name: '240p', height: 240, videoKbps: 400, audioKbps: 64 },
} as const satisfies Record<string, LadderPreset>;

/**
 * The bitrate, bits/s, a stream's quality preset lets its publisher's video
 * reach (the SFU's REMB): the preset's rung's.
 */
export const publishBitrateOf = (preset: QualityPreset): number =>
  LADDER_PRESETS[preset].videoKbps * 1000;

/** Name of a built-in preset. */
export type LadderPresetName = keyof typeof LADDER_PRESETS;

/** The default ladder: the source copied (when H.264) plus these below it. */
export const DEFAULT_LADDER: readonly LadderPresetName[] = ['720p', '480p', '240p'];

/** Video encoders the ladder can use. */
export type VideoEncoder = 'x264' | 'nvenc' | 'qsv' | 'vaapi' | 'svt-av1';

/** One rendition of the fitted ladder. */
export interface Rung {
  name: string;
  /** Copy the source's video instead of encoding it. */
  copy: boolean;
  width: number;
  height: number;
  videoKbps: number;
  audioKbps: number;
  frameRate: number;
  encoder: VideoEncoder;
}

/** Options for {@link planLadder}. */
export interface LadderOptions {
  presets: readonly LadderPreset[];
  /** Encoder of the H.264 rungs. */
  encoder: Exclude<VideoEncoder, 'svt-av1'>;
  /** Also encode an AV1 rendition of each transcoded rung (svt-av1). */
  av1: boolean;
  /**
   * The stream's quality preset, as a height: no rung is taller (a taller
   * source is encoded down to it instead of copied).
   */
  maxHeight?: number | undefined;
}

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

/**
 * Fits the presets to a source: the top rung is the source itself (copied
 * when it is H.264, encoded at its own height otherwise, never above the
 * highest preset), then every preset below the top rung. No rung is taller
 * than the source, nor than `maxHeight` (a taller source's top rung is
 * encoded at `maxHeight`).
 */
export function planLadder(source: SourceVideo, options: LadderOptions): Rung[] {
  const presets = [...options.presets].sort((a, b) => b.height - a.height);
  const aspect = source.width / source.height;
  const tallest = presets[0];
  const limit = options.maxHeight ?? Number.POSITIVE_INFINITY;
  const h264 = /^h264$/i.test(source.codec);
  const copy = h264 && source.height <= limit;
  // H.264 is the top rung as it comes, or encoded down to the cap; another codec is encoded
  // at its own height, never above the highest preset.
  const topHeight = Math.min(
    source.height,
    limit,
    h264 ? Number.POSITIVE_INFINITY : (tallest?.height ?? 720),
  );
  // The preset whose height is closest to the top rung's gives its bitrates, among the
  // ladder's and the built-in ones (a rung encoded down to a stream's cap may be of neither).
  const closest = [...presets, ...Object.values(LADDER_PRESETS)].reduce<LadderPreset | undefined>(
    (best, p) =>
      !best || Math.abs(p.height - topHeight) < Math.abs(best.height - topHeight) ? p : best,
    undefined,
  ) ?? { name: 'source', height: topHeight, videoKbps: 2800, audioKbps: 128 };
  const rung = (preset: LadderPreset, height: number, encoder: VideoEncoder): Rung => ({
    name: preset.name,
    copy: false,
    width: even(height * aspect),
    height: even(height),
    videoKbps: preset.videoKbps,
    audioKbps: preset.audioKbps,
    frameRate: preset.frameRate ?? 30,
    encoder,
  });
  const top: Rung = {
    ...rung(closest, topHeight, options.encoder),
    name: `${even(topHeight)}p`,
    copy,
  };
  if (copy) {
    top.width = source.width;
    top.height = source.height;
  }
  const below = presets
    .filter((p) => p.height < top.height * 0.95)
    .map((p) => rung(p, p.height, options.encoder));
  const rungs = [top, ...below];
  if (options.av1) {
    for (const r of rungs.slice(copy ? 1 : 0)) {
      rungs.push({
        ...r,
        name: `${r.name}-av1`,
        encoder: 'svt-av1',
        videoKbps: Math.round(r.videoKbps * 0.7),
      });
    }
  }
  return rungs;
}

/** ffmpeg's name for each encoder. */
const FFMPEG_ENCODERS: Record<VideoEncoder, string> = {
  x264: 'libx264',
  nvenc: 'h264_nvenc',
  qsv: 'h264_qsv',
  vaapi: 'h264_vaapi',
  'svt-av1': 'libsvtav1',
};

function encoderArgs(rung: Rung, keyframeSeconds: number, x264Preset: string): string[] {
  const rate = [
    '-b:v',
    `${rung.videoKbps}k`,
    '-maxrate',
    `${Math.round(rung.videoKbps * 1.2)}k`,
    '-bufsize',
    `${rung.videoKbps * 2}k`,
  ];
  // Keyframes where the source has them keep segments aligned across renditions;
  // -g is the fallback when the source sends none.
  const gop = String(Math.round(rung.frameRate * keyframeSeconds * 2));
  const keyframes = ['-force_key_frames', 'source', '-g', gop];
  switch (rung.encoder) {
    case 'x264':
      return [
        '-c:v',
        'libx264',
        '-preset',
        x264Preset,
        '-tune',
        'zerolatency',
        '-profile:v',
        'main',
        '-pix_fmt',
        'yuv420p',
        '-sc_threshold',
        '0',
        ...keyframes,
        ...rate,
      ];
    case 'nvenc':
      return [
        '-c:v',
        'h264_nvenc',
        '-preset',
        'p4',
        '-tune',
        'll',
        '-zerolatency',
        '1',
        ...keyframes,
        ...rate,
      ];
    case 'qsv':
      return ['-c:v', 'h264_qsv', '-preset', 'veryfast', '-look_ahead', '0', ...keyframes, ...rate];
    case 'vaapi':
      return ['-c:v', 'h264_vaapi', ...keyframes, ...rate];
    case 'svt-av1':
      return [
        '-c:v',
        'libsvtav1',
        '-preset',
        '10',
        '-svtav1-params',
        'tune=0:lp=1',
        ...keyframes,
        ...rate,
      ];
  }
}

/** Options of {@link ladderArgs}. */
export interface LadderArgsOptions {
  /** ffmpeg input arguments (everything up to and including `-i …`). */
  input: string[];
  rungs: readonly Rung[];
  hasAudio: boolean;
  /** Copy the source's audio (it is AAC already) instead of encoding it. */
  copyAudio: boolean;
  segmentTarget: number;
  x264Preset: string;
  /** Write a JPEG thumbnail every this many seconds to `thumbnailPattern` (0: none). */
  thumbnailSeconds: number;
  thumbnailPattern: string;
  /** `/dev/dri/renderD128` etc. for VAAPI. */
  vaapiDevice?: string | undefined;
  /**
   * An ffmpeg older than 5.1 (the npm-shipped 4.1): frame timing is kept
   * with the global `-vsync passthrough` instead of each output's
   * `-fps_mode passthrough`, which it does not know.
   */
  legacyVsync?: boolean | undefined;
}

/**
 * ffmpeg arguments for a whole ladder in one child: the source is decoded
 * once, split and scaled per rung; each rung is written as fragmented MP4
 * (one fragment per frame, gathered into LL-HLS parts by the packager) to its own pipe, fd 3 for the first rung,
 * fd 4 for the next and so on.
 */
export function ladderArgs(options: LadderArgsOptions): string[] {
  const { rungs, hasAudio, segmentTarget } = options;
  const encoded = rungs.filter((r) => !r.copy);
  const branches = encoded.length + (options.thumbnailSeconds > 0 ? 1 : 0);
  const filters: string[] = [];
  if (branches > 0) {
    const fps = Math.max(...encoded.map((r) => r.frameRate), 30);
    const labels = Array.from({ length: branches }, (_, i) => `[s${i}]`).join('');
    filters.push(`[0:v:0]fps=${fps},split=${branches}${labels}`);
    encoded.forEach((r, i) => {
      const upload = r.encoder === 'vaapi' ? ',format=nv12,hwupload' : '';
      const rate = r.frameRate === fps ? '' : `fps=${r.frameRate},`;
      filters.push(`[s${i}]${rate}scale=${r.width}:${r.height}${upload}[v${i}]`);
    });
    if (options.thumbnailSeconds > 0) {
      filters.push(`[s${encoded.length}]fps=1/${options.thumbnailSeconds},scale=-2:360[thumb]`);
    }
  }
  const args = ['-hide_banner', '-loglevel', 'warning', '-nostdin'];
  if (options.vaapiDevice) args.push('-vaapi_device', options.vaapiDevice);
  args.push(...options.input);
  if (options.legacyVsync) args.push('-vsync', 'passthrough');
  const keepTiming = options.legacyVsync ? [] : ['-fps_mode', 'passthrough'];
  if (filters.length > 0) args.push('-filter_complex', filters.join(';'));
  // One fragment per frame on every rung; the packager gathers them into parts that end
  // on the last frame fitting PART-TARGET. The copied rung keeps the publisher's uneven
  // timing, and every rung follows the source's keyframes, which come early when a
  // keyframe is requested (a viewer's PLI, lost packets): fragments of a fixed length
  // would be cut short there, leaving a part under 85 % of PART-TARGET mid-segment.
  rungs.forEach((r, i) => {
    const index = encoded.indexOf(r);
    args.push('-map', r.copy ? '0:v:0' : `[v${index}]`);
    if (hasAudio) args.push('-map', '0:a:0');
    if (r.copy) {
      args.push('-c:v', 'copy', ...keepTiming);
    } else {
      args.push(...encoderArgs(r, segmentTarget, options.x264Preset), ...keepTiming);
    }
    if (hasAudio) {
      args.push(
        ...(options.copyAudio
          ? ['-c:a', 'copy']
          : ['-c:a', 'aac', '-b:a', `${r.audioKbps}k`, '-ar', '48000', '-ac', '2']),
      );
    }
    args.push(
      '-f',
      'mp4',
      '-movflags',
      '+frag_keyframe+empty_moov+default_base_moof',
      '-frag_duration',
      '1',
      '-flush_packets',
      '1',
      `pipe:${3 + i}`,
    );
  });
  if (options.thumbnailSeconds > 0) {
    args.push(
      '-map',
      '[thumb]',
      '-c:v',
      'mjpeg',
      '-q:v',
      '5',
      '-f',
      'image2',
      options.thumbnailPattern,
    );
  }
  return args;
}

/**
 * Checks that the configured ffmpeg can encode with `encoder` on this
 * machine (a one-frame test encode): listed encoders may still lack their
 * hardware. Returns the reason when it cannot.
 */
export function encoderProblem(
  ffmpegPath: string,
  encoder: VideoEncoder,
  vaapiDevice?: string,
): string | undefined {
  const name = FFMPEG_ENCODERS[encoder];
  const args = ['-hide_banner', '-loglevel', 'error'];
  if (encoder === 'vaapi') args.push('-vaapi_device', vaapiDevice ?? '/dev/dri/renderD128');
  args.push('-f', 'lavfi', '-i', 'testsrc=size=256x144:rate=30', '-frames:v', '3');
  if (encoder === 'vaapi') args.push('-vf', 'format=nv12,hwupload');
  args.push('-c:v', name, '-f', 'null', '-');
  const result = spawnSync(ffmpegPath, args, { encoding: 'utf8', timeout: 20_000 });
  if (result.error) return `ffmpeg could not run (${ffmpegPath}): ${result.error.message}`;
  if (result.status === 0) return undefined;
  const reason = result.stderr.trim().split('\n').filter(Boolean).slice(-2).join(' ');
  return `This ffmpeg cannot encode with ${name} here: ${reason || `exit code ${result.status}`}`;
}
