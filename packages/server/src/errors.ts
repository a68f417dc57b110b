import { ERROR_HTTP_STATUS, type ErrorCode, type ErrorEnvelope } from '@onair/protocol';

/** An error the server reports to a client with a protocol error code. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_HTTP_STATUS[this.code] || 500;
  }

  /** The wire envelope. */
  toEnvelope(): ErrorEnvelope {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

/** Wraps anything thrown into an envelope; unknown errors never leak their message. */
export function toEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof ApiError) return error.toEnvelope();
  return { code: 'INTERNAL', message: 'Internal server error' };
}
