import type {
  JoinedStream,
  PublisherState as PublisherPresence,
  StreamHealth,
} from '@onair/protocol';
import type { OnAirError } from '../errors.js';
import type { OnAirClient } from '../transport/client.js';
import { RoomStore } from './room-store.js';

/** Snapshot of a {@link StreamHealthStore}. */
export interface StreamHealthState {
  /** The latest report (every 5 s while a publisher sends; owner and moderators only). */
  health: StreamHealth | null;
  /** Whether the publisher is sending, or the stream waits for it to come back (and until when). */
  publisher: PublisherPresence | null;
  error: OnAirError | null;
}

const INITIAL: StreamHealthState = { health: null, publisher: null, error: null };

/**
 * A live stream's ingest as the server sees it: `stream:health` reports
 * (bitrate, frame rate, resolution, keyframe interval, loss, jitter, a
 * 0–100 score) for the owner and moderators, and the publisher's presence
 * (`reconnecting` during the grace period) for everyone in the room.
 *
 * @example
 * ```ts
 * const health = new StreamHealthStore(client, streamId);
 * health.subscribe(({ health }) => render(health?.score));
 * ```
 */
export class StreamHealthStore extends RoomStore<StreamHealthState> {
  constructor(client: OnAirClient, streamId: string) {
    super(client, streamId, INITIAL);
  }

  protected listen(): Array<() => void> {
    return [
      this.client.realtime.on('stream:health', (health) => {
        if (health.streamId === this.streamId) this.update({ health });
      }),
      this.client.realtime.on('stream:publisher', (publisher) => {
        if (publisher.streamId === this.streamId) this.update({ publisher });
      }),
    ];
  }

  protected joined(_answer: JoinedStream): void {}
}
