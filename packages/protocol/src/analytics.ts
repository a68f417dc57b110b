import * as z from 'zod/mini';
import { count, hasLoneSurrogate, IdSchema, TimestampSchema } from './common.js';

/**
 * `@onair/protocol/analytics`: viewer analytics. What a player reports about one playback (a view
 * session) in beacons, and what the server reports back to a stream's owner.
 * Metric names and definitions follow Mux Data's where one exists; every
 * definition is in docs/analytics.md.
 *
 * @packageDocumentation
 */

/** A duration, whole ms, at most a week. A new schema each call; pure, as `count`. */
const ms = /* @__NO_SIDE_EFFECTS__ */ () =>
  z.number().check(z.int(), z.nonnegative(), z.lte(7 * 24 * 3600 * 1000));

/** How a view session receives the stream. */
export const VIEW_ENGINES = ['hls', 'realtime', 'whep'] as const;
/** Schema of {@link ViewEngine}. */
export const ViewEngineSchema = z.enum(VIEW_ENGINES);
/** One of {@link VIEW_ENGINES}. */
export type ViewEngine = z.infer<typeof ViewEngineSchema>;

/** The kind of device a view session plays on, from the user agent. */
export const DEVICE_CLASSES = ['desktop', 'mobile', 'tablet', 'tv', 'other'] as const;
/** Schema of {@link DeviceClass}. */
export const DeviceClassSchema = z.enum(DEVICE_CLASSES);
/** One of {@link DEVICE_CLASSES}. */
export type DeviceClass = z.infer<typeof DeviceClassSchema>;

/** Most custom dimensions a host app may attach to a view session. */
export const MAX_VIEW_DIMENSIONS = 10;

/**
 * A host app's own dimensions of a view session (a course id, a workspace
 * id): lower-case keys of up to 32 characters, values of up to 128. A value
 * is the host's text, stored as it came: a tab or a line break is kept; only
 * U+0000 and half a surrogate pair, which cannot be stored, are refused.
 */
