import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IdSchema, OnAirError } from '@onair/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newestThumbnail } from '../recording/recording.js';
import type { HlsPackager } from './packager.js';
import type { BlockingRequest, LlHlsRendition } from './segmenter.js';
import { playlistWithQuery } from './tokens.js';
import { HLS_PREFIX } from './urls.js';

const CONTENT_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  jpg: 'image/jpeg',
};
const RENDITION_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const RENDITION_FILE = /^(?:index\.m3u8|init-\d{1,6}\.mp4|\d{1,9}\.m4s|\d{1,9}\.\d{1,4}\.m4s)$/;
const STREAM_FILE = /^(?:master\.m3u8|poster\.jpg|thumb-\d{1,6}-\d{1,6}\.jpg)$/;

/** How long the master playlist waits for the first segments of every rendition. */
const MASTER_WAIT_MS = 10_000;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const PRIVATE = 'private, no-store';

/**
 * The cache policy of a response: the media of a signed stream (the
 * authorizer passed a token query on) is one viewer's, never kept by a
 * shared cache or on disk; other streams keep `cache`.
 */
const cacheFor = (query: string, cache: string) => (query ? PRIVATE : cache);

/** What the routes need from the media plane. */
export interface HlsSource {
  /**
   * Checks access to a stream's HLS (a signed token for followers-only and
   * private streams) and returns the query to pass on to every URI its
   * playlists list: empty for open streams, whose responses may be cached
   * by CDNs, the token otherwise (responses `private, no-store`). Throws
   * `UNAUTHORIZED` when a needed token is missing, wrong or expired.
   */
  authorize(streamId: string, token: string | undefined): Promise<string>;
  /** Folder of a stream's recording. */
  dirOf(streamId: string): string;
  /** The live packager of a stream, while it is live. */
  live(streamId: string): HlsPackager | undefined;
  /**
   * Answers a request for a stream from the node that holds its media when
   * that is another node (HLS from any node of a deployment), after this
   * node's own access check. Resolves true once it answered (the reply is
   * being sent), false to answer here (this node holds it, or no node does:
   * the recording on disk, or 404). On a single node no other node holds one.
   */
  remote?(streamId: string, request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  /**
   * Answers a request for a recording's file that this node's media folder
   * lacks from the node that recorded it (replays from any node of a
   * deployment whose nodes keep their own folders). Resolves true once it
   * answered, false for a 404 here. Absent on a single node (servers that
   * do not share Redis).
   */
  stored?(streamId: string, request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

type Params = { streamId: string; rendition?: string; file: string };
type Query = { _HLS_msn?: string; _HLS_part?: string; _HLS_skip?: string; token?: string };

function headers(reply: FastifyReply, ext: string, cache: string): FastifyReply {
  return (
    reply
      .header('content-type', CONTENT_TYPES[ext] ?? 'application/octet-stream')
      .header('access-control-allow-origin', '*')
      .header('timing-allow-origin', '*')
      // Players and posters on other origins (a <video> or <img> without CORS) may load it.
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', cache)
  );
}

/**
 * Streams a file from disk. It is opened first: a file deleted meanwhile (a
 * stream ending without a recording, its folder removed) is a 404 before
 * anything is sent, and once open it reads to the end whatever happens to
 * its name.
 */
async function sendFile(reply: FastifyReply, path: string, ext: string, cache: string) {
  const file = await open(path).catch(() => undefined);
  const info = await file?.stat().catch(() => undefined);
  if (!file || !info?.isFile()) {
    await file?.close();
    throw new OnAirError('NOT_FOUND', 'No such HLS file');
  }
  return headers(reply, ext, cache)
    .header('content-length', info.size)
    .send(file.createReadStream());
}

/** A recorded playlist with the token passed on to its URIs (one viewer's: never cached). */
async function sendPlaylist(reply: FastifyReply, path: string, query: string) {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) throw new OnAirError('NOT_FOUND', 'No such HLS file');
  return headers(reply, 'm3u8', PRIVATE).send(playlistWithQuery(text, query));
}

function blockingRequest(query: Query): BlockingRequest | undefined {
  if (query._HLS_msn === undefined) {
    if (query._HLS_part !== undefined) {
      throw new OnAirError('BAD_REQUEST', '_HLS_part needs _HLS_msn');
    }
    return undefined;
  }
  const msn = Number(query._HLS_msn);
  const part = query._HLS_part === undefined ? undefined : Number(query._HLS_part);
  if (
    !Number.isSafeInteger(msn) ||
    msn < 0 ||
    (part !== undefined && !(Number.isSafeInteger(part) && part >= 0))
  ) {
    throw new OnAirError('BAD_REQUEST', '_HLS_msn and _HLS_part must be non-negative integers');
  }
  return { msn, part };
}

/** Aborts when the client goes away, so a blocked request stops waiting. */
function clientGone(request: FastifyRequest): AbortSignal {
  const controller = new AbortController();
  request.raw.once('close', () => controller.abort());
  return controller.signal;
}

async function livePlaylist(
  packager: HlsPackager,
  rendition: LlHlsRendition,
  request: FastifyRequest<{ Querystring: Query }>,
  reply: FastifyReply,
  query: string,
) {
  const blocking = blockingRequest(request.query);
  if (blocking) {
    if (rendition.tooFarAhead(blocking)) {
      throw new OnAirError('BAD_REQUEST', 'The requested segment is too far in the future');
    }
    const timeout = rendition.targetDuration * 3 * 1000;
    if (!(await rendition.waitFor(blocking, timeout, clientGone(request)))) {
      // RFC 8216bis §6.2.5.2: 503 when the part is not there within three target durations.
      return reply
        .status(503)
        .header('access-control-allow-origin', '*')
        .header('cache-control', cacheFor(query, 'no-cache'))
        .send(
          new OnAirError(
            'MEDIA_UNAVAILABLE',
            'The requested part did not arrive in time',
          ).toEnvelope(),
        );
    }
  }
  const body = rendition.livePlaylist({
    skip: request.query._HLS_skip === 'YES',
    query,
    reports: packager.renditions
      .filter((r) => r !== rendition)
      .map((r) => ({ uri: `../${r.name}/index.m3u8`, newest: r.newest })),
  });
  // A blocking response names a unique point of the stream: a CDN may keep it briefly.
  const cache = blocking ? `public, max-age=${rendition.targetDuration * 3}` : 'no-cache';
  return headers(reply, 'm3u8', cacheFor(query, cache)).send(body);
}

async function livePart(
  rendition: LlHlsRendition,
  msn: number,
  index: number,
  request: FastifyRequest,
  reply: FastifyReply,
  query: string,
) {
  let data = rendition.part(msn, index);
  // The preload hint names the next part before it exists: hold the request until it does.
  if (!data && !rendition.satisfies({ msn, part: index }) && !rendition.tooFarAhead({ msn })) {
    await rendition.waitFor(
      { msn, part: index },
      rendition.targetDuration * 3 * 1000,
      clientGone(request),
    );
    data = rendition.part(msn, index);
  }
  if (!data) throw new OnAirError('NOT_FOUND', 'No such part');
  return headers(reply, 'm4s', cacheFor(query, IMMUTABLE))
    .header('content-length', data.length)
    .send(data);
}

/**
 * Serves `/hls/:streamId/…`: while a stream is live, its Low-Latency HLS
 * from the packager's memory (blocking playlist reload with `_HLS_msn` /
 * `_HLS_part`, delta updates with `_HLS_skip=YES`, parts held until they
 * exist); the recording (VOD playlists, segments, thumbnails) from disk
 * afterwards. Live playlists are not cached; blocking responses briefly;
 * parts, segments and init segments are immutable; everything of a signed
 * (followers-only, private) stream is `private, no-store`. CORS is open.
 * A stream whose media another node holds is answered by that node
 * ({@link HlsSource.remote}), and a recording's file missing here by the
 * node that recorded it ({@link HlsSource.stored}).
 */
export function registerHlsRoutes(app: FastifyInstance, source: HlsSource): void {
  const check = (streamId: string) => {
    if (!IdSchema.safeParse(streamId).success)
      throw new OnAirError('NOT_FOUND', 'No such HLS file');
  };
  /** Sends a file from disk; one missing here is asked of the node that recorded it. */
  const fromDisk = async (
    streamId: string,
    request: FastifyRequest,
    reply: FastifyReply,
    send: () => Promise<FastifyReply>,
  ): Promise<FastifyReply> => {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof OnAirError && error.code === 'NOT_FOUND')) throw error;
      if (await source.stored?.(streamId, request, reply)) return reply;
      throw error;
    }
  };

  app.get<{ Params: Params; Querystring: Query }>(
    `${HLS_PREFIX}/:streamId/:file`,
    async (request, reply) => {
      const { streamId, file } = request.params;
      check(streamId);
      if (!STREAM_FILE.test(file)) throw new OnAirError('NOT_FOUND', 'No such HLS file');
      const query = await source.authorize(streamId, request.query.token);
      // Asked first: a stream whose publisher moved to another node is answered there, not
      // from what this node packaged before (the remote answers at once for a stream held here).
      if (await source.remote?.(streamId, request, reply)) return reply;
      const live = source.live(streamId);
      if (file === 'master.m3u8' && live) {
        await live.waitUntilReady(MASTER_WAIT_MS);
        const body = live.masterPlaylist(query);
        if (!body) throw new OnAirError('NOT_FOUND', 'The stream has no HLS output yet');
        return headers(reply, 'm3u8', cacheFor(query, 'no-cache')).send(body);
      }
      const dir = source.dirOf(streamId);
      if (file === 'poster.jpg' && live) {
        // While live, the poster is the newest thumbnail.
        const newest = await newestThumbnail(dir);
        if (!newest) throw new OnAirError('NOT_FOUND', 'No thumbnail yet');
        return sendFile(reply, join(dir, newest), 'jpg', cacheFor(query, 'no-cache'));
      }
      const ext = file.split('.').at(-1) ?? '';
      return fromDisk(streamId, request, reply, () =>
        ext === 'm3u8' && query
          ? sendPlaylist(reply, join(dir, file), query)
          : sendFile(
              reply,
              join(dir, file),
              ext,
              cacheFor(query, ext === 'm3u8' ? 'public, max-age=60' : IMMUTABLE),
            ),
      );
    },
  );

  app.get<{ Params: Params; Querystring: Query }>(
    `${HLS_PREFIX}/:streamId/:rendition/:file`,
    async (request, reply) => {
      const { streamId, rendition: name = '', file } = request.params;
      check(streamId);
      if (!RENDITION_PATTERN.test(name) || !RENDITION_FILE.test(file)) {
        throw new OnAirError('NOT_FOUND', 'No such HLS file');
      }
      const query = await source.authorize(streamId, request.query.token);
      if (await source.remote?.(streamId, request, reply)) return reply;
      const packager = source.live(streamId);
      const rendition = packager?.rendition(name);
      if (packager && rendition) {
        if (file === 'index.m3u8') return livePlaylist(packager, rendition, request, reply, query);
        const part = /^(\d+)\.(\d+)\.m4s$/.exec(file);
        if (part) {
          return livePart(rendition, Number(part[1]), Number(part[2]), request, reply, query);
        }
        const init = /^init-(\d+)\.mp4$/.exec(file);
        const data = init
          ? rendition.init(Number(init[1]))
          : rendition.segment(Number(file.split('.')[0]));
        if (data) {
          return headers(reply, init ? 'mp4' : 'm4s', cacheFor(query, IMMUTABLE))
            .header('content-length', data.length)
            .send(data);
        }
      }
      const ext = file.split('.').at(-1) ?? '';
      const path = join(source.dirOf(streamId), name, file);
      const cache = ext === 'm3u8' ? 'public, max-age=60' : IMMUTABLE;
      return fromDisk(streamId, request, reply, () =>
        ext === 'm3u8' && query
          ? sendPlaylist(reply, path, query)
          : sendFile(reply, path, ext, cacheFor(query, cache)),
      );
    },
  );
}
