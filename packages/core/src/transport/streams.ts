import {
  type CreatedStream,
  CreatedStreamSchema,
  type CreateStreamRequest,
  type RotatedStreamKey,
  RotatedStreamKeySchema,
  type Stream,
  StreamInvitesSchema,
  type StreamListRequest,
  type StreamPage,
  StreamPageSchema,
  StreamSchema,
  type UpdateStreamInput,
} from '@onair/protocol';
import type { QueryClient } from '@tanstack/query-core';
import type { RestTransport } from './rest.js';

/** How often a list ranked by viewers is fetched again while observed, ms. */
const RANKING_REFRESH_MS = 30_000;
/** Stable TanStack Query keys of stream queries. */
export const streamKeys = {
  all: ['onair', 'streams'] as const,
  lists: () => [...streamKeys.all, 'list'] as const,
  list: (query: StreamListRequest) => [...streamKeys.lists(), normaliseQuery(query)] as const,
  mine: () => [...streamKeys.lists(), 'mine'] as const,
  /** @deprecated use `list({ status: 'live', limit })` */
  live: (limit = 20) => streamKeys.list({ status: 'live', limit }),
  detail: (id: string) => [...streamKeys.all, 'detail', id] as const,
};

function normaliseQuery(query: StreamListRequest): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {
    status: query.status ?? 'live',
    limit: Number(query.limit ?? 20),
  };
  if (query.channel) out.channel = query.channel;
  if (query.category) out.category = query.category;
  if (query.externalId) out.externalId = query.externalId;
  if (query.q) out.q = query.q;
  if (query.tag) out.tag = query.tag;
  if (query.following !== undefined) out.following = query.following;
  if (query.recorded !== undefined) out.recorded = query.recorded;
  // `recent` is the server's default: the same list, the same cache entry.
  if (query.sort && query.sort !== 'recent') out.sort = query.sort;
  return out;
}

function listParams(query: StreamListRequest, cursor?: string): URLSearchParams {
  const normal = normaliseQuery(query);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(normal)) params.set(key, String(value));
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** The streams REST API, with results kept in the client's query cache. */
export class StreamsApi {
  constructor(
    private readonly rest: RestTransport,
    private readonly queryClient: QueryClient,
  ) {}

  /** Creates (or schedules) a stream. The returned `streamKey` is shown only this once. */
  async create(input: CreateStreamRequest): Promise<CreatedStream> {
    const created = await this.rest.request(CreatedStreamSchema, '/v1/streams', {
      method: 'POST',
      body: input,
    });
    this.queryClient.setQueryData(streamKeys.detail(created.stream.id), created.stream);
    void this.queryClient.invalidateQueries({ queryKey: streamKeys.lists() });
    return created;
  }

  /** Fetches one stream. */
  get(id: string, signal?: AbortSignal): Promise<Stream> {
    return this.rest.request(StreamSchema, `/v1/streams/${encodeURIComponent(id)}`, { signal });
  }

  /** One page of a list: live (default), scheduled or past, filtered by channel or category. */
  list(query: StreamListRequest = {}, cursor?: string, signal?: AbortSignal): Promise<StreamPage> {
    return this.rest.request(StreamPageSchema, `/v1/streams?${listParams(query, cursor)}`, {
      signal,
    });
  }

  /** One page of live public streams. */
  listLive(
    options: { limit?: number; cursor?: string } = {},
    signal?: AbortSignal,
  ): Promise<StreamPage> {
    return this.list({ status: 'live', limit: options.limit ?? 20 }, options.cursor, signal);
  }

  /** The signed-in user's own streams, all statuses. */
  listMine(
    options: { limit?: number; cursor?: string } = {},
    signal?: AbortSignal,
  ): Promise<StreamPage> {
    const params = new URLSearchParams({ limit: String(options.limit ?? 20) });
    if (options.cursor) params.set('cursor', options.cursor);
    return this.rest.request(StreamPageSchema, `/v1/me/streams?${params}`, { signal });
  }

  /**
   * Edits a stream optimistically: the cached stream changes at once and is
   * rolled back if the server refuses (the promise then rejects with the
   * typed error).
   */
  async update(id: string, patch: UpdateStreamInput): Promise<Stream> {
    const key = streamKeys.detail(id);
    await this.queryClient.cancelQueries({ queryKey: key });
    const previous = this.queryClient.getQueryData<Stream>(key);
    if (previous) {
      const chat = Object.fromEntries(
        Object.entries(patch.chat ?? {}).filter(([, value]) => value !== undefined),
      ) as Partial<Stream['chat']>;
      this.queryClient.setQueryData<Stream>(key, {
        ...previous,
        ...(patch as Partial<Stream>),
        chat: { ...previous.chat, ...chat },
      });
    }
    try {
      const stream = await this.rest.request(
        StreamSchema,
        `/v1/streams/${encodeURIComponent(id)}`,
        {
          method: 'PATCH',
          body: patch,
        },
      );
      this.applyUpdate(stream);
      return stream;
    } catch (error) {
      if (previous) this.queryClient.setQueryData(key, previous);
      throw error;
    }
  }

