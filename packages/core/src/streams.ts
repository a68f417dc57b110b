import {
  type CreatedStream,
  CreatedStreamSchema,
  type CreateStreamRequest,
  type Stream,
  type StreamPage,
  StreamPageSchema,
  StreamSchema,
} from '@onair/protocol';
import type { QueryClient } from '@tanstack/query-core';
import type { RestTransport } from './rest.js';

/** Stable TanStack Query keys of stream queries. */
export const streamKeys = {
  all: ['onair', 'streams'] as const,
  lists: () => [...streamKeys.all, 'list'] as const,
  live: (limit = 20) => [...streamKeys.lists(), 'live', { limit }] as const,
  detail: (id: string) => [...streamKeys.all, 'detail', id] as const,
};

/** The streams REST API, with results kept in the client's query cache. */
export class StreamsApi {
  constructor(
    private readonly rest: RestTransport,
    private readonly queryClient: QueryClient,
  ) {}

  /** Creates a stream. The returned `streamKey` is shown only this once. */
  async create(input: CreateStreamRequest): Promise<CreatedStream> {
    const created = await this.rest.request(CreatedStreamSchema, '/v1/streams', {
      method: 'POST',
      body: input,
    });
    this.queryClient.setQueryData(streamKeys.detail(created.stream.id), created.stream);
    return created;
  }

  /** Fetches one stream. */
  get(id: string, signal?: AbortSignal): Promise<Stream> {
    return this.rest.request(StreamSchema, `/v1/streams/${encodeURIComponent(id)}`, { signal });
  }

  /** One page of live public streams, newest first. */
  listLive(
    options: { limit?: number; cursor?: string } = {},
    signal?: AbortSignal,
  ): Promise<StreamPage> {
    const params = new URLSearchParams({ status: 'live', limit: String(options.limit ?? 20) });
    if (options.cursor) params.set('cursor', options.cursor);
    return this.rest.request(StreamPageSchema, `/v1/streams?${params}`, { signal });
  }

  /** Goes live (owner only). */
  start(id: string): Promise<Stream> {
    return this.transition(id, 'start');
  }

  /** Ends the stream (owner only). */
  end(id: string): Promise<Stream> {
    return this.transition(id, 'end');
  }

  /** Query options for one stream, for `QueryObserver` or framework adapters. */
  detailQuery(id: string) {
    return {
      queryKey: streamKeys.detail(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => this.get(id, signal),
    };
  }

  /** Query options for the first page of live streams. */
  liveQuery(limit = 20) {
    return {
      queryKey: streamKeys.live(limit),
      queryFn: ({ signal }: { signal: AbortSignal }) => this.listLive({ limit }, signal),
    };
  }

  /** Puts a stream pushed over realtime into the cache; lists refetch when status changes. */
  applyUpdate(stream: Stream): void {
    const previous = this.queryClient.getQueryData<Stream>(streamKeys.detail(stream.id));
    this.queryClient.setQueryData(streamKeys.detail(stream.id), stream);
    if (previous?.status !== stream.status) {
      void this.queryClient.invalidateQueries({ queryKey: streamKeys.lists() });
    }
  }

  private async transition(id: string, action: 'start' | 'end'): Promise<Stream> {
    const stream = await this.rest.request(
      StreamSchema,
      `/v1/streams/${encodeURIComponent(id)}/${action}`,
      { method: 'POST' },
    );
    this.applyUpdate(stream);
    return stream;
  }
}
