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
import { io, type Socket } from 'socket.io-client';
import { OnAirError } from '../errors.js';
import { reportListenerError } from '../subscribable.js';
import { resolveToken, type TokenProvider } from './rest.js';

/** Default time a realtime request waits for its acknowledgement. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Wait before reconnecting after the server closed the connection. */
const SERVER_DISCONNECT_RETRY_MS = 1000;

type AnySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

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

const encoder = new TextEncoder();

/**
 * The realtime connection (socket.io). Connects on first use; every request
 * and every pushed event is validated against the protocol schemas.
 */
export class RealtimeConnection {
  private socket: AnySocket | undefined;
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly rooms = new Map<string, Room>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly token: TokenProvider | undefined,
  ) {}

  private ensureSocket(): AnySocket {
    if (!this.socket) {
      this.socket = io(this.baseUrl, {
        autoConnect: false,
        transports: ['websocket'],
        auth: (cb) => {
          this.freshToken().then(
            (token) => cb(token ? { token } : {}),
            () => cb({}),
          );
        },
      });
      const socket = this.socket as unknown as {
        on(event: string, fn: (payload: unknown) => void): void;
      };
      // Room events arrive in batches; each entry is dispatched like a single event.
      socket.on('batch', (events) => {
        const parsed = EventBatchSchema.safeParse(events);
        if (!parsed.success) return;
        for (const [name, payload] of parsed.data) this.dispatch(name, payload);
      });
      // The server closes a connection it bans from a stream: come back (the
      // ban then holds for that stream only) instead of staying offline.
      const own = this.socket;
      own.on('disconnect', (reason) => {
        if (reason === 'io server disconnect') {
          setTimeout(() => {
            if (this.socket === own && !own.connected) own.connect();
          }, SERVER_DISCONNECT_RETRY_MS);
        }
      });
      let connectedBefore = false;
      this.socket.on('connect', () => {
        // The first connect sends the joins queued meanwhile; later ones rejoin.
        if (connectedBefore && !this.socket?.recovered) this.rejoinRooms();
        connectedBefore = true;
      });
    }
    return this.socket;
  }

  /**
   * A token from the provider. The server ends a connection's identity with
   * its token: a fresh one is sent at 80 % of this one's lifetime, read from
   * its payload (not verified here).
   */
  private async freshToken(): Promise<string | null> {
    const token = await resolveToken(this.token);
    clearTimeout(this.refreshTimer);
    try {
      const { exp, iat } = JSON.parse(
        atob((token as string).split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')),
      );
      // No `exp`, or a clock far off, gives no positive delay: TOKEN_EXPIRED refreshes then.
      const ms = Math.min(exp - (iat ?? 0), exp - Date.now() / 1e3) * 800;
      // setTimeout fires at once past 2^31 - 1 ms. Closed meanwhile: nothing to refresh.
      if (ms > 0 && this.socket)
        this.refreshTimer = setTimeout(() => this.refresh().catch(() => {}), Math.min(ms, 2e9));
    } catch {}
    return token;
  }

  /** Sends `auth:refresh` with a fresh token; resolves falsy when there is none. */
  private async refresh(): Promise<unknown> {
    const token = await this.freshToken();
    return token && this.request('auth:refresh', { token });
  }

  private dispatch(name: string, payload: unknown): void {
    const listeners = this.listeners.get(name);
    if (listeners) for (const listener of [...listeners]) listener(payload);
  }

  /**
   * Holds a stream's room: the first holder joins, the last to release
   * leaves. Stores of the same stream share one membership. `since` gives the
   * last chat message id held, so a rejoin after an unrecovered reconnection
   * returns exactly the missed messages.
   */
  holdRoom(streamId: string, since?: () => string | undefined): RoomLease {
    let room = this.rooms.get(streamId);
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
        if (this.rooms.get(streamId) === fresh) this.rooms.delete(streamId);
      });
      this.rooms.set(streamId, fresh);
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
        if (--held.holders > 0 || this.rooms.get(streamId) !== held) return;
        this.rooms.delete(streamId);
        if (this.socket?.connected) {
          this.request('stream:leave', { streamId }).catch(() => undefined);
        }
      },
    };
  }

  private rejoinRooms(): void {
    for (const [streamId, room] of this.rooms) {
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

  /** Opens the connection if it is not open or opening. Listeners alone do not connect. */
  connect(): AnySocket {
    const socket = this.ensureSocket();
    if (!socket.active) socket.connect();
    return socket;
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
    const socket = this.connect();
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
    if (error.code === 'TOKEN_EXPIRED' && (await this.refresh()))
      return this.request(name, payload, timeoutMs);
    throw error;
  }

  /**
   * Listens to a server event, sent alone or in a batch; malformed payloads
   * are dropped. Returns an unsubscribe.
   */
  on<K extends ServerEventName>(name: K, listener: (payload: ServerEvent<K>) => void): () => void {
    const socket = this.ensureSocket() as unknown as {
      on(event: string, fn: (payload: unknown) => void): void;
      off(event: string, fn: (payload: unknown) => void): void;
    };
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
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(wrapped);
    socket.on(name, wrapped);
    return () => {
      socket.off(name, wrapped);
      this.listeners.get(name)?.delete(wrapped);
    };
  }

  /**
   * Listens to reconnections (to rejoin rooms). By default only those socket.io
   * could not recover (rooms and missed events lost); with `recovered: true`,
   * every reconnection after a drop: the server closes a connection's media
   * transports when it drops, recovered or not.
   */
  onReconnect(listener: () => void, options: { recovered?: boolean } = {}): () => void {
    const socket = this.ensureSocket();
    const wrapped = () => {
      if (options.recovered || !socket.recovered) listener();
    };
    socket.on('connect', wrapped);
    return () => socket.off('connect', wrapped);
  }

  /** Closes the connection. Idempotent. */
  close(): void {
    clearTimeout(this.refreshTimer);
    this.socket?.disconnect();
    this.socket = undefined;
    this.listeners.clear();
    this.rooms.clear();
  }
}
