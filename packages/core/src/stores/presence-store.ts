import type { JoinedStream, PresenceChange, ViewerCount, ViewerList } from '@onair/protocol';
import type { OnAirError } from '../errors.js';
import { isStreamOver as isOver } from '../stream-status.js';
import type { OnAirClient } from '../transport/client.js';
import { RoomStore } from './room-store.js';

/** Snapshot of a {@link PresenceStore}. */
export interface PresenceState {
  /** Viewers now: signed-in users once each plus anonymous connections. */
  count: number;
  signedIn: number;
  anonymous: number;
  /** Highest count seen. */
  peak: number;
  /**
   * The viewer list, after `loadViewers()` (owner and moderators), kept
   * current as viewers join and leave.
   */
  viewers: ViewerList | null;
  /** The stream ended (or was cancelled): nobody is watching live any more. */
  ended: boolean;
  error: OnAirError | null;
}

const INITIAL: PresenceState = {
  count: 0,
  signedIn: 0,
  anonymous: 0,
  peak: 0,
  viewers: null,
  ended: false,
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
export class PresenceStore extends RoomStore<PresenceState> {
  constructor(client: OnAirClient, streamId: string) {
    super(client, streamId, INITIAL);
  }

  protected listen(): Array<() => void> {
    return [
      this.client.realtime.on('viewers:count', (counts) => {
        if (counts.streamId === this.streamId) this.#apply(counts);
      }),
      this.client.realtime.on('presence:changed', (change) => {
        if (change.streamId === this.streamId) this.#change(change);
      }),
      this.client.realtime.on('stream:updated', (stream) => {
        if (stream.id === this.streamId) this.update({ ended: isOver(stream.status) });
      }),
    ];
  }

  protected joined(answer: JoinedStream): void {
    this.update({ ended: isOver(answer.stream.status) });
    this.#apply(answer.viewers);
  }

  #apply({ streamId: _ignored, ...counts }: ViewerCount): void {
    const { viewers } = this.snapshot;
    this.update({ ...counts, viewers: viewers && { ...viewers, anonymous: counts.anonymous } });
  }

  /** Applies who joined and left to a loaded list (newcomers last; someone listed already stays put). */
  #change({ joined, left }: PresenceChange): void {
    const { viewers } = this.snapshot;
    if (!viewers) return;
    const gone = new Set(left);
    const kept = viewers.viewers.filter((viewer) => !gone.has(viewer.id));
    const known = new Set(kept.map((viewer) => viewer.id));
    this.update({
      viewers: { ...viewers, viewers: [...kept, ...joined.filter((v) => !known.has(v.id))] },
    });
  }

  /** Loads the signed-in viewers (owner and moderators; others get `FORBIDDEN`). */
  loadViewers(): Promise<ViewerList> {
    return this.run(async () => {
      const viewers = await this.client.realtime.request('presence:list', {
        streamId: this.streamId,
      });
      this.update({ viewers });
      return viewers;
    });
  }
}
