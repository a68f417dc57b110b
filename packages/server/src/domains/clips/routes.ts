import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { IdSchema, OnAirError } from '@onair/protocol';
import { CreateClipInputSchema } from '@onair/protocol/clips';
import { PageQuerySchema } from '@onair/protocol/inputs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import { optionalIdentity, requireIdentity } from '../../transport/http/auth.js';
import { parse } from '../../transport/http/parse.js';
import { CLIPS_PREFIX, type ClipService, clipScope } from './service.js';

/** What the clip routes need. */
export interface ClipRoutesDeps {
  clips: ClipService;
  tokens: TokenVerifier;
  /**
   * Who may fetch a stream's media ({@link Domains.authorizeMedia}): the
   * token query to pass on (empty for open streams), or `UNAUTHORIZED`.
   */
  authorizeMedia: (streamId: string, token: string | undefined, scope?: string) => Promise<string>;
  /**
   * Answers a request for a clip's file from the node at `url` that cut it
   * (servers sharing Redis, each with its own media folder): false when it
   * came from another node already or `url` is this node's. Absent on a
   * single node.
   */
  forwardFile?:
    | ((url: string, request: FastifyRequest, reply: FastifyReply) => Promise<boolean>)
    | undefined;
}

const ParamsSchema = z.strictObject({ id: IdSchema });
const PageSchema = z.strictObject(PageQuerySchema.shape);
/** `/clips/:id` and `/clips/:id/:file` (the file is checked against {@link FILES}). */
const MediaParamsSchema = z.object({ id: IdSchema });
const MediaQuerySchema = z.object({ token: z.string().max(2048).optional() });
const FILES = { 'clip.mp4': 'video/mp4', 'poster.jpg': 'image/jpeg' } as const;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const PRIVATE = 'private, no-store';

/** The one byte range of a `Range` header a player sends (`bytes=a-b`, `a-`, `-n`); undefined for the whole file. */
function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  const match = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [first, last] = [match[1] ?? '', match[2] ?? ''];
  const start = first === '' ? Math.max(0, size - Number(last)) : Number(first);
  const end = first === '' || last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start > end || start >= size) {
    throw new OnAirError('BAD_REQUEST', 'The requested range is outside the file', { size });
  }
  return { start, end };
}

