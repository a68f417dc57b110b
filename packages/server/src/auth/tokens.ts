import { OnAirError } from '@onair/protocol';
import { jwtVerify, SignJWT } from 'jose';

/** The identity a verified token carries. */
export interface Identity {
  userId: string;
  displayName: string;
}

/** Verifies host-app JWTs (HS256, algorithm pinned) and, in development, issues them. */
export class TokenVerifier {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly issuer = 'onair',
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** Verifies a bearer token; throws `UNAUTHORIZED` on anything wrong with it. */
  async verify(token: string): Promise<Identity> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      const name = typeof payload.name === 'string' ? payload.name : undefined;
      if (!payload.sub || !/^[A-Za-z0-9_-]{1,64}$/.test(payload.sub)) {
        throw new Error('token subject is missing or not URL-safe');
      }
      return { userId: payload.sub, displayName: name ?? payload.sub };
    } catch (cause) {
      throw new OnAirError('UNAUTHORIZED', 'Invalid or expired token', undefined, { cause });
    }
  }

  /** Issues a token (development mode and tests). */
  async issue(identity: Identity, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    const token = await new SignJWT({ name: identity.displayName })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(identity.userId)
      .setIssuer(this.issuer)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }
}
