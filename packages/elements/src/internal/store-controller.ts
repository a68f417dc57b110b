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
export class StoreController<T, S extends ExternalStore<T> = ExternalStore<T>>
  implements ReactiveController
{
  #unsubscribe: (() => void) | undefined;
  #store: S | undefined;

  readonly #host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Current snapshot, or undefined when no store is bound. */
  get value(): T | undefined {
    return this.#store?.getSnapshot();
  }

  /** The bound store. */
  get current(): S | undefined {
    return this.#store;
  }

  /**
   * Binds the host's `store` property when it is set, else a store the host
   * owns, made by `create` (for example from `client` and `stream-id`). Call
   * it from `willUpdate`: it acts when `client`, `streamId` or `store` changed.
   */
  follow(
    changed: { has(key: PropertyKey): boolean },
    given: S | undefined,
    create: () => S | undefined,
  ): void {
    if (!changed.has('client') && !changed.has('streamId') && !changed.has('store')) return;
    this.setStore(given ?? create());
  }

  /** Switches to another store (or none). */
  setStore(store: S | undefined): void {
    if (store === this.#store) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#store = store;
    if (store && (this.#host as unknown as Element).isConnected) this.#subscribe();
    this.#host.requestUpdate();
  }

  #subscribe(): void {
    this.#unsubscribe = this.#store?.subscribe(() => this.#host.requestUpdate());
  }

  hostConnected(): void {
    if (this.#store && !this.#unsubscribe) this.#subscribe();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}
