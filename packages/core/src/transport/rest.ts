import { errorEnvelopeOf } from '@onair/protocol';
import type { z } from 'zod/mini';
import { OnAirError } from '../errors.js';
import { TokenCache, type TokenProvider } from './token-cache.js';

export { resolveToken, type TokenProvider } from './token-cache.js';

/** Options of one REST call. */
export interface RestRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON; a `Blob` is sent as it is, with its own type. */
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** A response body read as text, with the response's headers ({@link RestTransport.requestText}). */
export interface TextResponse {
  text: string;
  headers: Headers;
}

/**
 * `path` (server-relative, such as `/v1/streams`) under `baseUrl`, keeping
 * the base's own path: `https://example.com/api` serves `/api/v1/streams`.
 * An absolute `path` is kept as it is.
 */
export const urlUnder = (baseUrl: string, path: string): string =>
  new URL(path.replace(/^\/(?!\/)/, ''), `${baseUrl.replace(/\/+$/, '')}/`).toString();

/**
 * Minimal REST transport: adds the token, parses error envelopes into
 * {@link OnAirError}s and validates every response body with its schema. A
 * request refused with 401 (`UNAUTHORIZED`, `TOKEN_EXPIRED`) drops the token
 * it sent and is retried once with a fresh one.
 */
export class RestTransport {
  private readonly tokens: TokenCache;

  constructor(
    private readonly baseUrl: string,
    token: TokenProvider | TokenCache | undefined,
    private readonly fetchImpl: typeof fetch,
  ) {
    this.tokens = token instanceof TokenCache ? token : new TokenCache(token);
  }

  /** Calls `path` and parses the JSON response with `schema`. */
  async request<S extends z.ZodMiniType>(
    schema: S,
    path: string,
    init: RestRequest = {},
  ): Promise<z.output<S>> {
    const response = await this.send(path, init, 'application/json', false);
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new OnAirError('INTERNAL', `Unexpected response from ${path}`, undefined, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  /**
   * Calls `path` for a body that is not JSON (a CSV export): the same token
   * handling and typed errors as {@link request}, the body as text.
   */
  async requestText(path: string, init: RestRequest = {}): Promise<TextResponse> {
    const response = await this.send(path, init, '*/*', false);
    return { text: await response.text(), headers: response.headers };
  }

  /** Sends the request with the token; resolves with a 2xx response, rejects with an OnAirError. */
  private async send(
    path: string,
    init: RestRequest,
    accept: string,
    retried: boolean,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept };
    const token = await this.tokens.get();
    if (token) headers.authorization = `Bearer ${token}`;
    // A Blob (an uploaded image) goes as it is, typed as it says; anything else as JSON.
    const raw = init.body instanceof Blob;
    if (init.body !== undefined) {
      headers['content-type'] = raw ? (init.body as Blob).type : 'application/json';
    }
    let response: Response;
    try {
      response = await this.fetchImpl(urlUnder(this.baseUrl, path), {
        method: init.method ?? 'GET',
        headers,
        ...(init.body !== undefined
          ? { body: raw ? (init.body as Blob) : JSON.stringify(init.body) }
          : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      });
    } catch (cause) {
      if (init.signal?.aborted) throw cause;
      throw new OnAirError('NETWORK', `Could not reach ${this.baseUrl}`, undefined, { cause });
    }
    if (response.ok) return response;
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 401 && token && !retried && this.tokens.renewable) {
      this.tokens.invalidate(token);
      return this.send(path, init, accept, true);
    }
    const envelope = errorEnvelopeOf(body);
    if (envelope) throw OnAirError.fromEnvelope(envelope);
    throw new OnAirError(
      response.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST',
      `HTTP ${response.status} from ${path}`,
    );
  }
}