/** Sends a clip's file, whole or the range asked for (players seek with ranges). */
async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  type: string,
  cache: string,
) {
  const file = await open(path).catch(() => undefined);
  const info = await file?.stat().catch(() => undefined);
  if (!file || !info?.isFile()) {
    await file?.close();
    throw new OnAirError('NOT_FOUND', 'No such clip file');
  }
  let range: { start: number; end: number } | undefined;
  try {
    range = byteRange(request.headers.range, info.size);
  } catch (error) {
    await file.close();
    return reply
      .status(416)
      .header('content-range', `bytes */${info.size}`)
      .send((error as OnAirError).toEnvelope());
  }
  reply
    .header('content-type', type)
    .header('accept-ranges', 'bytes')
    .header('access-control-allow-origin', '*')
    .header('cross-origin-resource-policy', 'cross-origin')
    .header('cache-control', cache);
  if (!range) return reply.header('content-length', info.size).send(file.createReadStream());
  return reply
    .status(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${info.size}`)
    .header('content-length', range.end - range.start + 1)
    .send(file.createReadStream(range));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Registers clips: `POST` and `GET /v1/streams/:id/clips`, `GET` and
 * `DELETE /v1/clips/:id`; the media under `/clips/:id/` (`clip.mp4` with
 * byte ranges, `poster.jpg`; a signed stream's need the token its URLs
 * carry) and the share page `/clips/:id` (a video with OpenGraph tags).
 */
export function registerClipRoutes(app: FastifyInstance, deps: ClipRoutesDeps): void {
  const { clips, tokens } = deps;

  app.post('/v1/streams/:id/clips', async (request, reply) => {
    const { id } = parse(ParamsSchema, request.params);
    const who = await requireIdentity(request, tokens);
    const input = parse(CreateClipInputSchema, request.body ?? {});
    return reply.status(201).send(await clips.create(id, who, input));
  });

  app.get('/v1/streams/:id/clips', async (request) => {
    const { id } = parse(ParamsSchema, request.params);
    const { limit, cursor } = parse(PageSchema, request.query);
    return clips.list(id, await optionalIdentity(request, tokens), limit, cursor);
  });

  app.get('/v1/clips/:id', async (request) => {
    const { id } = parse(ParamsSchema, request.params);
    return clips.get(id, await optionalIdentity(request, tokens));
  });

  app.delete('/v1/clips/:id', async (request, reply) => {
    const { id } = parse(ParamsSchema, request.params);
    await clips.delete(id, await requireIdentity(request, tokens));
    return reply.status(204).send();
  });

  /** The clip and the token query its media needs (`UNAUTHORIZED` without a valid one). */
  const authorized = async (request: FastifyRequest) => {
    const { id } = parse(MediaParamsSchema, request.params);
    const { token } = parse(MediaQuerySchema, request.query);
    const stored = await clips.stored(id);
    // The token must be this clip's: a stream's token (or another clip's) opens nothing here.
    const query = await deps.authorizeMedia(stored.streamId, token, clipScope(stored.id));
    return { stored, query };
  };

  app.get(`${CLIPS_PREFIX}/:id/:file`, async (request, reply) => {
    const { file } = request.params as { file: string };
    const type = FILES[file as keyof typeof FILES];
    if (!type) throw new OnAirError('NOT_FOUND', 'No such clip file');
    const { stored, query } = await authorized(request);
    if (file === 'poster.jpg' && !stored.hasPoster) {
      throw new OnAirError('NOT_FOUND', 'This clip has no poster');
    }
    const path = join(clips.dirOf(stored.id), file);
    try {
      return await sendFile(request, reply, path, type, query ? PRIVATE : IMMUTABLE);
    } catch (error) {
      // Cut on another node (each node with its own media folder): its files are there.
      const missing = error instanceof OnAirError && error.code === 'NOT_FOUND';
      if (missing && stored.node && (await deps.forwardFile?.(stored.node, request, reply))) {
        return reply;
      }
      throw error;
    }
  });

  app.get(`${CLIPS_PREFIX}/:id`, async (request, reply) => {
    const { stored, query } = await authorized(request);
    // The page plays its files by relative URLs; only link previews need absolute ones, from
    // the Host the request named (the page is therefore never kept by a shared cache).
    const path = `${CLIPS_PREFIX}/${stored.id}`;
    const base = `${request.protocol}://${request.host}${path}`;
    const video = `${base}/clip.mp4${query}`;
    const poster = stored.hasPoster ? `${base}/poster.jpg${query}` : '';
    const title = escapeHtml(stored.title);
    const meta = [
      ['og:type', 'video.other'],
      ['og:title', title],
      ['og:video', escapeHtml(video)],
      ['og:video:type', 'video/mp4'],
      ...(poster ? [['og:image', escapeHtml(poster)]] : []),
    ]
      .map(([property, content]) => `<meta property="${property}" content="${content}">`)
      .join('\n    ');
    // A signed stream's page is one viewer's: it must not be shared by a cache.
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', query ? PRIVATE : 'private, max-age=300')
      .send(`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${title}</title>
    ${meta}
    <style>body{margin:0;background:#000;color:#fff;font:16px system-ui,sans-serif}main{max-width:960px;margin:auto;padding:16px}video{width:100%;aspect-ratio:16/9;background:#111}h1{font-size:1.2rem}</style>
  </head>
  <body>
    <main>
      <video controls playsinline preload="metadata" src="${escapeHtml(`${path}/clip.mp4${query}`)}"${poster ? ` poster="${escapeHtml(`${path}/poster.jpg${query}`)}"` : ''}></video>
      <h1>${title}</h1>
      <p>${escapeHtml(stored.createdBy.displayName)} · ${Math.round(stored.durationSeconds)} s</p>
    </main>
  </body>
</html>
`);
  });
}
