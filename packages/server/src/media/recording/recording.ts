import { copyFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

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

const THUMBNAIL = /^thumb-\d+-\d+\.jpg$/;

/**
 * Completes a stream's recording in `outDir` (where the packager wrote init
 * and segment files and ffmpeg its thumbnails): each ready rendition's VOD
 * playlist, the master playlist (when given) and `poster.jpg`, a thumbnail
 * from a tenth of the way in (past a black first frame).
 */
export async function writeRecording(
  outDir: string,
  renditions: readonly RecordedRendition[],
  masterPlaylist: string | undefined,
): Promise<void> {
  const write = (path: string, data: string) => writeFile(path, data).catch(ignoreMissing);
  for (const rendition of renditions) {
    await rendition.flushed();
    if (rendition.ready) {
      await write(join(outDir, rendition.name, 'index.m3u8'), rendition.vodPlaylist());
    }
  }
  if (masterPlaylist) await write(join(outDir, 'master.m3u8'), masterPlaylist);
  const thumbnails = await thumbnailsIn(outDir);
  const poster = thumbnails[Math.floor(thumbnails.length / 10)];
  if (poster) {
    await copyFile(join(outDir, poster), join(outDir, 'poster.jpg')).catch(ignoreMissing);
  }
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

/**
 * A server shutting down removes a temporary output directory, possibly before
 * a slow end finishes: there is then nothing left to complete.
 */
function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
