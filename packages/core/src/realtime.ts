import {
  ackSchema,
  CLIENT_REQUESTS,
  type ClientRequest,
  type ClientRequestName,
  type ClientResponse,
  type ClientToServerEvents,
  SERVER_EVENTS,
  type ServerEvent,
  type ServerEventName,
  type ServerToClientEvents,
} from '@onair/protocol';
import { io, type Socket } from 'socket.io-client';
import { OnAirError } from './errors.js';
import { resolveToken, type TokenProvider } from './rest.js';
import { reportListenerError } from './subscribable.js';

/** Default time a realtime request waits for its acknowledgement. */
export const REQUEST_TIMEOUT_MS = 10_000;

type AnySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The realtime connection (socket.io). Connects on first use; every request
 * and every pushed event is validated against the protocol schemas.
 */
export class RealtimeConnection {
  private socket: AnySocket | undefined;

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
          resolveToken(this.token).then(
            (token) => cb(token ? { token } : {}),
            () => cb({}),
          );
        },
      });
    }
    return this.socket;
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
    if (!parsed.data.ok) throw OnAirError.fromEnvelope(parsed.data.error);
    return parsed.data.data as ClientResponse<K>;
  }

  /** Listens to a server event; malformed payloads are dropped. Returns an unsubscribe. */
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
    socket.on(name, wrapped);
    return () => socket.off(name, wrapped);
  }

  /** Listens to reconnections (to rejoin rooms). */
  onReconnect(listener: () => void): () => void {
    const socket = this.ensureSocket();
    const wrapped = () => {
      if (!socket.recovered) listener();
    };
    socket.on('connect', wrapped);
    return () => socket.off('connect', wrapped);
  }

  /** Closes the connection. Idempotent. */
  close(): void {
    this.socket?.disconnect();
    this.socket = undefined;
  }
}
