import { afterEach, describe, expect, it } from 'vitest';
import { SessionStore, sessionCookie } from '../backend/sessions.js';

/** Sessions expire and the store stays bounded (a fake clock, no servers). */
describe('session store', () => {
  let clock = 0;
  const stores: SessionStore[] = [];
  const store = (options: { maxSessions?: number } = {}) => {
    const made = new SessionStore({ idleMs: 100, maxAgeMs: 1000, now: () => clock, ...options });
    stores.push(made);
    return made;
  };

  afterEach(() => {
    for (const made of stores.splice(0)) made.close();
    clock = 0;
  });

  it('ends a session left idle, and keeps one in use until its absolute end', () => {
    const sessions = store();
    const idle = sessions.create('student-ben');
    const busy = sessions.create('student-cleo');
    for (clock = 50; clock < 1000; clock += 50) {
      expect(sessions.userId(busy)).toBe('student-cleo');
    }
    expect(sessions.userId(idle)).toBeUndefined();
    clock = 1000;
    expect(sessions.userId(busy)).toBeUndefined();
  });

  it('sweeps expired sessions and evicts the oldest past the cap', () => {
    const sessions = store({ maxSessions: 2 });
    const first = sessions.create('student-ben');
    const second = sessions.create('student-cleo');
    const third = sessions.create('teacher-ada');
    expect(sessions.size).toBe(2);
    expect(sessions.userId(first)).toBeUndefined();
    expect(sessions.userId(second)).toBe('student-cleo');
    expect(sessions.userId(third)).toBe('teacher-ada');
    clock = 500;
    sessions.sweep();
    expect(sessions.size).toBe(0);
  });

  it('gives the cookie a Max-Age, and Secure when asked', () => {
    expect(sessionCookie('abc')).toBe(
      'course_session=abc; HttpOnly; SameSite=Lax; Path=/; Max-Age=604800',
    );
    expect(sessionCookie('abc', true)).toContain('; Secure;');
    expect(sessionCookie(null)).toMatch(/Max-Age=0$/);
  });
});
