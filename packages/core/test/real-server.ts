import { randomBytes } from 'node:crypto';
import { createServer, type OnAirServer, type ServerOptions } from '@onair/server';

/**
 * Test-only (node): a real server on a random port for the client's tests to
 * talk to (the stores are thin over the wire, so the wire is what to test): a
 * fresh secret, no media plane, embedded storage, no REST rate limit, quiet.
 * `options` add to or override that.
 */
export function startRealServer(options: ServerOptions = {}): Promise<OnAirServer> {
  return createServer({
    jwtSecret: randomBytes(32).toString('hex'),
    logLevel: 'silent',
    media: { enabled: false },
    restRateLimit: false,
    databaseUrl: undefined,
    redisUrl: undefined,
    ...options,
  });
}
