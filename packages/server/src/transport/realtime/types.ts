import type { ClientToServerEvents, ServerToClientEvents } from '@onair/protocol';
import type { Server, Socket } from 'socket.io';
import type { Identity } from '../../platform/auth/identity.js';

/** What the server keeps on each socket: the verified identity, or null for anonymous viewers. */
export interface SocketData {
  identity: Identity | null;
}

/** Messages between the servers of a deployment (through the Redis adapter). */
export interface InterServerEvents {
  /** Drop a cached entry (a stream changed, a user was banned or unbanned): cache name and key. */
  'cache:invalidate': (cache: string, key: string) => void;
}

/** The server's typed socket.io instance. */
export type OnAirIo = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** One typed connection. */
export type OnAirSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
