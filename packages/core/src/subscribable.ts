/** A listener called with the new snapshot. */
export type Listener<T> = (snapshot: T) => void;

/**
 * Base of every core store: `subscribe` returns an unsubscribe function,
 * `getSnapshot` returns the same object until the state really changes, and
 * work starts with the first listener and stops with the last.
 */
export abstract class Subscribable<TSnapshot> {
  readonly #listeners = new Set<Listener<TSnapshot>>();
  protected abstract snapshot: TSnapshot;

  /** Subscribes to snapshot changes; returns the unsubscribe function. */
  subscribe = (listener: Listener<TSnapshot>): (() => void) => {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.onSubscribe();
    return () => {
      if (!this.#listeners.delete(listener)) return;
      if (this.#listeners.size === 0) this.onUnsubscribe();
    };
  };

  /** The current snapshot (referentially stable between changes). */
  getSnapshot = (): TSnapshot => this.snapshot;

  /** Whether anyone is listening. */
  hasListeners(): boolean {
    return this.#listeners.size > 0;
  }

  /** Called when the first listener subscribes. */
  protected onSubscribe(): void {}

  /** Called when the last listener unsubscribes. */
  protected onUnsubscribe(): void {}

  /** Replaces the snapshot with a copy that has `patch` applied, and notifies listeners. */
  protected update(patch: Partial<TSnapshot>): void {
    this.setSnapshot({ ...this.snapshot, ...patch });
  }

  /** Replaces the snapshot (if it changed) and notifies listeners. */
  protected setSnapshot(next: TSnapshot): void {
    if (Object.is(next, this.snapshot)) return;
    this.snapshot = next;
    for (const listener of [...this.#listeners]) {
      try {
        listener(next);
      } catch (error) {
        // A throwing listener must not break the store or the other listeners.
        reportListenerError(error);
      }
    }
  }
}

/** Reports an error thrown by a listener without interrupting the caller. */
export function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else console.error('[onair] listener threw', error);
}
