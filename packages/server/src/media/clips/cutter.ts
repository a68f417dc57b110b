import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { OnAirError } from '@onair/protocol';
import { parseInit } from '../hls/fmp4.js';
import { type JournalSegment, parseRecordedPlaylist } from '../recording/journal.js';
import { readLadder } from '../recording/recording.js';

const run = promisify(execFile);

/** What to cut: the last `seconds` of the media so far, or a range of it. */
export type ClipRange =
  | { last: number }
  | {
      /** Seconds from the stream's first frame (the recording's timeline). */
      start: number;
      seconds: number;
    };

/** A clip as cut: where it starts in the recording, how long it is, whether it has a poster. */
export interface CutClip {
  startSeconds: number;
  durationSeconds: number;
  poster: boolean;
}

/** What {@link cutClip} needs. */
export interface CutOptions {
  ffmpegPath: string;
  /** The stream's media folder (its ladder and each rendition's segments). */
  streamDir: string;
  /** Where `clip.mp4` and `poster.jpg` go (created; removed again when the cut fails). */
  outDir: string;
  range: ClipRange;
  /** Longest an ffmpeg run may take, ms. Default 60 s. */
  timeoutMs?: number;
}

interface Timed extends JournalSegment {
  /** Seconds from the first segment. */
  start: number;
}

/** A rendition's segments from its recording playlist, with their start times. */
async function timeline(dir: string): Promise<Timed[]> {
  const text = await readFile(join(dir, 'index.m3u8'), 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  let start = 0;
  return parseRecordedPlaylist(text).segments.map((segment) => {
    const timed = { ...segment, start };
    start += segment.duration;
    return timed;
  });
}

/**
 * The segments to copy for `range`: those whose middle falls in it (so the
 * clip is within half a segment of the range at either end), kept to one run
 * of segments that play on from each other (one init segment, no
 * discontinuity): the run the range ends in for `last`, begins in otherwise.
 */
function pick(segments: readonly Timed[], range: ClipRange): Timed[] {
  const total = segments.reduce((sum, s) => sum + s.duration, 0);
  const from = 'last' in range ? Math.max(0, total - range.last) : range.start;
  const to = 'last' in range ? total : Math.min(total, range.start + range.seconds);
  if (from >= total) {
    throw new OnAirError(
      'UNPROCESSABLE',
      `The clip starts after the end of the recording (${total.toFixed(1)} s)`,
      { recordedSeconds: total },
    );
  }
  let chosen = segments.filter(
    (s) => s.start + s.duration / 2 >= from && s.start + s.duration / 2 < to,
  );
  if (chosen.length === 0) {
    const containing = segments.find((s) => s.start + s.duration > from);
    chosen = containing ? [containing] : [];
  }
  const runs: Timed[][] = [];
  for (const segment of chosen) {
    const run = runs.at(-1);
    const previous = run?.at(-1);
    const continues =
      previous &&
      !segment.discontinuity &&
      segment.init === previous.init &&
      segment.msn === previous.msn + 1;
    if (run && continues) run.push(segment);
    else runs.push([segment]);
  }
  return ('last' in range ? runs.at(-1) : runs[0]) ?? [];
}

/**
 * Cuts a clip from a stream's media on disk (live or recorded) without
 * re-encoding: the top rendition's segments for the range, on segment
 * boundaries (each segment starts with a keyframe), joined after their init
 * segment and remuxed by ffmpeg into a progressive MP4 (`faststart`), plus
 * a JPEG poster from the clip's first second when it has video. Throws
 * `MEDIA_UNAVAILABLE` when this server holds no media of the stream,
 * `UNPROCESSABLE` for a range outside it, `INTERNAL` when ffmpeg fails.
 */
export async function cutClip(options: CutOptions): Promise<CutClip> {
  const { ffmpegPath, streamDir, outDir, range, timeoutMs = 60_000 } = options;
  const rungs = (await readLadder(streamDir)) ?? [];
  let segments: Timed[] = [];
  let renditionDir = '';
  for (const rung of rungs) {
    renditionDir = join(streamDir, rung.name);
    segments = await timeline(renditionDir);
    if (segments.length > 0) break;
  }
  if (segments.length === 0) {
    throw new OnAirError('MEDIA_UNAVAILABLE', 'This server holds no media of the stream yet');
  }
  const picked = pick(segments, range);
  const first = picked[0];
  if (!first) throw new OnAirError('UNPROCESSABLE', 'Nothing was recorded in that range');
  const init = await readFile(join(renditionDir, `init-${first.init}.mp4`)).catch(() => {
    throw new OnAirError('MEDIA_UNAVAILABLE', "The stream's media is not on this server");
  });
  let hasVideo: boolean;
  try {
    hasVideo = parseInit(init).some((track) => track.kind === 'video');
  } catch {
    throw new OnAirError('MEDIA_UNAVAILABLE', "The stream's media could not be read");
  }

  await mkdir(outDir, { recursive: true });
  const source = join(outDir, 'source.mp4');
  const clip = join(outDir, 'clip.mp4');
  try {
    await pipeline(
      (async function* () {
        yield init;
        for (const segment of picked)
          yield await readFile(join(renditionDir, `${segment.msn}.m4s`));
      })(),
      createWriteStream(source),
    );
    const ffmpeg = (args: string[]) =>
      run(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
      });
    // Copied, not encoded; timestamps start at 0 whatever the stream's clock said.
    await ffmpeg([
      '-i',
      source,
      '-map',
      '0',
      '-c',
      'copy',
      '-movflags',
      '+faststart',
      '-avoid_negative_ts',
      'make_zero',
      '-y',
      clip,
    ]);
    const durationSeconds = picked.reduce((sum, s) => sum + s.duration, 0);
    if (hasVideo) {
      const at = Math.min(1, durationSeconds / 2).toFixed(2);
      await ffmpeg([
        '-ss',
        at,
        '-i',
        clip,
        '-frames:v',
        '1',
        '-q:v',
        '4',
        '-y',
        join(outDir, 'poster.jpg'),
      ]);
    }
    return { startSeconds: first.start, durationSeconds, poster: hasVideo };
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    if (error instanceof OnAirError) throw error;
    const reason = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new OnAirError('INTERNAL', 'The clip could not be cut', undefined, {
      cause: new Error(reason),
    });
  } finally {
    await rm(source, { force: true });
  }
}
