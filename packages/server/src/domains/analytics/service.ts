import { OnAirError, type Stream } from '@onair/protocol';
import {
  type AnalyticsMinute,
  type BroadcastSummary,
  type ChannelAnalytics,
  MAX_ANALYTICS_RANGE_DAYS,
  type PublishReport,
  type QoeSummary,
  QUALITY_LIMITATIONS,
  type StreamAnalytics,
  type ViewBeacon,
} from '@onair/protocol/analytics';
import { canModerate, type Identity, isAdmin, ownsChannel } from '../../platform/auth/identity.js';
import { type SharedState, takeToken } from '../../platform/shared-state/shared-state.js';
import type { RateLimit } from '../../platform/shared-state/token-buckets.js';
import type { StreamRepository } from '../streams/repository.js';
import {
  type AnalyticsRepository,
  type EncodedBeacon,
  encodeBeacon,
  type IngestTotals,
  type SessionTotals,
} from './repository.js';

/** What {@link AnalyticsService} needs. */
export interface AnalyticsServiceDeps {
  repository: AnalyticsRepository;
  streams: Pick<StreamRepository, 'find' | 'peakViewers' | 'isInvited'>;
  state: Pick<SharedState, 'take'>;
  /** Beacons per view session. */
  sessionRate: RateLimit;
  /** How long beacons wait to be written together, ms. */
  flushMs: number;
  /** Most beacons written in one transaction. */
  maxBatch: number;
  log: (message: string) => void;
  now?: () => number;
}

/** Player times further than this before the server's receipt are moved up to it (a wrong clock). */
const MAX_EVENT_AGE_MS = 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
/** A channel report's range when none is given: 28 days. */
const DEFAULT_RANGE_MS = 28 * DAY_MS;
/** Analytics transactions under way at once (see `startWrites`). */
const CONCURRENT_WRITES = 2;
/** How long a stream's existence is remembered for beacons, ms. */
const KNOWN_STREAM_TTL_MS = 60_000;

/**
 * View analytics: takes the players' beacons (checked, rate-limited per
 * session, written together every few ms in one transaction; a request is
 * answered once its beacons are stored) and reports a stream's QoE and
 * audience to those who may read them.
 */
export class AnalyticsService {
  private queue: Array<{ beacon: EncodedBeacon; done: (error?: unknown) => void }> = [];
  /** Beacons received so far: ranks copies of one beacon (the first counts). */
  private received = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Writes under way, and who waits for none to be (drain). */
  private writes = 0;
  private idle: Array<() => void> = [];
  /** A stream's owner, while known (a promise: the requests that arrive while it is looked up share the look-up). */
  private readonly knownStreams = new Map<string, { ownerId: Promise<string>; until: number }>();
  private readonly now: () => number;

