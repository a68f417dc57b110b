import type {
  ChatMessage,
  ClientRequest,
  ClientRequestName,
  ClientResponse,
  JoinedStream,
  Restricted,
  Stream,
} from '@onair/protocol';
import { OnAirError } from '../errors.js';
import { Subscribable } from '../subscribable.js';
import type { OnAirClient } from '../transport/client.js';
import type { RoomLease } from '../transport/realtime.js';

/** A chat message as shown: confirmed, pending (optimistic) or failed. */
export interface ChatEntry extends ChatMessage {
  /** `sent` once the server stored it. */
  delivery: 'pending' | 'sent' | 'failed';
}

/** Snapshot of a {@link ChatStore}. */
export interface ChatState {
  status: 'idle' | 'joining' | 'joined' | 'error';
  stream: Stream | null;
  messages: readonly ChatEntry[];
  viewerCount: number;
  /** The caller's ban or timeout in this channel. */
  restricted: Restricted | null;
  /** When the caller may send again (ms since epoch) under slow mode or the rate limit; null when now. */
  cooldownUntil: number | null;
  /** Lines for the caller only: results of moderator commands. Newest last. */
  notices: readonly string[];
  /** The stream's pinned message. */
  pinned: ChatMessage | null;
  /** Older history exists: call `loadOlder()`. */
  hasOlder: boolean;
  loadingOlder: boolean;
  error: OnAirError | null;
}

/** Options of {@link ChatStore}. */
export interface ChatStoreOptions {
  /** Most messages kept in memory; older ones are dropped. Default 500. */
  maxMessages?: number;
}

const INITIAL: ChatState = {
  status: 'idle',
  stream: null,
  messages: [],
  viewerCount: 0,
  restricted: null,
  cooldownUntil: null,
  notices: [],
  pinned: null,
  hasOlder: false,
  loadingOlder: false,
  error: null,
};

/**
 * Chat and viewer count of one stream. Joins the stream's room when the first
 * listener subscribes and leaves when the last one goes; rejoins and merges
 * history after a reconnection that could not be recovered.
 *
 * @example
 * ```ts
 * const chat = new ChatStore(client, streamId);
 * const off = chat.subscribe((state) => render(state.messages));
 * await chat.send('hello');
 * ```
 */
export class ChatStore extends Subscribable<ChatState> {
  protected snapshot: ChatState = INITIAL;
  readonly #maxMessages: number;
  #cleanups: Array<() => void> = [];
  #historyCursor: string | null = null;
  /** Numbers this store's optimistic messages until the server gives them ids. */
  #sentCount = 0;

  readonly #client: OnAirClient;

  constructor(
    client: OnAirClient,
    readonly streamId: string,
    options: ChatStoreOptions = {},
  ) {
    super();
    this.#client = client;
    this.#maxMessages = options.maxMessages ?? 500;
  }

  #lease: RoomLease | undefined;
  #inbox: ChatMessage[] = [];
  #idIndex: { messages: readonly ChatEntry[]; ids: Set<string> } | undefined;

