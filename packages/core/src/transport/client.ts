import { QueryClient } from '@tanstack/query-core';
import { ChannelsApi } from './channels.js';
import { RealtimeConnection } from './realtime.js';
import { RestTransport, type TokenProvider } from './rest.js';
import { StreamsApi } from './streams.js';

/** Options of {@link OnAirClient}. */
export interface OnAirClientOptions {
  /** Base URL of the OnAir server, e.g. `https://live.example.com`. */
  baseUrl: string;
  /** The user's token from your backend, or a function returning it (called per request). */
  token?: TokenProvider;
  /** Share a TanStack `QueryClient` with the host app. Default: a new one. */
  queryClient?: QueryClient;
  /** `fetch` implementation. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
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
  /** Base URL of the server (no trailing slash). */
  readonly baseUrl: string;
  /** The TanStack query client holding REST results. */
  readonly queryClient: QueryClient;
  /** The realtime connection (connects on first use). */
  readonly realtime: RealtimeConnection;
  /** Streams REST API. */
  readonly streams: StreamsApi;
  /** Channels and follows. */
  readonly channels: ChannelsApi;
  private readonly offStreamUpdates: () => void;

  constructor(options: OnAirClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.queryClient = options.queryClient ?? new QueryClient();
    const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const rest = new RestTransport(this.baseUrl, options.token, fetchImpl);
    this.realtime = new RealtimeConnection(this.baseUrl, options.token);
    this.streams = new StreamsApi(rest, this.queryClient);
    this.channels = new ChannelsApi(rest, this.queryClient);
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

  /** Resolves a server-relative URL (such as a stream's `hlsUrl`) against the base URL. */
  resolveUrl(path: string): string {
    return new URL(path, `${this.baseUrl}/`).toString();
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
