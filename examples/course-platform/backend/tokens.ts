import type { TokenClaims } from '@onair/protocol';
import { SignJWT } from 'jose';
import type { AppUser } from '../shared/api.js';

/** How long an OnAir token lives; the client asks for a new one at 80 % of it. */
export const TOKEN_LIFETIME = '15m';

/** The tokens' issuer (`iss`): the OnAir server requires it (`jwtIssuer`). */
export const TOKEN_ISSUER = 'course-platform';
/** The tokens' audience (`aud`): the OnAir server requires it (`jwtAudience`). */
export const TOKEN_AUDIENCE = 'onair';

/** Signs a user's OnAir token. */
export type TokenSigner = (user: AppUser) => Promise<string>;

/**
 * Returns a signer of OnAir tokens (HS256 with the secret the OnAir server
 * checks them with): `sub` is the user id, teachers are broadcasters, students
 * viewers; `iss` and `aud` say who made the token and for whom.
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
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(TOKEN_LIFETIME)
      .sign(secret);
  };
}
