import type { Stream } from '@onair/protocol';

/** Events passed between the server's own modules (REST → realtime, lifecycle → media). */
export interface InternalEvents {
  /** Any change of a stream (edit or lifecycle). */
  'stream:updated': Stream;
  /** A stream got a (new) scheduled time. */
  'stream:scheduled': Stream;
  'stream:started': Stream;
  'stream:ended': Stream;
  'stream:cancelled': Stream;
  /** The key was rotated: a live publisher must be disconnected. */
  'stream:keyRotated': { streamId: string };
  'recording:ready': Stream;
}

type Listener<T> = (payload: T) => void;

/**
 * A small typed emitter. A throwing listener is reported to `onError` and
 * does not stop the others.
 */
export class InternalBus {
  private readonly listeners = new Map<keyof InternalEvents, Set<Listener<never>>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  on<K extends keyof InternalEvents>(name: K, listener: Listener<InternalEvents[K]>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  emit<K extends keyof InternalEvents>(name: K, payload: InternalEvents[K]): void {
    for (const listener of this.listeners.get(name) ?? []) {
      try {
        (listener as Listener<InternalEvents[K]>)(payload);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
