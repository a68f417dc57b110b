import { type ErrorEnvelope, OnAirError } from '@onair/protocol';

// Node's socket errors, PostgreSQL's connection and shutdown classes (08, 57P0x),
// node-postgres' and ioredis' own words for a connection that is gone or too slow.
const OUTAGE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTCONN',
  '08000',
  '08001',
  '08003',
  '08006',
  '57P01',
  '57P02',
  '57P03',
]);
const OUTAGE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Connection is closed|Stream isn't writeable|Command timed out|Reached the max retries per request limit/i;

/**
 * Whether an error (or one of its causes) says a service the server depends
 * on, its database or Redis, is unreachable or too slow: such a request gets
 * `UNAVAILABLE` (503, retry later), not `INTERNAL`.
 */
export function isOutage(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && OUTAGE_CODES.has(code)) return true;
    if (typeof message === 'string' && OUTAGE_MESSAGES.test(message)) return true;
    // A connection tried on several addresses fails with all of them (AggregateError).
    const { errors } = cause as { errors?: unknown };
    if (Array.isArray(errors) && errors.some((inner) => isOutage(inner))) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Wraps anything thrown into an envelope: an outage of the database or Redis
 * is `UNAVAILABLE`; other unknown errors are `INTERNAL` and never leak their message.
 */
export function toEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof OnAirError) return error.toEnvelope();
  if (isOutage(error)) {
    return { code: 'UNAVAILABLE', message: 'A service the server needs is unavailable; retry' };
  }
  return { code: 'INTERNAL', message: 'Internal server error' };
}