  protected override onSubscribe(): void {
    const { realtime } = this.#client;
    this.update({ status: 'joining', error: null });
    const lease = realtime.holdRoom(this.streamId, () => this.#lastConfirmedId());
    this.#lease = lease;
    lease.joined.then(
      (joined) => {
        if (this.#lease === lease) this.#applyJoin(joined, false);
      },
      (error: unknown) => {
        if (this.#lease === lease) this.update({ status: 'error', error: OnAirError.from(error) });
      },
    );
    const mine = (streamId: string) => streamId === this.streamId;
    this.#cleanups = [
      lease.onRejoin((joined) => this.#applyJoin(joined, true)),
      lease.onRejoinError((error) => this.update({ status: 'error', error })),
      () => lease.release(),
      realtime.on('chat:message', (message) => {
        if (!mine(message.streamId)) return;
        // A batch frame dispatches its messages back to back: merge them once.
        if (this.#inbox.push(message) === 1) {
          queueMicrotask(() => {
            const batch = this.#inbox;
            this.#inbox = [];
            if (this.hasListeners()) this.#merge(batch);
          });
        }
      }),
      realtime.on('viewers:count', ({ streamId, count }) => {
        if (mine(streamId)) this.update({ viewerCount: count });
      }),
      realtime.on('stream:updated', (stream) => {
        if (stream.id === this.streamId) this.update({ stream });
      }),
      realtime.on('chat:deleted', ({ streamId, messageId }) => {
        if (!mine(streamId)) return;
        this.update({
          messages: this.snapshot.messages.filter((m) => m.id !== messageId),
          ...(this.snapshot.pinned?.id === messageId ? { pinned: null } : {}),
        });
      }),
      realtime.on('chat:userCleared', ({ streamId, userId }) => {
        if (!mine(streamId)) return;
        this.update({
          messages: this.snapshot.messages.filter((m) => userId !== null && m.author.id !== userId),
          ...(userId === null || this.snapshot.pinned?.author.id === userId
            ? { pinned: null }
            : {}),
        });
      }),
      realtime.on('chat:pinned', ({ streamId, message }) => {
        if (mine(streamId)) this.update({ pinned: message });
      }),
      realtime.on('moderation:restricted', (restricted) => {
        if (mine(restricted.streamId)) this.update({ restricted });
      }),
    ];
  }

  protected override onUnsubscribe(): void {
    for (const cleanup of this.#cleanups) cleanup();
    this.#cleanups = [];
    this.#lease = undefined;
    this.#historyCursor = null;
    this.setSnapshot(INITIAL);
  }

  #lastConfirmedId(): string | undefined {
    const { messages } = this.snapshot;
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i] as ChatEntry;
      if (message.delivery === 'sent') return message.id;
    }
    return undefined;
  }

  #applyJoin(joined: JoinedStream, rejoin: boolean): void {
    if (!this.hasListeners()) return;
    // Only the first join sets the history cursor; a rejoin merges what was missed.
    if (!rejoin || joined.gap) this.#historyCursor = joined.historyCursor;
    const keep = joined.gap ? this.snapshot.messages.filter((m) => m.delivery !== 'sent') : null;
    this.update({
      status: 'joined',
      stream: joined.stream,
      viewerCount: joined.viewers.count,
      pinned: joined.pinned,
      restricted: joined.restricted,
      hasOlder: this.#historyCursor !== null,
      error: null,
      ...(keep ? { messages: keep } : {}),
    });
    this.#merge(joined.recentMessages);
  }