  constructor(private readonly deps: AnalyticsServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Stores beacons: resolves once written, or rejects with `NOT_FOUND` (a
   * stream that does not exist), `RATE_LIMITED` (a session reporting too
   * often) or `UNAVAILABLE` (the database failed; the player retries).
   */
  async ingest(beacons: readonly ViewBeacon[]): Promise<void> {
    const receivedAt = this.now();
    for (const streamId of new Set(beacons.map((b) => b.session.streamId))) {
      await this.ownerOf(streamId);
    }
    for (const sessionId of new Set(beacons.map((b) => b.session.id))) {
      await takeToken(
        this.deps.state,
        `beacon:${sessionId}`,
        this.deps.sessionRate,
        'This view session reports too often',
      );
    }
    await Promise.all(
      beacons.map((beacon) => {
        const clockOffsetMs = receivedAt - beacon.sentAt;
        // Event times on the server's clock, never after receipt nor more than a day before it.
        const events = beacon.events.map((event) => ({
          ...event,
          at:
            Math.min(
              receivedAt,
              Math.max(receivedAt - MAX_EVENT_AGE_MS, event.at + clockOffsetMs),
            ) - clockOffsetMs,
        }));
        const received = { beacon: { ...beacon, events }, clockOffsetMs, receivedAt };
        return this.enqueue(encodeBeacon(received, this.received++));
      }),
    );
  }

  private enqueue(beacon: EncodedBeacon): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ beacon, done: (error) => (error ? reject(error) : resolve()) });
      if (this.queue.length >= this.deps.maxBatch) this.flushSoon(0);
      else this.flushSoon(this.deps.flushMs);
    });
  }

  private flushSoon(delay: number): void {
    if (this.timer && delay > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startWrites();
    }, delay);
  }

  /**
   * Writes what is queued, one transaction per `maxBatch`, up to
   * {@link CONCURRENT_WRITES} at once: while the database stores one batch
   * the next is built and sent, rather than waiting for the one before. What
   * arrives meanwhile goes with the next write that starts (a write that ends
   * starts the next at once: what is queued has waited already).
   */
  private startWrites(): void {
    while (this.writes < CONCURRENT_WRITES && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.deps.maxBatch);
      this.writes++;
      void this.write(batch)
        .catch((error: unknown) => this.deps.log(`analytics: write failed: ${String(error)}`))
        .finally(() => {
          this.writes--;
          this.startWrites();
          if (this.writes === 0) for (const resolve of this.idle.splice(0)) resolve();
        });
    }
  }

  /** Writes one batch and answers its requests; never rejects. */
  private async write(batch: typeof this.queue): Promise<void> {
    try {
      await this.deps.repository.writeEncoded(batch.map((item) => item.beacon));
      for (const item of batch) item.done();
    } catch (error) {
      this.deps.log(`analytics: ${batch.length} beacons not written: ${String(error)}`);
      const failure = new OnAirError('UNAVAILABLE', 'Analytics could not be stored; retry');
      for (const item of batch) item.done(failure);
    }
  }

  /** Writes what is queued now and waits for every write under way (for shutdown). */
  async drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.startWrites();
    while (this.writes > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private ownerOf(streamId: string): Promise<string> {
    const known = this.knownStreams.get(streamId);
    if (known && known.until > this.now()) return known.ownerId;
    if (this.knownStreams.size > 10_000) this.knownStreams.clear();
    const ownerId = this.deps.streams.find(streamId).then((stream) => {
      if (!stream) throw new OnAirError('NOT_FOUND', 'Stream not found');
      return stream.owner.id;
    });
    this.knownStreams.set(streamId, { ownerId, until: this.now() + KNOWN_STREAM_TTL_MS });
    // A stream not found, or a failed look-up, is not remembered.
    ownerId.catch(() => {
      if (this.knownStreams.get(streamId)?.ownerId === ownerId) this.knownStreams.delete(streamId);
    });
    return ownerId;
  }

  /**
   * A channel's streams that started in a range (default: the last 28 days),
   * with totals over their view sessions: the channel's owner, its
   * moderators and admins (else `FORBIDDEN`); a range that is reversed or
   * longer than {@link MAX_ANALYTICS_RANGE_DAYS} is `VALIDATION_FAILED`.
   * A moderator's report leaves out the private streams they are not invited
   * to, from the list and from the totals.
   */
  async channelAnalytics(
    channelId: string,
    who: Identity,
    range: { from?: string | undefined; to?: string | undefined },
  ): Promise<ChannelAnalytics> {
    if (!canModerate(who, channelId)) {
      throw new OnAirError(
        'FORBIDDEN',
        "Only this channel's owner and moderators read its analytics",
      );
    }
    const to = range.to ? new Date(range.to) : new Date(this.now());
    const from = range.from ? new Date(range.from) : new Date(to.getTime() - DEFAULT_RANGE_MS);
    const days = (to.getTime() - from.getTime()) / DAY_MS;
    if (!(days > 0 && days <= MAX_ANALYTICS_RANGE_DAYS)) {
      throw new OnAirError(
        'VALIDATION_FAILED',
        `from must come before to, at most ${MAX_ANALYTICS_RANGE_DAYS} days apart`,
      );
    }
    const { repository } = this.deps;
    const moderator = this.privateHiddenFrom(who, channelId);
    const [totals, streams, followsGained] = await Promise.all([
      repository.channelTotals(channelId, from, to, moderator),
      repository.channelStreams(channelId, from, to, moderator),
      repository.followsBetween(channelId, from, to),
    ]);
    return {
      channelId,
      from: from.toISOString(),
      to: to.toISOString(),
      uniqueViewers: totals.uniqueViewers,
      totalWatchMs: totals.watchMs,
      followsGained,
      qoe: qoeOf(totals),
      streams,
    };
  }

  /**
   * Deletes a user's view sessions and their events (a privacy request):
   * admins, or the user themself (else `FORBIDDEN`). Returns how many
   * sessions were deleted.
   */
  async forgetUser(userId: string, who: Identity): Promise<number> {
    if (!isAdmin(who) && who.userId !== userId) {
      throw new OnAirError('FORBIDDEN', 'Only an admin or the user may delete their analytics');
    }
    return this.deps.repository.deleteUser(userId);
  }

  /**
   * Keeps a browser Publisher's report of its publish session, from the
   * stream's owner (or an admin): `NOT_FOUND` for no stream, `FORBIDDEN`
   * for anyone else, `RATE_LIMITED` for a session reporting too often.
   */
  async publishReport(streamId: string, who: Identity, report: PublishReport): Promise<void> {
    const stream = await this.deps.streams.find(streamId);
    if (!stream) throw new OnAirError('NOT_FOUND', 'Stream not found');
    if (!ownsChannel(who, stream.owner.id) && !isAdmin(who)) {
      throw new OnAirError('FORBIDDEN', "Only the stream's owner reports its publishing");
    }
    await takeToken(
      this.deps.state,
      `publish-report:${report.sessionId}`,
      this.deps.sessionRate,
      'This publish session reports too often',
    );
    await this.deps.repository.writePublishReport(streamId, report, new Date(this.now()));
  }

  /**
   * A stream's summary and per-minute timeline, for its owner, its channel's
   * moderators and admins (else `FORBIDDEN`; `NOT_FOUND` for no stream, and
   * for a moderator not invited to a private one).
   */
  async streamAnalytics(
    streamId: string,
    who: Identity,
    /** The peak presence counts now (it reaches storage a moment later). */
    peakViewers: number,
  ): Promise<StreamAnalytics> {
    const stream = await this.deps.streams.find(streamId);
    if (!stream) throw new OnAirError('NOT_FOUND', 'Stream not found');
    if (!canModerate(who, stream.owner.id)) {
      throw new OnAirError(
        'FORBIDDEN',
        "Only this channel's owner and moderators read its analytics",
      );
    }
    // A private stream is its owner's and its invitees' (and admins'): a moderator not
    // invited may not see it, so not its figures either.
    const moderator = this.privateHiddenFrom(who, stream.owner.id);
    if (
      stream.privacy === 'private' &&
      moderator !== undefined &&
      !(await this.deps.streams.isInvited(streamId, moderator))
    ) {
      throw new OnAirError('NOT_FOUND', 'Stream not found');
    }
    return this.reportOf(stream, peakViewers);
  }

  /** A moderator's user id (neither the channel's owner nor an admin): who sees private streams only when invited. */
  private privateHiddenFrom(who: Identity, channelId: string): string | undefined {
    return ownsChannel(who, channelId) || isAdmin(who) ? undefined : who.userId;
  }

  /**
   * The report of a stream that is live now, for the live feed to its
   * managers (who were checked when they joined); `undefined` otherwise.
   */
  async liveReport(streamId: string, peakViewers: number): Promise<StreamAnalytics | undefined> {
    const stream = await this.deps.streams.find(streamId);
    return stream?.status === 'live' ? this.reportOf(stream, peakViewers) : undefined;
  }

  /** The report of `stream` for the server itself (the `stream.summary` webhook): no access check. */
  async reportOf(stream: Stream, peakViewers: number): Promise<StreamAnalytics> {
    const streamId = stream.id;
    const liveFrom = stream.startedAt === null ? null : new Date(stream.startedAt);
    const liveTo = stream.endedAt === null ? new Date(this.now()) : new Date(stream.endedAt);
    const { repository } = this.deps;
    const [totals, minutes, chat, engagement, storedPeak, publishing, ingest] = await Promise.all([
      repository.totals(streamId),
      repository.minutes(streamId),
      repository.chatMinutes(streamId),
      repository.engagement(streamId, stream.owner.id, liveFrom, liveTo),
      this.deps.streams.peakViewers(streamId),
      repository.publishReports(streamId),
      repository.ingestHealth(streamId),
    ]);
    // One row per minute that had viewers or chat, oldest first.
    const byMinute = new Map<number, AnalyticsMinute>();
    const minuteAt = (at: Date): AnalyticsMinute => {
      let minute = byMinute.get(at.getTime());
      if (!minute) {
        minute = {
          at: at.toISOString(),
          viewers: 0,
          watchMs: 0,
          rebufferMs: 0,
          rebufferCount: 0,
          bitrateKbps: null,
          chatMessages: 0,
        };
        byMinute.set(at.getTime(), minute);
      }
      return minute;
    };
    for (const m of minutes) {
      Object.assign(minuteAt(m.minute), {
        viewers: round(m.watchMs / 60_000, 2),
        watchMs: m.watchMs,
        rebufferMs: m.rebufferMs,
        rebufferCount: m.rebufferCount,
        bitrateKbps: m.bitrateMs > 0 ? round(m.bitrateWeighted / m.bitrateMs, 0) : null,
      });
    }
    for (const m of chat) minuteAt(m.minute).chatMessages = m.messages;
    const timeline = [...byMinute.entries()].sort(([a], [b]) => a - b).map(([, m]) => m);
    const liveMs = liveFrom === null ? 0 : liveTo.getTime() - liveFrom.getTime();
    const peak = Math.max(storedPeak, peakViewers, ...timeline.map((m) => Math.ceil(m.viewers)));
    return {
      streamId,
      uniqueViewers: totals.uniqueViewers,
      peakViewers: peak,
      // Never above the peak: watch time reported early in a stream (a clock ahead, a replay
      // watched while live) over a few seconds live would say thousands.
      averageViewers: liveMs > 0 ? round(Math.min(totals.watchMs / liveMs, peak), 2) : 0,
      totalWatchMs: totals.watchMs,
      averageViewMs: totals.views > 0 ? Math.round(totals.watchMs / totals.views) : 0,
      engagement,
      qoe: qoeOf(totals),
      broadcast: broadcastOf(publishing, ingest),
      timeline,
    };
  }
}

