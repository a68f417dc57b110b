/**
 * `@onair/core/clips`: clips of a stream, the last seconds of a live stream
 * or a range of its recording, cut by the server as MP4 with a poster
 * ({@link ClipsApi}), and a stream's clips kept as a list ({@link ClipStore}).
 * Its own entry: apps without clips load none of it.
 *
 * @example
 * ```ts
 * import { ClipsApi } from '@onair/core/clips';
 * const clips = new ClipsApi(client);
 * const clip = await clips.create(streamId, { title: 'That goal' });
 * video.src = client.resolveUrl(clip.url);
 * ```
 * @packageDocumentation
 */
import {
  type Clip,
  type ClipPage,
  ClipPageSchema,
  ClipSchema,
  type CreateClipInput,
} from '@onair/protocol/clips';
import { OnAirError } from './errors.js';
import { Subscribable } from './subscribable.js';
import type { OnAirClient } from './transport/client.js';

const streamClipsPath = (streamId: string) => `/v1/streams/${encodeURIComponent(streamId)}/clips`;
const clipPath = (id: string) => `/v1/clips/${encodeURIComponent(id)}`;

/**
 * The clips REST API over a client's token and typed errors. Anyone who may
 * see a stream may clip it, list its clips and open them; a clip's creator,
 * the stream's owner, its moderators and admins may delete one.
 */
export class ClipsApi {
  readonly #client: OnAirClient;

  constructor(client: OnAirClient) {
    this.#client = client;
  }

  /**
   * Cuts a clip and resolves once it is ready (a second or two): without
   * `startSeconds`, the last `durationSeconds` (default 30) of a live stream;
   * with it, that range of the recording. Rejects with `STREAM_NOT_LIVE` for
   * a stream with nothing to cut (scheduled, or ended without a recording),
   * `UNPROCESSABLE` for a range outside the recording, `RATE_LIMITED` when
   * the caller clips too often.
   */
  create(streamId: string, input: CreateClipInput = {}): Promise<Clip> {
    return this.#client.request(ClipSchema, streamClipsPath(streamId), {
      method: 'POST',
      body: input,
    });
  }

  /** A page of a stream's clips, newest first. */
  list(streamId: string, limit = 20, cursor?: string): Promise<ClipPage> {
    const query = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    return this.#client.request(ClipPageSchema, `${streamClipsPath(streamId)}${query}`);
  }

  /** One clip; `NOT_FOUND` for one the caller may not see. */
  get(id: string): Promise<Clip> {
    return this.#client.request(ClipSchema, clipPath(id));
  }

  /** Deletes a clip and its files (its creator, the stream's owner and staff). */
  async delete(id: string): Promise<void> {
    await this.#client.requestText(clipPath(id), { method: 'DELETE' });
  }
}

/** Snapshot of a {@link ClipStore}. */
export interface ClipState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Newest first: the pages loaded, and the clips made through this store since. */
  items: readonly Clip[];
  /** Whether older clips remain to load ({@link ClipStore.more}). */
  hasMore: boolean;
  /** Whether a clip is being cut ({@link ClipStore.create}). */
  creating: boolean;
  error: OnAirError | null;
}

const INITIAL: ClipState = {
  status: 'idle',
  items: [],
  hasMore: false,
  creating: false,
  error: null,
};

/**
 * A stream's clips: the newest page loads with the first listener; clips
 * made or deleted through the store change the list at once.
 */
export class ClipStore extends Subscribable<ClipState> {
  protected snapshot = INITIAL;
  /** The REST calls the store makes. */
  readonly api: ClipsApi;
  #cursor: string | null = null;
  #generation = 0;

  readonly #streamId: string;

  constructor(client: OnAirClient, streamId: string) {
    super();
    this.#streamId = streamId;
    this.api = new ClipsApi(client);
  }

  protected override onSubscribe(): void {
    void this.load();
  }

  protected override onUnsubscribe(): void {
    this.#generation++;
  }

  /** Loads the newest page again (the store does with its first listener). */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    if (this.snapshot.status !== 'ready') this.update({ status: 'loading' });
    try {
      const page = await this.api.list(this.#streamId);
      if (generation !== this.#generation) return;
      this.#cursor = page.nextCursor;
      this.update({
        status: 'ready',
        items: page.items,
        hasMore: page.nextCursor !== null,
        error: null,
      });
    } catch (error) {
      if (generation === this.#generation) {
        this.update({ status: 'error', error: OnAirError.from(error) });
      }
    }
  }

  /** Loads the next older page. */
  async more(): Promise<void> {
    const cursor = this.#cursor;
    if (!cursor) return;
    const page = await this.api.list(this.#streamId, undefined, cursor);
    this.#cursor = page.nextCursor;
    const known = new Set(this.snapshot.items.map((c) => c.id));
    this.update({
      items: [...this.snapshot.items, ...page.items.filter((c) => !known.has(c.id))],
      hasMore: page.nextCursor !== null,
    });
  }

  /**
   * Cuts a clip ({@link ClipsApi.create}) and puts it first in the list.
   * Rejects with the typed error, which `error` also holds.
   */
  async create(input: CreateClipInput = {}): Promise<Clip> {
    this.update({ creating: true, error: null });
    try {
      const clip = await this.api.create(this.#streamId, input);
      this.update({
        creating: false,
        items: [clip, ...this.snapshot.items.filter((c) => c.id !== clip.id)],
      });
      return clip;
    } catch (error) {
      const typed = OnAirError.from(error);
      this.update({ creating: false, error: typed });
      throw typed;
    }
  }

  /** Deletes a clip; it leaves the list at once and comes back if the server refuses. */
  async remove(id: string): Promise<void> {
    const before = this.snapshot.items;
    this.update({ items: before.filter((c) => c.id !== id) });
    try {
      await this.api.delete(id);
    } catch (error) {
      // Only this clip comes back: the list may have changed meanwhile.
      const clip = before.find((c) => c.id === id);
      if (clip && !this.snapshot.items.some((c) => c.id === id)) {
        const order = new Map(before.map((c, i) => [c.id, i]));
        const items = [...this.snapshot.items, clip].sort(
          (a, b) => (order.get(a.id) ?? -1) - (order.get(b.id) ?? -1),
        );
        this.update({ items });
      }
      throw OnAirError.from(error);
    }
  }
}
