import { describe, expect, it } from 'vitest';
import { gridTiles, speakerTiles, type Tile } from './layout.js';
import { DominantSpeaker } from './speaker.js';

const CANVAS = { width: 1280, height: 720 };
const inside = (t: Tile) =>
  t.x >= 0 && t.y >= 0 && t.x + t.width <= CANVAS.width && t.y + t.height <= CANVAS.height;
const overlap = (a: Tile, b: Tile) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('stage layouts', () => {
  it('puts 1–16 people in a grid of even, disjoint tiles on the canvas, rows centred', () => {
    expect(gridTiles(1, CANVAS)).toEqual([{ x: 0, y: 0, width: 1280, height: 720 }]);
    expect(gridTiles(2, CANVAS)).toEqual([
      { x: 0, y: 0, width: 640, height: 720 },
      { x: 640, y: 0, width: 640, height: 720 },
    ]);
    // Three: two above, one centred below.
    expect(gridTiles(3, CANVAS).map((t) => [t.x, t.y])).toEqual([
      [0, 0],
      [640, 0],
      [320, 360],
    ]);
    for (let n = 1; n <= 16; n++) {
      const tiles = gridTiles(n, CANVAS);
      expect(tiles).toHaveLength(n);
      for (const [i, t] of tiles.entries()) {
        expect(inside(t), `${n}: ${JSON.stringify(t)}`).toBe(true);
        expect([t.x, t.y, t.width, t.height].every((v) => v % 2 === 0)).toBe(true);
        for (const other of tiles.slice(i + 1)) expect(overlap(t, other)).toBe(false);
      }
    }
  });

  it('puts the speaker large above a centred strip of everyone', () => {
    expect(speakerTiles(1, CANVAS)).toEqual({
      large: { x: 0, y: 0, width: 1280, height: 720 },
      strip: [],
    });
    const { large, strip } = speakerTiles(4, CANVAS);
    expect(large).toEqual({ x: 0, y: 0, width: 1280, height: 576 });
    expect(strip.map((t) => [t.x, t.y, t.width, t.height])).toEqual([
      [128, 576, 256, 144],
      [384, 576, 256, 144],
      [640, 576, 256, 144],
      [896, 576, 256, 144],
    ]);
    // Many people: the strip's tiles narrow to fit.
    const many = speakerTiles(16, CANVAS).strip;
    expect(many.every(inside)).toBe(true);
    expect(many.at(-1)?.x).toBeLessThan(CANVAS.width);
  });
});

describe('DominantSpeaker', () => {
  /** Packets every 20 ms for `ms` from `from`, at `levels` per person. */
  function talk(
    speaker: DominantSpeaker,
    from: number,
    ms: number,
    levels: Record<string, number>,
  ) {
    const changes: Array<[number, string]> = [];
    for (let t = from; t < from + ms; t += 20) {
      for (const [who, level] of Object.entries(levels)) speaker.hear(who, level, t);
      if (t % 250 === 0) {
        const now = speaker.update(t);
        if (now) changes.push([t, now]);
      }
    }
    return changes;
  }

  it('names the loudest once they have led for a second, keeps them through silence and chatter', () => {
    const speaker = new DominantSpeaker();
    // Silence (127) names nobody.
    expect(talk(speaker, 0, 2000, { ana: 127, ben: 127 })).toEqual([]);
    expect(speaker.speaker).toBeUndefined();
    // Ana speaks (-20 dBov): named a second or so later.
    const [first] = talk(speaker, 2000, 3000, { ana: 20, ben: 127 });
    expect(first?.[1]).toBe('ana');
    expect(first?.[0]).toBeGreaterThanOrEqual(3000);
    expect(first?.[0]).toBeLessThanOrEqual(3500);
    // Silence keeps her.
    expect(talk(speaker, 5000, 3000, { ana: 127, ben: 127 })).toEqual([]);
    expect(speaker.speaker).toBe('ana');
    // Ben speaks half a second only: not enough.
    expect(talk(speaker, 8000, 500, { ana: 127, ben: 15 })).toEqual([]);
    // Both talk, Ben louder, for long: one change, to Ben, no flicker.
    const both = talk(speaker, 8500, 6000, { ana: 35, ben: 15 });
    expect(both.map(([, who]) => who)).toEqual(['ben']);
    // Someone who leaves is forgotten.
    speaker.forget('ben');
    expect(speaker.speaker).toBeUndefined();
  });
});
