/** A listener of one event. */
export type Listener<T> = (payload: T) => void;

/**
 * A small emitter typed by an event-name → payload map. A throwing listener
 * is reported to `onError` and does not stop the others.
 */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Subscribes; returns the unsubscribe function. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /** Calls every listener of `name`, in the order they subscribed. */
  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    for (const listener of this.listeners.get(name) ?? []) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
