/**
 * `@onair/protocol/webhooks`: checks a webhook delivery in the host's
 * backend before it trusts it. Web Crypto only: Node 22, Deno, Bun, edge
 * workers.
 * @packageDocumentation
 */
import { OnAirError } from './errors.js';
import { type WebhookEvent, WebhookEventSchema } from './webhook.js';

export { WEBHOOK_EVENT_ID_HEADER, WEBHOOK_SIGNATURE_HEADER } from './webhook.js';

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /**
   * How old a delivery's timestamp may be, and how far ahead of this clock,
   * in seconds (a replayed request is refused past it). Default 300.
   */
  toleranceSeconds?: number;
  /** This machine's clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** `v1=` holds the hex HMAC-SHA-256: 32 bytes. */
const MAC_HEX = /^[0-9a-f]{64}$/;
const encoder = new TextEncoder();

/** The most `v1=` entries read from one header: the server signs with up to four secrets. */
const MAX_MACS = 4;

/** Lower-case hex of bytes. */
const hexOf = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');

/** Whether two strings are equal, in time that does not depend on where they differ. */
function sameText(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

const refused = (message: string) => new OnAirError('UNAUTHORIZED', message);

/**
 * Checks one webhook delivery and returns its event: `body` is the request
 * body exactly as received (the raw text, not JSON parsed and written
 * again), `signature` the `OnAir-Signature` header
 * (`t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<body>">`), `secret` the
 * endpoint's secret. The MAC is computed once by Web Crypto and compared in
 * constant time. While a secret is rotated the server signs with the new and
 * the old one (its webhook's `secret: [next, current]`), so the header carries
 * a `v1=` for each: one that matches is enough (the first four are read).
 * Rejects with `UNAUTHORIZED` when the header is missing or malformed, no MAC
 * matches, or the timestamp is outside the tolerance (five minutes by default); with `UNPROCESSABLE` when a signed body is not a
 * {@link WebhookEvent}. Deliveries are at least once: skip an event `id`
 * already handled (once it is applied: a failed one comes again). Throws a
 * `TypeError` for an empty secret or a tolerance that is not 0 or more
 * seconds: a mistake in the caller, not in the request.
 *
 * @example
 * ```ts
 * import { verifyWebhook, WEBHOOK_SIGNATURE_HEADER } from '@onair/protocol/webhooks';
 *
 * const event = await verifyWebhook(rawBody, request.headers.get(WEBHOOK_SIGNATURE_HEADER), secret);
 * if (event.type === 'stream.started') announce(event.data.stream);
 * ```
 */
export async function verifyWebhook(
  body: string,
  signature: string | null | undefined,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<WebhookEvent> {
  if (!secret) throw new TypeError('verifyWebhook: the secret is empty');
  const tolerance = options.toleranceSeconds ?? 300;
  if (!(Number.isFinite(tolerance) && tolerance >= 0)) {
    throw new TypeError('verifyWebhook: toleranceSeconds must be a number of seconds, 0 or more');
  }
  let timestamp: string | undefined;
  const macs: string[] = [];
  for (const part of (signature ?? '').split(',')) {
    const [name, value = ''] = part.trim().split('=', 2);
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = value;
    else if (name === 'v1' && MAC_HEX.test(value) && macs.length < MAX_MACS) macs.push(value);
  }
  if (timestamp === undefined || macs.length === 0) {
    throw refused('The webhook has no valid OnAir-Signature header');
  }
  const age = (options.now ?? Date.now)() / 1000 - Number(timestamp);
  if (Math.abs(age) > tolerance) {
    throw refused(`The webhook's timestamp is ${Math.round(age)} s from this clock`);
  }
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  // One MAC of the body however many entries the header has, compared with each in constant time.
  const signed = await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`));
  const expected = hexOf(signed);
  let matched = false;
  for (const mac of macs) matched = sameText(mac, expected) || matched;
  if (!matched) throw refused("The webhook's signature does not match its body and secret");
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new OnAirError('UNPROCESSABLE', 'The webhook body is not JSON');
  }
  const event = WebhookEventSchema.safeParse(json);
  if (!event.success)
    throw new OnAirError('UNPROCESSABLE', 'The webhook body is not an OnAir event');
  return event.data;
}
