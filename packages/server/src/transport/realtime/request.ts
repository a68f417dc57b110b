import {
  type Ack,
  CLIENT_REQUESTS,
  type ClientRequestName,
  type ClientResponse,
  OnAirError,
  parseOrError,
} from '@onair/protocol';
import type { z } from 'zod';
import { hasExpired, type Identity } from '../../platform/auth/identity.js';
import { toEnvelope } from '../../platform/errors.js';
import type { OnAirSocket } from './types.js';

type Handler<K extends ClientRequestName> = (
  payload: z.output<(typeof CLIENT_REQUESTS)[K]['request']>,
  socket: OnAirSocket,
) => Promise<ClientResponse<K>> | ClientResponse<K>;

/**
 * Registers a request handler: the payload is parsed with the protocol schema
 * and every outcome, including a thrown error, becomes a typed acknowledgement.
 */
export function handle<K extends ClientRequestName>(
  socket: OnAirSocket,
  name: K,
  handler: Handler<K>,
) {
  // The acknowledgement is the last argument: a request sent with it alone (no payload) is
  // answered too, as invalid, not left waiting.
  const listener = async (...args: unknown[]) => {
    const ack = args.at(-1);
    if (typeof ack !== 'function') return;
    const payload = args.length > 1 ? args[0] : undefined;
    const reply = ack as (response: Ack<ClientResponse<K>>) => void;
    const parsed = parseOrError(CLIENT_REQUESTS[name].request, payload);
    if (!parsed.ok) return reply({ ok: false, error: parsed.error });
    try {
      reply({ ok: true, data: await handler(parsed.value as never, socket) });
    } catch (error) {
      reply({ ok: false, error: toEnvelope(error) });
    }
  };
  socket.on(name as never, listener as never);
}

/**
 * The caller's identity, or undefined for anonymous viewers. Once the token
 * it came from has expired, `TOKEN_EXPIRED` until `auth:refresh` brings a fresh one.
 */
export function identityOf(socket: OnAirSocket): Identity | undefined {
  const who = socket.data.identity ?? undefined;
  if (who && hasExpired(who)) {
    throw new OnAirError('TOKEN_EXPIRED', 'Your token expired: send auth:refresh with a fresh one');
  }
  return who;
}

/** The caller's identity; `UNAUTHORIZED` for anonymous viewers. */
export function requireIdentity(socket: OnAirSocket, doing = 'do this'): Identity {
  const who = identityOf(socket);
  if (!who) throw new OnAirError('UNAUTHORIZED', `Sign in to ${doing}`);
  return who;
}
