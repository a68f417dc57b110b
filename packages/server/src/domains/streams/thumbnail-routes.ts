import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IdSchema, OnAirError, type Stream } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  imageTypeOf,
  MAX_THUMBNAIL_BYTES,
  THUMBNAIL_TYPES,
  THUMBNAILS_PREFIX,
  thumbnailFrom,
} from '../../media/images/thumbnail.js';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import type { InternalBus } from '../../platform/events.js';
import { requireIdentity } from '../../transport/http/auth.js';
import { parse } from '../../transport/http/parse.js';
import type { StreamService } from './service.js';

/** Images decoded at once on one server. */
const MAX_DECODING = 2;

/** What the thumbnail routes need. */
export interface ThumbnailRoutesDeps {
  service: StreamService;
  tokens: TokenVerifier;
  /** ffmpeg, which reads and writes the images; undefined when the server runs none. */
  ffmpegPath: string | undefined;
  /** Folder of the uploaded thumbnails (`<dir>/<stream id>/<name>.jpg`). */
  dir: string;
  /** Stream updates: an upload the stream no longer shows is deleted. */
  bus: InternalBus;
  /**
   * Who may fetch a stream's media: an upload of a followers-only, subscribers-only or private
   * stream needs the viewer's own signed URL, like its HLS (`mediaAuthorizer`).
   */
  authorize: (streamId: string, token: string | undefined) => Promise<string>;
  /** Where a failed clean-up is reported (the stream id, never a URL). */
  log: { warn(object: object, message: string): void };
}

const ParamsSchema = z.strictObject({ id: IdSchema });
const FileParamsSchema = z.strictObject({
  streamId: IdSchema,
  file: z.string().regex(/^[A-Za-z0-9_-]{12}\.jpg$/),
});
const FileQuerySchema = z.object({ token: z.string().optional() });

/**
 * Registers thumbnail uploads: `PUT /v1/streams/:id/thumbnail` with a JPEG,
 * PNG or WebP image as the body (at most 5 MB; the stream's owner or an
 * admin, before it ends) makes it the stream's `thumbnailUrl`, re-encoded as
 * a JPEG of at most 1280×720 without the upload's metadata; the files are
 * served under `/thumbnails/` (a new upload is a new URL), cacheable for a
 * minute; those of a followers-only, subscribers-only or private stream
 * only with the viewer's own token, as the stream resource signs them, and
 * never cached. An
 * upload the stream stops showing (another upload, or a `thumbnailUrl` of
 * the host's own set by PATCH) is deleted: its URL stops working.
 */
