import { copyFile, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { parseInit } from '../hls/fmp4.js';
import type { Rung } from '../hls/ladder.js';
import { masterPlaylist } from '../hls/playlist.js';
import { type JournalSegment, journalText, parseRecordedPlaylist } from './journal.js';

/** What the recording needs of a finished rendition. */
export interface RecordedRendition {
  readonly name: string;
  /** Whether it has at least one segment. */
  readonly ready: boolean;
  /** Resolves once its init and segment files are written. */
  flushed(): Promise<void>;
  /** Its VOD playlist (every segment). */
  vodPlaylist(): string;
}

/** A stream's recording as found on disk. */
export interface RecoveredRecording {
  durationSeconds: number;
  /** Renditions with at least one segment, top rung first. */
  renditions: string[];
  /** Whether part of it is missing: a crash cut it, or files could not be written. */
  incomplete: boolean;
}

/** A rendition of a recording made before a restart, to continue from. */
export interface PreviousRendition {
  segments: JournalSegment[];
  /** Its init segments, by index. */
  inits: Buffer[];
  /** Highest bitrate of a segment, bits/s. */
  peakBitrate: number;
}

/** A recording made before a restart: its ladder and renditions. */
export interface PreviousRecording {
  rungs: Rung[];
  renditions: Map<string, PreviousRendition>;
}

const THUMBNAIL = /^thumb-\d+-\d+\.jpg$/;
const LADDER_FILE = 'ladder.json';

const RungsSchema = z.array(
  z.object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
    copy: z.boolean(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    videoKbps: z.number().positive(),
    audioKbps: z.number().positive(),
    frameRate: z.number().positive(),
    encoder: z.enum(['x264', 'nvenc', 'qsv', 'vaapi', 'svt-av1']),
  }),
);

/**
 * Completes a stream's recording in `outDir` (where the packager wrote init
 * and segment files and ffmpeg its thumbnails): each ready rendition's VOD
 * playlist, the master playlist (when given) and `poster.jpg`, a thumbnail
 * from a tenth of the way in (past a black first frame). A file that cannot
 * be written (a full disk) is reported to `onError` and makes the recording
 * incomplete; it never throws.
 */
export async function writeRecording(
  outDir: string,
  renditions: readonly RecordedRendition[],
  masterPlaylist: string | undefined,
  onError: (error: Error) => void = () => undefined,
): Promise<{ incomplete: boolean }> {
  let incomplete = false;
  const write = (path: string, data: string) =>
    writeFile(path, data).catch((error: NodeJS.ErrnoException) => {
      // A server shutting down removes a temporary output directory, possibly before a
      // slow end finishes: there is then nothing left to complete.
      if (error.code === 'ENOENT') return;
      incomplete = true;
      onError(error);
    });
  for (const rendition of renditions) {
    await rendition.flushed();
    if (rendition.ready) {
      await write(join(outDir, rendition.name, 'index.m3u8'), rendition.vodPlaylist());
    }
  }
  if (masterPlaylist) await write(join(outDir, 'master.m3u8'), masterPlaylist);
  await writePoster(outDir);
  return { incomplete };
}

/** Copies a thumbnail from a tenth of the way in to `poster.jpg` (a missing poster is no loss). */
async function writePoster(outDir: string): Promise<void> {
  const thumbnails = await thumbnailsIn(outDir);
  const poster = thumbnails[Math.floor(thumbnails.length / 10)];
  if (poster) {
    await copyFile(join(outDir, poster), join(outDir, 'poster.jpg')).catch(() => undefined);
  }
}

/** Keeps the ladder next to the recording, so a restarted server can continue it. */
export async function writeLadder(outDir: string, rungs: readonly Rung[]): Promise<void> {
  await writeFile(join(outDir, LADDER_FILE), JSON.stringify(rungs));
}

