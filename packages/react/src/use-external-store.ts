import type { OnAirClient } from '@onair/core';
import { useMemo, useSyncExternalStore } from 'react';
import { useOnAirClient } from './provider.js';

/** The shape every core store has. */
export interface ExternalStore<T> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): T;
}

/** Subscribes a component to a core store (the one pattern every hook here uses). */
export function useStore<T>(store: ExternalStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

const noop = () => () => undefined;

/**
 * {@link useStore} for a store the hook makes in an effect (a Player, a
 * Publisher): `idle` until there is one, and on the server.
 */
export function useStoreOr<T>(store: ExternalStore<T> | null, idle: T): T {
  const none = () => idle;
  return useSyncExternalStore(
    store ? store.subscribe : noop,
    store ? store.getSnapshot : none,
    none,
  );
}

/**
 * The shape of the stream hooks (`useStreamChat`, `usePoll`, ...): a core
 * store of one stream, made again when the client or the stream changes, and
 * its state with the actions `actions` binds to it and the store itself.
 */
export function useStreamStore<S extends ExternalStore<object>, A extends object>(
  Store: new (client: OnAirClient, streamId: string) => S,
  streamId: string,
  actions: (store: S) => A,
): ReturnType<S['getSnapshot']> & A & { store: S } {
  const client = useOnAirClient();
  const store = useMemo(() => new Store(client, streamId), [Store, client, streamId]);
  const state = useStore(store);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `actions` only binds the store's methods
  return useMemo(
    () =>
      ({ ...state, ...actions(store), store }) as ReturnType<S['getSnapshot']> & A & { store: S },
    [state, store],
  );
}
