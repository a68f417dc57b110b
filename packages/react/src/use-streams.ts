import {
  type OnAirError,
  type QueryState,
  QueryStore,
  type StreamListOptions,
  type StreamListState,
  StreamListStore,
} from '@onair/core';
import type {
  CreatedStream,
  CreateStreamRequest,
  RotatedStreamKey,
  Stream,
  UpdateStreamInput,
} from '@onair/protocol';
import { useCallback, useMemo, useState } from 'react';
import { useOnAirClient } from './provider.js';
import { useStore } from './use-external-store.js';

/** What {@link useStreams} returns. */
export interface UseStreamsResult extends StreamListState {
  loadMore: () => Promise<void>;
  refresh: () => Promise<void>;
}

/**
 * A list of streams (live by default, or scheduled or past; by channel or
 * category) that stays current over realtime.
 *
 * @example
 * ```tsx
 * const { streams, hasMore, loadMore } = useStreams({ status: 'scheduled', channel: userId });
 * ```
 */
export function useStreams(options: StreamListOptions = {}): UseStreamsResult {
  const client = useOnAirClient();
  const key = JSON.stringify(options);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the serialised options are the identity
  const store = useMemo(() => new StreamListStore(client, options), [client, key]);
  const state = useStore(store);
  return useMemo(
    () => ({ ...state, loadMore: () => store.loadMore(), refresh: () => store.refresh() }),
    [state, store],
  );
}

/**
 * One stream, kept current from the cache (edits, realtime updates).
 *
 * @example
 * ```tsx
 * const { data: stream, status } = useStream(streamId);
 * ```
 */
export function useStream(id: string): QueryState<Stream> {
  const client = useOnAirClient();
  const store = useMemo(
    () => new QueryStore(client.queryClient, client.streams.detailQuery(id)),
    [client, id],
  );
  return useStore(store);
}

/** State of an action started from a hook. */
export interface ActionState {
  pending: boolean;
  error: OnAirError | null;
}

/** Runs actions and tracks whether one is pending and the last error. */
export function useAction() {
  const [state, setState] = useState<ActionState>({ pending: false, error: null });
  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T> => {
    setState({ pending: true, error: null });
    try {
      const result = await action();
      setState({ pending: false, error: null });
      return result;
    } catch (error) {
      setState({ pending: false, error: error as OnAirError });
      throw error;
    }
  }, []);
  return [state, run] as const;
}

/** What {@link useCreateStream} returns. */
export interface UseCreateStreamResult extends ActionState {
  /** Creates or schedules a stream; the key in the result is shown only once. */
  create: (input: CreateStreamRequest) => Promise<CreatedStream>;
}

/** Creates streams. */
export function useCreateStream(): UseCreateStreamResult {
  const client = useOnAirClient();
  const [state, run] = useAction();
  const create = useCallback(
    (input: CreateStreamRequest) => run(() => client.streams.create(input)),
    [client, run],
  );
  return { ...state, create };
}

/** What {@link useStreamActions} returns. */
export interface UseStreamActionsResult extends ActionState {
  update: (patch: UpdateStreamInput) => Promise<Stream>;
  start: () => Promise<Stream>;
  end: () => Promise<Stream>;
  cancel: () => Promise<Stream>;
  rotateKey: () => Promise<RotatedStreamKey>;
}

/**
 * The owner's actions on a stream. Edits are optimistic: `useStream` shows
 * them at once and rolls back if the server refuses.
 */
export function useStreamActions(id: string): UseStreamActionsResult {
  const client = useOnAirClient();
  const [state, run] = useAction();
  return useMemo(
    () => ({
      ...state,
      update: (patch: UpdateStreamInput) => run(() => client.streams.update(id, patch)),
      start: () => run(() => client.streams.start(id)),
      end: () => run(() => client.streams.end(id)),
      cancel: () => run(() => client.streams.cancel(id)),
      rotateKey: () => run(() => client.streams.rotateKey(id)),
    }),
    [client, id, state, run],
  );
}
