import { randomBytes } from 'node:crypto';
import type { ClientToServerEvents, Role, ServerToClientEvents } from '@onair/protocol';
import { SignJWT } from 'jose';
import { io as connect, type Socket } from 'socket.io-client';
import type { ServerOptions } from '../src/app/config.js';
import { createServer, type OnAirServer } from '../src/app/server.js';
import { scratchDatabase } from './scratch-database.js';

/**
 * Test-only helpers: a real server on a random port, on PGlite or, when
 * ONAIR_TEST_DATABASE_URL is set (`pnpm test:postgres`), on a fresh
 * PostgreSQL database dropped afterwards.
 */
export interface TestServer extends OnAirServer {
  token(
    displayName: string,
    claims?: {
      roles?: Role[];
      moderates?: string[];
      subscriptions?: Record<string, number>;
      /** Becomes the token's `picture` claim. */
      avatarUrl?: string;
    },
  ): Promise<{ token: string; userId: string }>;
  /**
   * A token of `sub` with exactly `claims`, signed with the server's secret
   * and valid 5 minutes: unlike {@link TestServer.token} it stores nothing, so
   * the server learns of the user only from the token.
   */
  signed(sub: string, claims: Record<string, unknown>): Promise<string>;
  socket(token?: string): Promise<Socket<ServerToClientEvents, ClientToServerEvents>>;
  request(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  /**
   * A REST call as `who` (anonymous without), `json` as its body: the status
   * and the parsed JSON answer (undefined for an empty one, a 204).
   */
  call(
    method: string,
    path: string,
    who?: { token: string },
    json?: unknown,
  ): Promise<{ status: number; body: unknown }>;
  /** Creates a stream owned by `token`'s user and, unless `start` is false, starts it. */
  liveStream(token: string, body?: Record<string, unknown>, start?: boolean): Promise<string>;
}

/** A test's realtime connection; room events come batched, and each is re-dispatched by name. */
export type RealtimeClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects to the realtime server at `url` (as `token`'s user, else anonymously); resolves once connected. */
export async function realtimeClient(url: string, token?: string): Promise<RealtimeClient> {
  const socket: RealtimeClient = connect(url, {
    transports: ['websocket'],
    auth: token ? { token } : {},
    reconnection: false,
  });
  // Room events arrive in batches; re-dispatch each so tests can listen by name.
  socket.on('batch', (events) => {
    const local = socket as unknown as { emitReserved(name: string, payload: unknown): void };
    for (const [name, payload] of events) local.emitReserved(name, payload);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Starts a test server; close it in `afterAll`. */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const baseUrl = process.env.ONAIR_TEST_DATABASE_URL;
  const database = baseUrl ? await scratchDatabase(baseUrl) : undefined;
  const jwtSecret = options.jwtSecret ?? randomBytes(32).toString('hex');
  const server = await createServer({
    jwtSecret,
    logLevel: 'silent',
    media: { enabled: false },
    // Tests fire hundreds of writes from one caller; the limit has its own test.
    restRateLimit: false,
    // Every test connects from 127.0.0.1, many sockets per server; the cap has its own test.
    maxConnectionsPerIp: 0,
    redisUrl: undefined,
    ...options,
    databaseUrl: database?.url,
  });
  const sockets: Socket[] = [];
  let counter = 0;
  const harness: TestServer = {
    ...server,
    async token(displayName, claims) {
      const userId = `usr_test${++counter}_${randomBytes(3).toString('hex')}`;
      return { token: await server.issueToken(userId, displayName, claims), userId };
    },
    signed(sub, claims) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(jwtSecret));
    },
    async socket(token) {
      const socket = await realtimeClient(server.url, token);
      sockets.push(socket);
      return socket;
    },
    request(path, init = {}) {
      const { token, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${server.url}${path}`, {
        ...rest,
        headers,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
    },
    async call(method, path, who, json) {
      const response = await harness.request(path, {
        method,
        ...(who ? { token: who.token } : {}),
        ...(json !== undefined ? { json } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    async liveStream(token, body = {}, start = true) {
      const created = await harness.request('/v1/streams', {
        method: 'POST',
        token,
        json: { title: 'Test stream', ...body },
      });
      const { stream } = (await created.json()) as { stream: { id: string } };
      if (start) await harness.request(`/v1/streams/${stream.id}/start`, { method: 'POST', token });
      return stream.id;
    },
    async close() {
      for (const socket of sockets) socket.disconnect();
      await server.close();
      await database?.drop();
    },
  };
  return harness;
}

/** The next `event` a connection receives whose payload matches (any, by default). */
export const nextEvent = <T>(
  socket: RealtimeClient,
  event: string,
  match: (payload: T) => boolean = () => true,
): Promise<T> =>
  new Promise<T>((resolve) => {
    const on = socket as unknown as {
      on(e: string, f: (p: T) => void): void;
      off(e: string, f: (p: T) => void): void;
    };
    const listener = (payload: T) => {
      if (!match(payload)) return;
      on.off(event, listener);
      resolve(payload);
    };
    on.on(event, listener);
  });
