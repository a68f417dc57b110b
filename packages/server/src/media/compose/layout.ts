/** How a composed stage picture arranges its people: all alike, or one large above a strip. */
export type CompositionLayout = 'grid' | 'speaker';

/** A rectangle on the composed picture, in pixels (even numbers, as 4:2:0 video needs). */
export interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The size of the composed picture. */
export interface Canvas {
  width: number;
  height: number;
}

/** A length: even, at least 2. */
const even = (n: number) => Math.max(2, 2 * Math.floor(n / 2));
/** A position: even, at least 0. */
const at = (n: number) => Math.max(0, 2 * Math.floor(n / 2));

/**
 * The grid: `count` equal tiles in the fewest near-square rows and columns
 * (2 side by side, 3–4 in two rows, 5–6 in two rows of three, …), each row
 * centred, the rows centred on the canvas.
 */
export function gridTiles(count: number, canvas: Canvas): Tile[] {
  if (count < 1) return [];
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const width = even(canvas.width / columns);
  const height = even(canvas.height / rows);
  const top = at((canvas.height - rows * height) / 2);
  const tiles: Tile[] = [];
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / columns);
    const inRow = row === rows - 1 ? count - row * columns : columns;
    const left = at((canvas.width - inRow * width) / 2);
    tiles.push({ x: left + (i % columns) * width, y: top + row * height, width, height });
  }
  return tiles;
}

/** The speaker layout: one large tile, and everyone small in a strip beneath it. */
export interface SpeakerTiles {
  large: Tile;
  /** One per person, in their order (the one shown large too). */
  strip: Tile[];
}

/** Share of the canvas's height the strip takes. */
const STRIP_SHARE = 0.2;

/**
 * The speaker layout of `count` people: the large tile fills the canvas
 * above a strip of small 16:9 tiles (a fifth of its height), centred; one
 * person alone fills the canvas.
 */
export function speakerTiles(count: number, canvas: Canvas): SpeakerTiles {
  if (count <= 1) {
    return { large: { x: 0, y: 0, width: canvas.width, height: canvas.height }, strip: [] };
  }
  const stripHeight = even(canvas.height * STRIP_SHARE);
  const large = { x: 0, y: 0, width: canvas.width, height: canvas.height - stripHeight };
  const width = even(Math.min(canvas.width / count, (stripHeight * 16) / 9));
  const left = at((canvas.width - count * width) / 2);
  const strip = Array.from({ length: count }, (_, i) => ({
    x: left + i * width,
    y: large.height,
    width,
    height: stripHeight,
  }));
  return { large, strip };
}
