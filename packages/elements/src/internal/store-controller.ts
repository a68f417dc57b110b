import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The store shape every core Subscribable has. */
export interface ExternalStore<T> {
  subscribe(listener: (snapshot: T) => void): () => void;
  getSnapshot(): T;
}

/**
 * Binds a core store to a Lit element: subscribes while the element is
 * connected and requests an update on every change. No logic of its own.
 */
export class StoreController<T> implements ReactiveController {
  private unsubscribe: (() => void) | undefined;
  private store: ExternalStore<T> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Current snapshot, or undefined when no store is bound. */
  get value(): T | undefined {
    return this.store?.getSnapshot();
  }

  /** Switches to another store (or none). */
  setStore(store: ExternalStore<T> | undefined): void {
    if (store === this.store) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.store = store;
    if (store && (this.host as unknown as Element).isConnected) this.subscribe();
    this.host.requestUpdate();
  }

  private subscribe(): void {
    this.unsubscribe = this.store?.subscribe(() => this.host.requestUpdate());
  }

  hostConnected(): void {
    if (this.store && !this.unsubscribe) this.subscribe();
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
