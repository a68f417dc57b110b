import type { Server as HttpServer } from 'node:http';
import {
  CLIENT_REQUESTS,
  type ClientToServerEvents,
  MAX_REALTIME_PAYLOAD_BYTES,
  OnAirError,
  type ServerToClientEvents,
} from '@onair/protocol';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { Server as SocketIoServer } from 'socket.io';
import type { Identity } from '../../platform/auth/identity.js';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import type { SharedCaches } from '../../platform/caches.js';
import { toEnvelope } from '../../platform/errors.js';
import { type ConnectionLimitOptions, limitConnectionsPerAddress } from './connection-limit.js';
import { handlePublishes } from './handled-publishes.js';
import { originAllowed } from './origin.js';
import { forgetChangedSession, holdMissedPackets } from './recovery.js';
import { limitRequestsPerSocket } from './request-limit.js';
import { userRoom } from './rooms.js';
import { enforceTokenExpiry } from './token-expiry.js';
import type { InterServerEvents, OnAirIo, OnAirSocket, SocketData } from './types.js';

/** Options of {@link createRealtimeServer}. */
export interface RealtimeServerOptions {
  /**
   * Browser origins allowed to connect (`true`: any); undefined: same origin
   * only. Checked at the handshake: a page on any other origin is refused.
   */
  corsOrigin: true | string[] | undefined;
  /** Shares rooms with the other servers of a deployment (socket.io Redis Streams adapter). */
  redis: Redis | undefined;
  /** Prefix of the adapter's Redis stream and session keys. */
  redisPrefix: string;
}

/**
 * The socket.io server on the HTTP server: connection state recovery (its
 * middlewares run again, so an expired or revoked token never resumes a
 * session; the gateway holds the missed events until the rooms are checked
 * again, see `holdMissedPackets`), frames capped at {@link MAX_REALTIME_PAYLOAD_BYTES}, and with
 * Redis the Redis Streams adapter (it keeps messages through a Redis drop).
 * Handshakes from pages on origins outside `corsOrigin` are refused (CORS
 * headers alone would not stop a page from opening a WebSocket).
 */
export function createRealtimeServer(http: HttpServer, options: RealtimeServerOptions): OnAirIo {
  const { redis, redisPrefix } = options;
  return new SocketIoServer<
    ClientToServerEvents,
    ServerToClientEvents,
    InterServerEvents,
    SocketData
  >(http, {
    ...(options.corsOrigin ? { cors: { origin: options.corsOrigin } } : {}),
    allowRequest: (request, callback) => {
      const allowed = originAllowed(request, options.corsOrigin);
      callback(allowed ? null : 'Origin not allowed', allowed);
    },
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
    // A bigger frame closes the connection: no request needs more (chat is 500 code points).
    maxHttpBufferSize: MAX_REALTIME_PAYLOAD_BYTES,
    ...(redis
      ? {
          adapter: createAdapter(handlePublishes(redis), {
            streamName: `${redisPrefix}socket.io`,
            sessionKeyPrefix: `${redisPrefix}session:`,
          }),
        }
      : {}),
  });
}

/** What {@link attachGateway} needs. */
export interface GatewayOptions {
  tokens: TokenVerifier;
  /** Called with each verified identity before its connection is accepted (records the user). */
  identified(identity: Identity): Promise<void>;
  /** Caches whose invalidations travel between the servers when `clustered`. */
  caches: SharedCaches;
  /** Whether other servers share the rooms (Redis). */
  clustered: boolean;
  /** Each domain's handlers, registered on every new connection. */
  handlers: ReadonlyArray<(socket: OnAirSocket) => void>;
  /** The per-address connection cap and which proxies tell the client address. */
  connections: ConnectionLimitOptions;
  /** How long a connection stays open after its token expired, for `auth:refresh`, ms. */
  tokenGraceMs: number;
}

/**
 * The realtime gateway: authenticates every connection from its token
 * (anonymous viewers have none), puts it in its user's room, throttles its
 * requests ({@link limitRequestsPerSocket}), registers the domains'
 * handlers on it, ends its identity with its token (`auth:refresh` extends
 * it), and carries cache invalidations between servers.
 * Returns the function that stops carrying them (socket.io closes the rest).
 */
export function attachGateway(io: OnAirIo, options: GatewayOptions): () => void {
  const { tokens, caches } = options;
  const disconnectCaches = options.clustered
    ? caches.connect((name, key) => io.serverSideEmit('cache:invalidate', name, key))
    : () => undefined;
  io.on('cache:invalidate', (name, key) => caches.drop(name, key));

  // A recovered session's missed events wait until its rooms are re-checked (see recovery.ts).
  const releaseRecovery = holdMissedPackets(io);
  // First, before anything that costs: the per-address cap refuses a flood for a map lookup.
  const slots = limitConnectionsPerAddress(io, options.connections);
  // Runs on every connection, recovered ones included (skipMiddlewares: false),
  // so an expired or revoked token never resumes a session, and one whose
  // identity changed resumes none of it.
  io.use(async (socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    socket.data.identity = null;
    try {
      if (token !== undefined && token !== null && token !== '') {
        if (typeof token !== 'string') {
          throw new OnAirError('UNAUTHORIZED', 'token must be a string');
        }
        const identity = await tokens.verify(token);
        await options.identified(identity);
        socket.data.identity = identity;
      }
      forgetChangedSession(socket);
      next();
    } catch (error) {
      // A refused connection holds no slot.
      slots.release(socket);
      const err = new Error('Unauthorized') as Error & { data: unknown };
      err.data = toEnvelope(error);
      next(err);
    }
  });

  io.on('connection', (socket) => {
    const who = socket.data.identity;
    // With the Redis adapter joining is asynchronous; a failure only costs user-addressed events.
    if (who) Promise.resolve(socket.join(userRoom(who.userId))).catch(() => undefined);
    // First: every request takes a token, unknown ones too.
    limitRequestsPerSocket(socket);
    // A request no handler knows is answered (BAD_REQUEST), not left waiting for an ack forever.
    socket.use(([name, ...args], next) => {
      if (Object.hasOwn(CLIENT_REQUESTS, name)) return next();
      const ack = args.at(-1);
      if (typeof ack === 'function') {
        ack({
          ok: false,
          error: { code: 'BAD_REQUEST', message: `Unknown request ${String(name).slice(0, 64)}` },
        });
      }
    });
    for (const register of options.handlers) register(socket);
    enforceTokenExpiry(socket, { ...options, graceMs: options.tokenGraceMs });
  });
  return () => {
    releaseRecovery();
    disconnectCaches();
  };
}
