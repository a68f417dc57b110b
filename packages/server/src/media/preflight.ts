import { spawnSync } from 'node:child_process';
import { encoderProblem, type VideoEncoder } from './hls/ladder.js';

/** What the media plane can do on this machine. */
export interface MediaPreflight {
  /** Whether HLS can be packaged (ffmpeg runs). */
  hls: boolean;
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

/**
 * Checks the media plane's tools before the server starts: without ffmpeg
 * there is no HLS (publishing and real-time viewing still work, with a
 * warning); a configured encoder this ffmpeg or machine cannot use is an
 * error, not a silent fallback.
 */
export function checkMedia(options: MediaPreflightOptions): MediaPreflight {
  const runs =
    spawnSync(options.ffmpegPath, ['-version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  if (!runs) {
    return {
      hls: false,
      warnings: [
        `ffmpeg not found (${options.ffmpegPath}): publishing works but viewers get no HLS. ` +
          'Install ffmpeg (Debian/Ubuntu: apt-get install -y ffmpeg) or set media.ffmpegPath / FFMPEG_PATH.',
      ],
    };
  }
  const encoders: VideoEncoder[] = [
    ...(options.encoder === 'x264' ? [] : [options.encoder]),
    ...(options.av1 ? (['svt-av1'] as const) : []),
  ];
  for (const encoder of encoders) {
    const problem = encoderProblem(options.ffmpegPath, encoder, options.vaapiDevice);
    if (problem) {
      throw new Error(
        `OnAir server: media.${encoder === 'svt-av1' ? 'av1' : 'encoder'}: ${problem}`,
      );
    }
  }
  return { hls: true, warnings: [] };
}
