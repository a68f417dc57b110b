import type { ServerEvent, ServerEventName, ServerToClientEvents } from '@onair/protocol';
import type { RoomBatcher } from './room-batcher.js';
import { joinedStreams, roomOf, userRoom } from './rooms.js';
import type { OnAirIo } from './types.js';

/**
 * What handlers tell the audience of a stream or a user: stream events go
 * out in the room's next batch ({@link RoomBatcher}), a user's at once to
 * their connections on every server.
 */
export class RoomEvents {
  constructor(
    private readonly io: OnAirIo,
    private readonly batcher: RoomBatcher,
  ) {}

  /** Queues an event for the stream's room; with `key`, it replaces a queued one of that key. */
  toStream<K extends ServerEventName>(
    streamId: string,
    name: K,
    payload: ServerEvent<K>,
    key?: string,
  ): void {
    this.batcher.emit(roomOf(streamId), name, payload, key);
  }

  /** Adds a reaction to the stream's room's next batch (summed per emoji). */
  react(streamId: string, emoji: string, x: number | undefined): void {
    this.batcher.react(roomOf(streamId), emoji, x);
  }

  /** Sends an event to every connection of a user, on every server. */
  toUser<K extends keyof ServerToClientEvents>(
    userId: string,
    name: K,
    ...payload: Parameters<ServerToClientEvents[K]>
  ): void {
    this.io.to(userRoom(userId)).emit(name, ...payload);
  }

  /**
   * Closes a user's connections that joined any stream `pick` keeps of those
   * they joined, on every server (a ban from a channel: `pick` keeps the
   * channel's streams). Closing a connection closes its media too.
   */
  async disconnectFromStreams(
    userId: string,
    pick: (streamIds: string[]) => Promise<ReadonlySet<string>>,
  ): Promise<void> {
    // fetchSockets reaches this user's connections on every server (Redis adapter).
    const remotes = await this.io.in(userRoom(userId)).fetchSockets();
    const joined = new Set(remotes.flatMap(joinedStreams));
    const picked = [...(await pick([...joined]))].map(roomOf);
    for (const remote of remotes) {
      if (picked.some((room) => remote.rooms.has(room))) remote.disconnect(true);
    }
  }
}