/**
 * The broadcast side of a report: the Publishers' means weighted by the
 * time each measured, and the ingest health means (docs/analytics.md).
 */
export function broadcastOf(
  reports: readonly PublishReport[],
  ingest: IngestTotals,
): BroadcastSummary {
  let sampledMs = 0;
  const limited = { cpu: 0, bandwidth: 0, other: 0 };
  let reconnects = 0;
  for (const report of reports) {
    sampledMs += report.sampledMs;
    reconnects += report.reconnects;
    for (const reason of QUALITY_LIMITATIONS) limited[reason] += report.limitedMs[reason];
  }
  /** A figure's mean over the sessions that measured it, weighted by their time. */
  const mean = (figure: 'bitrateKbps' | 'frameRate' | 'height' | 'packetLoss', digits: number) => {
    let sum = 0;
    let weight = 0;
    for (const report of reports) {
      const value = report[figure];
      if (value === null || report.sampledMs === 0) continue;
      sum += value * report.sampledMs;
      weight += report.sampledMs;
    }
    return weight > 0 ? round(sum / weight, digits) : null;
  };
  const percent = (ms: number) => (sampledMs > 0 ? round((ms / sampledMs) * 100, 2) : 0);
  const maybe = (value: number | null, digits: number) =>
    value === null ? null : round(value, digits);
  return {
    sessions: reports.length,
    sampledMs,
    bitrateKbps: mean('bitrateKbps', 0),
    frameRate: mean('frameRate', 1),
    height: mean('height', 0),
    packetLoss: mean('packetLoss', 4),
    limitedPercent: {
      cpu: percent(limited.cpu),
      bandwidth: percent(limited.bandwidth),
      other: percent(limited.other),
    },
    reconnects,
    ingest: {
      reports: ingest.reports,
      bitrateKbps: maybe(ingest.bitrateKbps, 0),
      frameRate: maybe(ingest.frameRate, 1),
      packetLoss: maybe(ingest.packetLoss, 4),
      score: maybe(ingest.score, 1),
      lowestScore: ingest.lowestScore,
    },
  };
}

