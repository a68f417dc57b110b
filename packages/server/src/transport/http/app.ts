import fastifyCors from '@fastify/cors';
import { OnAirError } from '@onair/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErrorHandling } from './errors.js';
import { type LogDestination, type LogLevel, loggerOptions } from './logging.js';
import { registerSecurityHeaders } from './security-headers.js';

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  logLevel: LogLevel;
  /** Where log lines go (one JSON object per line). Default: standard output. */
  logStream?: LogDestination | undefined;
  /** Path prefixes of media routes (HLS, WHEP), whose request lines are logged at `debug`. */
  mediaPaths?: readonly string[];
  /** Browser origins allowed to call the API (`'*'` for any); empty: same origin only. */
  corsOrigins: readonly string[];
  /** Proxies whose X-Forwarded-For gives `request.ip`: `true` (every hop), their addresses, or `false`. */
  trustProxy: boolean | readonly string[];
}

/** The origin setting CORS gets from `corsOrigins` (`true` for any); undefined when none is allowed. */
export function corsOrigin(corsOrigins: readonly string[]): true | string[] | undefined {
  if (corsOrigins.length === 0) return undefined;
  return corsOrigins.includes('*') ? true : [...corsOrigins];
}

/**
 * The HTTP server every route registers on: errors as protocol envelopes,
 * security headers on every response, secrets redacted from logs, a 64 KiB
 * body limit, CORS for the configured origins, and connections closed at
 * shutdown even while a request is held (blocking playlist reload).
 */
export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Held HLS requests (blocking playlist reload) must not keep a shutdown waiting.
    forceCloseConnections: true,
    ...loggerOptions({
      logLevel: options.logLevel,
      logStream: options.logStream,
      quietPrefixes: options.mediaPaths,
    }),
    bodyLimit: 64 * 1024,
    trustProxy:
      typeof options.trustProxy === 'boolean' ? options.trustProxy : [...options.trustProxy],
  });
  await registerSecurityHeaders(app);
  registerErrorHandling(app);
  // Deeper than any resource nests: refused before a schema walks it (a recursive one, JSON
  // metadata, would run out of stack on 5,000 levels in 10 kB).
  app.addHook('preValidation', async (request) => {
    if (nestingOf(request.body) > MAX_BODY_NESTING) {
      throw new OnAirError(
        'VALIDATION_FAILED',
        `The body nests more than ${MAX_BODY_NESTING} levels deep`,
      );
    }
  });
  // Without allowed origins no CORS handler exists, so a preflight (OPTIONS) finds no route: 404.
  const origin = corsOrigin(options.corsOrigins);
  if (origin) {
    await app.register(fastifyCors, {
      origin,
      // PUT: a private stream's invite list (`PUT /v1/streams/:id/invites`).
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      // WHIP/WHEP clients read the session's Location (to end it) and Link (ICE servers);
      // REST clients read Retry-After of 429 and 503.
      exposedHeaders: ['Location', 'Link', 'Retry-After'],
      // Browsers may keep a preflight's answer this long (Chromium caps it at 2 hours).
      maxAge: 600,
    });
  }
  return app;
}

/** How deeply a JSON body may nest arrays and objects (the body itself is level 1). */
export const MAX_BODY_NESTING = 32;

/** How deeply arrays and objects nest in `value` (0 for a scalar), without recursing. */
function nestingOf(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object' || Buffer.isBuffer(item)) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_BODY_NESTING) break;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}
