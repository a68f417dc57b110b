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

/** The bytes of a lower-case hex string of even length. */
function bytesOfHex(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

const refused = (message: string) => new OnAirError('UNAUTHORIZED', message);

/**
 * Checks one webhook delivery and returns its event: `body` is the request
 * body exactly as received (the raw text, not JSON parsed and written
 * again), `signature` the `OnAir-Signature` header
 * (`t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<body>">`), `secret` the
 * endpoint's secret. The MAC is checked by Web Crypto (constant time); when
 * the header carries several `v1=`, one that matches is enough (a secret
 * being rotated). Rejects with `UNAUTHORIZED` when the header is missing or
 * malformed, no MAC matches, or the timestamp is outside the tolerance (five
 * minutes by default); with `UNPROCESSABLE` when a signed body is not a
 * {@link WebhookEvent}. Deliveries are at least once: skip an event `id`
 * already handled.
 *
 * @example
 * ```ts
 * import { verifyWebhook, WEBHOOK_SIGNATURE_HEADER } from '@onair/protocol/webhooks';
 *
 * const event = await verifyWebhook(rawBody, request.headers[WEBHOOK_SIGNATURE_HEADER], secret);
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
  let timestamp: string | undefined;
  const macs: string[] = [];
  for (const part of (signature ?? '').split(',')) {
    const [name, value = ''] = part.trim().split('=', 2);
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = value;
    else if (name === 'v1' && MAC_HEX.test(value)) macs.push(value);
  }
  if (timestamp === undefined || macs.length === 0) {
    throw refused('The webhook has no valid OnAir-Signature header');
  }
  const tolerance = options.toleranceSeconds ?? 300;
  const age = (options.now ?? Date.now)() / 1000 - Number(timestamp);
  if (Math.abs(age) > tolerance) {
    throw refused(`The webhook's timestamp is ${Math.round(age)} s from this clock`);
  }
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const signed = encoder.encode(`${timestamp}.${body}`);
  let matched = false;
  for (const mac of macs) {
    if (await crypto.subtle.verify('HMAC', key, bytesOfHex(mac), signed)) matched = true;
  }
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
