import { OnAirError, RtpParametersSchema } from '@onair/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { PipeOffer, SfuRouter } from '../sfu/router.js';
import type { MediaNode } from './media-node.js';
import type { NodeLinks } from './node-links.js';

/** Where one node asks another for a pipe of a stream's media (not part of the public API). */
export const PIPE_PATH = '/internal/media/pipes';

const PipeRequestSchema = z.strictObject({
  streamId: z.string().min(1).max(64),
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65_535),
  expires: z.number().int(),
  signature: z.string().min(1).max(128),
});

/** What the holder answers: where its side of the pipe is, and the tracks it sends. */
export const PipeAnswerSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  tracks: z
    .array(z.strictObject({ kind: z.enum(['audio', 'video']), rtpParameters: z.unknown() }))
    .min(1)
    .max(2)
    .transform((tracks, context) =>
      tracks.map((track) => {
        const parsed = RtpParametersSchema.safeParse(track.rtpParameters);
        if (!parsed.success) {
          context.addIssue({ code: 'custom', message: 'bad rtpParameters' });
          return { kind: track.kind, rtpParameters: { codecs: [] } };
        }
        return { kind: track.kind, rtpParameters: parsed.data };
      }),
    ),
});
/** A parsed {@link PipeAnswerSchema}. */
export type PipeAnswer = z.infer<typeof PipeAnswerSchema>;

/** What {@link registerPipeRoutes} needs. */
export interface PipeRouteDeps {
  router: Pick<SfuRouter, 'pipeOut'>;
  node: Pick<MediaNode, 'holds' | 'holder'>;
  links: NodeLinks;
}

/**
 * The holder's side of relaying real time across nodes: another node of
 * the deployment (its request signed, see {@link NodeLinks}) asks for a
 * stream held here, and gets a pipe of its tracks to the UDP port it named
 * ({@link SfuRouter.pipeOut}). One pipe per stream per asking node, however
 * many viewers it serves.
 */
export function registerPipeRoutes(app: FastifyInstance, deps: PipeRouteDeps): void {
  app.post(PIPE_PATH, async (request, reply) => {
    const parsed = PipeRequestSchema.safeParse(request.body);
    if (!parsed.success) throw new OnAirError('BAD_REQUEST', 'Malformed pipe request');
    const ask = parsed.data;
    deps.links.verifyPipeRequest(ask);
    const holder = deps.node.holder;
    if (!holder || !deps.node.holds(ask.streamId)) {
      throw new OnAirError('MEDIA_UNAVAILABLE', 'This node does not hold the stream');
    }
    const offer: PipeOffer = await deps.router.pipeOut(ask.streamId, ask.host, ask.port);
    const answer = { host: new URL(holder.url).hostname, port: offer.port, tracks: offer.tracks };
    return reply.status(201).send(answer);
  });
}
