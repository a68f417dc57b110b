import type { ViewerCount, ViewerList } from '@onair/protocol';
import {
  PRESENCE_HEARTBEAT_MS,
  type PresenceMember,
  type SharedState,
} from '../../platform/shared-state/shared-state.js';

/** How often changed viewer counts are sent, ms. */
const VIEWER_COUNT_FLUSH_MS = 250;

/** What {@link PresenceService} needs. */
export interface PresenceServiceDeps {
  /** Presence entries every server shares (memory, or Redis). */
  state: SharedState;
  /** This server's viewers by stream, for the heartbeat. */
  localViewers(): Map<string, PresenceMember[]>;
  /** This server's connections in a stream's room (until the first count). */
  localRoomSize(streamId: string): number;
  /** Tells a stream's room its new count. */
  announce(count: ViewerCount): void;
  /** Keeps a stream's new peak with the stream (analytics), once per rise. */
  recordPeak?(streamId: string, peak: number): Promise<void>;
  log: (message: string) => void;
}

/**
 * Who watches which stream, across servers: entries in the shared state
 * refreshed by each server's heartbeat (a crashed server's viewers expire on
 * their own), and viewer counts sent to the room at most every 250 ms when
 * they changed. Start with {@link start}, stop with {@link close}.
 */
export class PresenceService {
  private readonly dirty = new Set<string>();
  private readonly lastCounts = new Map<string, number>();
  /** The highest peak already handed to `recordPeak`, per stream with viewers. */
  private readonly recordedPeaks = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly deps: PresenceServiceDeps) {}

  /** Starts the count flush and the heartbeat. */
  start(): void {
    const flush = setInterval(() => this.flushCounts(), VIEWER_COUNT_FLUSH_MS);
    // Refreshes this server's viewers so their entries outlive the TTL.
    const heartbeat = setInterval(() => this.heartbeat(), PRESENCE_HEARTBEAT_MS);
    for (const timer of [flush, heartbeat]) timer.unref();
    this.timers.push(flush, heartbeat);
  }

  /** Adds a viewer to a stream. */
  async join(streamId: string, member: PresenceMember): Promise<void> {
    await this.deps.state.present(streamId, [member]);
    this.dirty.add(streamId);
  }

  /** Removes a viewer from a stream. */
  async leave(streamId: string, socketId: string): Promise<void> {
    try {
      await this.deps.state.absent(streamId, socketId);
    } finally {
      this.dirty.add(streamId);
    }
  }

  /** The count now: signed-in users once each, anonymous connections each, and the peak. */
  async count(streamId: string): Promise<ViewerCount> {
    return { streamId, ...(await this.deps.state.count(streamId)) };
  }

  /** Signed-in viewers (once each) and the anonymous count. */
  list(streamId: string): Promise<ViewerList> {
    return this.deps.state.list(streamId);
  }

  /** Last known viewer count of a stream across servers (this server's room size until counted). */
  viewerCount(streamId: string): number {
    return this.lastCounts.get(streamId) ?? this.deps.localRoomSize(streamId);
  }

  private recordPeak({ streamId, count, peak }: ViewerCount): void {
    const { recordPeak } = this.deps;
    if (!recordPeak) return;
    if (peak > (this.recordedPeaks.get(streamId) ?? 0)) {
      this.recordedPeaks.set(streamId, peak);
      recordPeak(streamId, peak).catch((error: unknown) =>
        this.deps.log(`peak viewers not stored: ${(error as Error).message}`),
      );
    }
    if (count === 0) this.recordedPeaks.delete(streamId);
  }

  private flushCounts(): void {
    const streamIds = [...this.dirty];
    this.dirty.clear();
    for (const streamId of streamIds) {
      this.count(streamId)
        .then((count) => {
          this.lastCounts.set(streamId, count.count);
          this.deps.announce(count);
          this.recordPeak(count);
        })
        .catch((error: unknown) =>
          this.deps.log(`viewer count failed: ${(error as Error).message}`),
        );
    }
  }

  private heartbeat(): void {
    for (const [streamId, members] of this.deps.localViewers()) {
      void this.deps.state
        .present(streamId, members)
        .catch((error: unknown) =>
          this.deps.log(`presence heartbeat failed: ${(error as Error).message}`),
        );
      this.dirty.add(streamId);
    }
  }

  /** Stops the timers. */
  close(): void {
    for (const timer of this.timers) clearInterval(timer);
  }
}
