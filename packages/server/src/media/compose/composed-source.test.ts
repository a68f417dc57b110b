import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLlHlsMedia } from '../../../../../scripts/validate-ll-hls.js';
import { COLOURS, type Colour, colourAt, type Frame, lastFrame } from '../../../test/frames.js';
import { AUDIO_LEVEL_EXTENSION_ID, RtpTestSource } from '../../../test/rtp-test-source.js';
import type { HlsPackager as Packager } from '../hls/packager.js';
import { HlsPackager } from '../hls/packager.js';
import type { LlHlsRendition } from '../hls/segmenter.js';
import { ComposedSource, type StagePerson } from './composed-source.js';
import { gridTiles, speakerTiles, type Tile } from './layout.js';

/*
 * A stage of real encoders, each a solid colour (red host, green and blue
 * guests, with Opus), composed by a real ffmpeg into the HLS ladder of a
 * real packager. Frames decoded from the segments the packager cuts show
 * each person's colour where the layout puts them: the grid, the speaker
 * layout after a live switch, the one who speaks loudest large, a screen
 * shared taking the large tile from them, and a third
 * person joining (a discontinuity, the same renditions).
 */
const CANVAS = { width: 640, height: 360 };

const encoders = new Map<Colour, RtpTestSource>();
let outDir: string;
let packager: Packager;
const logs: string[] = [];

beforeAll(async () => {
  for (const colour of Object.keys(COLOURS) as Colour[]) {
    const encoder = new RtpTestSource({
      ...CANVAS,
      pattern: `color=c=${colour}`,
      keyframeSeconds: 1,
    });
    await encoder.start();
    encoders.set(colour, encoder);
  }
  outDir = await mkdtemp(join(tmpdir(), 'onair-compose-'));
  packager = new HlsPackager({
    outDir,
    ffmpegPath: 'ffmpeg',
    timing: { segmentTarget: 1, partTarget: 1 / 3, windowSeconds: 60 },
    ladder: { presets: [], encoder: 'x264', av1: false },
    x264Preset: 'ultrafast',
    keyframeIntervalMs: 1000,
    thumbnailSeconds: 0,
    log: (m) => logs.push(m),
  });
  await packager.init();
}, 30_000);

afterAll(async () => {
  await packager?.end();
  for (const encoder of encoders.values()) encoder.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

function person(colour: Colour): StagePerson {
  const encoder = encoders.get(colour) as RtpTestSource;
  return {
    userId: colour,
    video: encoder.video,
    audio: encoder.audio,
    audioLevelId: AUDIO_LEVEL_EXTENSION_ID,
  };
}

function composition(colours: Colour[]): ComposedSource {
  return new ComposedSource(
    colours.map(person),
    {
      dir: outDir,
      ffmpegPath: 'ffmpeg',
      layout: 'grid',
      keyframeSeconds: 1,
      x264Preset: 'ultrafast',
      log: (m) => logs.push(m),
    },
    colours.join(','),
  );
}

/** The newest complete segment's last frame. */
async function newestFrame(rendition: LlHlsRendition): Promise<Frame> {
  const open = rendition.newest?.msn ?? 0;
  // The segment open now completes: its frames are all after what came before.
  expect(await rendition.waitFor({ msn: open + 1 }, 15_000), logs.join('\n')).toBe(true);
  let init: Buffer | undefined;
  for (let i = 0; rendition.init(i); i++) init = rendition.init(i);
  return lastFrame(init as Buffer, rendition.segment(open) as Buffer, CANVAS);
}

/** Polls new segments until the frame shows `expected` in its tiles. */
async function expectPicture(tiles: Tile[], expected: Array<Colour | undefined>) {
  const rendition = packager.renditions[0] as LlHlsRendition;
  let seen: Array<Colour | undefined> = [];
  for (let attempt = 0; attempt < 10; attempt++) {
    const frame = await newestFrame(rendition);
    seen = tiles.map((tile) => colourAt(frame, tile));
    if (seen.join() === expected.join()) return;
  }
  expect(seen, logs.join('\n')).toEqual(expected);
}

describe('ComposedSource (real encoders, real ffmpeg)', () => {
  it('draws the stage into the ladder and changes layout live, then for a newcomer', async () => {
    const pair = composition(['red', 'lime']);
    void packager.setSource(pair);
    expect(await packager.waitUntilReady(30_000), logs.join('\n')).toBe(true);
    // The picture has the host's size; the ladder copies it.
    expect(packager.ladder?.map((r) => [r.copy, r.width, r.height])).toEqual([[true, 640, 360]]);
    const grid = gridTiles(2, CANVAS);
    await expectPicture(grid, ['red', 'lime']);
    const rendition = packager.renditions[0] as LlHlsRendition;
    const restarts = packager.restartCount;
    const pid = packager.pid;

    // Live: the speaker layout, the host large above both in the strip.
    pair.setLayout('speaker');
    const speaker = speakerTiles(2, CANVAS);
    await expectPicture([speaker.large, ...speaker.strip], ['red', 'red', 'lime']);

    // The green guest speaks (the host is quiet): they go large.
    (encoders.get('red') as RtpTestSource).audio!.audioLevel = 127;
    (encoders.get('lime') as RtpTestSource).audio!.audioLevel = 20;
    await expectPicture([speaker.large], ['lime']);
    expect(pair.largeUser).toBe('lime');

    // The host shares a screen: it takes the large tile of the speaker layout, whatever the
    // stage's layout and whoever speaks; when it stops, the stage's grid comes back.
    pair.setLayout('grid');
    await expectPicture(grid, ['red', 'lime']);
    pair.setScreen('red');
    await expectPicture([speaker.large, ...speaker.strip], ['red', 'red', 'lime']);
    expect([pair.currentLayout, pair.largeUser, pair.speakerUser]).toEqual([
      'speaker',
      'red',
      'lime',
    ]);
    pair.setScreen(undefined);
    await expectPicture(grid, ['red', 'lime']);
    // None of it restarted ffmpeg.
    expect([packager.pid, packager.restartCount]).toEqual([pid, restarts]);

    // The same people again (another track's change elsewhere): nothing restarts.
    await packager.setSource(composition(['red', 'lime']));
    expect(packager.pid).toBe(pid);

    // A third person joins: a new composition, after a discontinuity, in the same rendition.
    void packager.setSource(composition(['red', 'lime', 'blue']));
    await expectPicture(gridTiles(3, CANVAS), ['red', 'lime', 'blue']);
    expect(packager.renditions[0]).toBe(rendition);
    const playlist = rendition.livePlaylist();
    expect(playlist).toContain('#EXT-X-DISCONTINUITY');
    validateLlHlsMedia(playlist);
  }, 120_000);
});
