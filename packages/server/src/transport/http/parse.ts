import { OnAirError, parseOrError } from '@onair/protocol';
import type { z } from 'zod';

/** Parses input with a protocol schema; failures become `VALIDATION_FAILED` errors. */
export function parse<S extends z.core.$ZodType>(schema: S, input: unknown): z.output<S> {
  const result = parseOrError(schema, input);
  if (!result.ok)
    throw new OnAirError(result.error.code, result.error.message, result.error.details);
  return result.value;
}
