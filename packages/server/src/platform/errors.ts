import { type ErrorEnvelope, OnAirError } from '@onair/protocol';

/** Wraps anything thrown into an envelope; unknown errors never leak their message. */
export function toEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof OnAirError) return error.toEnvelope();
  return { code: 'INTERNAL', message: 'Internal server error' };
}
