import type { MediaPlane } from '../../media/media-plane.js';
import type { InternalBus } from '../../platform/events.js';
import { handle } from '../../transport/realtime/request.js';
import { PUBLIC_STREAMS_ROOM, roomOf } from '../../transport/realtime/rooms.js';
import type { OnAirIo, OnAirSocket } from '../../transport/realtime/types.js';
import type { StreamAccess } from './access.js';

/** Registers watching the public stream list's changes (`streams:watch`, `streams:unwatch`). */
export function registerStreamHandlers(socket: OnAirSocket): void {
  handle(socket, 'streams:watch', async () => {
    await socket.join(PUBLIC_STREAMS_ROOM);
    return {};
  });

  handle(socket, 'streams:unwatch', async () => {
    await socket.leave(PUBLIC_STREAMS_ROOM);
    return {};
  });
}

/** What {@link relayStreamEvents} needs. */
export interface StreamRelayDeps {
  io: OnAirIo;
  bus: InternalBus;
  access: StreamAccess;
  /** Undefined when media is turned off on this server. */
  media: MediaPlane | undefined;
}

/**
 * Tells realtime clients what happens to streams: every change to the
 * stream's room (and public ones to stream lists), the SFU's producers
 * coming and going to the room, and a transport the server closed to its
 * owner. An ended stream's media ends; a rotated key disconnects its
 * publishers.
 * Returns the function that stops it.
 */
export function relayStreamEvents(deps: StreamRelayDeps): () => void {
  const { io, bus, access, media } = deps;
  const offs = [
    bus.on('stream:updated', (stream) => {
      access.changed(stream.id);
      // One emit to both rooms: a socket in both gets the event once.
      const rooms =
        stream.privacy === 'public'
          ? [roomOf(stream.id), PUBLIC_STREAMS_ROOM]
          : [roomOf(stream.id)];
      io.to(rooms).emit('stream:updated', stream);
      if (stream.status === 'ended' || stream.status === 'cancelled') {
        void media?.endStream(stream.id);
      }
    }),
    bus.on('stream:keyRotated', ({ streamId }) => {
      void media?.endPublishers(streamId);
    }),
  ];
  if (media) {
    const { router } = media;
    offs.push(
      router.on('producer', (info) => io.to(roomOf(info.streamId)).emit('media:producer', info)),
      router.on('producerClosed', (info) =>
        io.to(roomOf(info.streamId)).emit('media:producerClosed', info),
      ),
      router.on('transportClosed', ({ owner, transportId, reason }) =>
        io.to(owner).emit('media:transportClosed', { transportId, reason }),
      ),
    );
  }
  return () => {
    for (const off of offs) off();
  };
}
