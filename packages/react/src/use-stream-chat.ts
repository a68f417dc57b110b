import { type ChatState, ChatStore } from '@onair/core';
import { useStreamStore } from './use-external-store.js';

/** What {@link useStreamChat} returns. */
export interface StreamChat extends ChatState {
  /** Sends a message (optimistic; rejects with a typed OnAirError). */
  send: ChatStore['send'];
  /** Removes a failed message. */
  dismiss: ChatStore['dismiss'];
  /** The underlying store, to share with `<OnAirChat store>`. */
  store: ChatStore;
}

/**
 * Chat and viewer count of a stream. Joins the stream's room while mounted.
 *
 * @example
 * ```tsx
 * const { messages, viewerCount, send } = useStreamChat(streamId);
 * ```
 */
export function useStreamChat(streamId: string): StreamChat {
  return useStreamStore(ChatStore, streamId, (store) => ({
    send: (text: string) => store.send(text),
    dismiss: (id: string) => store.dismiss(id),
  }));
}
