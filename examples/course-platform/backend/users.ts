import type { AppUser } from '../shared/api.js';

/** The platform's users: one teacher and two students, kept in memory. */
export const USERS: readonly AppUser[] = [
  { id: 'teacher-ada', name: 'Ada Lovelace', role: 'teacher' },
  { id: 'student-ben', name: 'Ben Carter', role: 'student' },
  { id: 'student-cleo', name: 'Cleo Diaz', role: 'student' },
];

/** The user with this id, if there is one. */
export function findUser(id: string): AppUser | undefined {
  return USERS.find((user) => user.id === id);
}
