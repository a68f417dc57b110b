import fastifyCors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErrorHandling } from './errors.js';

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Browser origins allowed to call the API (`'*'` for any); empty: same origin only. */
  corsOrigins: readonly string[];
}

/** The origin setting CORS gets from `corsOrigins` (`true` for any); undefined when none is allowed. */
export function corsOrigin(corsOrigins: readonly string[]): true | string[] | undefined {
  if (corsOrigins.length === 0) return undefined;
  return corsOrigins.includes('*') ? true : [...corsOrigins];
}

/**
 * The HTTP server every route registers on: errors as protocol envelopes,
 * secrets redacted from logs, a 64 KiB body limit, CORS for the configured
 * origins, and connections closed at shutdown even while a request is held
 * (blocking playlist reload).
 */
export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Held HLS requests (blocking playlist reload) must not keep a shutdown waiting.
    forceCloseConnections: true,
    logger:
      options.logLevel === 'silent'
        ? false
        : {
            level: options.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'streamKey'],
          },
    bodyLimit: 64 * 1024,
  });
  registerErrorHandling(app);
  const origin = corsOrigin(options.corsOrigins);
  if (origin) {
    await app.register(fastifyCors, { origin, methods: ['GET', 'POST', 'PATCH', 'DELETE'] });
  }
  return app;
}
