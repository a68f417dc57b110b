import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLlHlsMedia, validateMaster } from '../../../../../scripts/validate-ll-hls.js';
import { RtpTestSource } from '../../../test/rtp-test-source.js';
import { RtpStreamSource } from '../sfu/rtp-source.js';
import { LADDER_PRESETS } from './ladder.js';
import { HlsPackager } from './packager.js';

/*
 * A real ffmpeg sends a 640×360 H.264 test pattern and an Opus tone as RTP,
 * as a browser publisher's producers would; the packager builds the ladder
 * (360p copied + 240p encoded) and writes Low-Latency HLS.
 */
let source: RtpTestSource;
let outDir: string;
let packager: HlsPackager;
const logs: string[] = [];

beforeAll(async () => {
  source = new RtpTestSource({ width: 640, height: 360 });
  await source.start();
  outDir = await mkdtemp(join(tmpdir(), 'onair-packager-'));
  packager = new HlsPackager({
    outDir,
    ffmpegPath: 'ffmpeg',
    timing: { segmentTarget: 2, partTarget: 1 / 3, windowSeconds: 60 },
    ladder: {
      presets: [LADDER_PRESETS['480p'], LADDER_PRESETS['240p']],
      encoder: 'x264',
      av1: false,
    },
    x264Preset: 'veryfast',
    keyframeIntervalMs: 2000,
    thumbnailSeconds: 2,
    log: (m) => logs.push(m),
  });
  await packager.init();
});
afterAll(async () => {
  await packager?.end();
  source?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('HlsPackager (real ffmpeg, LL-HLS ladder)', () => {
  it('fits the ladder to the source and writes valid LL-HLS for every rendition', async () => {
    void packager.setSource(new RtpStreamSource(source.video, source.audio, outDir));
    expect(await packager.waitUntilReady(20_000), logs.join('\n')).toBe(true);
    expect(packager.ladder?.map((r) => [r.name, r.copy, r.width, r.height])).toEqual([
      ['360p', true, 640, 360],
      ['240p', false, 426, 240],
    ]);
    const master = validateMaster(packager.masterPlaylist() ?? '');
    expect(master.variants.map((v) => [v.uri, v.codecs, v.resolution])).toEqual([
      ['360p/index.m3u8', 'avc1.42c01e,mp4a.40.2', { width: 640, height: 360 }],
      ['240p/index.m3u8', 'avc1.4d4015,mp4a.40.2', { width: 426, height: 240 }],
    ]);
    expect(master.variants[0]?.frameRate).toBeCloseTo(30, 0);
    expect(master.variants[1]?.frameRate).toBe(30);

    // Three more segments: every playlist along the way is valid LL-HLS.
    for (const rendition of packager.renditions) {
      const start = rendition.newest?.msn ?? 0;
      for (let msn = start; msn < start + 3; msn++) {
        expect(await rendition.waitFor({ msn }, 10_000)).toBe(true);
        const playlist = validateLlHlsMedia(rendition.livePlaylist());
        expect(playlist.segments.length).toBeGreaterThan(0);
      }
      expect(rendition.maxima.part).toBeLessThanOrEqual(1 / 3);
      expect(rendition.maxima.segment).toBeLessThanOrEqual(rendition.targetDuration);
      // A delta update skips what the client has and stays valid.
      validateLlHlsMedia(rendition.livePlaylist({ skip: true }));
    }
    expect(source.video.keyframeRequests).toBeGreaterThan(0);
  }, 60_000);

  it('holds a blocking request until the part exists', async () => {
    const rendition = packager.renditions[1];
    const newest = rendition?.newest;
    if (!rendition || !newest) throw new Error('no rendition');
    const next = { msn: newest.msn, part: newest.part + 1 };
    expect(rendition.satisfies(next)).toBe(false);
    const started = Date.now();
    expect(await rendition.waitFor(next, 5_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(rendition.tooFarAhead({ msn: newest.msn + 10 })).toBe(true);
  });

  it('restarts a killed ffmpeg and resumes after a discontinuity within 5 s', async () => {
    const firstPid = packager.pid as number;
    const rendition = packager.renditions[0];
    if (!rendition) throw new Error('no rendition');
    process.kill(firstPid, 'SIGKILL');
    const killedAt = Date.now();
    await expect.poll(() => packager.restartCount, { timeout: 5_000 }).toBe(1);
    await expect
      .poll(() => rendition.livePlaylist().includes('#EXT-X-DISCONTINUITY\n'), {
        timeout: 10_000,
        interval: 50,
      })
      .toBe(true);
    // The first part after the restart: the discontinuity is followed by new media.
    await expect
      .poll(
        () =>
          /#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-1.mp4"\n(#EXT-X-PROGRAM-DATE-TIME:.*\n)?#EXT-X-PART/.test(
            rendition.livePlaylist(),
          ),
        {
          timeout: 5_000,
          interval: 50,
        },
      )
      .toBe(true);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(packager.pid).not.toBe(firstPid);
    expect(logs.join('\n')).toMatch(/ffmpeg exited .*restarting/);
    validateLlHlsMedia(rendition.livePlaylist());
  }, 30_000);

  it('ends: kills ffmpeg and writes the recording as VOD with a poster', async () => {
    const rendition = packager.renditions[0];
    await rendition?.waitFor({ msn: (rendition.newest?.msn ?? 0) + 1 }, 10_000);
    const pid = packager.pid as number;
    const recording = await packager.end();
    expect(() => process.kill(pid, 0)).toThrow();
    expect(recording.renditions).toEqual(['360p', '240p']);
    expect(recording.durationSeconds).toBeGreaterThan(6);
    validateMaster(await readFile(join(outDir, 'master.m3u8'), 'utf8'));
    for (const name of recording.renditions) {
      const vod = validateLlHlsMedia(await readFile(join(outDir, name, 'index.m3u8'), 'utf8'), {
        live: false,
      });
      expect(vod.playlistType).toBe('VOD');
      expect(vod.segments.some((s) => s.discontinuity)).toBe(true);
      const files = await readdir(join(outDir, name));
      for (const segment of vod.segments) expect(files).toContain(segment.uri);
      expect(files).toEqual(expect.arrayContaining(['init-0.mp4', 'init-1.mp4']));
    }
    expect(await readdir(outDir)).toContain('poster.jpg');
  }, 30_000);
});
