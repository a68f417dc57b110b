import { OnAirError, type Role } from '@onair/protocol';
import { TokenClaimsSchema } from '@onair/protocol/inputs';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from 'jose';
import { type Identity, identityFromClaims } from './identity.js';

/** How host-app tokens are verified. */
export interface TokenOptions {
  /** HS256 secret shared with the host app (also signs development tokens). */
  secret?: string | undefined;
  /** JWKS URL of the host app's signing keys (asymmetric algorithms). */
  jwksUrl?: string | undefined;
  /** Accepted asymmetric algorithms with a JWKS. Default `['RS256', 'ES256', 'EdDSA']`. */
  algorithms?: readonly string[] | undefined;
  /** Required `iss` claim, if set. */
  issuer?: string | undefined;
  /** Required `aud` claim, if set. */
  audience?: string | undefined;
}

const ASYMMETRIC_DEFAULT = ['RS256', 'ES256', 'EdDSA'] as const;
const DEV_ISSUER = 'onair-dev';

/**
 * Verifies the host app's JWTs: HS256 with the shared secret, or the keys at
 * a JWKS URL. Algorithms are pinned (a token's `alg` header cannot choose
 * another), `exp` and `sub` are required, and claims are parsed with the
 * protocol's schema.
 */
export class TokenVerifier {
  private readonly secret: Uint8Array | undefined;
  private readonly jwks: JWTVerifyGetKey | undefined;

  constructor(private readonly options: TokenOptions) {
    this.secret = options.secret ? new TextEncoder().encode(options.secret) : undefined;
    this.jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined;
    if (!this.secret && !this.jwks) throw new Error('TokenVerifier needs a secret or a JWKS URL');
  }

  /** Verifies a bearer token; throws `UNAUTHORIZED` on anything wrong with it. */
  async verify(token: string): Promise<Identity> {
    try {
      const common = {
        requiredClaims: ['exp', 'sub'],
        ...(this.options.issuer ? { issuer: this.options.issuer } : {}),
        ...(this.options.audience ? { audience: this.options.audience } : {}),
      };
      // Throws on a malformed header: the catch below makes that UNAUTHORIZED.
      const header = decodeProtectedHeader(token);
      const { payload } =
        header.alg === 'HS256' && this.secret
          ? await jwtVerify(token, this.secret, { ...common, algorithms: ['HS256'] })
          : this.jwks
            ? await jwtVerify(token, this.jwks, {
                ...common,
                algorithms: [...(this.options.algorithms ?? ASYMMETRIC_DEFAULT)],
              })
            : await jwtVerify(token, this.secret as Uint8Array, {
                ...common,
                algorithms: ['HS256'],
              });
      const claims = TokenClaimsSchema.safeParse(payload);
      if (!claims.success) throw claims.error;
      return identityFromClaims(claims.data, payload.exp);
    } catch (cause) {
      throw new OnAirError('UNAUTHORIZED', 'Invalid or expired token', undefined, { cause });
    }
  }

  /** Issues an HS256 token (development mode and tests). */
  async issue(
    identity: Pick<Identity, 'userId' | 'displayName' | 'avatarUrl'> & {
      roles?: readonly Role[];
      moderates?: readonly string[];
      subscriptions?: Readonly<Record<string, number>>;
    },
    ttlSeconds: number,
  ): Promise<{ token: string; expiresAt: Date }> {
    if (!this.secret) throw new Error('Issuing tokens needs a secret');
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    const token = await new SignJWT({
      name: identity.displayName,
      ...(identity.avatarUrl ? { picture: identity.avatarUrl } : {}),
      ...(identity.roles ? { roles: identity.roles } : {}),
      ...(identity.moderates ? { moderates: identity.moderates } : {}),
      ...(identity.subscriptions ? { subscriptions: identity.subscriptions } : {}),
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(identity.userId)
      .setIssuer(this.options.issuer ?? DEV_ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.secret);
    return { token, expiresAt };
  }
}
