import { useEffect, useState } from 'react';
import type { Member } from '../shared/api.js';
import { api } from './api.js';
import { ErrorBanner } from './errors.js';

/** The sign-in screen: pick a member (a demo: no passwords). */
export function SignIn({ onSignIn }: { onSignIn: (memberId: string) => void }) {
  const [members, setMembers] = useState<Member[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.members().then(setMembers, setError);
  }, []);
  return (
    <main className="sign-in">
      <h1>Team chat</h1>
      <p>Sign in as a member of the team (a demo: choosing is enough).</p>
      <ErrorBanner error={error} />
      <ul>
        {members.map((member) => (
          <li key={member.id}>
            <button type="button" onClick={() => onSignIn(member.id)}>
              {member.name}
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}
