import { OnAirError } from '@onair/protocol';
import type { Identity } from '../../platform/auth/identity.js';
import type { TokenVerifier } from '../../platform/auth/tokens.js';
import { sameAccess } from './recovery.js';
import { handle } from './request.js';
import type { OnAirIo, OnAirSocket } from './types.js';

/** What {@link enforceTokenExpiry} needs. */
export interface TokenExpiryOptions {
  tokens: TokenVerifier;
  /** Called with each refreshed identity (records the user, like a new connection). */
  identified(identity: Identity): Promise<void>;
  /** How long a connection stays open after its token expired, for `auth:refresh`, ms. */
  graceMs: number;
}

/**
 * Told when `auth:refresh` gave a connection an identity with other access
 * (roles, moderated channels, subscriptions): takes it out of what it may no
 * longer reach. `auth:refresh` answers once every listener is done; a
 * listener handles its own errors.
 */
export type AccessChangedListener = (socket: OnAirSocket, previous: Identity) => Promise<void>;

// On the server object: the listeners belong to the server their connections are on.
const ACCESS_LISTENERS = Symbol('onair.accessChanged');
type Listened = { [ACCESS_LISTENERS]?: Set<AccessChangedListener> };

/**
 * Calls `listener` each time `auth:refresh` changes the access of one of the
 * server's connections. Returns the function that stops it.
 *
 * @example
 * const off = onAccessChanged(io, async (socket, previous) => recheckRooms(socket));
 */
export function onAccessChanged(io: OnAirIo, listener: AccessChangedListener): () => void {
  const server = io as OnAirIo & Listened;
  server[ACCESS_LISTENERS] ??= new Set();
  const listeners = server[ACCESS_LISTENERS];
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

// setTimeout fires at once past 2^31 - 1 ms (about 24.8 days): longer waits are re-armed.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Makes a signed-in connection's identity end with its token: past `exp` its
 * privileged requests get `TOKEN_EXPIRED` (see `identityOf`), and `graceMs`
 * later the connection is closed, unless `auth:refresh` brought a fresh token
 * of the same user meanwhile. Anonymous connections have nothing to expire.
 * A refresh that changes the identity's access tells {@link onAccessChanged}'s
 * listeners before it answers.
 */
export function enforceTokenExpiry(socket: OnAirSocket, options: TokenExpiryOptions): void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    const exp = socket.data.identity?.exp;
    if (exp === undefined) return;
    const left = exp * 1000 + options.graceMs - Date.now();
    if (left <= 0) {
      socket.disconnect(true);
      return;
    }
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  socket.on('disconnect', () => clearTimeout(timer));

  handle(socket, 'auth:refresh', async ({ token }) => {
    const current = socket.data.identity;
    if (!current) {
      throw new OnAirError('FORBIDDEN', 'An anonymous connection signs in by reconnecting');
    }
    const fresh = await options.tokens.verify(token);
    if (fresh.userId !== current.userId) {
      throw new OnAirError('FORBIDDEN', "The fresh token is another user's");
    }
    await options.identified(fresh);
    // The socket may have closed while the token was checked: arm no timer for it then.
    if (socket.connected) {
      socket.data.identity = fresh;
      arm();
      // Fewer claims may mean rooms it may no longer be in: checked before the answer.
      if (!sameAccess(current, fresh)) {
        const listeners = (socket.nsp.server as Listened)[ACCESS_LISTENERS] ?? [];
        await Promise.all([...listeners].map((listener) => listener(socket, current)));
      }
    }
    // verify() requires `exp`.
    return { expiresAt: new Date((fresh.exp ?? 0) * 1000).toISOString() };
  });
}
