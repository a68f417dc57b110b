import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { IdSchema, OnAirError } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';

const FILE_PATTERN = /^[A-Za-z0-9_-]+\.(m3u8|m4s|mp4)$/;
const CONTENT_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
};

/** Path prefix under which HLS output is served. */
export const HLS_PREFIX = '/hls';

/** HLS URL of a stream's master playlist. */
export const hlsUrlFor = (streamId: string): string => `${HLS_PREFIX}/${streamId}/master.m3u8`;

/**
 * Serves `/hls/:streamId/:file` from the packager's output. Playlists are
 * never cached (they change every segment); segments are immutable.
 */
export function registerHlsRoutes(app: FastifyInstance, dirOf: (streamId: string) => string): void {
  app.get<{ Params: { streamId: string; file: string } }>(
    `${HLS_PREFIX}/:streamId/:file`,
    async (request, reply) => {
      const { streamId, file } = request.params;
      const ext = FILE_PATTERN.exec(file)?.[1];
      if (!IdSchema.safeParse(streamId).success || !ext) {
        throw new OnAirError('NOT_FOUND', 'No such HLS file');
      }
      const path = join(dirOf(streamId), file);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) throw new OnAirError('NOT_FOUND', 'No such HLS file');
      return reply
        .header('content-type', CONTENT_TYPES[ext])
        .header('content-length', info.size)
        .header('access-control-allow-origin', '*')
        .header(
          'cache-control',
          ext === 'm3u8' ? 'no-cache, no-store' : 'public, max-age=3600, immutable',
        )
        .send(createReadStream(path));
    },
  );
}
