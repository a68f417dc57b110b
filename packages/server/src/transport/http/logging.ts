import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { LogController } from 'fastify';

/** Log levels the server and the CLI accept, most severe first. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where log lines go: one JSON object per line (pino's format). */
export interface LogDestination {
  write(line: string): unknown;
}

// Query parameters that carry secrets (playback tokens, stream keys), by lower-cased name.
const SECRET_PARAMETERS = new Set(['token', 'key', 'streamkey', 'stream_key', 'access_token']);
const QUERY_PARAMETER = /([?&])([^=&#\s"]+)=[^&#\s"]*/g;
// Drizzle writes a failed query's parameters (a stream-key hash among them) into its message.
const QUERY_PARAMETERS = /(\nparams: )[^\n]*/g;

/**
 * `text` with the secrets a log line could carry replaced by `[redacted]`:
 * the values of `token`, `key` and `streamKey` query parameters (however
 * their names are escaped) and the
 * parameters of a failed database query.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(QUERY_PARAMETER, (parameter, separator: string, name: string) =>
      isSecretName(name) ? `${separator}${name}=[redacted]` : parameter,
    )
    .replace(QUERY_PARAMETERS, '$1[redacted]');
}

/** Whether a query parameter's name, as the server decodes it (`%74oken` is `token`), is a secret's. */
function isSecretName(name: string): boolean {
  try {
    return SECRET_PARAMETERS.has(decodeURIComponent(name.replaceAll('+', ' ')).toLowerCase());
  } catch {
    return true; // Malformed escapes: redacted, to be safe.
  }
}

interface LoggedError {
  [field: string]: unknown;
  type: string;
  message: string;
  stack: string;
  code?: unknown;
  cause?: LoggedError;
}

/**
 * An error as a log line shows it: type, code, message and stack (secrets
 * redacted) and its cause, but none of its other fields (a failed query's
 * `params`, PostgreSQL's `detail` with the offending values).
 */
function serializeError(error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, message: '', stack: '' };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.constructor?.name ?? error.name,
    message: redactSecrets(error.message),
    stack: redactSecrets(error.stack ?? ''),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(error.cause !== undefined && depth < 3
      ? { cause: serializeError(error.cause, depth + 1) }
      : {}),
  };
}

/**
 * Request lines (incoming, completed) at `info`, except those of the paths
 * under `quietPrefixes` (media: playlists, parts, segments, which a player
 * asks for several times a second), which are logged at `debug`.
 */
class RequestLog extends LogController {
  constructor(private readonly quietPrefixes: readonly string[]) {
    super();
  }

  private quiet(request: FastifyRequest): boolean {
    return this.quietPrefixes.some((prefix) => request.url.startsWith(prefix));
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    if (this.quiet(request)) request.log.debug({ req: request }, 'incoming request');
    else super.incomingRequest(request, reply);
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error || !this.quiet(request)) super.requestCompleted(error, request, reply);
    else reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }

  override streamError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    // A player that goes away mid-segment is routine.
    if (this.quiet(request)) reply.log.debug({ res: reply, err: error }, 'stream closed early');
    else super.streamError(error, request, reply);
  }
}

/**
 * A log call's arguments with secrets redacted: string messages and the
 * string fields of a merged object; an error logged alone gets its
 * (redacted) message, where pino would copy the raw one.
 */
function redactArguments(args: readonly unknown[]): unknown[] {
  if (args.length === 0) return [];
  const [first, ...rest] = args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg));
  if (first instanceof Error) {
    return typeof rest[0] === 'string'
      ? [{ err: first }, ...rest]
      : [{ err: first }, redactSecrets(first.message), ...rest];
  }
  if (
    first !== null &&
    typeof first === 'object' &&
    Object.getPrototypeOf(first) === Object.prototype
  ) {
    const fields = Object.entries(first as Record<string, unknown>).map(([name, value]) => [
      name,
      typeof value === 'string' ? redactSecrets(value) : value,
    ]);
    return [Object.fromEntries(fields), ...rest];
  }
  return [first, ...rest];
}

/** What {@link loggerOptions} needs. */
export interface LoggingOptions {
  logLevel: LogLevel;
  /** Where lines go. Default: standard output. */
  logStream?: LogDestination | undefined;
  /** Paths whose request lines are logged at `debug` (media routes). */
  quietPrefixes?: readonly string[] | undefined;
}

/**
 * The Fastify logger options of the HTTP server: no secret in any line
 * (request URLs, errors and messages redacted by {@link redactSecrets},
 * headers never logged, `Authorization` and cookies redacted wherever they
 * appear), and media request lines at `debug`.
 */
export function loggerOptions(
  options: LoggingOptions,
): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  if (options.logLevel === 'silent') return { logger: false };
  return {
    logger: {
      level: options.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'headers.cookie',
        'streamKey',
        'token',
      ],
      serializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: redactSecrets(request.url),
          host: request.host,
          remoteAddress: request.ip,
          ...(request.socket?.remotePort === undefined
            ? {}
            : { remotePort: request.socket.remotePort }),
        }),
        err: (error: unknown) => serializeError(error),
      },
      hooks: {
        // Messages built from error texts or URLs (`app.log.warn(\`… ${error.message}\`)`).
        logMethod(args, method) {
          return method.apply(this, redactArguments(args) as Parameters<typeof method>);
        },
      },
    },
    logController: new RequestLog(options.quietPrefixes ?? []),
  };
}
