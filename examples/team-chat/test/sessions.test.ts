import { describe, expect, it } from 'vitest';
import { SESSION_MAX_AGE_MS, SessionStore, sessionCookie } from '../backend/sessions.js';

const HOUR = 60 * 60 * 1000;

/** A store on a clock the test moves. */
function storeAt(start: number, options: { maxSessions?: number } = {}) {
  const clock = { now: start };
  const store = new SessionStore({ ...options, now: () => clock.now });
  return { store, clock };
}

describe('sessions', () => {
  it('end after 12 hours idle', () => {
    const { store, clock } = storeAt(0);
    const id = store.create('mia');
    clock.now = 11 * HOUR;
    expect(store.userId(id)).toBe('mia');
    // Used at 11 h: still open 11 h later…
    clock.now = 22 * HOUR;
    expect(store.userId(id)).toBe('mia');
    // …but not 12 h after its last use.
    clock.now = 34 * HOUR;
    expect(store.userId(id)).toBeUndefined();
    expect(store.size).toBe(0);
    store.close();
  });

  it('end 7 days after sign-in, however busy', () => {
    const { store, clock } = storeAt(0);
    const id = store.create('noah');
    for (let hour = 10; hour < 7 * 24; hour += 10) {
      clock.now = hour * HOUR;
      expect(store.userId(id)).toBe('noah');
    }
    clock.now = SESSION_MAX_AGE_MS;
    expect(store.userId(id)).toBeUndefined();
    store.close();
  });

  it('sweeps expired sessions', () => {
    const { store, clock } = storeAt(0);
    store.create('mia');
    clock.now = 6 * HOUR;
    const fresh = store.create('noah');
    clock.now = 13 * HOUR;
    store.sweep();
    expect(store.size).toBe(1);
    expect(store.userId(fresh)).toBe('noah');
    store.close();
  });

  it('keeps at most the cap, closing the oldest', () => {
    const { store } = storeAt(0, { maxSessions: 3 });
    const ids = ['a', 'b', 'c', 'd'].map((user) => store.create(user));
    expect(store.size).toBe(3);
    expect(ids.map((id) => store.userId(id))).toEqual([undefined, 'b', 'c', 'd']);
    store.close();
  });

  it('cookies live as long as a session can, `Secure` when asked', () => {
    expect(sessionCookie('abc')).toBe(
      'team_chat_session=abc; HttpOnly; SameSite=Lax; Path=/; Max-Age=604800',
    );
    expect(sessionCookie('abc', true)).toBe(
      'team_chat_session=abc; HttpOnly; SameSite=Lax; Path=/; Secure; Max-Age=604800',
    );
    expect(sessionCookie(null, true)).toBe(
      'team_chat_session=; HttpOnly; SameSite=Lax; Path=/; Secure; Max-Age=0',
    );
  });
});
