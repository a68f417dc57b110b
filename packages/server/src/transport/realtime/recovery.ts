import { randomBytes } from 'node:crypto';
import type { Identity } from '../../platform/auth/identity.js';
import type { OnAirIo, OnAirSocket, SocketData } from './types.js';

/** What a recovered session brought back that no one vetted yet. */
interface HeldSession {
  /** The identity the session had when it dropped. */
  identity: Identity | null;
  /** The events sent to its rooms meanwhile, as socket.io stored them (offset last). */
  missedPackets: unknown[][];
}

// On the session's data (which becomes the socket's): a symbol key is never serialized,
// so it never travels to another server nor into a persisted session.
const HELD = Symbol('onair.heldSession');
type Holding = SocketData & { [HELD]?: HeldSession };

// socket.io-parser's EVENT packet type (socket.io writes missed packets as such).
const EVENT_PACKET = 2;

/**
 * Holds back what socket.io's connection state recovery would send at once.
 * socket.io builds a recovered socket from its stored session before any
 * middleware runs and, in that constructor, writes every missed packet of
 * the session's rooms to the wire: events of streams the user may no longer
 * see, sent before the token was even verified (an expired or revoked token,
 * or another user's, still received them). Here the missed packets stay on
 * the server until {@link releaseMissedPackets} (every room re-checked) or
 * {@link dropMissedPackets}; {@link forgetChangedSession} refuses the whole
 * recovery to a connection whose identity changed. Returns the function that
 * stops holding them.
 */
export function holdMissedPackets(io: OnAirIo): () => void {
  const adapter = io.of('/').adapter;
  const original = adapter.restoreSession;
  const restore = original.bind(adapter);
  adapter.restoreSession = async (pid, offset) => {
    const session = await restore(pid, offset);
    if (!session) return session;
    const data = (session.data ?? {}) as Holding;
    data[HELD] = { identity: data.identity ?? null, missedPackets: session.missedPackets };
    return { ...session, data, missedPackets: [] };
  };
  return () => {
    adapter.restoreSession = original;
  };
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value) => b.includes(value));

/**
 * Whether two identities carry the same access: the same user (or both
 * anonymous) with the same roles, moderated channels and subscriptions (a
 * new `exp` or display name changes no access).
 */
export function sameAccess(a: Identity | null, b: Identity | null): boolean {
  if (!a || !b) return a === b;
  const tiers = Object.entries(a.subscriptions);
  return (
    a.userId === b.userId &&
    sameList(a.roles, b.roles) &&
    sameList(a.moderates, b.moderates) &&
    tiers.length === Object.keys(b.subscriptions).length &&
    tiers.every(([channel, tier]) => b.subscriptions[channel] === tier)
  );
}

/**
 * Run once the connection's identity is verified, before it connects: a
 * recovered session whose identity carries other access than when it dropped
 * (another user, other claims) is not recovered. It leaves every room it got
 * back (another user's room among them), its missed packets are dropped, and
 * it gets a new private session id: the client sees an unrecovered connection
 * and joins its streams again, through every check.
 */
export function forgetChangedSession(socket: OnAirSocket): void {
  const data = socket.data as Holding;
  const held = data[HELD];
  if (!socket.recovered || !held || sameAccess(held.identity, socket.data.identity)) return;
  delete data[HELD];
  delete socket.data.joinedAt;
  for (const room of [...socket.rooms]) {
    if (room !== socket.id) void socket.leave(room);
  }
  // socket.io keeps both readonly; the client compares the pid of its CONNECT with its own.
  const unrecovered = socket as unknown as { pid: string; recovered: boolean };
  unrecovered.pid = randomBytes(15).toString('base64url');
  unrecovered.recovered = false;
}

/** Sends a recovered connection the events it missed, once its rooms were re-checked. */
export function releaseMissedPackets(socket: OnAirSocket): void {
  const data = socket.data as Holding;
  const held = data[HELD];
  delete data[HELD];
  if (!held || !socket.connected) return;
  for (const missed of held.missedPackets) {
    socket.client._packet({ type: EVENT_PACKET, data: missed, nsp: socket.nsp.name });
  }
}

/**
 * Drops a recovered connection's missed events unsent (it lost a room: which
 * of them were that room's is not known).
 */
export function dropMissedPackets(socket: OnAirSocket): void {
  delete (socket.data as Holding)[HELD];
}
