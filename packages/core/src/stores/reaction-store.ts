import type { ReactionCount } from '@onair/protocol';
import type { OnAirError } from '../errors.js';
import type { OnAirClient } from '../transport/client.js';
import { RoomStore } from './room-store.js';

/** One emoji's reactions in one window, numbered so a view can animate each burst once. */
export interface ReactionBurstEntry extends ReactionCount {
  /** Increasing per store. */
  seq: number;
  /** When it arrived (ms since epoch). */
  at: number;
}

/** Snapshot of a {@link ReactionStore}. */
export interface ReactionState {
  /** The latest bursts, oldest first (at most `maxBursts`). */
  bursts: readonly ReactionBurstEntry[];
  /** Reactions seen since subscribing, per emoji. */
  totals: Readonly<Record<string, number>>;
  error: OnAirError | null;
}

/** Options of {@link ReactionStore}. */
export interface ReactionStoreOptions {
  /** Bursts kept for the overlay. Default 50. */
  maxBursts?: number;
}

const INITIAL: ReactionState = { bursts: [], totals: {}, error: null };

/**
 * Live reactions of a stream: sends the caller's reactions and collects
 * everyone's, aggregated by the server per batch window.
 *
 * @example
 * ```ts
 * const reactions = new ReactionStore(client, streamId);
 * reactions.subscribe(({ bursts }) => animate(bursts.at(-1)));
 * await reactions.send('🎉', 0.5);
 * ```
 */
export class ReactionStore extends RoomStore<ReactionState> {
  #seq = 0;
  readonly #maxBursts: number;
  /** Own reactions shown before the server's window includes them, per emoji. */
  readonly #ownPending = new Map<string, number>();

  constructor(client: OnAirClient, streamId: string, options: ReactionStoreOptions = {}) {
    super(client, streamId, INITIAL);
    this.#maxBursts = options.maxBursts ?? 50;
  }

  protected listen(): Array<() => void> {
    return [
      this.client.realtime.on('reactions', ({ streamId, reactions }) => {
        if (streamId !== this.streamId) return;
        const at = Date.now();
        const totals = { ...this.snapshot.totals };
        const fresh: ReactionBurstEntry[] = [];
        for (const r of reactions) {
          // Own reactions were shown when sent: count them once.
          const own = Math.min(this.#ownPending.get(r.emoji) ?? 0, r.count);
          if (own) this.#ownPending.set(r.emoji, (this.#ownPending.get(r.emoji) ?? 0) - own);
          const count = r.count - own;
          if (count === 0) continue;
          totals[r.emoji] = (totals[r.emoji] ?? 0) + count;
          fresh.push({ ...r, count, seq: ++this.#seq, at });
        }
        if (fresh.length === 0) return;
        this.update({
          bursts: [...this.snapshot.bursts, ...fresh].slice(-this.#maxBursts),
          totals,
        });
      }),
    ];
  }

  protected joined(): void {}

  protected override reset(): ReactionState {
    this.#ownPending.clear();
    return INITIAL;
  }

  /**
   * Sends a reaction; `x` is where on the video (0 left, 1 right). It shows at
   * once; rejects with `RATE_LIMITED` when too fast (and is taken back).
   */
  async send(emoji: string, x?: number): Promise<void> {
    const shown: ReactionBurstEntry = {
      emoji,
      count: 1,
      positions: x === undefined ? [] : [x],
      seq: ++this.#seq,
      at: Date.now(),
    };
    this.#ownPending.set(emoji, (this.#ownPending.get(emoji) ?? 0) + 1);
    this.update({
      bursts: [...this.snapshot.bursts, shown].slice(-this.#maxBursts),
      totals: { ...this.snapshot.totals, [emoji]: (this.snapshot.totals[emoji] ?? 0) + 1 },
    });
    await this.run(
      async () => {
        await this.client.realtime.request('reaction:send', {
          streamId: this.streamId,
          emoji,
          ...(x === undefined ? {} : { x }),
        });
      },
      () => {
        this.#ownPending.set(emoji, Math.max(0, (this.#ownPending.get(emoji) ?? 0) - 1));
        this.update({
          bursts: this.snapshot.bursts.filter((b) => b !== shown),
          totals: {
            ...this.snapshot.totals,
            [emoji]: Math.max(0, (this.snapshot.totals[emoji] ?? 1) - 1),
          },
        });
      },
    );
  }
}
