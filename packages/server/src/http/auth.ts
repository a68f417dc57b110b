import { OnAirError } from '@onair/protocol';
import type { FastifyRequest } from 'fastify';
import type { Identity, TokenVerifier } from '../auth/tokens.js';

/** Extracts the bearer token from an `Authorization` header value. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** Resolves the caller's identity or throws `UNAUTHORIZED`. */
export async function requireIdentity(
  request: FastifyRequest,
  tokens: TokenVerifier,
): Promise<Identity> {
  const token = bearerToken(request.headers.authorization);
  if (!token) throw new OnAirError('UNAUTHORIZED', 'Missing bearer token');
  return tokens.verify(token);
}

/** The caller's identity when a valid token is present; undefined for anonymous callers. */
export async function optionalIdentity(
  request: FastifyRequest,
  tokens: TokenVerifier,
): Promise<Identity | undefined> {
  const token = bearerToken(request.headers.authorization);
  return token ? tokens.verify(token) : undefined;
}
