import type { Member } from '../shared/api.js';

/** The team: three members, kept in memory. Any of them can go live. */
export const MEMBERS: readonly Member[] = [
  { id: 'mia', name: 'Mia' },
  { id: 'noah', name: 'Noah' },
  { id: 'omar', name: 'Omar' },
];

/** The member with this id, if there is one. */
export function findMember(id: string): Member | undefined {
  return MEMBERS.find((member) => member.id === id);
}
