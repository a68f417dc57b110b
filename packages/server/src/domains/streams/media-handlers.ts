import { OnAirError } from '@onair/protocol';
import {
  type GatewayContext,
  handle,
  identityOf,
  type OnAirSocket,
  visibleStream,
} from '../../transport/realtime/context.js';

/** Registers media signalling (publishing and real-time viewing) on a connection. */
export function registerMediaHandlers(ctx: GatewayContext, socket: OnAirSocket): void {
  const { service, media } = ctx.deps;

  const requireMedia = () => {
    if (!media) throw new OnAirError('MEDIA_UNAVAILABLE', 'Media is disabled on this server');
    return media;
  };

  const requireOwner = async (streamId: string) => {
    const stream = await visibleStream(ctx, socket, streamId);
    if (!service.isManager(stream, identityOf(socket))) {
      throw new OnAirError('FORBIDDEN', 'Only the stream owner may publish');
    }
    return stream;
  };

  handle(socket, 'media:capabilities', async ({ streamId }) => {
    await visibleStream(ctx, socket, streamId);
    return requireMedia().capabilities();
  });

  handle(socket, 'media:createTransport', async ({ streamId, direction }) => {
    const plane = requireMedia();
    if (direction === 'send') {
      const stream = await requireOwner(streamId);
      if (stream.status !== 'live') {
        throw new OnAirError('STREAM_NOT_LIVE', 'Start the stream before publishing');
      }
    } else {
      await visibleStream(ctx, socket, streamId);
    }
    return plane.createTransport(streamId, direction, socket.id);
  });

  handle(socket, 'media:connectTransport', ({ transportId, dtlsParameters }) => {
    requireMedia().connectTransport(transportId, dtlsParameters, socket.id);
    return {};
  });

  handle(socket, 'media:produce', (request) => requireMedia().produce(request, socket.id));

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
    void media?.closeOwner(socket.id);
  });
}
