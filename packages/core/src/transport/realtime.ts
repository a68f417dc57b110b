import {
  ackSchema,
  CLIENT_REQUESTS,
  type ClientRequest,
  type ClientRequestName,
  type ClientResponse,
  type ClientToServerEvents,
  EventBatchSchema,
  type JoinedStream,
  MAX_REALTIME_PAYLOAD_BYTES,
  SERVER_EVENTS,
  type ServerEvent,
  type ServerEventName,
  type ServerToClientEvents,
} from '@onair/protocol';
import type { io, Socket } from 'socket.io-client';
import { OnAirError } from '../errors.js';
import { reportListenerError } from '../subscribable.js';
import type { TokenProvider } from './rest.js';
import { TokenCache } from './token-cache.js';

/** Default time a realtime request waits for its acknowledgement. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Wait before reconnecting after the server closed the connection. */
const SERVER_DISCONNECT_RETRY_MS = 1000;

type AnySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Options of a {@link RealtimeConnection}. */
export interface RealtimeOptions {
  /**
   * Loads socket.io-client's `io`; default: dynamic `import('socket.io-client')`
   * on first connection, so a page's first paint does not pay for it. A host
   * that bundles socket.io-client anyway can hand it over.
   *
   * @example
   * ```ts
   * import { io } from 'socket.io-client';
   * new RealtimeConnection(url, token, { loadSocketIo: async () => io });
   * ```
   */
  loadSocketIo?: () => Promise<typeof io>;
}

const importSocketIo = async (): Promise<typeof io> => (await import('socket.io-client')).io;

interface ReconnectListener {
  listener: () => void;
  recovered: boolean;
}

/** A stream's room, held by one or more stores. */
export interface RoomLease {
  /** The join answer (the first one; see `onRejoin` for later ones). */
  joined: Promise<JoinedStream>;
  /** Called with the answer of each rejoin after a reconnection socket.io could not recover. */
  onRejoin(listener: (joined: JoinedStream) => void): () => void;
  /** Called when such a rejoin is refused (for example `BANNED`, or the stream became private). */
  onRejoinError(listener: (error: OnAirError) => void): () => void;
  /** Gives the room back; the last holder leaves it. Idempotent. */
  release(): void;
}

interface Room {
  holders: number;
  joined: Promise<JoinedStream>;
  rejoinListeners: Set<(joined: JoinedStream) => void>;
  rejoinErrorListeners: Set<(error: OnAirError) => void>;
  since: Set<() => string | undefined>;
}

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * The realtime connection (socket.io). Loads socket.io-client and connects on
 * first use (a request, or {@link RealtimeConnection.connect}); listeners alone
 * do neither. Every request and every pushed event is validated against the
 * protocol schemas.
 */
export class RealtimeConnection {
  private socket: AnySocket | undefined;
  /** socket.io-client on its way; `close()` drops it, so a late load creates no socket. */
  #loading: Promise<AnySocket> | undefined;
  readonly #loadSocketIo: () => Promise<typeof io>;
  readonly #listeners = new Map<string, Set<(payload: unknown) => void>>();
  readonly #reconnectListeners = new Set<ReconnectListener>();
  readonly #rooms = new Map<string, Room>();
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #tokens: TokenCache;
  /** The token the server holds for this connection. */
  #sentToken: string | null = null;

  readonly #baseUrl: string;

  /**
   * @param baseUrl Absolute server URL; a path in it (`https://example.com/api`)
   *   prefixes socket.io's path (`/api/socket.io`) rather than naming a namespace.
   * @param token The provider, or the client's {@link TokenCache} shared with REST.
   */
  constructor(
    baseUrl: string,
    token: TokenProvider | TokenCache | undefined,
    options: RealtimeOptions = {},
  ) {
    this.#baseUrl = baseUrl;
    this.#tokens = token instanceof TokenCache ? token : new TokenCache(token);
    this.#loadSocketIo = options.loadSocketIo ?? importSocketIo;
  }

  /**
   * The socket, created once socket.io-client has loaded. A failed load
   * rejects with `NETWORK` and is forgotten, so the next use loads again.
   */
  #ensureSocket(): Promise<AnySocket> {
    if (this.socket) return Promise.resolve(this.socket);
    if (!this.#loading) {
      const loading: Promise<AnySocket> = this.#loadSocketIo().then(
        (connectTo) => {
          // Closed while loading (or closed and opened again): this load is stale.
          if (this.#loading !== loading) throw closedError();
          this.#loading = undefined;
          return this.#createSocket(connectTo);
        },
        (cause: unknown) => {
          if (this.#loading === loading) this.#loading = undefined;
          throw new OnAirError('NETWORK', 'Could not load the realtime client', undefined, {
            cause,
          });
        },
      );
      this.#loading = loading;
    }
    return this.#loading;
  }