const round = (value: number, digits: number) => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * QoE of a set of sessions (docs/analytics.md defines each figure). The
 * score multiplies four factors, each 0–1: sessions that did not fail;
 * startup (1 at a median of 1 s or less, falling to 0.5 at 10 s); stalls (1
 * with none, 0.5 at 5 % of the time stalled, 0 at 10 %); picture (1 at 720p
 * or more, 0.9 at 480p, 0.8 at 360p, 0.7 below).
 */
export function qoeOf(totals: SessionTotals): QoeSummary {
  const { views, startedViews } = totals;
  const percent = (part: number, whole: number) => (whole > 0 ? round((part / whole) * 100, 2) : 0);
  const rebufferPercent = percent(totals.rebufferMs, totals.watchMs + totals.rebufferMs);
  const failurePercent = percent(totals.failed, views);
  let score: number | null = null;
  if (startedViews > 0 && totals.startupMsMedian !== null) {
    const startup = clamp(1 - ((totals.startupMsMedian / 1000 - 1) / 9) * 0.5, 0.5, 1);
    const stalls = clamp(1 - rebufferPercent / 10, 0, 1);
    const height = totals.height ?? 0;
    const picture = height >= 720 ? 1 : height >= 480 ? 0.9 : height >= 360 ? 0.8 : 0.7;
    score = round(100 * (1 - failurePercent / 100) * startup * stalls * picture, 1);
  }
  return {
    views,
    startedViews,
    startupMsMedian: totals.startupMsMedian === null ? null : Math.round(totals.startupMsMedian),
    startupMsP95: totals.startupMsP95 === null ? null : Math.round(totals.startupMsP95),
    rebufferPercent,
    rebufferPerMinute:
      totals.watchMs > 0 ? round(totals.rebufferCount / (totals.watchMs / 60_000), 3) : 0,
    failurePercent,
    exitBeforeStartPercent: percent(totals.exitedBeforeStart, views),
    bitrateKbps: totals.bitrateKbps === null ? null : Math.round(totals.bitrateKbps),
    latencyMean: totals.latencyMean === null ? null : round(totals.latencyMean, 2),
    score,
    byEngine: totals.byEngine,
  };
}
