import { OnAirError } from '@onair/core';
import { AppError } from './api.js';

/** What went wrong, for people: the code says what kind, the message what exactly. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof AppError || error instanceof OnAirError) {
    return { code: error.code, message: error.message };
  }
  return OnAirError.from(error);
}

/** An error banner (nothing without an error). */
export function ErrorBanner({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const { code, message } = describeError(error);
  return (
    <p className="error" role="alert" data-code={code}>
      {message} ({code})
    </p>
  );
}
