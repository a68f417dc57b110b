import { QueryClient } from '@tanstack/query-core';
import type { z } from 'zod/mini';
import { OnAirError } from '../errors.js';
import { ChannelsApi } from './channels.js';
import { NotificationsApi } from './notifications.js';
import { RealtimeConnection, type RealtimeOptions } from './realtime.js';
import {
  type RestRequest,
  RestTransport,
  type TextResponse,
  type TokenProvider,
  urlUnder,
} from './rest.js';
import { StreamsApi } from './streams.js';
import { TokenCache } from './token-cache.js';

/** View analytics settings of an {@link OnAirClient} (its `analytics` option). */
export interface AnalyticsOptions {
  /** Report view sessions to the server. Default true; `false` opts out. */
  enabled?: boolean;
  /** Share of view sessions reported, 0–1, drawn per session. Default 1. */
  sampleRate?: number;
  /**
   * The viewer's id in the host app, to count unique viewers across devices
   * and answer deletion requests. Absent: nothing personal is sent.
   */
  userId?: string;
  /**
   * The host app's own dimensions of every session (`{ course_id: 'c42' }`):
   * snake_case keys, at most 10, values up to 128 characters.
   */
  dimensions?: Record<string, string>;
  /** How often a session reports while it plays, ms. Default 10 000. */
  intervalMs?: number;
}

/** Options of {@link OnAirClient}. */
export interface OnAirClientOptions {
  /**
   * Base URL of the OnAir server, e.g. `https://live.example.com`. In a browser
   * it may be relative (`'/'`, `'/api'`) for a server mounted on the page's own
   * origin; it resolves against `location.origin`. A path in it prefixes every
   * route (REST, socket.io, HLS). Outside a browser a relative URL throws
   * `BAD_REQUEST`.
   */
  baseUrl: string;
  /**
   * The user's token from your backend, or a function returning it. The
   * function is called once per token lifetime, shared by REST and realtime:
   * a token is reused until 80 % of its lifetime (read from its `exp`), one
   * without a readable `exp` for 5 s, and a request refused with 401 asks once
   * more. Concurrent requests share one call.
   */
  token?: TokenProvider;
  /** Share a TanStack `QueryClient` with the host app. Default: a new one. */
  queryClient?: QueryClient;
  /** `fetch` implementation. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  /**
   * Loads socket.io-client on the first realtime use. Default: a dynamic
   * `import('socket.io-client')`, so a page pays for it only once it
   * connects; pass `async () => io` to bundle it eagerly.
   */
  loadSocketIo?: RealtimeOptions['loadSocketIo'];
  /**
   * View analytics settings: a Player tracked with `viewAnalyticsOf(client)`
   * (`@onair/core/analytics`) reports its QoE (startup, stalls, bitrate,
   * errors) to the server. Every session, nothing personal by default;
   * `{ enabled: false }` opts out, `sampleRate` reports a share, `userId` and
   * `dimensions` add the host's own.
   */
  analytics?: AnalyticsOptions;
}

/**
 * Entry point of the OnAir SDK: REST through TanStack Query, realtime through
 * socket.io. Create one per signed-in user and share it.
 *
 * @example
 * ```ts
 * const client = new OnAirClient({ baseUrl: 'https://live.example.com', token: () => getToken() });
 * const { stream, streamKey } = await client.streams.create({ title: 'Office hours' });
 * ```
 */
export class OnAirClient {
  /** Absolute base URL of the server (no trailing slash). */
  readonly baseUrl: string;
  /** The TanStack query client holding REST results. */
  readonly queryClient: QueryClient;
  /** The realtime connection (connects on first use). */
  readonly realtime: RealtimeConnection;
  /** Streams REST API. */
  readonly streams: StreamsApi;
  /** Channels and follows. */
  readonly channels: ChannelsApi;
  /** Notifications, follow levels, reminders and followers. */
  readonly notifications: NotificationsApi;
  /** The `analytics` option: view analytics settings (`analytics/` reads them). */
  readonly analyticsOptions: AnalyticsOptions;
  /** The `fetch` every request of this client goes through. */
  readonly fetch: typeof fetch;
  private readonly offStreamUpdates: () => void;

  constructor(options: OnAirClientOptions) {
    this.baseUrl = absoluteBase(options.baseUrl);
    this.queryClient = options.queryClient ?? new QueryClient();
    const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const tokens = new TokenCache(options.token);
    const rest = new RestTransport(this.baseUrl, tokens, fetchImpl);
    this.#rest = rest;
    this.realtime = new RealtimeConnection(
      this.baseUrl,
      tokens,
      options.loadSocketIo ? { loadSocketIo: options.loadSocketIo } : {},
    );
    this.streams = new StreamsApi(rest, this.queryClient);
    this.channels = new ChannelsApi(rest, this.queryClient);
    this.notifications = new NotificationsApi(rest, this.realtime);
    this.analyticsOptions = options.analytics ?? {};
    this.fetch = fetchImpl;
    // Stream updates pushed over realtime keep cached queries current (no polling).
    const offs = [
      this.realtime.on('stream:updated', (stream) => this.streams.applyUpdate(stream)),
      this.realtime.on('stream:access-revoked', ({ streamId }) => this.streams.revoke(streamId)),
    ];
    this.offStreamUpdates = () => {
      for (const off of offs) off();
    };
  }

  private destroyed = false;
  readonly #rest: RestTransport;

  /**
   * Calls a REST route of the server (`path` under the base URL) with the
   * client's token, and parses the answer with `schema`: for routes no API
   * object wraps (`streamAnalytics` in `@onair/core/analytics` uses it).
   * Failures reject with typed `OnAirError`s, as every call does.
   */
  request<S extends z.ZodMiniType>(
    schema: S,
    path: string,
    init: RestRequest = {},
  ): Promise<z.output<S>> {
    return this.#rest.request(schema, path, init);
  }

  /**
   * Calls a REST route whose answer is not JSON (the analytics CSV exports)
   * with the client's token, and resolves with the body as text and the
   * response's headers. Token renewal and typed `OnAirError`s are the same
   * as {@link request}'s.
   *
   * @example
   * ```ts
   * const { text } = await client.requestText(`/v1/streams/${streamId}/analytics.csv`);
   * ```
   */
  requestText(path: string, init: RestRequest = {}): Promise<TextResponse> {
    return this.#rest.requestText(path, init);
  }

  /**
   * Resolves a server-relative URL (such as a stream's `hlsUrl`) under the
   * base URL, keeping its path (`/api` + `/hls/…`). Absolute URLs are kept.
   */
  resolveUrl(path: string): string {
    return urlUnder(this.baseUrl, path);
  }

  /** Closes the realtime connection and clears the cache. Idempotent. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.offStreamUpdates();
    this.realtime.close();
    this.queryClient.clear();
  }
}

/** `baseUrl` made absolute: against the page's origin in a browser, else it must be absolute. */
function absoluteBase(baseUrl: string): string {
  try {
    return new URL(baseUrl, (globalThis as { location?: Location }).location?.origin).href.replace(
      /\/+$/,
      '',
    );
  } catch (cause) {
    throw new OnAirError(
      'BAD_REQUEST',
      `baseUrl "${baseUrl}" is not an absolute URL: outside a browser, pass one such as https://live.example.com`,
      undefined,
      { cause },
    );
  }
}
