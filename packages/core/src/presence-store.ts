import type { ViewerCount, ViewerList } from '@onair/protocol';
import type { OnAirClient } from './client.js';
import { OnAirError } from './errors.js';
import { Subscribable } from './subscribable.js';

/** Snapshot of a {@link PresenceStore}. */
export interface PresenceState {
  /** Viewers now: signed-in users once each plus anonymous connections. */
  count: number;
  signedIn: number;
  anonymous: number;
  /** Highest count seen. */
  peak: number;
  /** The viewer list, after `loadViewers()` (owner and moderators). */
  viewers: ViewerList | null;
  error: OnAirError | null;
}

const INITIAL: PresenceState = {
  count: 0,
  signedIn: 0,
  anonymous: 0,
  peak: 0,
  viewers: null,
  error: null,
};

/**
 * Who is watching a stream: live counts for everyone and, for the owner and
 * moderators, the list of signed-in viewers.
 *
 * @example
 * ```ts
 * const presence = new PresenceStore(client, streamId);
 * presence.subscribe(({ count, peak }) => render(count, peak));
 * ```
 */
export class PresenceStore extends Subscribable<PresenceState> {
  protected snapshot: PresenceState = INITIAL;
  private cleanups: Array<() => void> = [];

  constructor(
    private readonly client: OnAirClient,
    readonly streamId: string,
  ) {
    super();
  }

  protected override onSubscribe(): void {
    const lease = this.client.realtime.holdRoom(this.streamId);
    const apply = (counts: ViewerCount) => {
      const { streamId: _ignored, ...rest } = counts;
      this.update(rest);
    };
    lease.joined.then(
      (joined) => this.hasListeners() && apply(joined.viewers),
      (error: unknown) => this.update({ error: OnAirError.from(error) }),
    );
    this.cleanups = [
      () => lease.release(),
      lease.onRejoin((joined) => apply(joined.viewers)),
      this.client.realtime.on('viewers:count', (counts) => {
        if (counts.streamId === this.streamId) apply(counts);
      }),
    ];
  }

  protected override onUnsubscribe(): void {
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups = [];
    this.setSnapshot(INITIAL);
  }

  /** Loads the signed-in viewers (owner and moderators; others get `FORBIDDEN`). */
  async loadViewers(): Promise<ViewerList> {
    try {
      const viewers = await this.client.realtime.request('presence:list', {
        streamId: this.streamId,
      });
      this.update({ viewers });
      return viewers;
    } catch (error) {
      const failure = OnAirError.from(error);
      this.update({ error: failure });
      throw failure;
    }
  }

  private update(patch: Partial<PresenceState>): void {
    this.setSnapshot({ ...this.snapshot, ...patch });
  }
}
