import { OnAirError } from '@onair/protocol';
import type { FastifyRequest } from 'fastify';
import { bearerToken } from '../../platform/auth/bearer.js';
import type { Identity } from '../../platform/auth/identity.js';
import type { TokenVerifier } from '../../platform/auth/tokens.js';

/** The caller's identity when a token is present (a bad one is `UNAUTHORIZED`); undefined for anonymous callers. */
export async function optionalIdentity(
  request: FastifyRequest,
  tokens: TokenVerifier,
): Promise<Identity | undefined> {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const token = bearerToken(header);
  if (!token) throw new OnAirError('UNAUTHORIZED', 'Authorization must be "Bearer <token>"');
  return tokens.verify(token);
}

/** The caller's identity; `UNAUTHORIZED` without a valid token. */
export async function requireIdentity(
  request: FastifyRequest,
  tokens: TokenVerifier,
): Promise<Identity> {
  const identity = await optionalIdentity(request, tokens);
  if (!identity) throw new OnAirError('UNAUTHORIZED', 'Missing bearer token');
  return identity;
}
