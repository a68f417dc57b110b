import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Name of the session cookie (HttpOnly: page scripts never see it). */
export const SESSION_COOKIE = 'team_chat_session';

/** A session ends after this long without a request, ms. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** A session ends this long after sign-in however busy, ms (also the cookie's `Max-Age`). */
export const SESSION_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** At most this many open sessions: one more closes the oldest. */
export const MAX_SESSIONS = 10_000;

/** How often expired sessions are swept, ms. */
const SWEEP_MS = 60_000;

/** An open session. */
interface Session {
  userId: string;
  createdAt: number;
  lastSeenAt: number;
}

/** Options of {@link SessionStore} (tests shorten the times and set the clock). */
export interface SessionStoreOptions {
  /** Default {@link SESSION_IDLE_MS}. */
  idleMs?: number;
  /** Default {@link SESSION_MAX_AGE_MS}. */
  maxAgeMs?: number;
  /** Default {@link MAX_SESSIONS}. */
  maxSessions?: number;
  /** The clock, ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * Signed-in sessions: a random id (the cookie's value) to a user id, in memory.
 * A session expires when idle for too long or too old; expired ones are
 * dropped when met and swept by an unref'd timer, and at most
 * {@link MAX_SESSIONS} are kept (a new one past it closes the oldest).
 */
export class SessionStore {
  /** In creation order (a `Map` keeps it): the first is the oldest. */
  private readonly sessions = new Map<string, Session>();
  private readonly idleMs: number;
  private readonly maxAgeMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(options: SessionStoreOptions = {}) {
    this.idleMs = options.idleMs ?? SESSION_IDLE_MS;
    this.maxAgeMs = options.maxAgeMs ?? SESSION_MAX_AGE_MS;
    this.maxSessions = options.maxSessions ?? MAX_SESSIONS;
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    // The sweeper alone does not keep the process running.
    this.sweeper.unref();
  }

  /** Opens a session for a user and returns its id (closing the oldest past the cap). */
  create(userId: string): string {
    const id = randomBytes(32).toString('base64url');
    const now = this.now();
    this.sessions.set(id, { userId, createdAt: now, lastSeenAt: now });
    for (const oldest of this.sessions.keys()) {
      if (this.sessions.size <= this.maxSessions) break;
      this.sessions.delete(oldest);
    }
    return id;
  }

  /** The user id of a session, if it is open and not expired; marks it used. */
  userId(sessionId: string | undefined): string | undefined {
    if (sessionId === undefined) return undefined;
    const session = this.sessions.get(sessionId);
    if (!session) return undefined;
    const now = this.now();
    if (this.expired(session, now)) {
      this.sessions.delete(sessionId);
      return undefined;
    }
    session.lastSeenAt = now;
    return session.userId;
  }

  /** Closes a session. */
  delete(sessionId: string | undefined): void {
    if (sessionId !== undefined) this.sessions.delete(sessionId);
  }

  /** How many sessions are kept (expired ones too, until swept). */
  get size(): number {
    return this.sessions.size;
  }

  /** Closes every expired session. */
  sweep(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) {
      if (this.expired(session, now)) this.sessions.delete(id);
    }
  }

  /** Stops the sweeping timer. */
  close(): void {
    clearInterval(this.sweeper);
  }

  private expired(session: Session, now: number): boolean {
    return now - session.lastSeenAt >= this.idleMs || now - session.createdAt >= this.maxAgeMs;
  }
}

/** The session id a request carries in its cookie, if any. */
export function sessionIdOf(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

/**
 * The `Set-Cookie` value that opens (an id) or clears (`null`) the session.
 * It lives as long as a session can ({@link SESSION_MAX_AGE_MS}); `secure`
 * adds `Secure` (the app is served over HTTPS).
 */
export function sessionCookie(sessionId: string | null, secure = false): string {
  const attributes = `HttpOnly; SameSite=Lax; Path=/${secure ? '; Secure' : ''}`;
  return sessionId === null
    ? `${SESSION_COOKIE}=; ${attributes}; Max-Age=0`
    : `${SESSION_COOKIE}=${sessionId}; ${attributes}; Max-Age=${SESSION_MAX_AGE_MS / 1000}`;
}