export function registerThumbnailRoutes(app: FastifyInstance, deps: ThumbnailRoutesDeps): void {
  const { service, tokens, dir } = deps;
  /** Images being read now: decoding is the costly part, two at a time per server. */
  let decoding = 0;
  /** Files written whose stream is not updated yet: never pruned (`<stream id>/<name>`). */
  const pending = new Set<string>();

  /** Deletes the stream's uploads but the one it shows and those being saved. */
  const prune = async (stream: Stream): Promise<void> => {
    const folder = join(dir, stream.id);
    const names = await readdir(folder).catch(() => [] as string[]);
    const current = stream.thumbnailUrl ?? '';
    for (const name of names) {
      if (current.endsWith(`/${stream.id}/${name}`) || pending.has(`${stream.id}/${name}`))
        continue;
      await rm(join(folder, name), { force: true });
    }
  };
  /**
   * A stream's thumbnail updates and clean-ups, one at a time: a clean-up
   * reads the stream afresh and no update lands between that read and its
   * deletions (an event of an earlier update, handled late, deleted the
   * upload a later one shows).
   */
  const queues = new Map<string, Promise<unknown>>();
  const inTurn = <T>(streamId: string, task: () => Promise<T>): Promise<T> => {
    const run = (queues.get(streamId) ?? Promise.resolve()).then(task);
    const settled = run.catch(() => undefined);
    queues.set(streamId, settled);
    void settled.then(() => {
      if (queues.get(streamId) === settled) queues.delete(streamId);
    });
    return run;
  };
  const cleanUp = (streamId: string) =>
    inTurn(streamId, async () => {
      const stream = await service.find(streamId);
      if (stream) await prune(stream);
    });
  const off = deps.bus.on('stream:updated', (updated) => {
    cleanUp(updated.id).catch((error: unknown) =>
      deps.log.warn({ streamId: updated.id, error: String(error) }, 'thumbnail clean-up failed'),
    );
  });
  app.addHook('onClose', async () => off());
  for (const type of THUMBNAIL_TYPES) {
    app.addContentTypeParser(
      type,
      { parseAs: 'buffer', bodyLimit: MAX_THUMBNAIL_BYTES },
      (_request, body, done) => done(null, body),
    );
  }

  app.put(
    '/v1/streams/:id/thumbnail',
    { bodyLimit: MAX_THUMBNAIL_BYTES },
    async (request): Promise<Stream> => {
      const { id } = parse(ParamsSchema, request.params);
      const who = await requireIdentity(request, tokens);
      // Checked before any work on the image: who may change it, and whether it still may change.
      const stream = await service.get(id, who);
      if (!service.isManager(stream, who)) {
        throw new OnAirError('FORBIDDEN', "Only the stream's owner may change its thumbnail");
      }
      if (stream.status === 'ended' || stream.status === 'cancelled') {
        throw new OnAirError('CONFLICT', `A ${stream.status} stream cannot be edited`);
      }
      if (!Buffer.isBuffer(request.body) || !imageTypeOf(request.body)) {
        throw new OnAirError(
          'UNPROCESSABLE',
          `The thumbnail must be the request's body, a JPEG, PNG or WebP image (${THUMBNAIL_TYPES.join(', ')})`,
        );
      }
      if (!deps.ffmpegPath) {
        throw new OnAirError('MEDIA_UNAVAILABLE', 'This server does not process images');
      }
      if (decoding >= MAX_DECODING) {
        throw new OnAirError('RATE_LIMITED', 'The server is busy with other images: try again', {
          retryAfterSeconds: 2,
        });
      }
      decoding++;
      let jpeg: Buffer;
      try {
        jpeg = await thumbnailFrom(deps.ffmpegPath, request.body);
      } finally {
        decoding--;
      }
      const folder = join(dir, stream.id);
      const name = `${randomBytes(9).toString('base64url')}.jpg`;
      const url = `${THUMBNAILS_PREFIX}/${stream.id}/${name}`;
      await mkdir(folder, { recursive: true });
      // Kept from the clean-up of a concurrent update until the stream shows it (or not).
      pending.add(`${stream.id}/${name}`);
      try {
        await writeFile(join(folder, name), jpeg);
        return await inTurn(stream.id, () => service.update(stream.id, who, { thumbnailUrl: url }));
      } catch (error) {
        await rm(join(folder, name), { force: true });
        throw error;
      } finally {
        pending.delete(`${stream.id}/${name}`);
        // The update's own clean-up kept this file while pending; an upload that lost a race
        // with another is deleted now (the stream read again: the other may have won).
        await cleanUp(stream.id);
      }
    },
  );

  app.get(`${THUMBNAILS_PREFIX}/:streamId/:file`, async (request, reply) => {
    const parsed = FileParamsSchema.safeParse(request.params);
    const query = FileQuerySchema.safeParse(request.query);
    if (!parsed.success) throw new OnAirError('NOT_FOUND', 'No such thumbnail');
    const { streamId, file } = parsed.data;
    // Asked before the disk: a refused viewer learns nothing of which files exist.
    const signed = await deps.authorize(streamId, query.success ? query.data.token : undefined);
    const handle = await open(join(dir, streamId, file)).catch(() => undefined);
    const info = await handle?.stat().catch(() => undefined);
    if (!handle || !info?.isFile()) {
      await handle?.close();
      throw new OnAirError('NOT_FOUND', 'No such thumbnail');
    }
    // Not immutable: a stream made private later stops showing it (a cache keeps it a minute at most).
    const cache = signed ? 'private, no-store' : 'public, max-age=60';
    return reply
      .header('content-type', 'image/jpeg')
      .header('content-length', info.size)
      .header('cache-control', cache)
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(handle.createReadStream());
  });
}
