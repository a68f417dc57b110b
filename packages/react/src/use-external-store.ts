import { useSyncExternalStore } from 'react';

/** The shape every core store has. */
export interface ExternalStore<T> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): T;
}

/** Subscribes a component to a core store (the one pattern every hook here uses). */
export function useStore<T>(store: ExternalStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
