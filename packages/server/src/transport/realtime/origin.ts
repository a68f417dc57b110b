import type { IncomingMessage } from 'node:http';

/** A host without the default port of either scheme, lower case: `Host` and `Origin` compare equal. */
const normalHost = (host: string) => host.toLowerCase().replace(/:(?:80|443)$/, '');

/** `value` as an origin (`scheme://host[:port]`), or undefined when it is none (`null`, garbage). */
function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

/**
 * Whether a realtime handshake may proceed, judged by its `Origin` header
 * against the CORS allow-list (`true`: any origin; a list: those origins and
 * the server's own; undefined: the server's own only). The server's own
 * origin is the one whose host equals the request's `Host` header. Requests
 * without `Origin` (native apps, server-side clients) are allowed: the
 * check stops pages on other sites from opening a socket with their
 * visitors' credentials, which browsers always label with `Origin`.
 */
export function originAllowed(
  request: Pick<IncomingMessage, 'headers'>,
  allowed: true | readonly string[] | undefined,
): boolean {
  const header = request.headers.origin;
  if (header === undefined) return true;
  if (allowed === true) return true;
  const origin = originOf(header);
  if (!origin) return false;
  const host = request.headers.host;
  if (host !== undefined && normalHost(new URL(origin).host) === normalHost(host)) return true;
  return (allowed ?? []).some((entry) => (originOf(entry) ?? entry) === origin);
}