  /**
   * Sends a message. It shows at once as `pending`, becomes `sent` when the
   * server acknowledges it, or `failed` (and the promise rejects with a typed
   * error such as `RATE_LIMITED` or `VALIDATION_FAILED`).
   */
  async send(text: string): Promise<ChatMessage | null> {
    if (text.trim().startsWith('/')) {
      await this.command(text.trim());
      return null;
    }
    const clientId = `local_${++this.#sentCount}`;
    const optimistic: ChatEntry = {
      id: clientId,
      streamId: this.streamId,
      author: { id: 'me', displayName: '', badges: [] },
      text: text.trim(),
      createdAt: new Date().toISOString(),
      delivery: 'pending',
    };
    this.update({ messages: this.#trim([...this.snapshot.messages, optimistic]) });
    try {
      const message = await this.#request('chat:send', { text, clientId });
      const without = this.snapshot.messages.filter((m) => m.id !== clientId);
      const slow = this.snapshot.stream?.chat.slowModeSeconds ?? 0;
      const exempt = message.author.badges.some(
        (b) => b === 'owner' || b === 'moderator' || b === 'admin',
      );
      this.update({
        messages: without,
        cooldownUntil: slow > 0 && !exempt ? Date.now() + slow * 1000 : null,
      });
      this.#merge([message]);
      return message;
    } catch (error) {
      const failure = OnAirError.from(error);
      this.update({
        messages: this.snapshot.messages.map((m) =>
          m.id === clientId ? { ...m, delivery: 'failed' } : m,
        ),
        error: failure,
        ...(typeof failure.details?.retryAfterSeconds === 'number'
          ? { cooldownUntil: Date.now() + failure.details.retryAfterSeconds * 1000 }
          : {}),
      });
      throw failure;
    }
  }

  /** Loads the page of history before the oldest message shown. */
  async loadOlder(limit = 50): Promise<void> {
    if (!this.#historyCursor || this.snapshot.loadingOlder) return;
    this.update({ loadingOlder: true });
    try {
      const page = await this.#request('chat:history', { before: this.#historyCursor, limit });
      this.#historyCursor = page.nextCursor;
      this.update({ loadingOlder: false, hasOlder: page.nextCursor !== null });
      this.#merge(page.items, this.#maxMessages + page.items.length);
    } catch (error) {
      this.update({ loadingOlder: false, error: OnAirError.from(error) });
    }
  }

  /** Removes a message for everyone (the channel's owner and moderators). */
  async delete(messageId: string): Promise<void> {
    await this.#request('chat:delete', { messageId });
  }

  /** Pins a message for everyone, or unpins with null (owner and moderators). */
  async pin(messageId: string | null): Promise<void> {
    await this.#request('chat:pin', { messageId });
  }

  /**
   * Runs a moderator command such as `/slow 30`, `/ban name` or `/clear`;
   * its result is added to `notices`. Rejects with a typed error.
   */
  async command(command: string): Promise<string> {
    try {
      const { notice } = await this.#request('moderation:command', { command });
      this.update({ notices: [...this.snapshot.notices, notice].slice(-20) });
      return notice;
    } catch (error) {
      const failure = OnAirError.from(error);
      this.update({ error: failure });
      throw failure;
    }
  }

  /** Times a user out for `seconds` (owner and moderators). */
  async timeout(userId: string, seconds: number): Promise<void> {
    await this.#request('moderation:timeout', { userId, seconds });
  }

  /** Bans a user from the channel's chat: their messages go and they are disconnected. */
  async ban(userId: string, reason?: string): Promise<void> {
    await this.#request('moderation:ban', { userId, ...(reason ? { reason } : {}) });
  }

  /** Lifts a ban or timeout. */
  async unban(userId: string): Promise<void> {
    await this.#request('moderation:unban', { userId });
  }

  /** Removes a failed optimistic message. */
  dismiss(id: string): void {
    this.update({ messages: this.snapshot.messages.filter((m) => m.id !== id) });
  }

  /** Sends a realtime request about this stream (`streamId` is added to `fields`). */
  #request<K extends ClientRequestName>(
    name: K,
    fields: Omit<ClientRequest<K>, 'streamId'>,
  ): Promise<ClientResponse<K>> {
    return this.#client.realtime.request(name, {
      streamId: this.streamId,
      ...fields,
    } as ClientRequest<K>);
  }

  #merge(incoming: readonly ChatMessage[], keep = this.#maxMessages): void {
    const current = this.snapshot.messages;
    const fresh = incoming
      .filter((m) => !this.#knows(m.id))
      .map((m): ChatEntry => ({ ...m, delivery: 'sent' }));
    if (fresh.length === 0) return;
    const last = current.at(-1);
    const inOrder =
      (!last ||
        (last.delivery === 'sent' && last.createdAt <= (fresh[0] as ChatEntry).createdAt)) &&
      fresh.every((m, i) => i === 0 || (fresh[i - 1] as ChatEntry).createdAt <= m.createdAt);
    // Live messages arrive in order: append. History and resyncs are sorted in.
    const messages = inOrder
      ? [...current, ...fresh]
      : [...current, ...fresh].sort((a, b) => {
          // Pending messages stay at the end until confirmed.
          if (a.delivery !== 'sent' || b.delivery !== 'sent') return 0;
          return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
        });
    this.update({ messages: this.#trim(messages, keep) });
  }

  /** Whether a message is held; recent ids are checked first (live messages are new). */
  #knows(id: string): boolean {
    const { messages } = this.snapshot;
    if (this.#idIndex?.messages !== messages) {
      this.#idIndex = { messages, ids: new Set(messages.map((m) => m.id)) };
    }
    return this.#idIndex.ids.has(id);
  }

  #trim(messages: ChatEntry[], keep = this.#maxMessages): ChatEntry[] {
    return messages.length > keep ? messages.slice(-keep) : messages;
  }
}
