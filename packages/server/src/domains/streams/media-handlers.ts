import { OnAirError } from '@onair/protocol';
import { publishBitrateOf } from '../../media/hls/ladder.js';
import type { Participant, SfuRouter } from '../../media/sfu/router.js';
import { handle, identityOf } from '../../transport/realtime/request.js';
import type { OnAirSocket } from '../../transport/realtime/types.js';
import type { StageService } from '../stage/service.js';
import type { StreamAccess } from './access.js';

/** What the media signalling handlers need. */
export interface MediaHandlerDeps {
  /** The SFU; undefined when media is turned off on this server. */
  router: SfuRouter | undefined;
  access: StreamAccess;
  /** Who may publish: the stream's owner, and the members of its stage. */
  stage: StageService;
  /** A viewer here wants a stream in real time: relay it if its publisher is on another node. */
  relay?: ((streamId: string) => void) | undefined;
}

/**
 * Registers media signalling on a connection, in the mediasoup model:
 * publishing (the stream's owner or an admin as its host, and the
 * co-hosts and guests on its stage, while it is live) and
 * real-time viewing (whoever may see it, once it joined the stream's room
 * with `stream:join`, while the stream is live; the router limits how many
 * receive transports one connection holds and closes idle ones). A
 * connection has one send transport per stream (a new one, as a publisher
 * that reconnects asks for, replaces the old; one that does not connect in
 * time is closed) and one consumer per producer on a receive transport. A
 * connection's transports close with it.
 */
export function registerMediaHandlers(socket: OnAirSocket, deps: MediaHandlerDeps): void {
  const { router, access, stage } = deps;

  const requireMedia = () => {
    if (!router) throw new OnAirError('MEDIA_UNAVAILABLE', 'Media is disabled on this server');
    return router;
  };

  /** The stream and who publishes on it (`FORBIDDEN` for anyone not on its stage). */
  const requirePublisher = async (streamId: string) => {
    const stream = await access.visible(socket, streamId);
    const who = identityOf(socket);
    const { role, mutedByHost } = await stage.publisherRole(stream, who);
    return { stream, userId: who?.userId ?? '', host: role === 'host', mutedByHost };
  };

  handle(socket, 'media:capabilities', async ({ streamId }) => {
    await access.audience(socket, streamId);
    return requireMedia().capabilities();
  });

  handle(socket, 'media:createTransport', async ({ streamId, direction }) => {
    const plane = requireMedia();
    let participant: Participant | undefined;
    if (direction === 'send') {
      const { stream, userId, host, mutedByHost } = await requirePublisher(streamId);
      if (stream.status !== 'live') {
        throw new OnAirError('STREAM_NOT_LIVE', 'Start the stream before publishing');
      }
      // The stream's quality preset caps what the publisher sends (REMB): the browser scales
      // its picture down to fit, as the ladder's top rung does.
      participant = {
        userId,
        host,
        maxBitrate: publishBitrateOf(stream.qualityPreset),
      };
      if (!host) plane.setParticipantMuted(streamId, userId, mutedByHost);
    } else {
      // A real-time slot is for a viewer in the room of a live stream (see the router's limits).
      const stream = await access.joined(socket, streamId);
      if (stream.status !== 'live') {
        throw new OnAirError('STREAM_NOT_LIVE', 'Real-time viewing starts when the stream is live');
      }
    }
    const transport = await plane.createTransport(streamId, direction, socket.id, participant);
    // Its producers are announced (`media:producer`) once the relay brings them here.
    if (direction === 'recv') deps.relay?.(streamId);
    return transport;
  });

  handle(socket, 'media:connectTransport', ({ transportId, dtlsParameters }) => {
    requireMedia().connectTransport(transportId, dtlsParameters, socket.id);
    return {};
  });

  handle(socket, 'media:produce', (request) => requireMedia().produce(request, socket.id));

  handle(socket, 'media:setSource', ({ producerId, source }) => {
    requireMedia().setSource(producerId, source, socket.id);
    return {};
  });

  handle(socket, 'media:consume', (request) => requireMedia().consume(request, socket.id));

  handle(socket, 'media:resume', ({ consumerId }) => {
    requireMedia().resumeConsumer(consumerId, socket.id);
    return {};
  });

  handle(socket, 'media:pause', ({ consumerId }) => {
    requireMedia().pauseConsumer(consumerId, socket.id);
    return {};
  });

  handle(socket, 'media:preferLayer', ({ consumerId, spatialLayer }) => {
    requireMedia().setPreferredLayer(consumerId, spatialLayer, socket.id);
    return {};
  });

  handle(socket, 'media:close', async ({ transportId }) => {
    await requireMedia().closeTransport(transportId, socket.id);
    return {};
  });

  socket.on('disconnect', () => {
    void router?.closeOwner(socket.id);
  });
}
