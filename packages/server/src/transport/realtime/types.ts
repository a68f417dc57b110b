import type { ClientToServerEvents, ServerToClientEvents } from '@onair/protocol';
import type { Server, Socket } from 'socket.io';
import type { Identity } from '../../platform/auth/identity.js';

/** What the server keeps on each socket: the verified identity, or null for anonymous viewers. */
export interface SocketData {
  identity: Identity | null;
  /**
   * The client's address (X-Forwarded-For only from trusted proxies; IPv6 by
   * /64): what per-address limits key on, e.g. anonymous reactions.
   */
  address: string;
  /** When the connection joined each stream's room (ms since the epoch), for the viewer list. */
  joinedAt?: Record<string, number>;
}

/** Messages between the servers of a deployment (through the Redis adapter). */
export interface InterServerEvents {
  /** Drop a cached entry (a stream changed, a user was banned or unbanned): cache name and key. */
  'cache:invalidate': (cache: string, key: string) => void;
  /** A connection lost a stream: the server it is connected to closes its media of that stream. */
  'media:revoke': (socketId: string, streamId: string) => void;
  /** A stream ended: every server ends its media of it (its publisher, relays, viewers). */
  'media:end': (streamId: string) => void;
  /**
   * Who may watch a stream changed: every server re-checks its WHEP sessions
   * of it (only `userId`'s when given).
   */
  'media:recheckPlayback': (streamId: string, userId?: string) => void;
  /** A stream's key was rotated: every server disconnects its publishers. */
  'media:endPublishers': (streamId: string) => void;
  /** A member was taken off a stage or muted by the host: every server applies it to their tracks. */
  'stage:media': (change: {
    streamId: string;
    removed?: string;
    muted?: { userId: string; muted: boolean };
  }) => void;
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
