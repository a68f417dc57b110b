import { execFile } from 'node:child_process';
import { OnAirError } from '@onair/protocol';

/** Path prefix of uploaded thumbnails (`/thumbnails/<stream id>/<name>.jpg`). */
export const THUMBNAILS_PREFIX = '/thumbnails';

/** Largest image a host may upload as a stream's thumbnail, bytes. */
export const MAX_THUMBNAIL_BYTES = 5 * 1024 * 1024;
/** Most pixels an uploaded image may decode to (8K × 5K). */
export const MAX_THUMBNAIL_PIXELS = 40_000_000;
/** Image types accepted as thumbnails (what the bytes are, whatever the request says). */
export const THUMBNAIL_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** What the first bytes of an image say it is; undefined for anything else. */
export function imageTypeOf(data: Uint8Array): (typeof THUMBNAIL_TYPES)[number] | undefined {
  const at = (offset: number, ...bytes: number[]) => bytes.every((b, i) => data[offset + i] === b);
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return undefined;
}

/**
 * An uploaded image made a thumbnail: checked to be JPEG, PNG or WebP by its
 * bytes, then decoded and encoded again by ffmpeg as a JPEG of at most
 * 1280×720 (its aspect kept). The new file carries nothing of the upload's
 * metadata (EXIF: a phone photo's location, its camera). `UNPROCESSABLE` for
 * anything that is not such an image or does not decode.
 */
export async function thumbnailFrom(ffmpegPath: string, upload: Buffer): Promise<Buffer> {
  const type = imageTypeOf(upload);
  if (!type) {
    throw new OnAirError('UNPROCESSABLE', 'The thumbnail must be a JPEG, PNG or WebP image');
  }
  // Read as what its bytes say (ffmpeg guesses nothing), and no larger than 40 megapixels
  // decoded: a small file that claims a huge picture is refused before it takes the memory.
  const demuxer = { 'image/jpeg': 'jpeg_pipe', 'image/png': 'png_pipe', 'image/webp': 'webp_pipe' }[
    type
  ];
  return new Promise<Buffer>((resolve, reject) => {
    const child = execFile(
      ffmpegPath,
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-max_pixels',
        String(MAX_THUMBNAIL_PIXELS),
        '-f',
        demuxer,
        '-i',
        'pipe:0',
        '-frames:v',
        '1',
        '-vf',
        'scale=w=min(1280\\,iw):h=min(720\\,ih):force_original_aspect_ratio=decrease',
        '-map_metadata',
        '-1',
        '-q:v',
        '3',
        '-f',
        'mjpeg',
        'pipe:1',
      ],
      { encoding: 'buffer', maxBuffer: 8 * 1024 * 1024, timeout: 20_000, killSignal: 'SIGKILL' },
      (error, stdout) => {
        if (error || stdout.length === 0) {
          reject(
            new OnAirError(
              'UNPROCESSABLE',
              'The thumbnail could not be read as an image',
              undefined,
              {
                cause: error,
              },
            ),
          );
        } else {
          resolve(stdout);
        }
      },
    );
    // A decoder that stops reading early closes the pipe: that is its answer, not a crash.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(upload);
  });
}
