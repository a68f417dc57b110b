import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateLlHlsMedia, validateMaster } from '../../../../../scripts/validate-ll-hls.js';
import { RtpTestSource } from '../../../test/rtp-test-source.js';
import { npmFfmpegPath } from '../ffmpeg-binary.js';
import { checkMedia } from '../preflight.js';
import { RtpStreamSource } from '../sfu/rtp-source.js';
import { HlsPackager } from './packager.js';

/*
 * A machine without a system ffmpeg: the server falls back to the ffmpeg
 * shipped in @ffmpeg-installer (4.1, before -fps_mode). The preflight finds
 * it runs the ladder with -vsync, and the packager makes strict LL-HLS with
 * it from a real RTP source (the 85 % part rule included).
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('the npm-shipped ffmpeg', () => {
  it('packages a live LL-HLS ladder that passes the strict validator', async () => {
    const ffmpegPath = npmFfmpegPath();
    expect(ffmpegPath).toBeDefined();
    const preflight = checkMedia({
      ffmpegPath: ffmpegPath as string,
      encoder: 'x264',
      av1: false,
      vaapiDevice: '/dev/dri/renderD128',
    });
    expect(preflight).toMatchObject({ hls: true, legacyVsync: true });

    const dir = await mkdtemp(join(tmpdir(), 'onair-npm-ffmpeg-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const source = new RtpTestSource({ width: 320, height: 180 });
    await source.start();
    cleanups.push(() => source.stop());
    const logs: string[] = [];
    const packager = new HlsPackager({
      outDir: join(dir, 'out'),
      ffmpegPath: ffmpegPath as string,
      legacyVsync: preflight.legacyVsync,
      timing: { segmentTarget: 2, partTarget: 1 / 3, windowSeconds: 30 },
      ladder: {
        presets: [{ name: '120p', height: 120, videoKbps: 150, audioKbps: 48 }],
        encoder: 'x264',
        av1: false,
      },
      x264Preset: 'veryfast',
      keyframeIntervalMs: 2000,
      thumbnailSeconds: 0,
      log: (message) => logs.push(message),
    });
    cleanups.push(() => packager.end().then(() => undefined));
    await packager.init();
    void packager.setSource(new RtpStreamSource(source.video, source.audio, join(dir, 'out')));
    expect(await packager.waitUntilReady(30_000), logs.join('\n')).toBe(true);
    validateMaster(packager.masterPlaylist() ?? '');
    // Three full segments in, every rung's playlist passes (parts of 85 % of PART-TARGET or more).
    const deadline = Date.now() + 30_000;
    const behind = () => packager.renditions.some((r) => (r.newest?.msn ?? 0) < 3);
    while (Date.now() < deadline && behind()) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(packager.renditions.length).toBe(2);
    for (const rendition of packager.renditions) {
      expect(rendition.newest?.msn, rendition.name).toBeGreaterThanOrEqual(3);
      const playlist = validateLlHlsMedia(rendition.livePlaylist());
      expect(playlist.segments.length).toBeGreaterThanOrEqual(3);
    }
  }, 90_000);
});
