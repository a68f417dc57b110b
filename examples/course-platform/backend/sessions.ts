import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Name of the session cookie (HttpOnly: page scripts never see it). */
export const SESSION_COOKIE = 'course_session';

/** Signed-in sessions: a random id (the cookie's value) to a user id, in memory. */
export class SessionStore {
  private readonly sessions = new Map<string, string>();

  /** Opens a session for a user and returns its id. */
  create(userId: string): string {
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, userId);
    return id;
  }

  /** The user id of a session, if it is open. */
  userId(sessionId: string | undefined): string | undefined {
    return sessionId === undefined ? undefined : this.sessions.get(sessionId);
  }

  /** Closes a session. */
  delete(sessionId: string | undefined): void {
    if (sessionId !== undefined) this.sessions.delete(sessionId);
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

/** The `Set-Cookie` value that opens (an id) or clears (`null`) the session. */
export function sessionCookie(sessionId: string | null): string {
  const attributes = 'HttpOnly; SameSite=Lax; Path=/';
  return sessionId === null
    ? `${SESSION_COOKIE}=; ${attributes}; Max-Age=0`
    : `${SESSION_COOKIE}=${sessionId}; ${attributes}`;
}