/** The ladder kept next to a stream's media ({@link writeLadder}), top rung first; undefined when none. */
export async function readLadder(outDir: string): Promise<Rung[] | undefined> {
  const text = await readFile(join(outDir, LADDER_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = RungsSchema.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.length > 0 ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A rendition's playlist and, from its segment files, its peak bitrate and first frame times. */
async function readRendition(
  dir: string,
): Promise<{ segments: JournalSegment[]; ended: boolean; peakBitrate: number } | undefined> {
  const text = await readFile(join(dir, 'index.m3u8'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const playlist = parseRecordedPlaylist(text);
  let peakBitrate = 0;
  let gap = false;
  const segments: JournalSegment[] = [];
  for (const segment of playlist.segments) {
    const info = await stat(join(dir, `${segment.msn}.m4s`)).catch(() => undefined);
    if (!info?.isFile()) {
      gap = true;
      continue;
    }
    if (segment.duration > 0) {
      peakBitrate = Math.max(peakBitrate, (info.size * 8) / segment.duration);
    }
    // A VOD playlist has no PROGRAM-DATE-TIME: the file was written as the segment ended.
    const programDateTime = segment.programDateTime || info.mtimeMs - segment.duration * 1000;
    segments.push({ ...segment, discontinuity: segment.discontinuity || gap, programDateTime });
    gap = false;
  }
  return { segments, ended: playlist.ended, peakBitrate };
}

/**
 * The recording a stream's packager left in `outDir` before a restart (its
 * ladder and each rendition's segments and init segments), to continue it;
 * undefined when there is none to continue.
 */
export async function readPreviousRecording(
  outDir: string,
): Promise<PreviousRecording | undefined> {
  const rungs = await readLadder(outDir);
  if (!rungs) return undefined;
  const renditions = new Map<string, PreviousRendition>();
  for (const rung of rungs) {
    const dir = join(outDir, rung.name);
    const found = await readRendition(dir);
    if (!found) continue;
    const count = Math.max(-1, ...found.segments.map((s) => s.init)) + 1;
    const inits: Buffer[] = [];
    for (let index = 0; index < count; index++) {
      const data = await readFile(join(dir, `init-${index}.mp4`)).catch(() => undefined);
      if (data) inits.push(data);
    }
    // Without every init segment its media cannot play: the rendition starts afresh.
    if (inits.length !== count) continue;
    renditions.set(rung.name, { segments: found.segments, inits, peakBitrate: found.peakBitrate });
  }
  return { rungs, renditions };
}

/**
 * Finishes the recording of a stream whose packager is gone (the server
 * restarted or crashed while it was live): each rendition's playlist is
 * closed (`#EXT-X-ENDLIST`), the master playlist and poster are written
 * when missing. A playlist that was still growing means a crash cut the
 * recording: it is reported incomplete. Undefined when nothing was
 * recorded; never throws.
 */
export async function recoverRecording(
  outDir: string,
  onError: (error: Error) => void = () => undefined,
): Promise<RecoveredRecording | undefined> {
  const rungs = await readLadder(outDir);
  if (!rungs) return undefined;
  let incomplete = false;
  let durationSeconds: number | undefined;
  const entries: Parameters<typeof masterPlaylist>[0][number][] = [];
  for (const rung of rungs) {
    const dir = join(outDir, rung.name);
    const found = await readRendition(dir);
    if (!found || found.segments.length === 0) continue;
    const targetDuration = Math.max(1, ...found.segments.map((s) => Math.ceil(s.duration)));
    if (!found.ended) {
      incomplete = true;
      try {
        await writeFile(join(dir, 'index.m3u8'), journalText(targetDuration, found.segments, true));
      } catch (error) {
        onError(error as Error);
        continue;
      }
    }
    durationSeconds ??= found.segments.reduce((sum, s) => sum + s.duration, 0);
    const lastInit = found.segments.at(-1)?.init ?? 0;
    const init = await readFile(join(dir, `init-${lastInit}.mp4`)).catch(() => undefined);
    let tracks: ReturnType<typeof parseInit> = [];
    try {
      tracks = init ? parseInit(init) : [];
    } catch {
      // An init segment cut by the crash: the master lists the rung from the ladder.
    }
    const video = tracks.find((t) => t.kind === 'video');
    const configured = rung.copy ? 0 : (rung.videoKbps * 1.2 + rung.audioKbps) * 1000;
    entries.push({
      uri: `${rung.name}/index.m3u8`,
      bandwidth: Math.max(1, Math.round(Math.max(found.peakBitrate, configured))),
      codecs: tracks.map((t) => t.codec),
      width: video?.width ?? rung.width,
      height: video?.height ?? rung.height,
      frameRate: rung.copy ? 0 : rung.frameRate,
    });
  }
  if (entries.length === 0) return undefined;
  const master = join(outDir, 'master.m3u8');
  const hasMaster = await stat(master).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!hasMaster || incomplete) {
    try {
      // Whether every segment began with a keyframe is not in the journal: make no promise.
      await writeFile(master, masterPlaylist(entries, { independentSegments: false }));
    } catch (error) {
      onError(error as Error);
      return undefined;
    }
  }
  await writePoster(outDir);
  return {
    durationSeconds: durationSeconds ?? 0,
    renditions: entries.map((e) => e.uri.split('/')[0] ?? ''),
    incomplete,
  };
}

/** The newest thumbnail in a stream's folder (the live poster), if any. */
export async function newestThumbnail(dir: string): Promise<string | undefined> {
  return (await thumbnailsIn(dir)).at(-1);
}

/** Deletes a stream's output (a stream that was not to be recorded). */
export async function discardRecording(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** `thumb-<run>-<n>.jpg` files in order: by ffmpeg run, then number. */
async function thumbnailsIn(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[]))
    .filter((f) => THUMBNAIL.test(f))
    .sort(compareThumbnails);
}

/** Orders `thumb-<run>-<n>.jpg` files by run, then number. */
function compareThumbnails(a: string, b: string): number {
  const [ra = 0, na = 0] = a.match(/\d+/g)?.map(Number) ?? [];
  const [rb = 0, nb = 0] = b.match(/\d+/g)?.map(Number) ?? [];
  return ra - rb || na - nb;
}
