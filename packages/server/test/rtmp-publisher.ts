import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Options of {@link publishRtmp}. */
export interface RtmpPublisherOptions {
  /** How long ffmpeg publishes, seconds. Default 60. */
  seconds?: number;
  width?: number;
  height?: number;
  frameRate?: number;
  videoKbps?: number;
  /** AAC bitrate, kbit/s. Default 64. */
  audioKbps?: number;
  /** The lavfi source of the picture, without its size and rate. Default `testsrc2`. */
  pattern?: string;
}

/**
 * Test-only: ffmpeg publishing a test pattern and a tone over RTMP, as OBS
 * would (H.264 with a keyframe every 2 s, AAC), in real time (`-re`).
 * Its standard error is piped (read it or ignore it).
 */
export function publishRtmp(url: string, options: RtmpPublisherOptions = {}): ChildProcess {
  const {
    seconds = 60,
    width = 640,
    height = 360,
    frameRate = 30,
    videoKbps = 800,
    audioKbps = 64,
    pattern = 'testsrc2',
  } = options;
  return spawn(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-re',
      '-f',
      'lavfi',
      '-i',
      `${pattern}${pattern.includes('=') ? ':' : '='}size=${width}x${height}:rate=${frameRate}`,
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000',
      '-t',
      String(seconds),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-pix_fmt',
      'yuv420p',
      '-g',
      String(frameRate * 2),
      '-b:v',
      `${videoKbps}k`,
      '-c:a',
      'aac',
      '-b:a',
      `${audioKbps}k`,
      '-f',
      'flv',
      url,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/**
 * PIDs of the ffmpeg processes `parent` started whose command line contains
 * `marker` (from /proc: Linux only). The server's HLS packager reads its
 * input from `pipe:0`; a test's publisher reads `lavfi`.
 */
export function ffmpegChildren(parent: number, marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parent || comm !== 'ffmpeg') continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes(marker)) found.push(Number(entry));
    } catch {
      // The process exited while it was being read.
    }
  }
  return found;
}
