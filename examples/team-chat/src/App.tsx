import type { OnAirClient } from '@onair/core';
import { OnAirProvider } from '@onair/react';
import { useEffect, useRef, useState } from 'react';
import type { Member } from '../shared/api.js';
import { AppError, api, createOnAirClient } from './api.js';
import { ErrorBanner } from './errors.js';
import { SignIn } from './SignIn.js';
import { Workspace } from './Workspace.js';

/** The signed-in member and their OnAir client. */
interface Session {
  member: Member;
  client: OnAirClient;
}

/** Opens a session for a member: one OnAir client, whose tokens come from the backend. */
async function openSession(member: Member): Promise<Session> {
  return { member, client: createOnAirClient(await api.config()) };
}

/** The app: the sign-in screen, then the workspace inside an `OnAirProvider`. */
export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const current = useRef(session);
  current.current = session;

  useEffect(() => {
    api
      .me()
      .then((member) => (member ? openSession(member) : null))
      .then(setSession, setError);
  }, []);

  const signIn = (memberId: string) =>
    api
      .signIn(memberId)
      .then(openSession)
      .then((opened) => {
        setError(null);
        setSession(opened);
      }, setError);
  const signOut = () => {
    session?.client.destroy();
    api.signOut().then(() => setSession(null), setError);
  };
  // Polling got a 401 (the session expired or was closed): back to sign-in, once.
  const sessionEnded = () => {
    const ended = current.current;
    if (!ended) return;
    current.current = null;
    ended.client.destroy();
    setSession(null);
    setError(new AppError('UNAUTHORIZED', 'Your session ended: sign in again', 401));
  };

  if (session === undefined) return <ErrorBanner error={error} />;
  if (session === null) {
    return (
      <>
        <ErrorBanner error={error} />
        <SignIn onSignIn={signIn} />
      </>
    );
  }
  return (
    <OnAirProvider client={session.client}>
      <Workspace member={session.member} onSignOut={signOut} onSessionEnded={sessionEnded} />
    </OnAirProvider>
  );
}
