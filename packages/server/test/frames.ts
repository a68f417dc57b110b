import { spawn } from 'node:child_process';

/*
 * Test helpers (not exported from the package): decode what the HLS ladder
 * wrote, and name the colours of a picture's regions.
 */

/** Solid colours the tests' encoders draw (lavfi names), as RGB. */
export const COLOURS = { red: [255, 0, 0], lime: [0, 255, 0], blue: [0, 0, 255] } as const;
/** One of {@link COLOURS}. */
export type Colour = keyof typeof COLOURS;

/** A picture as RGB24, row by row. */
export interface Frame {
  width: number;
  height: number;
  rgb: Buffer;
}

/** The last frame of an fMP4 segment (its init segment before it), decoded by a real ffmpeg. */
export async function lastFrame(
  init: Buffer,
  segment: Buffer,
  size: { width: number; height: number },
): Promise<Frame> {
  const decoder = spawn(
    'ffmpeg',
    [
      ...['-v', 'error', '-i', 'pipe:0', '-vf', 'reverse', '-frames:v', '1'],
      ...['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const chunks: Buffer[] = [];
  decoder.stdout.on('data', (c: Buffer) => chunks.push(c));
  decoder.stdin.on('error', () => undefined);
  decoder.stdin.end(Buffer.concat([init, segment]));
  await new Promise((resolve) => decoder.once('exit', resolve));
  const rgb = Buffer.concat(chunks);
  if (rgb.length !== size.width * size.height * 3) {
    throw new Error(`decoded ${rgb.length} bytes, not a ${size.width}x${size.height} picture`);
  }
  return { ...size, rgb };
}

/** The colour at the centre of a region, if it is one of {@link COLOURS} (within 60 per channel). */
export function colourAt(
  frame: Frame,
  region: { x: number; y: number; width: number; height: number },
): Colour | undefined {
  const x = region.x + Math.floor(region.width / 2);
  const y = region.y + Math.floor(region.height / 2);
  const at = (y * frame.width + x) * 3;
  const pixel = [frame.rgb[at], frame.rgb[at + 1], frame.rgb[at + 2]] as number[];
  return (Object.keys(COLOURS) as Colour[]).find((c) =>
    COLOURS[c].every((v, i) => Math.abs(v - (pixel[i] as number)) < 60),
  );
}
