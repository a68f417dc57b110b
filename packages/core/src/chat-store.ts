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
    this.setSnapshot(INITIAL);
  }

  private async join(): Promise<void> {
    if (this.snapshot.status !== 'joined') this.update({ status: 'joining', error: null });
    try {
      const joined = await this.client.realtime.request('stream:join', { streamId: this.streamId });
      if (!this.hasListeners()) return;
      this.update({
        status: 'joined',
        stream: joined.stream,
        viewerCount: joined.viewerCount,
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

  /** Removes a failed optimistic message. */
  dismiss(id: string): void {
    this.update({ messages: this.snapshot.messages.filter((m) => m.id !== id) });
  }

  private merge(incoming: readonly ChatMessage[]): void {
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
    this.update({ messages: this.trim(messages) });
  }

  private trim(messages: ChatEntry[]): ChatEntry[] {
    return messages.length > this.maxMessages ? messages.slice(-this.maxMessages) : messages;
  }

  private update(patch: Partial<ChatState>): void {
    this.setSnapshot({ ...this.snapshot, ...patch });
  }
}
