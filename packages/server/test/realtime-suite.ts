import type { JoinedStream } from '@onair/protocol';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ServerOptions } from '../src/app/config.js';
import { type RealtimeClient, startTestServer, type TestServer } from './harness.js';
import { send } from './realtime-requests.js';

/** A signed-in user of a test: their token and id. */
export type TestUser = Awaited<ReturnType<TestServer['token']>>;

/** The claims a test token carries (roles, moderated channels, subscriptions). */
export type TestClaims = Parameters<TestServer['token']>[1];

/** A user whose access a test changes: `again` issues them a token with other claims. */
export interface ChangingUser extends TestUser {
  again(claims: TestClaims): Promise<string>;
}

/** A connection in a stream's room, with what joining the room answered. */
export type JoinedRoom = JoinedStream & { socket: RealtimeClient };

/** What {@link realtimeSuite} sets up: read `server` and `owner` in hooks and tests only. */
export interface RealtimeSuite {
  /** The file's server: started before its tests, closed after them. */
  readonly server: TestServer;
  /** The channel owner named by the `owner` option, signed in once the server started. */
  readonly owner: TestUser;
  /** A new user with `claims`, and a way to give them other claims later. */
  user(claims: TestClaims): Promise<ChangingUser>;
  /** {@link joinRoom} on the suite's server. */
  room(token: string | undefined, streamId: string): Promise<JoinedRoom>;
  /** {@link RealtimeSuite.room}'s connection alone. */
  joined(token: string | undefined, streamId: string): Promise<RealtimeClient>;
  /**
   * Starts a live stream of the owner's (created with `body`) and joins its
   * room as the owner: the stream's id and the owner's connection.
   */
  hostedStream(body?: Record<string, unknown>): Promise<{ streamId: string; host: RealtimeClient }>;
}

/**
 * Connects to `server` as `token`'s user (anonymously without) and joins
 * `streamId`'s room; the test fails unless the join is acknowledged ok.
 */
export async function joinRoom(
  server: TestServer,
  token: string | undefined,
  streamId: string,
): Promise<JoinedRoom> {
  const socket = await server.socket(token);
  const ack = await send(socket, 'stream:join', { streamId });
  expect(ack.ok, JSON.stringify(ack)).toBe(true);
  return { ...ack.data, socket };
}

/**
 * Sets up the test server a file's realtime tests share: call it at the top
 * of the file. It starts the server (with `options.server`) in `beforeAll`,
 * signs in `options.owner` as a channel owner, and closes the server in
 * `afterAll`; a file's own `afterAll` hooks, declared after this call, run
 * before the server closes.
 */
export function realtimeSuite(
  options: { server?: ServerOptions; owner?: string } = {},
): RealtimeSuite {
  let server: TestServer | undefined;
  let owner: TestUser | undefined;
  let users = 0;
  beforeAll(async () => {
    server = await startTestServer(options.server);
    if (options.owner !== undefined) owner = await server.token(options.owner);
  });
  afterAll(() => server?.close());

  const started = (): TestServer => {
    if (!server) throw new Error('The realtime suite starts its server in beforeAll');
    return server;
  };
  const signedIn = (): TestUser => {
    if (!owner) throw new Error('No owner: name one with the `owner` option');
    return owner;
  };
  const room = (token: string | undefined, streamId: string) =>
    joinRoom(started(), token, streamId);
  const joined = async (token: string | undefined, streamId: string) =>
    (await room(token, streamId)).socket;
  return {
    get server() {
      return started();
    },
    get owner() {
      return signedIn();
    },
    async user(claims) {
      const displayName = `User ${++users}`;
      const user = await started().token(displayName, claims);
      return { ...user, again: (other) => started().issueToken(user.userId, displayName, other) };
    },
    room,
    joined,
    async hostedStream(body) {
      const { token } = signedIn();
      const streamId = await started().liveStream(token, body);
      return { streamId, host: await joined(token, streamId) };
    },
  };
}