export const ViewDimensionsSchema = z
  .record(
    z.string().check(z.regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be snake_case, 1–32 characters')),
    z.string().check(
      z.maxLength(128),
      z.refine(
        (value) => !value.includes('\u0000') && !hasLoneSurrogate(value),
        'must not hold U+0000 or an unpaired surrogate',
      ),
    ),
  )
  .check(
    z.refine(
      (dimensions) => Object.keys(dimensions).length <= MAX_VIEW_DIMENSIONS,
      `at most ${MAX_VIEW_DIMENSIONS} dimensions`,
    ),
  );

/** Who and what a view session is: sent with every beacon, stored once. */
export const ViewSessionInfoSchema = z.object({
  /** Chosen by the player, random: 16–64 URL-safe characters. */
  id: IdSchema.check(z.minLength(16)),
  streamId: IdSchema,
  /** When the player was asked to play, ms since the epoch. */
  startedAt: z.number().check(z.int(), z.positive()),
  engine: ViewEngineSchema,
  /**
   * Device class, browser and operating system (coarse: no versions). The
   * server takes them from the request's `User-Agent` when a player leaves
   * them out (OnAir's does); a native player may name them.
   */
  device: z.optional(DeviceClassSchema),
  browser: z.optional(z.string().check(z.maxLength(32))),
  os: z.optional(z.string().check(z.maxLength(32))),
  /** The viewer, only when the host app passes it (no personal data otherwise). */
  userId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  dimensions: z.optional(ViewDimensionsSchema),
});
/** Who and what a view session is. */
export type ViewSessionInfo = z.infer<typeof ViewSessionInfoSchema>;

/**
 * A view session's figures so far (each beacon carries them whole: the
 * newest wins). Times are ms; `null` where nothing is known yet.
 */
export const ViewMetricsSchema = z.object({
  /** Video Startup Time: from the request to play to the first frame. */
  startupMs: z.nullable(ms()),
  /** Time spent playing (frames moving), the viewer's watch time. */
  watchMs: ms(),
  /** Stalls after the first frame (seeks are not stalls). */
  rebufferCount: count(),
  rebufferMs: ms(),
  /** Mean bitrate received while playing, weighted by time, kbit/s. */
  bitrateKbps: z.nullable(z.number().check(z.nonnegative())),
  /** Mean picture height while playing, weighted by time, pixels. */
  height: z.nullable(z.number().check(z.nonnegative())),
  /** Changes of quality (rendition or simulcast layer) after the first frame. */
  qualitySwitches: count(),
  /** Seconds behind the live edge while playing live: mean and 95th percentile. */
  latencyMean: z.nullable(z.number().check(z.nonnegative())),
  latencyP95: z.nullable(z.number().check(z.nonnegative())),
  droppedFrames: count(),
  /** Errors the player reported (recovered or not). */
  errors: count(),
  /** Times real time fell back to HLS. */
  fallbacks: count(),
  /** Playback Failure: the session ended in an error it did not recover from. */
  failed: z.boolean(),
  /** Exit Before Video Start: the viewer left before the first frame, with no error. */
  exitedBeforeStart: z.boolean(),
  /** The session is over (the viewer left, or the stream ended): its last beacon. */
  ended: z.boolean(),
});
/** A view session's figures so far. */
export type ViewMetrics = z.infer<typeof ViewMetricsSchema>;

/** What a view session reports as it happens. */
export const VIEW_EVENT_TYPES = [
  'firstFrame',
  'rebufferStart',
  'rebufferEnd',
  'qualityChange',
  'skipToLive',
  'fallback',
  'error',
  'pause',
  'resume',
  'end',
] as const;
/** Schema of {@link ViewEventType}. */
export const ViewEventTypeSchema = z.enum(VIEW_EVENT_TYPES);
/** One of {@link VIEW_EVENT_TYPES}. */
export type ViewEventType = z.infer<typeof ViewEventTypeSchema>;

/** One event of a view session, with a few figures (`data`) of its own. */
export const ViewEventSchema = z.object({
  type: ViewEventTypeSchema,
  /** ms since the epoch. */
  at: z.number().check(z.int(), z.positive()),
  data: z.optional(
    z
      .record(
        z.string().check(z.maxLength(32)),
        z.union([z.number(), z.string().check(z.maxLength(200)), z.boolean(), z.null()]),
      )
      .check(z.refine((data) => Object.keys(data).length <= 8, 'at most 8 fields')),
  ),
});
/** One event of a view session. */
export type ViewEvent = z.infer<typeof ViewEventSchema>;

/** Most events one beacon carries. */
export const MAX_BEACON_EVENTS = 100;
/** Most beacons one request carries. */
export const MAX_BEACONS_PER_BATCH = 20;

/**
 * One report of a view session: its figures so far, what it played since the
 * previous beacon (`interval`, added into the per-minute timeline) and the
 * events since then. `seq` counts a session's beacons from 0: a beacon
 * arriving twice (a retry) or after a newer one counts once.
 */
export const ViewBeaconSchema = z.object({
  session: ViewSessionInfoSchema,
  seq: z.number().check(z.int(), z.nonnegative(), z.lte(1_000_000)),
  /** When the player sent it, ms since the epoch by its clock: the server corrects the player's times by the difference. */
  sentAt: z.number().check(z.int(), z.positive()),
  metrics: ViewMetricsSchema,
  interval: z.object({
    watchMs: ms(),
    rebufferMs: ms(),
    rebufferCount: count(),
    /** Mean bitrate over the interval's playing time, kbit/s. */
    bitrateKbps: z.nullable(z.number().check(z.nonnegative())),
  }),
  events: z.array(ViewEventSchema).check(z.maxLength(MAX_BEACON_EVENTS)),
});
/** One report of a view session. */
export type ViewBeacon = z.infer<typeof ViewBeaconSchema>;

/** The body of `POST /v1/analytics/beacons`: one or more beacons (retries queue up). */
export const ViewBeaconBatchSchema = z.object({
  beacons: z.array(ViewBeaconSchema).check(z.minLength(1), z.maxLength(MAX_BEACONS_PER_BATCH)),
});
/** The body of `POST /v1/analytics/beacons`. */
export type ViewBeaconBatch = z.infer<typeof ViewBeaconBatchSchema>;

/** Quality of experience over a set of view sessions. */
export const QoeSummarySchema = z.object({
  /** View sessions (plays), and those that reached a first frame. */
  views: count(),
  startedViews: count(),
  /** Video Startup Time over sessions that started: median and 95th percentile, ms. */
  startupMsMedian: z.nullable(z.number()),
  startupMsP95: z.nullable(z.number()),
  /** Rebuffer Percentage: time stalled over time playing plus stalled, 0–100. */
  rebufferPercent: z.number(),
  /** Rebuffer Frequency: stalls per minute of watch time. */
  rebufferPerMinute: z.number(),
  /** Playback Failure Percentage: sessions that ended in an unrecovered error, 0–100. */
  failurePercent: z.number(),
  /** Exits Before Video Start over all sessions, 0–100. */
  exitBeforeStartPercent: z.number(),
  /** Mean of the sessions' time-weighted bitrates, kbit/s. */
  bitrateKbps: z.nullable(z.number()),
  /** Mean live latency over sessions, seconds. */
  latencyMean: z.nullable(z.number()),
  /**
   * 0–100: a viewer experience score from startup, stalls, failures and
   * picture quality (docs/analytics.md gives the formula).
   */
  score: z.nullable(z.number()),
  /** Sessions by engine. */
  byEngine: z.record(z.string(), count()),
});
/** Quality of experience over a set of view sessions. */
export type QoeSummary = z.infer<typeof QoeSummarySchema>;

/** One minute of a stream's timeline. */
export const AnalyticsMinuteSchema = z.object({
  at: TimestampSchema,
  /** Average concurrent viewers over the minute: watch time in it / 60 s. */
  viewers: z.number(),
  watchMs: count(),
  rebufferMs: count(),
  rebufferCount: count(),
  /** Mean bitrate played in the minute, kbit/s. */
  bitrateKbps: z.nullable(z.number()),
  /** Chat messages sent in the minute (not deleted): the chat rate. */
  chatMessages: count(),
});
/** One minute of a stream's timeline. */
export type AnalyticsMinute = z.infer<typeof AnalyticsMinuteSchema>;

/** What a stream's audience did, from the server's own records. */
export const StreamEngagementSchema = z.object({
  /** Chat messages (not deleted), and the people who sent them. */
  chatMessages: count(),
  chatters: count(),
  reactions: count(),
  /** Questions asked (not hidden). */
  questions: count(),
  pollVotes: count(),
  /** Follows of the channel while the stream was live. */
  followsGained: count(),
});
/** What a stream's audience did. */
export type StreamEngagement = z.infer<typeof StreamEngagementSchema>;

/** Why a publisher's browser sent less than asked (WebRTC's `qualityLimitationReason`). */
export const QUALITY_LIMITATIONS = ['cpu', 'bandwidth', 'other'] as const;

/**
 * `POST /v1/streams/:id/publish-report` (the stream's owner): what a
 * browser Publisher measured of one publish session, from `publish()` to its
 * end, reconnections included. Each report carries the session whole (means
 * over `sampledMs`); the server keeps the one with the most `sampledMs`.
 */
export const PublishReportSchema = z.object({
  /** A random id the Publisher draws for the session. */
  sessionId: IdSchema.check(z.minLength(16)),
  /** When publishing started, ms since the epoch (the publisher's clock). */
  startedAt: z.number().check(z.int(), z.positive()),
  /** Time measured while live (statistics read every second), ms. */
  sampledMs: ms(),
  /** Mean send bitrate, video and audio, kbit/s. */
  bitrateKbps: z.nullable(z.number().check(z.nonnegative(), z.lte(1_000_000))),
  /** Mean frame rate sent (the top simulcast layer). */
  frameRate: z.nullable(z.number().check(z.nonnegative(), z.lte(1000))),
  /** Mean picture height sent (the top layer), pixels. */
  height: z.nullable(z.number().check(z.nonnegative(), z.lte(10_000))),
  /** Mean share of packets the server reported lost, 0–1. */
  packetLoss: z.nullable(z.number().check(z.gte(0), z.lte(1))),
  /** Time the browser held quality down, by reason, ms. */
  limitedMs: z.object({ cpu: ms(), bandwidth: ms(), other: ms() }),
  /** Times the connection dropped and the Publisher reconnected (or tried to). */
  reconnects: count(),
  /** The session is over (the last report). */
  ended: z.boolean(),
});
/** A Publisher's report of one publish session. */
export type PublishReport = z.infer<typeof PublishReportSchema>;

/**
 * The broadcast side of a stream's report: what its Publishers measured
 * (browser publishing only: OBS and other WHIP or RTMP encoders send none)
 * and how the ingest looked from the server (every publishing path).
 */
export const BroadcastSummarySchema = z.object({
  /** Publish sessions reported (a reload or a second device is another). */
  sessions: count(),
  /** Time the Publishers measured while live, ms. */
  sampledMs: count(),
  /** Mean send bitrate, kbit/s, over the sessions' time. */
  bitrateKbps: z.nullable(z.number()),
  frameRate: z.nullable(z.number()),
  height: z.nullable(z.number()),
  packetLoss: z.nullable(z.number()),
  /** Share of the measured time the browser held quality down, by reason, %. */
  limitedPercent: z.object({ cpu: z.number(), bandwidth: z.number(), other: z.number() }),
  reconnects: count(),
  /** The server's ingest health reports (every 5 s while media arrives): how many, and their means. */
  ingest: z.object({
    reports: count(),
    bitrateKbps: z.nullable(z.number()),
    frameRate: z.nullable(z.number()),
    packetLoss: z.nullable(z.number()),
    /** Mean health score, 0–100. */
    score: z.nullable(z.number()),
    /** Lowest health score seen. */
    lowestScore: z.nullable(z.number()),
  }),
});
/** The broadcast side of a stream's report. */
export type BroadcastSummary = z.infer<typeof BroadcastSummarySchema>;

/** `GET /v1/streams/:id/analytics`: a stream's summary and per-minute timeline. */
export const StreamAnalyticsSchema = z.object({
  streamId: IdSchema,
  /** Distinct viewers: signed-in users once each, anonymous sessions each. */
  uniqueViewers: count(),
  /** Highest concurrent viewers the server counted (presence), when known. */
  peakViewers: count(),
  /** Average concurrent viewers while live (watch time / time live). */
  averageViewers: z.number(),
  totalWatchMs: count(),
  averageViewMs: z.number(),
  engagement: StreamEngagementSchema,
  qoe: QoeSummarySchema,
  broadcast: BroadcastSummarySchema,
  timeline: z.array(AnalyticsMinuteSchema),
});
/** A stream's analytics. */
export type StreamAnalytics = z.infer<typeof StreamAnalyticsSchema>;

/** Longest range a channel report covers, days. */
export const MAX_ANALYTICS_RANGE_DAYS = 400;

/**
 * The query of `GET /v1/channels/:id/analytics`: streams that started from
 * `from` (inclusive) to `to` (exclusive). Default: the 28 days up to now.
 */
export const ChannelAnalyticsQuerySchema = z.object({
  from: z.optional(TimestampSchema),
  to: z.optional(TimestampSchema),
});
/** The query of a channel report. */
export type ChannelAnalyticsQuery = z.infer<typeof ChannelAnalyticsQuerySchema>;

/** One stream of a channel report. */
export const ChannelStreamSummarySchema = z.object({
  streamId: IdSchema,
  title: z.string(),
  startedAt: TimestampSchema,
  endedAt: z.nullable(TimestampSchema),
  views: count(),
  uniqueViewers: count(),
  peakViewers: count(),
  totalWatchMs: count(),
});
/** One stream of a channel report. */
export type ChannelStreamSummary = z.infer<typeof ChannelStreamSummarySchema>;

/** `GET /v1/channels/:id/analytics`: a channel's streams over a range, with totals. */
export const ChannelAnalyticsSchema = z.object({
  channelId: IdSchema,
  from: TimestampSchema,
  to: TimestampSchema,
  /** Distinct viewers over all the streams (a signed-in user once). */
  uniqueViewers: count(),
  totalWatchMs: count(),
  followsGained: count(),
  qoe: QoeSummarySchema,
  /** The streams that started in the range, newest first (500 at most). */
  streams: z.array(ChannelStreamSummarySchema),
});
/** A channel's analytics over a range. */
export type ChannelAnalytics = z.infer<typeof ChannelAnalyticsSchema>;

/**
 * One signed-in viewer of a stream (`GET /v1/streams/:id/viewers/history`):
 * from their realtime presence, tabs merged (first tab in, last tab out).
 */
export const ViewerHistoryEntrySchema = z.object({
  user: z.object({ id: IdSchema, displayName: z.string() }),
  firstJoinedAt: TimestampSchema,
  /** When they left last; now for a viewer still watching. */
  lastSeenAt: TimestampSchema,
  /** Seconds they watched, the times they were away left out. */
  watchedSeconds: z.number().check(z.nonnegative()),
  /** How many times they came (a return after leaving counts again). */
  visits: count(),
});
/** A signed-in viewer's history with a stream. */
export type ViewerHistoryEntry = z.infer<typeof ViewerHistoryEntrySchema>;

/** `GET /v1/streams/:id/viewers/history`: who watched, longest first, and totals. */
export const ViewerHistorySchema = z.object({
  items: z.array(ViewerHistoryEntrySchema),
  nextCursor: z.nullable(z.string()),
  /** Signed-in viewers in all, and anonymous connections that joined. */
  totals: z.object({ viewers: count(), anonymousVisits: count() }),
});
/** Who watched a stream. */
export type ViewerHistory = z.infer<typeof ViewerHistorySchema>;
