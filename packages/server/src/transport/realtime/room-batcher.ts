import type { BatchedEvent, ReactionCount, ServerEvent, ServerEventName } from '@onair/protocol';

/** Default batch window, ms (the issue allows 100–250). */
export const BATCH_WINDOW_MS = 100;

/** Most sample positions kept per emoji per window. */
const MAX_POSITIONS = 8;

interface RoomQueue {
  events: BatchedEvent[];
  /** Index in `events` of the latest entry per coalescing key. */
  keyed: Map<string, number>;
  reactions: Map<string, ReactionCount>;
}

/**
 * Collects the events of each room and sends them as one `batch` event per
 * window, in the order they were queued. A popular room then costs one
 * encode and one frame per client per window instead of one per event.
 *
 * State snapshots (a poll's results, a question's votes) are coalesced by key:
 * only the latest of a window is sent, at its latest position. Reactions are
 * summed per emoji into one `reactions` entry.
 */
export class RoomBatcher {
  private readonly rooms = new Map<string, RoomQueue>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly send: (room: string, events: BatchedEvent[]) => void,
    readonly windowMs = BATCH_WINDOW_MS,
    /** Called with each room's reaction totals of a window (analytics). */
    private readonly onReactions?: (room: string, counts: ReadonlyMap<string, number>) => void,
  ) {
    this.timer = setInterval(() => this.flush(), windowMs);
    this.timer.unref();
  }

  private queue(room: string): RoomQueue {
    let queue = this.rooms.get(room);
    if (!queue) {
      queue = { events: [], keyed: new Map(), reactions: new Map() };
      this.rooms.set(room, queue);
    }
    return queue;
  }

  /** Queues an event for a room; with `key`, replaces an earlier queued event of the same key. */
  emit<K extends ServerEventName>(room: string, name: K, payload: ServerEvent<K>, key?: string) {
    const queue = this.queue(room);
    if (key !== undefined) {
      const at = queue.keyed.get(key);
      // Superseded: leave a hole rather than shifting indexes; holes are skipped on flush.
      if (at !== undefined) queue.events[at] = undefined as unknown as BatchedEvent;
      queue.keyed.set(key, queue.events.length);
    }
    queue.events.push([name, payload] as BatchedEvent);
  }

  /** Adds one reaction to the room's window. */
  react(room: string, emoji: string, x: number | undefined) {
    const queue = this.queue(room);
    let entry = queue.reactions.get(emoji);
    if (!entry) {
      entry = { emoji, count: 0, positions: [] };
      queue.reactions.set(emoji, entry);
    }
    entry.count++;
    if (x !== undefined && entry.positions.length < MAX_POSITIONS) entry.positions.push(x);
  }

  /** Sends every room's queued events now. */
  flush(): void {
    for (const [room, queue] of this.rooms) {
      const events = queue.events.filter((e) => e !== undefined);
      if (queue.reactions.size > 0) {
        const streamId = room.slice(room.indexOf(':') + 1);
        events.push(['reactions', { streamId, reactions: [...queue.reactions.values()] }]);
        this.onReactions?.(
          room,
          new Map([...queue.reactions.values()].map((r) => [r.emoji, r.count])),
        );
      }
      if (events.length > 0) this.send(room, events);
    }
    this.rooms.clear();
  }

  /** Sends what is queued and stops the timer. */
  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
