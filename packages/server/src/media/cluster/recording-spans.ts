import { IdSchema, OnAirError } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RecordingSpan } from '../recording/timeline.js';
import { LINK_HEADER, type NodeLinks } from './node-links.js';

/** Where one node asks another for the runs of a recording kept there (not part of the public API). */
export const spansPath = (streamId: string): string =>
  `/internal/recordings/${encodeURIComponent(streamId)}/spans`;

/** How long the asking node waits for the answer, ms. */
const SPANS_TIMEOUT_MS = 5_000;

const SpansAnswerSchema = z.strictObject({
  spans: z
    .array(
      z.strictObject({
        start: z.number().nonnegative(),
        seconds: z.number().nonnegative(),
        wallStart: z.number().positive(),
      }),
    )
    .max(100_000),
});

/**
 * The recorder's side of replay timing across nodes: another node of the
 * deployment (its request signed, see {@link NodeLinks}) asks for the runs of
 * a recording on this node's disk (`spansHere`, never asked on).
 */
export function registerSpansRoute(
  app: FastifyInstance,
  deps: { links: NodeLinks; spansHere(streamId: string): Promise<RecordingSpan[]> },
): void {
  app.get<{ Params: { streamId: string } }>(
    '/internal/recordings/:streamId/spans',
    async (request) => {
      const { streamId } = request.params;
      deps.links.check(`spans|${streamId}`, request.headers[LINK_HEADER]);
      if (!IdSchema.safeParse(streamId).success)
        throw new OnAirError('NOT_FOUND', 'No such stream');
      return { spans: await deps.spansHere(streamId) };
    },
  );
}

/**
 * The runs of a stream's recording kept on the node at `url` (its
 * `recording_node`). A node that does not answer, or answers wrongly, is
 * `MEDIA_UNAVAILABLE`.
 */
export async function spansFrom(
  url: string,
  streamId: string,
  links: NodeLinks,
): Promise<RecordingSpan[]> {
  try {
    const response = await fetch(`${url}${spansPath(streamId)}`, {
      headers: { [LINK_HEADER]: links.sign(`spans|${streamId}`, url) },
      signal: AbortSignal.timeout(SPANS_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return SpansAnswerSchema.parse(await response.json()).spans;
  } catch (error) {
    throw new OnAirError(
      'MEDIA_UNAVAILABLE',
      'The server keeping this recording did not answer; retry',
      undefined,
      { cause: error },
    );
  }
}
