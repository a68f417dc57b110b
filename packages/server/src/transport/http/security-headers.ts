import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Content-Security-Policy of the pages the server serves (`staticDir`, e.g.
 * the quickstart): their own scripts only, styles of their own plus inline
 * ones (Lit's and the page's), sockets and fetches to their own origin (CSP
 * Level 3 `'self'` covers `ws:`/`wss:` to the same host), media from their
 * origin or `blob:` (MediaSource), images also `data:`/`blob:`, workers also
 * `blob:` (hls.js), no plugins, no framing by other sites. No
 * `upgrade-insecure-requests`: a development server speaks plain HTTP.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * Content-Security-Policy of every other response (JSON, playlists, media):
 * they run no script, so only framing is restricted.
 */
export const DATA_CSP = "frame-ancestors 'self'";

/** Content types a browser renders as a document that may run script. */
const DOCUMENT =
  /^(?:text\/html|application\/xhtml\+xml|image\/svg\+xml|(?:text|application)\/xml)\b/i;

/**
 * Security headers on every response: Helmet's set (`nosniff`,
 * `X-Frame-Options: SAMEORIGIN`, `Referrer-Policy: no-referrer`, HSTS,
 * `Cross-Origin-Resource-Policy: same-origin` and others) and a
 * Content-Security-Policy chosen by what the response is: {@link PAGE_CSP}
 * for documents, {@link DATA_CSP} for the rest; `Cache-Control: private,
 * no-store` on API answers to a signed-in caller that set none. Register
 * before any route.
 * Routes meant for other origins' players (HLS) widen their own
 * `Cross-Origin-Resource-Policy`.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, { contentSecurityPolicy: false });
  app.addHook('onSend', async (request, reply, payload) => {
    // An API answer to a signed-in caller is theirs (signed media URLs, their inbox): never
    // kept by a shared cache, whatever a proxy in between makes of an Authorization header.
    if (
      request.headers.authorization !== undefined &&
      request.routeOptions.url?.startsWith('/v1/') &&
      !reply.hasHeader('cache-control')
    ) {
      reply.header('cache-control', 'private, no-store');
    }
    if (!reply.hasHeader('content-security-policy')) {
      const type = reply.getHeader('content-type');
      // No declared type: a browser might sniff it into a document.
      const document = type === undefined || DOCUMENT.test(String(type));
      reply.header('content-security-policy', document ? PAGE_CSP : DATA_CSP);
    }
    return payload;
  });
}
