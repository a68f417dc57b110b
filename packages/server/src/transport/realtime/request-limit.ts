import { OnAirError } from '@onair/protocol';
import { type RateLimit, TokenBuckets } from '../../platform/shared-state/token-buckets.js';
import type { OnAirSocket } from './types.js';

/**
 * Requests one connection may send: a burst of 120, then 20 a second. The
 * largest honest burst is a stage page joining (about 8 requests for the
 * room, chat, Q&A, polls, presence and reactions, then a consume and a
 * resume for each of a full stage's producers: 40 to 60); afterwards a
 * client sends well under one a second. Requests with their own stricter
 * limit (chat, reactions, questions, clips) keep it on top of this one.
 */
export const REQUEST_RATE: RateLimit = { capacity: 120, refillPerSecond: 20 };

/**
 * Throttles every request of a connection with one token bucket, kept with
 * the connection (in this process: a connection lives on one server). Over
 * the limit a request is answered `RATE_LIMITED` with `retryAfterSeconds`,
 * and no handler runs; the connection stays open.
 */
export function limitRequestsPerSocket(socket: OnAirSocket, rate: RateLimit = REQUEST_RATE): void {
  const bucket = new TokenBuckets(rate, Date.now, 'ms');
  socket.use(([, ...args], next) => {
    const wait = bucket.take('');
    if (wait === 0) return next();
    const ack = args.at(-1);
    if (typeof ack !== 'function') return;
    const error = new OnAirError('RATE_LIMITED', 'Too many requests on this connection', {
      retryAfterSeconds: Math.ceil(wait / 1000),
    });
    ack({ ok: false, error: error.toEnvelope() });
  });
}
