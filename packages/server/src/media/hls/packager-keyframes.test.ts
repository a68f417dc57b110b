import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateLlHlsMedia } from '../../../../../scripts/validate-ll-hls.js';
import { RtpTestSource } from '../../../test/rtp-test-source.js';
import { RtpStreamSource } from '../sfu/rtp-source.js';
import { LADDER_PRESETS } from './ladder.js';
import { HlsPackager } from './packager.js';

/*
 * A publisher that lets keyframe requests go (a busy browser's encoder): its
 * keyframes come every 3 s whatever is asked, against 2 s segments.
 */
let source: RtpTestSource | undefined;
let packager: HlsPackager | undefined;
let outDir: string | undefined;
afterAll(async () => {
  await packager?.end();
  source?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('HlsPackager keyframe requests', () => {
  it('asks again every half second of media while the keyframe it asked for has not come', async () => {
    source = new RtpTestSource({ width: 320, height: 180, audio: false, keyframeSeconds: 3 });
    await source.start();
    outDir = await mkdtemp(join(tmpdir(), 'onair-keyframes-'));
    const logs: string[] = [];
    packager = new HlsPackager({
      outDir,
      ffmpegPath: 'ffmpeg',
      timing: { segmentTarget: 2, partTarget: 1 / 3, windowSeconds: 60 },
      ladder: { presets: [LADDER_PRESETS['240p']], encoder: 'x264', av1: false },
      x264Preset: 'ultrafast',
      keyframeIntervalMs: 2000,
      thumbnailSeconds: 0,
      log: (m) => logs.push(m),
    });
    await packager.init();
    void packager.setSource(new RtpStreamSource(source.video, undefined, outDir));
    expect(await packager.waitUntilReady(20_000), logs.join('\n')).toBe(true);
    const top = packager.renditions[0];
    if (!top) throw new Error('no rendition');
    const first = top.newest?.msn ?? 0;
    expect(await top.waitFor({ msn: first + 1 }, 10_000)).toBe(true);
    const before = source.video.keyframeRequests;
    expect(await top.waitFor({ msn: first + 4 }, 15_000)).toBe(true);
    // Three segments of the copied rung, each 3 s (the publisher's keyframes): asked
    // at 1.8 s, again at 2.3 s and 2.8 s. One request per segment was the old way.
    expect(source.video.keyframeRequests - before).toBeGreaterThanOrEqual(2 * 3);
    validateLlHlsMedia(top.livePlaylist());
  }, 60_000);
});
