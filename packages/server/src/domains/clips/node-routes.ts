import { ErrorEnvelopeSchema, IdSchema, OnAirError } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ClipRange, CutClip } from '../../media/clips/cutter.js';
import { LINK_HEADER, type NodeLinks } from '../../media/cluster/node-links.js';
import type { ClipService } from './service.js';

/*
 * Clips across a deployment's nodes: the node a viewer reached checks them,
 * their quotas and the stream, and stores the clip; the node with the
 * stream's media (holding it live, or keeping its recording) cuts it into
 * its own folder when asked, and deletes those files when the clip goes.
 * Requests are signed ({@link NodeLinks}): no user's token travels.
 */

const cutPath = (clipId: string) => `/internal/clips/${encodeURIComponent(clipId)}/cut`;
const filesPath = (clipId: string) => `/internal/clips/${encodeURIComponent(clipId)}/files`;

/** How long the asking node waits for a cut, ms: it waits its turn, then ffmpeg cuts and makes a poster. */
const CUT_TIMEOUT_MS = 180_000;
/** How long the asking node waits for files to be deleted, ms. */
const DROP_TIMEOUT_MS = 5_000;

const RangeSchema = z.union([
  z.strictObject({ last: z.number().positive() }),
  z.strictObject({ start: z.number().nonnegative(), seconds: z.number().positive() }),
]);
const CutAskSchema = z.strictObject({ streamId: IdSchema, range: RangeSchema });
const CutAnswerSchema = z.strictObject({
  startSeconds: z.number().nonnegative(),
  durationSeconds: z.number().positive(),
  poster: z.boolean(),
});

/** What a signed cut covers: the clip, the stream and the range, as sent. */
const cutPurpose = (clipId: string, body: string) => `cut|${clipId}|${body}`;

/** The node-side routes: cut a clip here for another node, delete a clip's files here. */
export function registerClipNodeRoutes(
  app: FastifyInstance,
  deps: { links: NodeLinks; clips: Pick<ClipService, 'cutHere' | 'dropFilesHere' | 'cutting'> },
): void {
  app.post<{ Params: { clipId: string } }>(
    '/internal/clips/:clipId/cut',
    async (request, reply) => {
      const { clipId } = request.params;
      deps.links.check(
        cutPurpose(clipId, JSON.stringify(request.body)),
        request.headers[LINK_HEADER],
      );
      const ask = CutAskSchema.safeParse(request.body);
      if (!IdSchema.safeParse(clipId).success || !ask.success) {
        throw new OnAirError('BAD_REQUEST', 'Malformed cut request');
      }
      const cut = await deps.clips.cutHere(ask.data.streamId, clipId, ask.data.range);
      // The asking node gave up waiting (its timeout, or it went away): it stores no clip, so
      // no one would ever delete these files.
      if (reply.raw.destroyed) {
        await deps.clips.dropFilesHere(clipId);
        request.log.warn({ clipId }, 'clip cut for a node that stopped waiting: files deleted');
      }
      return cut;
    },
  );

  app.delete<{ Params: { clipId: string } }>(
    '/internal/clips/:clipId/files',
    async (request, reply) => {
      const { clipId } = request.params;
      deps.links.check(`drop|${clipId}`, request.headers[LINK_HEADER]);
      if (!IdSchema.safeParse(clipId).success) throw new OnAirError('NOT_FOUND', 'No such clip');
      // Still being cut (the asker gave up waiting): its files are not there yet. Refused, so
      // the asker's tombstone stays and this node's sweep deletes them once the cut is done.
      if (deps.clips.cutting(clipId)) {
        throw new OnAirError('CONFLICT', 'This clip is being cut: its files go once it is done');
      }
      await deps.clips.dropFilesHere(clipId);
      return reply.status(204).send();
    },
  );
}

/** Asks another node to cut or delete clips ({@link registerClipNodeRoutes} answers there). */
export class ClipNodes {
  constructor(private readonly links: NodeLinks) {}

  /**
   * Has the node at `url` cut `clipId` of `streamId` into its folder. Its
   * refusal comes back as it was (`STREAM_NOT_LIVE`, `RATE_LIMITED`, …);
   * silence or a broken answer is `MEDIA_UNAVAILABLE` (that node may have cut
   * it all the same: the caller has its files deleted, see `ClipService`).
   */
  async cut(url: string, streamId: string, clipId: string, range: ClipRange): Promise<CutClip> {
    const body = JSON.stringify({ streamId, range });
    let response: Response;
    try {
      response = await fetch(`${url}${cutPath(clipId)}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [LINK_HEADER]: this.links.sign(cutPurpose(clipId, body), url),
        },
        body,
        signal: AbortSignal.timeout(CUT_TIMEOUT_MS),
      });
    } catch (error) {
      throw unavailable(error);
    }
    const answer: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const refusal = ErrorEnvelopeSchema.safeParse(answer);
      throw refusal.success ? OnAirError.fromEnvelope(refusal.data) : unavailable(response.status);
    }
    const parsed = CutAnswerSchema.safeParse(answer);
    if (!parsed.success) throw unavailable(parsed.error);
    return parsed.data;
  }

  /**
   * Deletes a clip's files on the node at `url`; false when it did not: it
   * did not answer, or refused (`CONFLICT`: it is still cutting the clip).
   */
  async drop(url: string, clipId: string): Promise<boolean> {
    try {
      const response = await fetch(`${url}${filesPath(clipId)}`, {
        method: 'DELETE',
        headers: { [LINK_HEADER]: this.links.sign(`drop|${clipId}`, url) },
        signal: AbortSignal.timeout(DROP_TIMEOUT_MS),
      });
      return response.ok;
    } catch {
      return false;
    }
  }
}

const unavailable = (cause?: unknown) =>
  new OnAirError(
    'MEDIA_UNAVAILABLE',
    'The server with this stream’s media did not answer; retry',
    undefined,
    cause === undefined ? undefined : { cause },
  );
