import { type ErrorCode, type ErrorEnvelope, ErrorEnvelopeSchema } from '@onair/protocol';

/**
 * Every error the OnAir client reports. Switch on `code` (from the protocol's
 * closed list); `cause` keeps the underlying error.
 */
export class OnAirError extends Error {
  override readonly name = 'OnAirError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Builds an error from a wire envelope. */
  static fromEnvelope(envelope: ErrorEnvelope, cause?: unknown): OnAirError {
    return new OnAirError(envelope.code, envelope.message, envelope.details, { cause });
  }

  /**
   * Normalises anything thrown into an OnAirError: envelopes keep their code,
   * other errors become `fallback`.
   */
  static from(error: unknown, fallback: ErrorCode = 'INTERNAL'): OnAirError {
    if (error instanceof OnAirError) return error;
    const envelope = ErrorEnvelopeSchema.safeParse(error);
    if (envelope.success) return OnAirError.fromEnvelope(envelope.data, error);
    const message = error instanceof Error ? error.message : String(error);
    return new OnAirError(fallback, message, undefined, { cause: error });
  }
}
