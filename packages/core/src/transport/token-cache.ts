/**
 * Supplies the bearer token; return null for anonymous calls. A function is
 * called once per token lifetime, not per request (see {@link TokenCache}).
 */
export type TokenProvider =
  | string
  | null
  | (() => string | null | undefined | Promise<string | null | undefined>);

/** Resolves a {@link TokenProvider} to a token. */
export async function resolveToken(provider: TokenProvider | undefined): Promise<string | null> {
  if (typeof provider === 'function') return (await provider()) ?? null;
  return provider ?? null;
}

/**
 * How long a token whose `exp` cannot be read (an opaque token, or a JWT
 * without `exp`, or one the local clock already sees as expired) is reused.
 * Short on purpose: long enough that a burst of requests (a page's first REST
 * calls and the realtime connection) asks the host once, short enough that a
 * token the host replaced is picked up soon. A 401 drops it earlier.
 */
export const UNKNOWN_EXPIRY_TOKEN_MS = 5_000;

/** Share of a token's lifetime after which it is replaced (as the realtime refresh does). */
const REFRESH_AT = 0.8;

/** setTimeout fires at once past 2^31 - 1 ms. */
const MAX_DELAY_MS = 2e9;

interface Held {
  token: string;
  /** `Date.now()` from which the token is replaced. */
  staleAt: number;
  /** Whether `staleAt` comes from the token's own `exp`. */
  known: boolean;
}

/**
 * Milliseconds until `token` should be replaced: 80 % of its lifetime, read
 * from its payload (not verified here); undefined when unreadable or already past.
 */
function refreshDelay(token: string): number | undefined {
  try {
    const { exp, iat } = JSON.parse(
      atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')),
    ) as { exp?: unknown; iat?: unknown };
    if (typeof exp !== 'number') return undefined;
    // A token the host kept a while has less left than its lifetime: the smaller one counts.
    const seconds = Math.min(exp - (typeof iat === 'number' ? iat : 0), exp - Date.now() / 1e3);
    const ms = seconds * 1e3 * REFRESH_AT;
    return ms > 0 ? Math.min(ms, MAX_DELAY_MS) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The one place a client asks the host for its token. REST and realtime share
 * it, so the host's token function runs once per token lifetime (not per
 * request): a token is reused until 80 % of its lifetime (its `exp`), a token
 * without a readable `exp` for {@link UNKNOWN_EXPIRY_TOKEN_MS}, and concurrent
 * callers share one pending call. A null answer (anonymous) is not kept.
 */
export class TokenCache {
  #held: Held | undefined;
  #pending: Promise<string | null> | undefined;

  constructor(private readonly provider: TokenProvider | undefined) {}

  /** Whether a fresh token can be asked for (the provider is a function). */
  get renewable(): boolean {
    return typeof this.provider === 'function';
  }

  /** The current token: the held one while fresh, else one new call to the provider. */
  get(): Promise<string | null> {
    const provider = this.provider;
    if (typeof provider !== 'function') return Promise.resolve(provider ?? null);
    if (this.#held && Date.now() < this.#held.staleAt) return Promise.resolve(this.#held.token);
    this.#pending ??= this.#ask(provider).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #ask(provider: Extract<TokenProvider, () => unknown>): Promise<string | null> {
    const token = (await provider()) ?? null;
    const delay = token ? refreshDelay(token) : undefined;
    this.#held = token
      ? { token, staleAt: Date.now() + (delay ?? UNKNOWN_EXPIRY_TOKEN_MS), known: !!delay }
      : undefined;
    return token;
  }

  /**
   * Milliseconds until `token` is due for replacement, when it is the held
   * token and its `exp` is known; undefined otherwise (nothing to schedule).
   */
  refreshIn(token: string | null): number | undefined {
    const held = this.#held;
    return held?.known && held.token === token ? Math.max(0, held.staleAt - Date.now()) : undefined;
  }

  /**
   * Drops `token` after the server refused it (401, `TOKEN_EXPIRED`), so the
   * next {@link get} asks the provider. A newer token held meanwhile is kept.
   */
  invalidate(token: string | null): void {
    if (token && this.#held?.token === token) this.#held = undefined;
  }
}
