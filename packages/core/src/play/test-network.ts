import Hls, {
  type HlsConfig,
  type LoaderCallbacks,
  type LoaderConfiguration,
  type LoaderContext,
} from 'hls.js';

/**
 * Test-only (browser). The network between hls.js and the server for media (fragments, parts,
 * init segments): responses arrive as they come, or, while held, wait until
 * released. Playlists are not held: the live edge keeps moving.
 */
export class MediaNetwork {
  #held = false;
  readonly #waiting: Array<() => void> = [];

  /** From now on, media answers wait (the buffer runs dry). */
  hold(): void {
    this.#held = true;
  }

  /** Delivers what waited, and everything from now on. */
  release(): void {
    this.#held = false;
    for (const deliver of this.#waiting.splice(0)) deliver();
  }

  #deliver(answer: () => void): void {
    if (this.#held) this.#waiting.push(answer);
    else answer();
  }

  /** An `fLoader` for hls.js: its own loader, with every answer passing through this network. */
  loader(): NonNullable<HlsConfig['fLoader']> {
    const network = this;
    class HeldLoader extends Hls.DefaultConfig.loader {
      #gone = false;
      override load(
        context: LoaderContext,
        config: LoaderConfiguration,
        callbacks: LoaderCallbacks<LoaderContext>,
      ): void {
        // An answer held past an abort is dropped, as the browser would drop it.
        const pass =
          <A extends unknown[]>(answer: (...args: A) => void) =>
          (...args: A) =>
            network.#deliver(() => {
              if (!this.#gone) answer(...args);
            });
        const { onProgress } = callbacks;
        super.load(context, config, {
          ...callbacks,
          onSuccess: pass(callbacks.onSuccess),
          onError: pass(callbacks.onError),
          onTimeout: pass(callbacks.onTimeout),
          ...(onProgress ? { onProgress: pass(onProgress) } : {}),
        });
      }
      override abort(): void {
        this.#gone = true;
        super.abort();
      }
      override destroy(): void {
        this.#gone = true;
        super.destroy();
      }
    }
    return HeldLoader as unknown as NonNullable<HlsConfig['fLoader']>;
  }
}
