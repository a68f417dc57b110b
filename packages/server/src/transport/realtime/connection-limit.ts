import type { IncomingMessage } from 'node:http';
import proxyaddr from '@fastify/proxy-addr';
import { normalizeIP } from '@fastify/rate-limit';
import { OnAirError } from '@onair/protocol';
import type { OnAirIo, OnAirSocket } from './types.js';

/** Options of {@link limitConnectionsPerAddress}. */
export interface ConnectionLimitOptions {
  /** Connections one client address may hold on this server; `0`: no cap. */
  maxPerAddress: number;
  /** Proxies whose X-Forwarded-For is believed: `true` (every hop), their addresses, or `false`. */
  trustProxy: boolean | readonly string[];
}

type Trust = (address: string, hop: number) => boolean;

/** The trust function fastify builds from the same `trustProxy` value, so both sides agree. */
function trustOf(trustProxy: ConnectionLimitOptions['trustProxy']): Trust {
  if (trustProxy === true) return () => true;
  if (trustProxy === false) return () => false;
  return proxyaddr.compile([...trustProxy]);
}

/**
 * The client address of a handshake as fastify's `request.ip` would read it:
 * the right-most X-Forwarded-For entry not added by a trusted proxy (the peer
 * itself when it is no trusted proxy), IPv6 reduced to its /64 (one client
 * holds a whole /64), IPv4-mapped IPv6 to IPv4.
 */
function clientAddress(
  handshake: { address: string; headers: IncomingMessage['headers'] },
  trust: Trust,
): string {
  // proxy-addr reads only the peer address and the headers; the handshake keeps both.
  const request = { headers: handshake.headers, socket: { remoteAddress: handshake.address } };
  return normalizeIP(proxyaddr(request as unknown as IncomingMessage, trust));
}

/** The slots {@link limitConnectionsPerAddress} hands out, for the checks that run after it. */
export interface AddressSlots {
  /**
   * Gives back the slot a connection took, when a check after the cap (its
   * token) refuses it: a refused connection holds no slot. Idempotent; a
   * connection that took none is ignored.
   */
  release(socket: OnAirSocket): void;
}

/**
 * Caps the realtime connections per client address on this server, so one
 * machine cannot inflate viewer counts or hold every slot: past the cap a
 * connection is refused (`connect_error` whose `data` is a `RATE_LIMITED`
 * envelope). Every connection gets `socket.data.address` (per-address limits
 * such as anonymous reactions key on it). Register it before the middlewares
 * that cost something (token verification): a flood from one address is
 * refused here, for the price of a map lookup. A slot is taken here (so
 * handshakes still being verified count too) and given back when the socket
 * disconnects, its transport closes, or a later middleware refuses it and
 * calls {@link AddressSlots.release}.
 */
export function limitConnectionsPerAddress(
  io: OnAirIo,
  options: ConnectionLimitOptions,
): AddressSlots {
  const trust = trustOf(options.trustProxy);
  const held = new Map<string, number>();
  const releases = new WeakMap<OnAirSocket, () => void>();
  io.use((socket, next) => {
    const address = clientAddress(socket.handshake, trust);
    socket.data.address = address;
    if (options.maxPerAddress === 0) return next();
    const count = held.get(address) ?? 0;
    if (count >= options.maxPerAddress) {
      const refused = new OnAirError(
        'RATE_LIMITED',
        `Too many connections from your address (at most ${options.maxPerAddress})`,
      );
      return next(Object.assign(new Error(refused.message), { data: refused.toEnvelope() }));
    }
    held.set(address, count + 1);
    const release = () => {
      releases.delete(socket);
      socket.off('disconnect', release);
      socket.conn.off('close', release);
      const left = (held.get(address) ?? 1) - 1;
      if (left > 0) held.set(address, left);
      else held.delete(address);
    };
    releases.set(socket, release);
    socket.once('disconnect', release);
    // A client gone between this middleware and the connection never disconnects: its transport closes.
    socket.conn.once('close', release);
    next();
  });
  return { release: (socket) => releases.get(socket)?.() };
}
