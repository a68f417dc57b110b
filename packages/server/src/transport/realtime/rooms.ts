import type { OnAirIo, OnAirSocket } from './types.js';

/** Room of clients watching public stream changes (stream lists). */
export const PUBLIC_STREAMS_ROOM = 'streams:public';

const STREAM_ROOM = 'stream:';

/** Room name of a stream. */
export const roomOf = (streamId: string): string => `${STREAM_ROOM}${streamId}`;

const MANAGERS_ROOM = 'managers:';

/** Room of a stream's owner and admins (stream health, live analytics). */
export const managersRoomOf = (streamId: string): string => `${MANAGERS_ROOM}${streamId}`;

/** Streams with a manager connected to this server (other servers' are not seen). */
export function managedStreams(io: OnAirIo): string[] {
  const ids: string[] = [];
  for (const [room, sockets] of io.sockets.adapter.rooms) {
    if (sockets.size > 0 && room.startsWith(MANAGERS_ROOM))
      ids.push(room.slice(MANAGERS_ROOM.length));
  }
  return ids;
}

/** Room holding every connection of one user (to reach them on any server). */
export const userRoom = (userId: string): string => `user:${userId}`;

/** The stream id of a stream's room (see {@link roomOf}). */
export const streamIdOfRoom = (room: string): string => room.slice(STREAM_ROOM.length);

/** Whether a room is a stream's (see {@link roomOf}). */
export const isStreamRoom = (room: string): boolean => room.startsWith(STREAM_ROOM);

/** Streams whose room a connection is in. */
export const joinedStreams = (socket: Pick<OnAirSocket, 'rooms'>): string[] =>
  [...socket.rooms].filter(isStreamRoom).map(streamIdOfRoom);

/** Connections of this server in a stream's room (other servers' are not counted). */
export const localRoomSize = (io: OnAirIo, streamId: string): number =>
  io.sockets.adapter.rooms.get(roomOf(streamId))?.size ?? 0;

/** This server's connections grouped by the streams they joined. */
export function localViewers(io: OnAirIo): Map<string, OnAirSocket[]> {
  const byStream = new Map<string, OnAirSocket[]>();
  for (const socket of io.sockets.sockets.values()) {
    for (const streamId of joinedStreams(socket)) {
      const sockets = byStream.get(streamId);
      if (sockets) sockets.push(socket);
      else byStream.set(streamId, [socket]);
    }
  }
  return byStream;
}
