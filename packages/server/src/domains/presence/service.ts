import type { PresenceChange, ViewerCount, ViewerList } from '@onair/protocol';
import {
  PRESENCE_HEARTBEAT_MS,
  type PresenceMember,
  type SharedState,
} from '../../platform/shared-state/shared-state.js';
import { type RateLimit, TokenBuckets } from '../../platform/shared-state/token-buckets.js';

/** How often changed viewer counts are sent, ms. */
const VIEWER_COUNT_FLUSH_MS = 250;

/**
 * Viewer sessions a connection opens as separate visits: 10, then one a
 * minute. Past that, joining a stream again resumes the connection's last
 * session of it (a leave-and-join loop adds no rows).
 */
export const SESSION_OPEN_RATE: RateLimit = { capacity: 10, refillPerSecond: 1 / 60 };

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
  /**
   * Whether anyone on this server follows who joins and leaves a stream (its
   * owner or moderators are connected), and how to tell them.
   */
  changes?: {
    watched(streamId: string): boolean;
    announce(change: PresenceChange): void;
  };
  /**
   * Where joins and leaves are kept (who watched, for the stream's staff);
   * written after the room is joined or left, failures logged.
   */
  sessions?: {
    /** With `resume`, reopens the connection's last closed session of the stream if any. */
    open(
      streamId: string,
      socketId: string,
      userId: string | null,
      at: Date,
      resume?: boolean,
    ): Promise<void>;
    close(streamId: string, socketId: string, at: Date): Promise<void>;
  };
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
  /** The signed-in viewers last seen of each watched stream, by id (what changes are told against). */
  private readonly lastViewers = new Map<string, ViewerList['viewers']>();
  private readonly timers: NodeJS.Timeout[] = [];
  /** Each connection's last session write, per stream. */
  private readonly sessionWrites = new Map<string, Promise<void>>();
  /** Separate sessions each connection may still open (see {@link SESSION_OPEN_RATE}). */
  private readonly sessionOpens = new TokenBuckets(SESSION_OPEN_RATE);

  constructor(private readonly deps: PresenceServiceDeps) {}

  /** Starts the count flush and the heartbeat. */
  start(): void {
    const flush = setInterval(() => this.flushCounts(), VIEWER_COUNT_FLUSH_MS);
    // Refreshes this server's viewers so their entries outlive the TTL.
    const heartbeat = setInterval(() => this.heartbeat(), PRESENCE_HEARTBEAT_MS);
    for (const timer of [flush, heartbeat]) timer.unref();
    this.timers.push(flush, heartbeat);
  }

  /**
   * Adds a viewer to a stream; kept as a session (who watched) when the
   * stream is `live`. `again`: the connection is in the room already (its
   * open session stays the one).
   */
  async join(streamId: string, member: PresenceMember, live = true, again = false): Promise<void> {
    // Queued before anything is awaited: a leave that comes meanwhile is written after it.
    if (live && this.deps.sessions) {
      const at = new Date();
      const resume = !again && this.sessionOpens.take(member.socketId) > 0;
      this.keep(streamId, member.socketId, (sessions) =>
        sessions.open(streamId, member.socketId, member.user?.id ?? null, at, resume),
      );
    }
    await this.deps.state.present(streamId, [member]);
    this.dirty.add(streamId);
  }

  /** Removes a viewer from a stream. */
  async leave(streamId: string, socketId: string): Promise<void> {
    const at = new Date();
    this.keep(streamId, socketId, (sessions) => sessions.close(streamId, socketId, at));
    try {
      await this.deps.state.absent(streamId, socketId);
    } finally {
      this.dirty.add(streamId);
    }
  }

  /**
   * A session write, not waited for (joining never waits on the history),
   * after the connection's earlier writes for the stream: a leave never
   * overtakes its join.
   */
  private keep(
    streamId: string,
    socketId: string,
    write: (sessions: NonNullable<PresenceServiceDeps['sessions']>) => Promise<void>,
  ): void {
    const { sessions } = this.deps;
    if (!sessions) return;
    const key = `${streamId} ${socketId}`;
    const run = (this.sessionWrites.get(key) ?? Promise.resolve())
      .then(() => write(sessions))
      .catch((error: unknown) => this.deps.log(`viewer sessions: ${(error as Error).message}`));
    this.sessionWrites.set(key, run);
    void run.then(() => {
      if (this.sessionWrites.get(key) === run) this.sessionWrites.delete(key);
    });
  }

  /** The count now: signed-in users once each, anonymous connections each, and the peak. */
  async count(streamId: string): Promise<ViewerCount> {
    return { streamId, ...(await this.deps.state.count(streamId)) };
  }

  /** Signed-in viewers (once each) and the anonymous count. */
  list(streamId: string): Promise<ViewerList> {
    return this.deps.state.list(streamId);
  }

  /**
   * Starts following who joins and leaves a stream, for its owner and
   * moderators on this server (`presence:changed`): the viewers now are the
   * baseline, so a manager who lists the viewers after this misses no change.
   */
  async watch(streamId: string): Promise<void> {
    if (this.lastViewers.has(streamId)) return;
    this.lastViewers.set(streamId, (await this.list(streamId)).viewers);
  }

  /** Tells the stream's managers who joined and left since the last time; drops unwatched streams. */
  private async tellChanges(streamId: string): Promise<void> {
    const { changes } = this.deps;
    const before = this.lastViewers.get(streamId);
    if (!changes?.watched(streamId)) {
      this.lastViewers.delete(streamId);
      return;
    }
    const now = (await this.list(streamId)).viewers;
    this.lastViewers.set(streamId, now);
    if (!before) return;
    const had = new Set(before.map((viewer) => viewer.id));
    const has = new Set(now.map((viewer) => viewer.id));
    const joined = now.filter((viewer) => !had.has(viewer.id));
    const left = [...had].filter((id) => !has.has(id));
    if (joined.length > 0 || left.length > 0) changes.announce({ streamId, joined, left });
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
          return this.tellChanges(streamId);
        })
        .catch((error: unknown) =>
          this.deps.log(`viewer count failed: ${(error as Error).message}`),
        );
    }
  }

  private heartbeat(): void {
    for (const streamId of this.lastViewers.keys()) {
      if (!this.deps.changes?.watched(streamId)) this.lastViewers.delete(streamId);
    }
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
