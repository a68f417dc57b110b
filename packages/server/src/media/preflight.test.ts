import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFfmpegPath, npmFfmpegPath, parseFfmpegVersion } from './ffmpeg-binary.js';
import { checkMedia, ladderProblem } from './preflight.js';

const dir = mkdtempSync(join(tmpdir(), 'onair-ffmpeg-'));
/** An "ffmpeg" that prints `version` for -version and fails like an old ffmpeg otherwise. */
function fakeFfmpeg(name: string, version: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `#!/bin/sh\nif [ "$1" = "-version" ]; then echo "ffmpeg version ${version} Copyright (c) 2000-2020"; exit 0; fi\necho "Unrecognized option 'fps_mode'." >&2\nexit 1\n`,
  );
  chmodSync(path, 0o755);
  return path;
}
const check = (ffmpegPath: string) =>
  checkMedia({ ffmpegPath, encoder: 'x264', av1: false, vaapiDevice: '/dev/dri/renderD128' });

describe('checkMedia', () => {
  it('trusts a release from 5.1 on without a test encode', () => {
    const path = fakeFfmpeg('ffmpeg-7', '7.1.1');
    expect(check(path)).toEqual({
      hls: true,
      legacyVsync: false,
      ffmpeg: { path, version: '7.1.1', npm: false },
      warnings: [],
    });
  });

  it('runs the ladder once on an older ffmpeg and says why it cannot package HLS', () => {
    const path = fakeFfmpeg('ffmpeg-4', '4.3.6-0+deb11u1');
    const result = check(path);
    expect(result.hls).toBe(false);
    expect(result.ffmpeg).toEqual({ path, version: '4.3.6-0+deb11u1', npm: false });
    expect(result.warnings).toEqual([
      `ffmpeg 4.3.6-0+deb11u1 (${path}) cannot run the HLS ladder (Unrecognized option 'fps_mode'.): publishing works but viewers get no HLS. Install ffmpeg 5.1 or newer (Debian/Ubuntu: apt-get install -y ffmpeg) or set media.ffmpegPath / FFMPEG_PATH.`,
    ]);
  });

  it('packages the ladder’s test video with this machine’s ffmpeg', () => {
    expect(ladderProblem('ffmpeg')).toBeUndefined();
  });

  it('names the npm-shipped ffmpeg (4.1) and packages HLS with it through -vsync', () => {
    const path = npmFfmpegPath();
    expect(path).toBeDefined();
    const result = check(path as string);
    // It predates -fps_mode: the ladder's own arguments fail, the legacy ones run.
    expect(ladderProblem(path as string)).toMatch(/fps_mode/);
    expect(ladderProblem(path as string, true)).toBeUndefined();
    expect(result.ffmpeg).toEqual({ path, version: expect.any(String), npm: true });
    expect(result.hls).toBe(true);
    expect(result.legacyVsync).toBe(true);
    const which = `the npm-shipped ffmpeg ${result.ffmpeg?.version} of @ffmpeg-installer/linux-x64 (${path})`;
    expect(result.warnings).toEqual([`HLS is packaged by ${which}.`]);
  });
});

describe('ffmpeg lookup', () => {
  it('prefers ffmpeg on PATH, then the npm-shipped binary', () => {
    fakeFfmpeg('ffmpeg', '7.1');
    expect(defaultFfmpegPath(dir)).toBe('ffmpeg');
    expect(defaultFfmpegPath('/nonexistent')).toBe(npmFfmpegPath());
  });

  it('reads release and snapshot versions', () => {
    expect(parseFfmpegVersion('ffmpeg version 5.1.9-0+deb12u1 Copyright').release).toEqual({
      major: 5,
      minor: 1,
    });
    expect(parseFfmpegVersion('ffmpeg version n7.0.2 Copyright').release).toEqual({
      major: 7,
      minor: 0,
    });
    expect(parseFfmpegVersion('ffmpeg version N-47683-g0e8eb07980-static https://')).toEqual({
      version: 'N-47683-g0e8eb07980-static',
      release: undefined,
    });
  });
});