  /**
   * Uploads the stream's thumbnail (owner; a JPEG, PNG or WebP image of at
   * most 5 MB, which the server stores as a JPEG of at most 1280×720 without
   * its metadata) and resolves with the stream and its new `thumbnailUrl`.
   */
  async uploadThumbnail(id: string, image: Blob): Promise<Stream> {
    const stream = await this.rest.request(
      StreamSchema,
      `/v1/streams/${encodeURIComponent(id)}/thumbnail`,
      { method: 'PUT', body: image },
    );
    this.applyUpdate(stream);
    return stream;
  }

  /** Goes live (owner only). */
  start(id: string): Promise<Stream> {
    return this.transition(id, 'start');
  }

  /** Ends the stream (owner only). */
  end(id: string): Promise<Stream> {
    return this.transition(id, 'end');
  }

  /** Cancels a scheduled stream (owner only). */
  cancel(id: string): Promise<Stream> {
    return this.transition(id, 'cancel');
  }

  /** Issues a new stream key (shown once); a live publisher using the old one is disconnected. */
  rotateKey(id: string): Promise<RotatedStreamKey> {
    return this.rest.request(RotatedStreamKeySchema, `/v1/streams/${encodeURIComponent(id)}/key`, {
      method: 'POST',
    });
  }

  /** The invite list of a private stream. */
  async invites(id: string): Promise<string[]> {
    return (
      await this.rest.request(StreamInvitesSchema, `/v1/streams/${encodeURIComponent(id)}/invites`)
    ).userIds;
  }

  /** Replaces the invite list of a private stream. */
  async setInvites(id: string, userIds: string[]): Promise<string[]> {
    const result = await this.rest.request(
      StreamInvitesSchema,
      `/v1/streams/${encodeURIComponent(id)}/invites`,
      {
        method: 'PUT',
        body: { userIds },
      },
    );
    return result.userIds;
  }

  /** Query options for one stream, for `QueryObserver` or framework adapters. */
  detailQuery(id: string) {
    return {
      queryKey: streamKeys.detail(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => this.get(id, signal),
    };
  }

  /**
   * Query options for the first page of a list. A ranking by viewers
   * (`sort: 'viewers'`) is fetched again every 30 s while observed: viewer
   * counts change without an event.
   */
  listQuery(query: StreamListRequest = {}) {
    return {
      queryKey: streamKeys.list(query),
      queryFn: ({ signal }: { signal: AbortSignal }) => this.list(query, undefined, signal),
      // Viewer counts change without an event: a ranking by them is fetched again.
      refetchInterval: query.sort === 'viewers' ? RANKING_REFRESH_MS : (false as const),
    };
  }

  /** Query options for the first page of live streams. */
  liveQuery(limit = 20) {
    return this.listQuery({ status: 'live', limit });
  }

  /** Puts a stream pushed over realtime into the cache; lists refetch when it changed. */
  applyUpdate(stream: Stream): void {
    const previous = this.queryClient.getQueryData<Stream>(streamKeys.detail(stream.id));
    this.queryClient.setQueryData(streamKeys.detail(stream.id), stream);
    if (previous?.status !== stream.status || previous?.updatedAt !== stream.updatedAt) {
      void this.queryClient.invalidateQueries({ queryKey: streamKeys.lists() });
    }
  }

  /**
   * Forgets a stream the caller may no longer see (realtime
   * `stream:access-revoked`): its cached copy and signed URLs are dropped and
   * refetched (which now fails), lists refetch.
   */
  revoke(id: string): void {
    void this.queryClient.resetQueries({ queryKey: streamKeys.detail(id) });
    void this.queryClient.invalidateQueries({ queryKey: streamKeys.lists() });
  }

  private async transition(id: string, action: 'start' | 'end' | 'cancel'): Promise<Stream> {
    const stream = await this.rest.request(
      StreamSchema,
      `/v1/streams/${encodeURIComponent(id)}/${action}`,
      { method: 'POST' },
    );
    this.applyUpdate(stream);
    return stream;
  }
}
