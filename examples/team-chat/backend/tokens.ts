import type { TokenClaims } from '@onair/protocol';
import { SignJWT } from 'jose';
import type { Member } from '../shared/api.js';

/** How long an OnAir token lives; the client asks for a new one before it expires. */
export const TOKEN_LIFETIME = '15m';

/** The tokens' issuer (`iss`): the OnAir server requires it (`jwtIssuer`). */
export const TOKEN_ISSUER = 'team-chat';
/** The tokens' audience (`aud`): the OnAir server requires it (`jwtAudience`). */
export const TOKEN_AUDIENCE = 'onair';

/** Signs a member's OnAir token. */
export type TokenSigner = (member: Member) => Promise<string>;

/**
 * Returns a signer of OnAir tokens (HS256 with the secret the OnAir server
 * checks them with): `sub` is the member id, every member is a broadcaster
 * (anyone in the team can go live), and `iss` / `aud` say who made the token
 * and for whom.
 */
export function createTokenSigner(jwtSecret: string): TokenSigner {
  const secret = new TextEncoder().encode(jwtSecret);
  return (member) => {
    const claims: Omit<TokenClaims, 'sub'> = { name: member.name, roles: ['broadcaster'] };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(member.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(TOKEN_LIFETIME)
      .sign(secret);
  };
}
