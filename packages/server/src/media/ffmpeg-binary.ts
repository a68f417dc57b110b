import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

/**
 * The npm package that ships an ffmpeg binary for this platform (an optional
 * dependency of `@onair/server`): the fallback when no ffmpeg is on PATH.
 */
export const NPM_FFMPEG_PACKAGE = `@ffmpeg-installer/${process.platform}-${process.arch}`;

const executable = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';

/** The first `command` on `searchPath` that may be executed, or undefined. */
export function findOnPath(
  command: string,
  searchPath: string | undefined = process.env.PATH,
): string | undefined {
  for (const dir of (searchPath ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here: the next folder.
    }
  }
  return undefined;
}

/** The ffmpeg binary of {@link NPM_FFMPEG_PACKAGE}, when that package is installed and the file is executable. */
export function npmFfmpegPath(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve(`${NPM_FFMPEG_PACKAGE}/package.json`);
    const binary = join(dirname(manifest), executable);
    accessSync(binary, constants.X_OK);
    return binary;
  } catch {
    return undefined;
  }
}

/**
 * The ffmpeg a server runs when none is configured: `ffmpeg` from PATH, else
 * the npm-shipped one ({@link npmFfmpegPath}), else `ffmpeg` (the preflight
 * then reports that it is missing). Only looks at files: nothing runs here.
 */
export function defaultFfmpegPath(searchPath: string | undefined = process.env.PATH): string {
  if (findOnPath(executable, searchPath)) return 'ffmpeg';
  return npmFfmpegPath() ?? 'ffmpeg';
}

/** What `ffmpeg -version` says. */
export interface FfmpegVersion {
  /** The version as ffmpeg prints it: `7.1.1`, `5.1.9-0+deb12u1`, or a snapshot like `N-47683-g0e8eb07980-static`. */
  version: string;
  /** Major and minor of a release build; undefined for snapshots, whose features the version does not tell. */
  release: { major: number; minor: number } | undefined;
}

/** Runs `ffmpeg -version`; undefined when the binary does not run. */
export function ffmpegVersion(ffmpegPath: string): FfmpegVersion | undefined {
  const result = spawnSync(ffmpegPath, ['-version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error || result.status !== 0) return undefined;
  return parseFfmpegVersion(result.stdout);
}

/** Reads the version from `ffmpeg -version` output (its first line). */
export function parseFfmpegVersion(output: string): FfmpegVersion {
  const version = /^ffmpeg version (\S+)/m.exec(output)?.[1] ?? 'unknown';
  const numbers = /^n?(\d+)\.(\d+)/.exec(version);
  return {
    version,
    release: numbers ? { major: Number(numbers[1]), minor: Number(numbers[2]) } : undefined,
  };
}
