import { ErrorEnvelopeSchema } from '@onair/protocol';
import type { z } from 'zod';
import { OnAirError } from '../errors.js';

/** Supplies the bearer token for each request; return null for anonymous calls. */
export type TokenProvider =
  | string
  | null
  | (() => string | null | undefined | Promise<string | null | undefined>);

/** Resolves a {@link TokenProvider} to a token. */
export async function resolveToken(provider: TokenProvider | undefined): Promise<string | null> {
  if (typeof provider === 'function') return (await provider()) ?? null;
  return provider ?? null;
}

/** Options of one REST call. */
export interface RestRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/**
 * Minimal REST transport: adds the token, parses error envelopes into
 * {@link OnAirError}s and validates every response body with its schema.
 */
export class RestTransport {
  constructor(
    private readonly baseUrl: string,
    private readonly token: TokenProvider | undefined,
    private readonly fetchImpl: typeof fetch,
  ) {}

  /** Calls `path` and parses the JSON response with `schema`. */
  async request<S extends z.ZodType>(
    schema: S,
    path: string,
    init: RestRequest = {},
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = await resolveToken(this.token);
    if (token) headers.authorization = `Bearer ${token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(new URL(path, this.baseUrl).toString(), {
        method: init.method ?? 'GET',
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      });
    } catch (cause) {
      if (init.signal?.aborted) throw cause;
      throw new OnAirError('NETWORK', `Could not reach ${this.baseUrl}`, undefined, { cause });
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const envelope = ErrorEnvelopeSchema.safeParse(body);
      if (envelope.success) throw OnAirError.fromEnvelope(envelope.data);
      throw new OnAirError(
        response.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST',
        `HTTP ${response.status} from ${path}`,
      );
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new OnAirError('INTERNAL', `Unexpected response from ${path}`, undefined, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }
}
