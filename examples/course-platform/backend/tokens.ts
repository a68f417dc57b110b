import type { TokenClaims } from '@onair/protocol';
import { SignJWT } from 'jose';
import type { AppUser } from '../shared/api.js';

/** How long an OnAir token lives; the client asks for a new one at 80 % of it. */
export const TOKEN_LIFETIME = '15m';

/** Signs a user's OnAir token. */
export type TokenSigner = (user: AppUser) => Promise<string>;

/**
 * Returns a signer of OnAir tokens (HS256 with the secret the OnAir server
 * checks them with): `sub` is the user id, teachers are broadcasters, students viewers.
 */
export function createTokenSigner(jwtSecret: string): TokenSigner {
  const secret = new TextEncoder().encode(jwtSecret);
  return (user) => {
    const claims: Omit<TokenClaims, 'sub'> = {
      name: user.name,
      roles: user.role === 'teacher' ? ['broadcaster'] : ['viewer'],
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(TOKEN_LIFETIME)
      .sign(secret);
  };
}
