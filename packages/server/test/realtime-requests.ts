import type { ClientToServerEvents, ErrorEnvelope } from '@onair/protocol';
import type { RealtimeClient } from './harness.js';

/** Names of the requests a client sends (the keys of the protocol's `ClientToServerEvents`). */
export type RequestName = keyof ClientToServerEvents;

/** The payload of request `K`, as `ClientToServerEvents` types it. */
export type RequestPayload<K extends RequestName> = Parameters<ClientToServerEvents[K]>[0];

/** The data a successful acknowledgement of request `K` carries. */
export type ResponseData<K extends RequestName> = Extract<
  Parameters<Parameters<ClientToServerEvents[K]>[1]>[0],
  { ok: true }
>['data'];

/**
 * An acknowledgement as a test reads it. The protocol's `Ack` is a union that
 * only gives `data` or `error` once narrowed on `ok`; here both are typed at
 * once, so that an assertion can read either. The one the server did not send
 * is `undefined` at run time: reading into it fails the test (a TypeError), as
 * a failed assertion would.
 */
export interface TestAck<T = unknown> {
  ok: boolean;
  /** What a successful request answered. */
  data: T;
  /** Why the request failed. */
  error: ErrorEnvelope;
}

/** How requests wait for their acknowledgement. */
export interface RequestOptions {
  /**
   * Milliseconds after which a request with no acknowledgement rejects
   * (socket.io's `timeout`); without it, it waits as long as the test does.
   */
  timeout?: number;
}

/** Request helpers: see {@link requests}. */
export interface Requests {
  /**
   * Sends request `name` with `payload` on `socket` and resolves with its
   * acknowledgement. The name, the payload and the acknowledgement's `data`
   * are typed by the protocol's `ClientToServerEvents`.
   */
  send<K extends RequestName>(
    socket: RealtimeClient,
    name: K,
    payload: RequestPayload<K>,
  ): Promise<TestAck<ResponseData<K>>>;
  /**
   * Sends anything: an event name the protocol does not know, a payload its
   * schema refuses, or no payload at all (`sendRaw(socket, name)`, the
   * acknowledgement alone; an explicit `undefined` is sent as a payload).
   * For tests of bad input; resolves with the acknowledgement, its `data`
   * unknown.
   */
  sendRaw(socket: RealtimeClient, name: string, ...payload: [payload?: unknown]): Promise<TestAck>;
}

/**
 * {@link Requests} that wait for their acknowledgements as `options` say:
 * `const { send, sendRaw } = requests({ timeout: 5000 })` in a test whose
 * requests must not wait longer.
 */
export function requests(options: RequestOptions = {}): Requests {
  const emit = (socket: RealtimeClient, name: string, args: unknown[]): Promise<unknown> => {
    const target = options.timeout === undefined ? socket : socket.timeout(options.timeout);
    return (target.emitWithAck as (name: string, ...args: unknown[]) => Promise<unknown>)(
      name,
      ...args,
    );
  };
  return {
    send: <K extends RequestName>(socket: RealtimeClient, name: K, payload: RequestPayload<K>) =>
      emit(socket, name, [payload]) as Promise<TestAck<ResponseData<K>>>,
    sendRaw: (socket, name, ...payload) => emit(socket, name, payload) as Promise<TestAck>,
  };
}

/**
 * {@link Requests.send} and {@link Requests.sendRaw}, waiting for their
 * acknowledgements as long as the test does.
 */
export const { send, sendRaw }: Requests = requests();