  #createSocket(connectTo: typeof io): AnySocket {
    const url = new URL(this.#baseUrl);
    const own: AnySocket = connectTo(url.origin, {
      path: `${url.pathname.replace(/\/+$/, '')}/socket.io`,
      autoConnect: false,
      transports: ['websocket'],
      auth: (cb) => {
        this.#freshToken().then(
          (token) => cb(token ? { token } : {}),
          () => cb({}),
        );
      },
    });
    this.socket = own;
    // One entry for every pushed event, so listeners need no socket to register on.
    own.onAny((name: string, payload: unknown) => {
      if (name !== 'batch') return this.#dispatch(name, payload);
      // Room events arrive in batches; each entry is dispatched like a single event.
      const parsed = EventBatchSchema.safeParse(payload);
      if (parsed.success) for (const [event, data] of parsed.data) this.#dispatch(event, data);
    });
    // The server closes a connection it bans from a stream: come back (the
    // ban then holds for that stream only) instead of staying offline.
    own.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') {
        setTimeout(() => {
          if (this.socket === own && !own.connected) own.connect();
        }, SERVER_DISCONNECT_RETRY_MS);
      }
    });
    let connectedBefore = false;
    own.on('connect', () => {
      // The first connect sends the joins queued meanwhile; later ones rejoin.
      if (connectedBefore && !own.recovered) this.#rejoinRooms();
      connectedBefore = true;
      for (const entry of [...this.#reconnectListeners]) {
        if (entry.recovered || !own.recovered) entry.listener();
      }
    });
    return own;
  }

  /**
   * The token to send, from the shared cache. The server ends a connection's
   * identity with its token: a fresh one is sent when the cache replaces this
   * one (80 % of its lifetime). No readable `exp`, or a clock far off, schedules
   * nothing: TOKEN_EXPIRED refreshes then.
   */
  async #freshToken(): Promise<string | null> {
    const token = await this.#tokens.get();
    this.#sentToken = token;
    clearTimeout(this.#refreshTimer);
    const ms = this.#tokens.refreshIn(token);
    // Closed meanwhile: nothing to refresh.
    if (ms !== undefined && this.socket)
      this.#refreshTimer = setTimeout(() => this.#refresh().catch(() => {}), ms);
    return token;
  }

  /** Sends `auth:refresh` with a fresh token; resolves falsy when there is none. */
  async #refresh(): Promise<unknown> {
    // The held token is due (or refused): drop it unless REST replaced it already.
    this.#tokens.invalidate(this.#sentToken);
    const token = await this.#freshToken();
    return token && this.request('auth:refresh', { token });
  }

  #dispatch(name: string, payload: unknown): void {
    const listeners = this.#listeners.get(name);
    if (listeners) for (const listener of [...listeners]) listener(payload);
  }

  /**
   * Holds a stream's room: the first holder joins, the last to release
   * leaves. Stores of the same stream share one membership. `since` gives the
   * last chat message id held, so a rejoin after an unrecovered reconnection
   * returns exactly the missed messages.
   */
  holdRoom(streamId: string, since?: () => string | undefined): RoomLease {
    let room = this.#rooms.get(streamId);
    if (!room) {
      const fresh: Room = {
        holders: 0,
        joined: Promise.resolve() as unknown as Promise<JoinedStream>,
        rejoinListeners: new Set(),
        rejoinErrorListeners: new Set(),
        since: new Set(),
      };
      fresh.joined = this.request('stream:join', { streamId });
      // Failures reach holders through `joined`; the next holder tries again.
      fresh.joined.catch(() => {
        if (this.#rooms.get(streamId) === fresh) this.#rooms.delete(streamId);
      });
      this.#rooms.set(streamId, fresh);
      room = fresh;
    }
    const held = room;
    held.holders++;
    if (since) held.since.add(since);
    const mine = new Set<(joined: JoinedStream) => void>();
    const mineErrors = new Set<(error: OnAirError) => void>();
    let released = false;
    return {
      joined: held.joined,
      onRejoin: (listener) => {
        held.rejoinListeners.add(listener);
        mine.add(listener);
        return () => {
          held.rejoinListeners.delete(listener);
          mine.delete(listener);
        };
      },
      onRejoinError: (listener) => {
        held.rejoinErrorListeners.add(listener);
        mineErrors.add(listener);
        return () => {
          held.rejoinErrorListeners.delete(listener);
          mineErrors.delete(listener);
        };
      },
      release: () => {
        if (released) return;
        released = true;
        for (const listener of mine) held.rejoinListeners.delete(listener);
        for (const listener of mineErrors) held.rejoinErrorListeners.delete(listener);
        if (since) held.since.delete(since);
        if (--held.holders > 0 || this.#rooms.get(streamId) !== held) return;
        this.#rooms.delete(streamId);
        if (this.socket?.connected) {
          this.request('stream:leave', { streamId }).catch(() => undefined);
        }
      },
    };
  }

  #rejoinRooms(): void {
    for (const [streamId, room] of this.#rooms) {
      let since: string | undefined;
      for (const provider of room.since) since ??= provider();
      const joined = this.request('stream:join', since ? { streamId, since } : { streamId });
      joined.then(
        (answer) => {
          for (const listener of [...room.rejoinListeners]) listener(answer);
        },
        (error: unknown) => {
          const failure = OnAirError.from(error);
          for (const listener of [...room.rejoinErrorListeners]) listener(failure);
        },
      );
      room.joined = joined;
      joined.catch(() => undefined);
    }
  }

  /** The socket, connecting (once socket.io-client has loaded) unless open or opening. */
  async #open(): Promise<AnySocket> {
    const socket = this.socket ?? (await this.#ensureSocket());
    // Closed between the load and here: connect nothing.
    if (socket !== this.socket) throw closedError();
    if (!socket.active) socket.connect();
    return socket;
  }

  /**
   * Opens the connection if it is not open or opening; requests do this
   * themselves. socket.io-client loads on first use, so this is asynchronous:
   * the promise resolves once connecting has started (not once connected) and
   * rejects with `NETWORK` when socket.io-client cannot be loaded. Listeners
   * alone do not connect.
   */
  async connect(): Promise<void> {
    await this.#open();
  }

  /** The socket id once connected (used to tell own events apart). */
  get id(): string | undefined {
    return this.socket?.id;
  }

  /** Sends a request and resolves with its validated acknowledgement data. */
  async request<K extends ClientRequestName>(
    name: K,
    payload: ClientRequest<K>,
    timeoutMs = REQUEST_TIMEOUT_MS,
  ): Promise<ClientResponse<K>> {
    const size = encoder.encode(JSON.stringify(payload) ?? '').byteLength;
    if (size > MAX_REALTIME_PAYLOAD_BYTES - 512) {
      // The server closes connections that send bigger frames: refuse here instead.
      throw new OnAirError('PAYLOAD_TOO_LARGE', `${name} payload is ${size} bytes`, {
        maxBytes: MAX_REALTIME_PAYLOAD_BYTES,
      });
    }
    const socket = await this.#open();
    let raw: unknown;
    try {
      raw = await (
        socket.timeout(timeoutMs) as unknown as {
          emitWithAck(event: string, payload: unknown): Promise<unknown>;
        }
      ).emitWithAck(name, payload);
    } catch (cause) {
      throw new OnAirError('TIMEOUT', `No answer to ${name} within ${timeoutMs} ms`, undefined, {
        cause,
      });
    }
    const parsed = ackSchema(CLIENT_REQUESTS[name].response).safeParse(raw);
    if (!parsed.success) {
      throw new OnAirError('INTERNAL', `Malformed acknowledgement of ${name}`, undefined, {
        cause: parsed.error,
      });
    }
    if (parsed.data.ok) return parsed.data.data as ClientResponse<K>;
    const error = OnAirError.fromEnvelope(parsed.data.error);
    // The token expired before the scheduled refresh (a sleeping laptop): refresh, then retry.
    if (error.code === 'TOKEN_EXPIRED' && (await this.#refresh()))
      return this.request(name, payload, timeoutMs);
    throw error;
  }

  /**
   * Listens to a server event, sent alone or in a batch; malformed payloads
   * are dropped. Returns an unsubscribe.
   */
  on<K extends ServerEventName>(name: K, listener: (payload: ServerEvent<K>) => void): () => void {
    const schema = SERVER_EVENTS[name];
    const wrapped = (payload: unknown) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) return;
      try {
        listener(parsed.data as ServerEvent<K>);
      } catch (error) {
        reportListenerError(error);
      }
    };
    let set = this.#listeners.get(name);
    if (!set) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  }

  /**
   * Listens to reconnections (to rejoin rooms). By default only those socket.io
   * could not recover (rooms and missed events lost); with `recovered: true`,
   * every reconnection after a drop: the server closes a connection's media
   * transports when it drops, recovered or not.
   */
  onReconnect(listener: () => void, options: { recovered?: boolean } = {}): () => void {
    const entry: ReconnectListener = { listener, recovered: options.recovered ?? false };
    this.#reconnectListeners.add(entry);
    return () => {
      this.#reconnectListeners.delete(entry);
    };
  }

  /** Closes the connection (a pending socket.io-client load then creates none). Idempotent. */
  close(): void {
    clearTimeout(this.#refreshTimer);
    this.socket?.disconnect();
    this.socket = undefined;
    this.#loading = undefined;
    this.#listeners.clear();
    this.#reconnectListeners.clear();
    this.#rooms.clear();
  }
}

const closedError = () => new OnAirError('NETWORK', 'The realtime connection was closed');
