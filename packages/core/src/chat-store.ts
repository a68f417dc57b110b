import type { ChatMessage, Stream } from '@onair/protocol';
import type { OnAirClient } from './client.js';
import { OnAirError } from './errors.js';
import { Subscribable } from './subscribable.js';

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
  pinned: null,
  hasOlder: false,
  loadingOlder: false,
  error: null,
};

let localCounter = 0;

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
  private readonly maxMessages: number;
  private cleanups: Array<() => void> = [];
  private historyCursor: string | null = null;

  constructor(
    private readonly client: OnAirClient,
    readonly streamId: string,
    options: ChatStoreOptions = {},
  ) {
    super();
    this.maxMessages = options.maxMessages ?? 500;
  }

  protected override onSubscribe(): void {
    const { realtime } = this.client;
    this.cleanups = [
      realtime.on('chat:message', (message) => {
        if (message.streamId === this.streamId) this.merge([message]);
      }),
      realtime.on('viewers:count', ({ streamId, count }) => {
        if (streamId === this.streamId) this.update({ viewerCount: count });
      }),
      realtime.on('stream:updated', (stream) => {
        if (stream.id === this.streamId) this.update({ stream });
      }),
      realtime.on('chat:deleted', ({ streamId, messageId }) => {
        if (streamId !== this.streamId) return;
        this.update({
          messages: this.snapshot.messages.filter((m) => m.id !== messageId),
          ...(this.snapshot.pinned?.id === messageId ? { pinned: null } : {}),
        });
      }),
      realtime.on('chat:pinned', ({ streamId, message }) => {
        if (streamId === this.streamId) this.update({ pinned: message });
      }),
      realtime.onReconnect(() => void this.join()),
    ];
    void this.join();
  }

  protected override onUnsubscribe(): void {
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups = [];
    this.client.realtime
      .request('stream:leave', { streamId: this.streamId })
      .catch(() => undefined);
    this.historyCursor = null;
    this.setSnapshot(INITIAL);
  }

  private async join(): Promise<void> {
    if (this.snapshot.status !== 'joined') this.update({ status: 'joining', error: null });
    try {
      const joined = await this.client.realtime.request('stream:join', { streamId: this.streamId });
      if (!this.hasListeners()) return;
      // Only the first join sets the history cursor; a rejoin only merges new messages.
      if (this.snapshot.status !== 'joined' && this.snapshot.messages.length === 0) {
        this.historyCursor = joined.historyCursor;
      }
      this.update({
        status: 'joined',
        stream: joined.stream,
        viewerCount: joined.viewerCount,
        pinned: joined.pinned,
        hasOlder: this.historyCursor !== null,
        error: null,
      });
      this.merge(joined.recentMessages);
    } catch (error) {
      if (this.hasListeners()) this.update({ status: 'error', error: OnAirError.from(error) });
    }
  }

  /**
   * Sends a message. It shows at once as `pending`, becomes `sent` when the
   * server acknowledges it, or `failed` (and the promise rejects with a typed
   * error such as `RATE_LIMITED` or `VALIDATION_FAILED`).
   */
  async send(text: string): Promise<ChatMessage> {
    const clientId = `local_${++localCounter}`;
    const optimistic: ChatEntry = {
      id: clientId,
      streamId: this.streamId,
      author: { id: 'me', displayName: '', badges: [] },
      text: text.trim(),
      createdAt: new Date().toISOString(),
      delivery: 'pending',
    };
    this.update({ messages: this.trim([...this.snapshot.messages, optimistic]) });
    try {
      const message = await this.client.realtime.request('chat:send', {
        streamId: this.streamId,
        text,
        clientId,
      });
      const without = this.snapshot.messages.filter((m) => m.id !== clientId);
      this.update({ messages: without });
      this.merge([message]);
      return message;
    } catch (error) {
      const failure = OnAirError.from(error);
      this.update({
        messages: this.snapshot.messages.map((m) =>
          m.id === clientId ? { ...m, delivery: 'failed' } : m,
        ),
        error: failure,
      });
      throw failure;
    }
  }

  /** Loads the page of history before the oldest message shown. */
  async loadOlder(limit = 50): Promise<void> {
    if (!this.historyCursor || this.snapshot.loadingOlder) return;
    this.update({ loadingOlder: true });
    try {
      const page = await this.client.realtime.request('chat:history', {
        streamId: this.streamId,
        before: this.historyCursor,
        limit,
      });
      this.historyCursor = page.nextCursor;
      this.update({ loadingOlder: false, hasOlder: page.nextCursor !== null });
      this.merge(page.items, this.maxMessages + page.items.length);
    } catch (error) {
      this.update({ loadingOlder: false, error: OnAirError.from(error) });
    }
  }

  /** Removes a message for everyone (the channel's owner and moderators). */
  async delete(messageId: string): Promise<void> {
    await this.client.realtime.request('chat:delete', { streamId: this.streamId, messageId });
  }

  /** Pins a message for everyone, or unpins with null (owner and moderators). */
  async pin(messageId: string | null): Promise<void> {
    await this.client.realtime.request('chat:pin', { streamId: this.streamId, messageId });
  }

  /** Removes a failed optimistic message. */
  dismiss(id: string): void {
    this.update({ messages: this.snapshot.messages.filter((m) => m.id !== id) });
  }

  private merge(incoming: readonly ChatMessage[], keep = this.maxMessages): void {
    const known = new Set(this.snapshot.messages.map((m) => m.id));
    const fresh = incoming
      .filter((m) => !known.has(m.id))
      .map((m): ChatEntry => ({ ...m, delivery: 'sent' }));
    if (fresh.length === 0) return;
    const messages = [...this.snapshot.messages, ...fresh].sort((a, b) => {
      // Pending messages stay at the end until confirmed.
      if (a.delivery !== 'sent' || b.delivery !== 'sent') return 0;
      return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
    });
    this.update({ messages: this.trim(messages, keep) });
  }

  private trim(messages: ChatEntry[], keep = this.maxMessages): ChatEntry[] {
    return messages.length > keep ? messages.slice(-keep) : messages;
  }

  private update(patch: Partial<ChatState>): void {
    this.setSnapshot({ ...this.snapshot, ...patch });
  }
}
