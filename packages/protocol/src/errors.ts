import * as z from 'zod/mini';

/**
 * HTTP status each error code maps to when it leaves the server over REST.
 * Client-side codes (device, network) map to 0: they never cross the wire.
 * Its keys are the closed list of error codes ({@link ERROR_CODES}).
 */
export const ERROR_HTTP_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  /** The realtime connection's token expired: send `auth:refresh` with a fresh one. */
  TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNPROCESSABLE: 422,
  STREAM_FULL: 409,
  RATE_LIMITED: 429,
  BANNED: 403,
  MESSAGE_REJECTED: 422,
  PAYLOAD_TOO_LARGE: 413,
  STREAM_NOT_LIVE: 409,
  MEDIA_UNAVAILABLE: 503,
  /** A service the server depends on (its database, Redis) is down or too slow: retry later. */
  UNAVAILABLE: 503,
  NETWORK: 0,
  TIMEOUT: 0,
  PERMISSION_DENIED: 0,
  DEVICE_NOT_FOUND: 0,
  DEVICE_IN_USE: 0,
  NOT_SUPPORTED: 0,
  INTERNAL: 500,
} as const satisfies Record<string, number>;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;

/**
 * The closed list of error codes any OnAir server or client may report.
 * Clients switch on `code`; `message` is for humans and may change.
 */
export const ERROR_CODES = Object.keys(ERROR_HTTP_STATUS) as [ErrorCode, ...ErrorCode[]];

/** Schema of {@link ErrorCode}. */
export const ErrorCodeSchema = /* @__PURE__ */ z.enum(ERROR_CODES);

/** One problem found while validating input, as reported in `details.issues`. */
export const ValidationIssueSchema = /* @__PURE__ */ z.object({
  path: z.string(),
  message: z.string(),
});

/** A validation issue. */
export type ValidationIssue = z.infer<typeof ValidationIssueSchema>;

/**
 * The error envelope every REST error body and every failed realtime
 * acknowledgement carries.
 */
export const ErrorEnvelopeSchema = /* @__PURE__ */ z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.optional(z.record(z.string(), z.unknown())),
});

/** The error envelope `{ code, message, details? }`. */
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

/**
 * Turns a zod error into validation issues with dotted paths, so a host app
 * can point at the offending field.
 */
export function toValidationIssues(error: z.core.$ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

/**
 * Parses `input` with `schema`, returning a discriminated result whose failure
 * is a ready-to-send `VALIDATION_FAILED` envelope.
 *
 * @example
 * ```ts
 * const result = parseOrError(CreateStreamInputSchema, body);
 * if (!result.ok) return reply.status(400).send(result.error);
 * ```
 */
export function parseOrError<S extends z.core.$ZodType>(
  schema: S,
  input: unknown,
): { ok: true; value: z.output<S> } | { ok: false; error: ErrorEnvelope } {
  let parsed: ReturnType<typeof z.safeParse<S>>;
  try {
    parsed = z.safeParse(schema, input);
  } catch (error) {
    // Input nested deeper than a recursive schema (JSON) can walk: the stack ran out.
    if (!(error instanceof RangeError)) throw error;
    return { ok: false, error: { code: 'VALIDATION_FAILED', message: 'Input nested too deeply' } };
  }
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = toValidationIssues(parsed.error);
  const first = issues[0];
  return {
    ok: false,
    error: {
      code: 'VALIDATION_FAILED',
      message: first ? `${first.path}: ${first.message}` : 'Invalid input',
      details: { issues },
    },
  };
}

/**
 * The envelope `value` is, else undefined: the answer of
 * `ErrorEnvelopeSchema.safeParse(value)` (its `data` on success) without
 * zod's parser, so a client bundle that only reads errors leaves zod out.
 * Like the schema, it takes any object with a known `code` and a string
 * `message`, keeps only those and `details` (a plain object, copied), and
 * refuses `details` of another kind.
 */
export function errorEnvelopeOf(value: unknown): ErrorEnvelope | undefined {
  if (!isObject(value)) return undefined;
  const { code, message, details } = value as Partial<Record<string, unknown>>;
  if (!(ERROR_CODES as readonly unknown[]).includes(code) || typeof message !== 'string') {
    return undefined;
  }
  const envelope = { code: code as ErrorCode, message };
  // The schema keeps a `details` key that is there but undefined.
  if (details === undefined) return 'details' in value ? { ...envelope, details } : envelope;
  const record = recordOf(details);
  return record && { ...envelope, details: record };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `value` as `z.record(z.string(), z.unknown())` parses it, else undefined. */
function recordOf(value: unknown): Record<string, unknown> | undefined {
  // Plain as zod judges it: no constructor, or one whose prototype is an Object's.
  if (!isObject(value)) return undefined;
  const maker: unknown = value.constructor;
  if (typeof maker === 'function') {
    const prototype: unknown = maker.prototype;
    if (!isObject(prototype) || !Object.hasOwn(prototype, 'isPrototypeOf')) return undefined;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Reflect.ownKeys(value)) {
    if (key === '__proto__' || !Object.prototype.propertyIsEnumerable.call(value, key)) continue;
    // A symbol is no string key: the schema refuses the record.
    if (typeof key === 'symbol') return undefined;
    copy[key] = (value as Record<string, unknown>)[key];
  }
  return copy;
}

/**
 * The error every OnAir package throws: a protocol `code` to switch on, a
 * human `message`, optional `details`, and the underlying `cause`. It turns
 * into the wire envelope with {@link OnAirError.toEnvelope} and back with
 * {@link OnAirError.fromEnvelope}.
 *
 * @example
 * ```ts
 * try { await client.streams.start(id); }
 * catch (error) { if (error instanceof OnAirError && error.code === 'CONFLICT') refresh(); }
 * ```
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

  /** HTTP status this error maps to (0 for client-side codes). */
  get status(): number {
    return ERROR_HTTP_STATUS[this.code];
  }

  /** The wire envelope `{ code, message, details? }`. */
  toEnvelope(): ErrorEnvelope {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }

  /** Builds an error from a wire envelope. */
  static fromEnvelope(envelope: ErrorEnvelope, cause?: unknown): OnAirError {
    return new OnAirError(envelope.code, envelope.message, envelope.details, { cause });
  }

  /**
   * Normalises anything thrown: OnAirErrors pass through, envelopes keep their
   * code, anything else becomes `fallback` with the original as `cause`.
   */
  static from(error: unknown, fallback: ErrorCode = 'INTERNAL'): OnAirError {
    if (error instanceof OnAirError) return error;
    const envelope = errorEnvelopeOf(error);
    if (envelope) return OnAirError.fromEnvelope(envelope, error);
    const message = error instanceof Error ? error.message : String(error);
    return new OnAirError(fallback, message, undefined, { cause: error });
  }
}
