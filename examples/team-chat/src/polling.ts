import { useEffect, useRef, useState } from 'react';
import type { Channel, Message } from '../shared/api.js';
import { AppError, api } from './api.js';

/** How often pages ask for new messages and channel state, ms. */
export const POLL_MS = 1200;

/**
 * Runs `action` now and every {@link POLL_MS} until unmounted or `key`
 * changes (then it starts again). Calls never overlap: a tick while one is in
 * flight is skipped, and a restart aborts the call in flight (`signal`). A 401
 * stops polling and calls `onUnauthorized` (the session is over); other
 * failures wait for the next tick.
 */
function usePolling(
  action: (signal: AbortSignal) => Promise<void>,
  key: string,
  onUnauthorized: () => void,
): void {
  const latest = useRef({ action, onUnauthorized });
  latest.current = { action, onUnauthorized };
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` restarts the loop; the callbacks are read through a ref
  useEffect(() => {
    const controller = new AbortController();
    let inFlight = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    const stop = () => {
      clearInterval(timer);
      controller.abort();
    };
    const tick = async () => {
      if (inFlight || controller.signal.aborted) return;
      inFlight = true;
      try {
        await latest.current.action(controller.signal);
      } catch (error) {
        if (error instanceof AppError && error.status === 401 && !controller.signal.aborted) {
          stop();
          latest.current.onUnauthorized();
        }
      } finally {
        inFlight = false;
      }
    };
    timer = setInterval(() => void tick(), POLL_MS);
    void tick();
    return stop;
  }, [key]);
}

/**
 * The channels, refreshed by polling (what is live in each changes);
 * `onUnauthorized` is called once the session is over.
 */
export function useChannels(onUnauthorized: () => void): Channel[] {
  const [channels, setChannels] = useState<Channel[]>([]);
  usePolling(
    async (signal) => {
      const list = await api.channels(signal);
      if (!signal.aborted) setChannels(list);
    },
    'channels',
    onUnauthorized,
  );
  return channels;
}

/** What {@link useMessages} returns. */
export interface ChannelMessages {
  messages: Message[];
  /** Adds a message the page sent (skipped if polling brought it already). */
  add(message: Message): void;
}

/** Merges messages by id, in id order. */
function merge(known: Message[], more: Message[]): Message[] {
  const ids = new Set(known.map((message) => message.id));
  const fresh = more.filter((message) => !ids.has(message.id));
  return fresh.length ? [...known, ...fresh].sort((a, b) => a.id - b.id) : known;
}

/**
 * A channel's messages: all kept ones, then newer ones (`?after=`) by polling;
 * `onUnauthorized` is called once the session is over.
 */
export function useMessages(channelId: string, onUnauthorized: () => void): ChannelMessages {
  const [state, setState] = useState<{ channelId: string; messages: Message[] }>({
    channelId,
    messages: [],
  });
  const current = state.channelId === channelId ? state.messages : [];
  const lastId = current.at(-1)?.id ?? 0;
  const lastRef = useRef(lastId);
  lastRef.current = lastId;
  usePolling(
    async (signal) => {
      const more = await api.messages(channelId, lastRef.current, signal);
      // Another channel opened meanwhile: these are not its messages.
      if (signal.aborted) return;
      setState((previous) => ({
        channelId,
        messages: merge(previous.channelId === channelId ? previous.messages : [], more),
      }));
    },
    channelId,
    onUnauthorized,
  );
  return {
    messages: current,
    add: (message) =>
      setState((previous) =>
        previous.channelId === message.channelId
          ? { channelId: previous.channelId, messages: merge(previous.messages, [message]) }
          : previous,
      ),
  };
}
