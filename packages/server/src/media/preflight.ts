import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { devNull } from 'node:os';
import { ffmpegVersion, NPM_FFMPEG_PACKAGE, npmFfmpegPath } from './ffmpeg-binary.js';
import { encoderProblem, ladderArgs, planLadder, type VideoEncoder } from './hls/ladder.js';

/** What the media plane can do on this machine. */
export interface MediaPreflight {
  /** Whether HLS can be packaged (ffmpeg runs the ladder). */
  hls: boolean;
  /** The ffmpeg runs the ladder only with `-vsync` (before 5.1: the npm-shipped 4.1). */
  legacyVsync: boolean;
  /** The ffmpeg in use and its version; undefined when it does not run. */
  ffmpeg: { path: string; version: string; npm: boolean } | undefined;
  /** What limits the media plane, in words for the operator. */
  warnings: string[];
}

/** What {@link checkMedia} checks. */
export interface MediaPreflightOptions {
  ffmpegPath: string;
  /** H.264 encoder of the transcoded rungs; a hardware one is tried. */
  encoder: 'x264' | 'nvenc' | 'qsv' | 'vaapi';
  av1: boolean;
  vaapiDevice: string;
}

/** The first release whose options the ladder uses (`-fps_mode`). */
const LADDER_MIN_RELEASE = { major: 5, minor: 1 };
const INSTALL_HINT =
  'Install ffmpeg 5.1 or newer (Debian/Ubuntu: apt-get install -y ffmpeg) or set media.ffmpegPath / FFMPEG_PATH.';

/**
 * Checks the media plane's tools before the server starts: without ffmpeg
 * there is no HLS (publishing and real-time viewing still work, with a
 * warning); a configured encoder this ffmpeg or machine cannot use is an
 * error, not a silent fallback. An ffmpeg whose version does not tell that it
 * runs the ladder (the npm-shipped one, snapshots, releases before 5.1)
 * first packages a second of test video with the ladder's own arguments,
 * and when that fails, with the global `-vsync` older releases know
 * (`legacyVsync`).
 */
export function checkMedia(options: MediaPreflightOptions): MediaPreflight {
  const path = options.ffmpegPath;
  const npm = path === npmFfmpegPath();
  const version = ffmpegVersion(path);
  if (!version) {
    return {
      hls: false,
      legacyVsync: false,
      ffmpeg: undefined,
      warnings: [
        `ffmpeg not found (${path}): publishing works but viewers get no HLS. ${INSTALL_HINT}` +
          (path === 'ffmpeg' ? ` Or install the npm package ${NPM_FFMPEG_PACKAGE}.` : ''),
      ],
    };
  }
  const ffmpeg = { path, version: version.version, npm };
  const release = version.release;
  const knownGood =
    !npm &&
    release !== undefined &&
    (release.major > LADDER_MIN_RELEASE.major ||
      (release.major === LADDER_MIN_RELEASE.major && release.minor >= LADDER_MIN_RELEASE.minor));
  let problem = knownGood ? undefined : ladderProblem(path);
  // An ffmpeg before 5.1 knows no -fps_mode: the same ladder with the global -vsync.
  const legacyVsync = problem !== undefined && ladderProblem(path, true) === undefined;
  if (legacyVsync) problem = undefined;
  const which = npm
    ? `the npm-shipped ffmpeg ${version.version} of ${NPM_FFMPEG_PACKAGE} (${path})`
    : `ffmpeg ${version.version} (${path})`;
  if (problem) {
    return {
      hls: false,
      legacyVsync: false,
      ffmpeg,
      warnings: [
        `${npm ? 'No ffmpeg on PATH, and ' : ''}${which} cannot run the HLS ladder (${problem}): publishing works but viewers get no HLS. ${INSTALL_HINT}`,
      ],
    };
  }
  const encoders: VideoEncoder[] = [
    ...(options.encoder === 'x264' ? [] : [options.encoder]),
    ...(options.av1 ? (['svt-av1'] as const) : []),
  ];
  for (const encoder of encoders) {
    const encoderIssue = encoderProblem(path, encoder, options.vaapiDevice);
    if (encoderIssue) {
      throw new Error(
        `OnAir server: media.${encoder === 'svt-av1' ? 'av1' : 'encoder'}: ${encoderIssue}`,
      );
    }
  }
  // Worth a warning: a build nobody on this machine chose, and likely older than theirs would be.
  return {
    hls: true,
    legacyVsync,
    ffmpeg,
    warnings: npm ? [`HLS is packaged by ${which}.`] : [],
  };
}

/**
 * Runs the ladder's own ffmpeg arguments on a second of generated video and
 * audio (two x264 rungs, AAC, fragmented MP4 to pipes); returns ffmpeg's
 * complaint when it fails.
 */
export function ladderProblem(ffmpegPath: string, legacyVsync = false): string | undefined {
  const rungs = planLadder(
    { codec: 'rawvideo', width: 320, height: 180 },
    {
      presets: [{ name: 'probe', height: 144, videoKbps: 200, audioKbps: 64 }],
      encoder: 'x264',
      av1: false,
    },
  );
  const args = ladderArgs({
    // One input with a video and an audio stream, as a publisher's source has.
    input: [
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x180:rate=30:duration=1[out0];sine=duration=1[out1]',
    ],
    rungs: rungs.map((rung) => ({ ...rung })),
    hasAudio: true,
    copyAudio: false,
    segmentTarget: 1,
    x264Preset: 'ultrafast',
    thumbnailSeconds: 0,
    thumbnailPattern: '',
    legacyVsync,
  });
  const sinks = rungs.map(() => openSync(devNull, 'w'));
  try {
    const result = spawnSync(ffmpegPath, args, {
      encoding: 'utf8',
      timeout: 30_000,
      stdio: ['ignore', 'ignore', 'pipe', ...sinks],
    });
    if (result.error) return result.error.message;
    if (result.status === 0) return undefined;
    const lines = result.stderr.trim().split('\n').filter(Boolean);
    return lines.slice(-2).join(' ') || `exit code ${result.status}`;
  } finally {
    for (const fd of sinks) closeSync(fd);
  }
}
