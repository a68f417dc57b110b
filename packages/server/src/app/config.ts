import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '@onair/protocol';
import { DEFAULT_STAGE_LIMIT } from '@onair/protocol/stage';
import type { ChatReviewOptions, WordFilterOptions } from '../domains/chat/filter.js';
import { DEFAULT_CLIPS_PER_DAY } from '../domains/clips/service.js';
import type { WebPushOptions } from '../domains/notifications/push.js';
import {
  INBOX_LIMIT,
  NOTIFICATION_RETENTION_DAYS,
  RETENTION_CHECK_MS,
} from '../domains/notifications/service.js';
import { NODE_URL_PATTERN } from '../media/cluster/registry.js';
import { DEFAULT_WHEP_LIMITS } from '../media/egress/whep/limits.js';
import { defaultFfmpegPath } from '../media/ffmpeg-binary.js';
import {
  DEFAULT_LADDER,
  LADDER_PRESETS,
  type LadderPreset,
  type LadderPresetName,
} from '../media/hls/ladder.js';
import {
  MAX_WEBHOOK_SECRETS,
  type WebhookRetryPolicy,
  type WebhookTarget,
} from '../platform/webhooks.js';

/** Media plane options. */
export interface MediaOptions {
  /** Enable the embedded SFU and HLS packaging. Default `true`. */
  enabled?: boolean;
  /**
   * ffmpeg binary. Default: `ffmpeg` on PATH; without one, the binary of the
   * npm package `@ffmpeg-installer/<platform>-<arch>` when it is installed
   * (an optional dependency), used once a test encode shows it runs the ladder.
   */
  ffmpegPath?: string;
  /**
   * Where HLS output and recordings are written (one folder per stream; the
   * CLI's `--media-dir`). Default: `<dataDir>/media` when `dataDir` is set,
   * so recordings survive a restart; otherwise a fresh folder under the OS
   * temp dir, deleted on close (tests, trying things out).
   */
  hlsDir?: string;
  /** Address announced in ICE candidates. Default: every local IPv4 host address. */
  announcedAddresses?: string[];
  /** Low-Latency HLS segment duration in seconds (segments are cut at keyframes). Default `2`. */
  hlsSegmentSeconds?: number;
  /** Low-Latency HLS part duration in seconds (PART-TARGET). Default `1/3`. */
  hlsPartSeconds?: number;
  /** Seconds of the live playlist, the window live viewers can seek back in. The recording keeps everything. Default `120`. */
  dvrWindowSeconds?: number;
  /**
   * HLS ladder below the source: preset names (`1080p`, `720p`, `480p`,
   * `360p`, `240p`) or custom rungs. The source itself is the top rung
   * (copied when it is H.264); presets at or above its height are left out.
   * Default `['720p', '480p', '240p']`.
   */
  ladder?: Array<LadderPresetName | LadderPreset>;
  /** H.264 encoder of the transcoded rungs. Hardware encoders are checked at start. Default `'x264'`. */
  encoder?: 'x264' | 'nvenc' | 'qsv' | 'vaapi';
  /** Also encode an AV1 rendition (SVT-AV1) of each transcoded rung. Default `false`. */
  av1?: boolean;
  /** x264 preset of the transcoded rungs. Default `'veryfast'`. */
  x264Preset?: string;
  /** VAAPI render node with `encoder: 'vaapi'`. Default `/dev/dri/renderD128`. */
  vaapiDevice?: string;
  /** Seconds between recording thumbnails (0: none). Default `5`. */
  thumbnailSeconds?: number;
  /** Interval between keyframe requests sent to publishers while packaging, ms. Default: one segment. */
  keyframeIntervalMs?: number;
  /**
   * RTMP ingest port (OBS, ffmpeg: `rtmp://host:port/live`, the stream key as
   * stream name); `0` picks a free one, `false` turns RTMP off. Needs ffmpeg.
   * Default `1935`.
   */
  rtmpPort?: number | false;
  /** Interface the RTMP ingest binds. Default: the server's `host`. */
  rtmpHost?: string;
  /**
   * The RTMP URL broadcasters are told to publish to (`rtmp://` or `rtmps://`,
   * ending in the application, e.g. `rtmp://live.example.com/live`), when the
   * address the ingest binds is not the one they reach (a load balancer,
   * `0.0.0.0`). Default: `rtmp://<host>:<port>/live`.
   */
  rtmpPublicUrl?: string;
  /** Seconds a live stream waits for a dropped publisher to come back before it ends. Default `30`. */
  reconnectGraceSeconds?: number;
  /**
   * Real-time (WebRTC) viewers per stream; more are refused with
   * `STREAM_FULL` and the Player falls back to HLS. One server process
   * forwards to about 50–100 viewers of a 2.5 Mbit/s stream (`pnpm
   * bench:sfu`). `0` turns real-time viewing off. Default `50`.
   */
  maxRealtimeViewers?: number;
  /**
   * Streams one realtime connection may watch in real time at once (one
   * receive transport each); more are refused with `RATE_LIMITED`. Default `4`.
   */
  maxRealtimeStreamsPerConnection?: number;
  /**
   * Seconds after which a real-time receive transport or WHEP session that
   * carries no media (never connected, no consumer, or nothing flowing) is
   * closed, freeing its slot (reason `idle`). Default `30`.
   */
  realtimeIdleSeconds?: number;
  /**
   * WHEP sessions one client (a playback token's subject, else an address)
   * may have still connecting per stream; more are refused `RATE_LIMITED`.
   * Connected ones do not count. `0`: no cap. Default `4`.
   */
  whepSessionsPerClient?: number;
  /**
   * WHEP sessions one client may start: bursts of `capacity`, then
   * `refillPerSecond` (429 with `Retry-After` past it; shared through Redis).
   * `false`: not limited. Default: bursts of 20, one a second.
   */
  whepCreateRate?: { capacity: number; refillPerSecond: number } | false;
  /** How long the signed HLS URLs of followers-only and private streams stay valid, seconds. Default 6 hours. */
  hlsTokenSeconds?: number;
  /** STUN/TURN servers offered to WHIP clients in `Link` headers. Default: none (host candidates only). */
  iceServers?: Array<{ urls: string | string[]; username?: string; credential?: string }>;
  /**
   * Base URL at which the other servers of a deployment reach this one's
   * HTTP port (`http://10.0.0.2:8080`; the CLI's `--node-url`): with
   * `redisUrl`, a stream's media is registered under it, and another server
   * asked for the stream's HLS fetches it from here. Default:
   * `http://<host>:<port>` of the listening server, with `127.0.0.1` for a
   * wildcard host (`0.0.0.0`, `::`): right for servers on one machine only.
   */
  nodeUrl?: string;
}

/** Settings a new stream gets when its create request leaves them out. */
export interface StreamDefaults {
  /** Whether viewers may ask questions (Q&A). Default `false`. */
  qnaEnabled?: boolean;
  /** Whether viewers may send reactions. Default `true`. */
  reactionsEnabled?: boolean;
}

/** Options of {@link createServer}. Every field has a documented default. */
export interface ServerOptions {
  /** TCP port; `0` picks a free one. Default `0`. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** PostgreSQL URL; when absent, embedded PGlite is used. Default `process.env.DATABASE_URL`. */
  databaseUrl?: string | undefined;
  /**
   * Data directory (the CLI's `--data-dir`): PGlite's files when no
   * `databaseUrl` is set, and recordings under `media/` unless `media.hlsDir`
   * says otherwise. Absent: data in memory, recordings in a temporary folder.
   */
  dataDir?: string;
  /**
   * HS256 secret shared with the host app for its JWTs. Default: a random
   * secret, which only makes sense together with `devAuth`.
   */
  jwtSecret?: string;
  /** JWKS URL of the host app's signing keys, for RS256/ES256/EdDSA tokens. */
  jwksUrl?: string;
  /** Asymmetric algorithms accepted with `jwksUrl`. Default `['RS256', 'ES256', 'EdDSA']`. */
  jwtAlgorithms?: string[];
  /** Required `iss` claim. Default: not checked. */
  jwtIssuer?: string;
  /** Required `aud` claim. Default: not checked. */
  jwtAudience?: string;
  /**
   * Roles allowed to create streams. Default: every signed-in user
   * (`['viewer', 'broadcaster', 'admin']`). A course platform sets `['broadcaster']`
   * and gives teachers that role.
   */
  creatorRoles?: Role[];
  /**
   * Settings a new stream gets when its create request leaves them out; the
   * request's own value wins. Default `{ qnaEnabled: false, reactionsEnabled: true }`;
   * a course platform turns Q&A on.
   */
  streamDefaults?: StreamDefaults;
  /** Endpoints notified of stream events. Default: none. */
  webhooks?: WebhookTarget[];
  /**
   * Limit on state-changing REST calls per caller: the verified subject of a
   * valid token, else the client address (see `trustProxy`). `capacity` calls
   * per `capacity / refillPerSecond` seconds (a fixed window of
   * `@fastify/rate-limit`). Default: bursts of 30, 1 per second. `false`
   * turns every REST limit off, reads included.
   */
  restRateLimit?: { capacity: number; refillPerSecond: number } | false;
  /**
   * Limit on REST reads (GET, HEAD under `/v1/`) per caller, counted apart
   * from writes. Health checks, HLS, WHIP and WHEP are not limited. Default:
   * bursts of 120, 20 per second. `false` turns it off.
   */
  restReadRateLimit?: { capacity: number; refillPerSecond: number } | false;
  /**
   * Which peers are proxies whose `X-Forwarded-For` is believed, for the
   * client address of REST calls and realtime connections (rate limits,
   * connection caps). `false`: none, the TCP peer is the client. A list of
   * proxy addresses or CIDR ranges (or `loopback`, `linklocal`,
   * `uniquelocal`): the client is the right-most address not in the list, so
   * what a client writes into the header itself is not believed. `true`:
   * every hop, the left-most address (only when your proxy overwrites the
   * header). Default `false`.
   */
  trustProxy?: boolean | string[];
  /**
   * Realtime connections one client address may hold on this server; more
   * are refused (`connect_error` with `RATE_LIMITED`). `0` turns the cap off.
   * Behind a proxy, set `trustProxy` or every viewer shares the proxy's
   * address. Default `20`.
   */
  maxConnectionsPerIp?: number;
  /**
   * Whether anonymous viewers count toward a stream's `viewerLimit`. When
   * `false`, the limit counts signed-in viewers only: anonymous viewers take
   * seats left free but never keep a signed-in viewer out. Default `true`.
   */
  countAnonymousInViewerLimit?: boolean;
  /**
   * Webhook retry policy. Pending deliveries are kept in the database (an
   * outbox), so they survive a restart. Default: 6 attempts, 1 s doubling
   * backoff, 5 s timeout.
   */
  webhookRetry?: Partial<WebhookRetryPolicy>;
  /** View analytics (players' beacons): retention and limits. */
  analytics?: AnalyticsOptions;
  /** The stage: co-hosts and guests publishing beside a stream's owner (docs/stage.md). */
  stage?: StageOptions;
  /** Notifications: go-live, new scheduled streams, reminders (docs/notifications.md). */
  notifications?: NotificationOptions;
  /** Prometheus metrics at `GET /metrics`. Default: served, without a token. */
  metrics?: MetricsOptions;
  /** Per-user chat rate limit (moderators exempt). Default: bursts of 3, 1.5 per second (3 per 2 s). */
  chatRate?: { capacity: number; refillPerSecond: number };
  /** Per-user reaction rate limit. Default: bursts of 10, 5 per second. */
  reactionRate?: { capacity: number; refillPerSecond: number };
  /** Per-user question rate limit. Default: bursts of 3, one more every 10 s. */
  questionRate?: { capacity: number; refillPerSecond: number };
  /**
   * Web Push of notifications to browsers that subscribed (VAPID keys and
   * subject; docs/notifications.md). Default: off.
   */
  webPush?: WebPushOptions;
  /** Per-user clip rate limit. Default: bursts of 3, one more every 20 s. */
  clipRate?: { capacity: number; refillPerSecond: number };
  /**
   * Clips one user may make in a day (a stream's owner and moderators
   * excepted): each is up to a minute of video on disk. Default 50.
   */
  clipsPerDay?: number;
  /** Words the chat masks or refuses. Default: none. */
  chatFilter?: WordFilterOptions;
  /** The host app's review hook, called for every chat message and question. Default: none. */
  chatReview?: ChatReviewOptions;
  /**
   * Redis URL. When set, servers share realtime rooms (socket.io Redis
   * Streams adapter), rate limits and presence. Default `process.env.REDIS_URL`.
   */
  redisUrl?: string | undefined;
  /** Prefix of every Redis key and of the adapter's stream (to share a Redis between deployments). Default `onair:`. */
  redisPrefix?: string;
  /** Window in which room events are batched, ms (100–250). Default 100. */
  batchWindowMs?: number;
  /**
   * How long a realtime connection stays open after its token expired, ms:
   * meanwhile its privileged requests get `TOKEN_EXPIRED` and a fresh token
   * (`auth:refresh`) keeps it open. Default 60000.
   */
  tokenGraceMs?: number;
  /** Secret for stream-key HMACs. Default: a random secret (keys do not survive restarts). */
  streamKeySecret?: string;
  /**
   * Development mode: `POST /v1/dev/token` issues a token for any display
   * name. Never enable in production. Default `false`.
   */
  devAuth?: boolean;
  /** Folder of static files served at `/` (the quickstart page). Default: none. */
  staticDir?: string;
  /** Browser origins allowed to call the API and realtime (`'*'` for any). Default: same origin only. */
  corsOrigins?: string[];
  /** Log level. Default `warn` (the CLI's `--log-level`: `info`). Media request lines are `debug`. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Where log lines go, one JSON object per line (pino's format). Default: standard output. */
  logStream?: { write(line: string): unknown };
  /** Media plane. */
  media?: MediaOptions;
}

/** Options with every default filled in. */
export interface ResolvedServerOptions {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string | undefined;
  jwtSecret: string | undefined;
  jwksUrl: string | undefined;
  jwtAlgorithms: string[] | undefined;
  jwtIssuer: string | undefined;
  jwtAudience: string | undefined;
  creatorRoles: Role[];
  streamDefaults: Required<StreamDefaults>;
  webhooks: WebhookTarget[];
  webhookRetry: WebhookRetryPolicy;
  restRateLimit: { capacity: number; refillPerSecond: number } | false;
  restReadRateLimit: { capacity: number; refillPerSecond: number } | false;
  trustProxy: boolean | string[];
  maxConnectionsPerIp: number;
  countAnonymousInViewerLimit: boolean;
  analytics: Required<AnalyticsOptions>;
  stage: Required<StageOptions>;
  notifications: Required<NotificationOptions>;
  metrics: { enabled: boolean; token: string | undefined };
  chatRate: { capacity: number; refillPerSecond: number };
  reactionRate: { capacity: number; refillPerSecond: number };
  questionRate: { capacity: number; refillPerSecond: number };
  clipRate: { capacity: number; refillPerSecond: number };
  clipsPerDay: number;
  webPush: WebPushOptions | undefined;
  chatFilter: WordFilterOptions | undefined;
  chatReview: ChatReviewOptions | undefined;
  redisUrl: string | undefined;
  redisPrefix: string;
  batchWindowMs: number;
  tokenGraceMs: number;
  streamKeySecret: string;
  devAuth: boolean;
  staticDir: string | undefined;
  corsOrigins: string[];
  logLevel: NonNullable<ServerOptions['logLevel']>;
  logStream: ServerOptions['logStream'] | undefined;
  media: Required<
    Omit<MediaOptions, 'announcedAddresses' | 'ladder' | 'rtmpPublicUrl' | 'nodeUrl'>
  > & {
    announcedAddresses: string[] | undefined;
    rtmpPublicUrl: string | undefined;
    /** Undefined: the listening address (see {@link MediaOptions.nodeUrl}). */
    nodeUrl: string | undefined;
    ladder: LadderPreset[];
    /** Whether hlsDir is a temporary folder the server created (and removes on close). */
    hlsDirIsTemporary: boolean;
  };
}

/** A `metrics.token`: what a bearer token may hold, long enough not to be guessed. */
export const METRICS_TOKEN = /^[\x21-\x7e]{16,}$/;

/** Fills in defaults and rejects contradictory options. */
export function resolveOptions(options: ServerOptions = {}): ResolvedServerOptions {
  if (!options.jwtSecret && !options.jwksUrl && !options.devAuth) {
    throw new Error(
      'OnAir server: set jwtSecret (the HS256 secret your app signs tokens with), jwksUrl, or enable devAuth for local development',
    );
  }
  if (options.jwtSecret !== undefined && options.jwtSecret.length < 32) {
    throw new Error('OnAir server: jwtSecret must be at least 32 characters');
  }
  if (options.jwksUrl !== undefined && !/^https?:\/\//.test(options.jwksUrl)) {
    throw new Error('OnAir server: jwksUrl must be an http(s) URL');
  }
  if (options.jwtAlgorithms?.some((alg) => alg.startsWith('HS') || alg === 'none')) {
    throw new Error('OnAir server: jwtAlgorithms are for JWKS keys; HS256 uses jwtSecret');
  }
  for (const hook of options.webhooks ?? []) {
    if (!/^https?:\/\//.test(hook.url))
      throw new Error(`OnAir server: webhook URL ${hook.url} is not http(s)`);
    const secrets = [hook.secret].flat();
    if (secrets.length === 0 || secrets.length > MAX_WEBHOOK_SECRETS)
      throw new Error(`OnAir server: a webhook has 1 to ${MAX_WEBHOOK_SECRETS} secrets`);
    if (secrets.some((secret) => secret.length < 16))
      throw new Error('OnAir server: webhook secrets must be at least 16 characters');
  }
  if (options.creatorRoles && options.creatorRoles.length === 0) {
    throw new Error('OnAir server: creatorRoles is empty, so nobody could create streams');
  }
  if (
    options.media?.rtmpPublicUrl !== undefined &&
    !/^rtmps?:\/\/[^/]+/.test(options.media.rtmpPublicUrl)
  ) {
    throw new Error('OnAir server: media.rtmpPublicUrl must be an rtmp:// or rtmps:// URL');
  }
  if (options.media?.nodeUrl !== undefined && !NODE_URL_PATTERN.test(options.media.nodeUrl)) {
    throw new Error(
      'OnAir server: media.nodeUrl must be an http(s) URL without query or fragment, e.g. http://10.0.0.2:8080',
    );
  }
  if (
    options.batchWindowMs !== undefined &&
    (options.batchWindowMs < 10 || options.batchWindowMs > 1000)
  ) {
    throw new Error('OnAir server: batchWindowMs must be between 10 and 1000 ms');
  }
  if (
    options.tokenGraceMs !== undefined &&
    !(options.tokenGraceMs >= 0 && options.tokenGraceMs <= 3_600_000)
  ) {
    throw new Error('OnAir server: tokenGraceMs must be between 0 and 3600000 ms');
  }
  for (const [name, limit] of [
    ['restRateLimit', options.restRateLimit],
    ['restReadRateLimit', options.restReadRateLimit],
  ] as const) {
    if (limit && !(limit.capacity >= 1 && limit.refillPerSecond > 0)) {
      throw new Error(`OnAir server: ${name} needs a capacity ≥ 1 and a refillPerSecond > 0`);
    }
  }
  const { analytics, notifications, media: mediaOptions } = options;
  wholeInRange(
    analytics?.retentionDays,
    1,
    Infinity,
    'analytics.retentionDays must be a whole number of days, 1 or more',
  );
  wholeInRange(
    analytics?.liveIntervalMs,
    1000,
    60_000,
    'analytics.liveIntervalMs must be 1000–60000 ms',
  );
  wholeInRange(options.stage?.limit, 2, 16, 'stage.limit must be a whole number of people, 2–16');
  const stageLayout = options.stage?.layout;
  if (stageLayout !== undefined && stageLayout !== 'grid' && stageLayout !== 'speaker') {
    throw new Error("OnAir server: stage.layout must be 'grid' or 'speaker'");
  }
  wholeInRange(
    notifications?.reminderLeadMinutes,
    0,
    1440,
    'notifications.reminderLeadMinutes must be 0–1440',
  );
  wholeInRange(
    notifications?.reminderCheckMs,
    50,
    600_000,
    'notifications.reminderCheckMs must be 50–600000 ms',
  );
  wholeInRange(
    notifications?.inboxLimit,
    1,
    10_000,
    'notifications.inboxLimit must be 1–10000 notifications',
  );
  wholeInRange(
    notifications?.retentionDays,
    1,
    3650,
    'notifications.retentionDays must be 1–3650 days',
  );
  wholeInRange(
    notifications?.retentionCheckMs,
    50,
    86_400_000,
    'notifications.retentionCheckMs must be 50–86400000 ms',
  );
  wholeInRange(
    analytics?.summaryDelayMs,
    0,
    300_000,
    'analytics.summaryDelayMs must be 0–300000 ms',
  );
  for (const [name, limit] of [
    ['analytics.sessionRate', options.analytics?.sessionRate],
    ['analytics.addressRate', options.analytics?.addressRate],
  ] as const) {
    if (limit && !(limit.capacity >= 1 && limit.refillPerSecond > 0)) {
      throw new Error(`OnAir server: ${name} needs a capacity ≥ 1 and a refillPerSecond > 0`);
    }
  }
  const metricsToken = options.metrics?.token;
  if (metricsToken !== undefined && !METRICS_TOKEN.test(metricsToken)) {
    throw new Error(
      'OnAir server: metrics.token must be at least 16 visible ASCII characters, without spaces',
    );
  }
  if (metricsToken !== undefined && options.metrics?.enabled === false) {
    throw new Error('OnAir server: metrics.token is set but metrics.enabled is false');
  }
  if (options.restRateLimit === false && options.restReadRateLimit) {
    throw new Error(
      'OnAir server: restReadRateLimit is set but restRateLimit: false turns REST limits off',
    );
  }
  if (Array.isArray(options.trustProxy) && options.trustProxy.length === 0) {
    throw new Error('OnAir server: trustProxy is an empty list; use false to trust no proxy');
  }
  wholeInRange(
    options.maxConnectionsPerIp,
    0,
    Infinity,
    'maxConnectionsPerIp must be a whole number (0: no cap)',
  );
  if (options.redisUrl !== undefined && !/^rediss?:\/\//.test(options.redisUrl)) {
    throw new Error('OnAir server: redisUrl must be a redis:// or rediss:// URL');
  }
  const realtimeIdleSeconds = mediaOptions?.realtimeIdleSeconds;
  if (realtimeIdleSeconds !== undefined && !(realtimeIdleSeconds > 0)) {
    throw new Error('OnAir server: media.realtimeIdleSeconds must be more than 0');
  }
  wholeInRange(
    mediaOptions?.maxRealtimeStreamsPerConnection,
    1,
    Infinity,
    'media.maxRealtimeStreamsPerConnection must be a whole number ≥ 1',
  );
  // Development tokens are signed with a secret: make one when none is configured.
  const jwtSecret =
    options.jwtSecret ?? (options.devAuth ? randomBytes(32).toString('hex') : undefined);
  const media = options.media ?? {};
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    databaseUrl: 'databaseUrl' in options ? options.databaseUrl : process.env.DATABASE_URL,
    dataDir: options.dataDir,
    jwtSecret,
    jwksUrl: options.jwksUrl,
    jwtAlgorithms: options.jwtAlgorithms,
    jwtIssuer: options.jwtIssuer,
    jwtAudience: options.jwtAudience,
    creatorRoles: options.creatorRoles ?? ['viewer', 'broadcaster', 'admin'],
    streamDefaults: {
      qnaEnabled: options.streamDefaults?.qnaEnabled ?? false,
      reactionsEnabled: options.streamDefaults?.reactionsEnabled ?? true,
    },
    webhooks: options.webhooks ?? [],
    restRateLimit: options.restRateLimit ?? { capacity: 30, refillPerSecond: 1 },
    restReadRateLimit:
      options.restRateLimit === false
        ? false
        : (options.restReadRateLimit ?? { capacity: 120, refillPerSecond: 20 }),
    trustProxy: options.trustProxy ?? false,
    maxConnectionsPerIp: options.maxConnectionsPerIp ?? 20,
    countAnonymousInViewerLimit: options.countAnonymousInViewerLimit ?? true,
    analytics: {
      retentionDays: options.analytics?.retentionDays ?? 400,
      sessionRate: options.analytics?.sessionRate ?? { capacity: 10, refillPerSecond: 0.5 },
      addressRate: options.analytics?.addressRate ?? { capacity: 600, refillPerSecond: 100 },
      liveIntervalMs: options.analytics?.liveIntervalMs ?? 5000,
      summaryDelayMs: options.analytics?.summaryDelayMs ?? 10_000,
    },
    stage: { limit: options.stage?.limit ?? DEFAULT_STAGE_LIMIT, layout: stageLayout ?? 'grid' },
    notifications: {
      reminderLeadMinutes: options.notifications?.reminderLeadMinutes ?? 10,
      reminderCheckMs: options.notifications?.reminderCheckMs ?? 30_000,
      inboxLimit: options.notifications?.inboxLimit ?? INBOX_LIMIT,
      retentionDays: options.notifications?.retentionDays ?? NOTIFICATION_RETENTION_DAYS,
      retentionCheckMs: options.notifications?.retentionCheckMs ?? RETENTION_CHECK_MS,
    },
    metrics: { enabled: options.metrics?.enabled ?? true, token: metricsToken },
    chatRate: options.chatRate ?? { capacity: 3, refillPerSecond: 1.5 },
    reactionRate: options.reactionRate ?? { capacity: 10, refillPerSecond: 5 },
    questionRate: options.questionRate ?? { capacity: 3, refillPerSecond: 0.1 },
    clipRate: options.clipRate ?? { capacity: 3, refillPerSecond: 0.05 },
    clipsPerDay: options.clipsPerDay ?? DEFAULT_CLIPS_PER_DAY,
    webPush: checkWebPush(options.webPush),
    chatFilter: options.chatFilter,
    chatReview: options.chatReview,
    redisUrl: 'redisUrl' in options ? options.redisUrl : process.env.REDIS_URL || undefined,
    redisPrefix: options.redisPrefix ?? 'onair:',
    batchWindowMs: options.batchWindowMs ?? 100,
    tokenGraceMs: options.tokenGraceMs ?? 60_000,
    webhookRetry: { maxAttempts: 6, baseDelayMs: 1000, timeoutMs: 5000, ...options.webhookRetry },
    streamKeySecret: options.streamKeySecret ?? randomBytes(32).toString('hex'),
    devAuth: options.devAuth ?? false,
    staticDir: options.staticDir,
    corsOrigins: options.corsOrigins ?? [],
    logLevel: options.logLevel ?? 'warn',
    logStream: options.logStream,
    media: {
      enabled: media.enabled ?? true,
      ffmpegPath: media.ffmpegPath ?? defaultFfmpegPath(),
      hlsDir:
        media.hlsDir ??
        (options.dataDir
          ? join(options.dataDir, 'media')
          : join(tmpdir(), `onair-hls-${randomBytes(4).toString('hex')}`)),
      announcedAddresses: media.announcedAddresses,
      hlsDirIsTemporary: media.hlsDir === undefined && options.dataDir === undefined,
      hlsSegmentSeconds: media.hlsSegmentSeconds ?? 2,
      hlsPartSeconds: media.hlsPartSeconds ?? 1 / 3,
      dvrWindowSeconds: media.dvrWindowSeconds ?? 120,
      ladder: resolveLadder(media.ladder ?? [...DEFAULT_LADDER]),
      encoder: media.encoder ?? 'x264',
      av1: media.av1 ?? false,
      x264Preset: media.x264Preset ?? 'veryfast',
      vaapiDevice: media.vaapiDevice ?? '/dev/dri/renderD128',
      thumbnailSeconds: media.thumbnailSeconds ?? 5,
      keyframeIntervalMs: media.keyframeIntervalMs ?? (media.hlsSegmentSeconds ?? 2) * 1000,
      rtmpPort: media.rtmpPort ?? 1935,
      rtmpHost: media.rtmpHost ?? options.host ?? '127.0.0.1',
      rtmpPublicUrl: media.rtmpPublicUrl,
      nodeUrl: media.nodeUrl?.replace(/\/+$/, ''),
      iceServers: media.iceServers ?? [],
      hlsTokenSeconds: media.hlsTokenSeconds ?? 6 * 3600,
      reconnectGraceSeconds: media.reconnectGraceSeconds ?? 30,
      maxRealtimeViewers: media.maxRealtimeViewers ?? 50,
      maxRealtimeStreamsPerConnection: media.maxRealtimeStreamsPerConnection ?? 4,
      realtimeIdleSeconds: media.realtimeIdleSeconds ?? 30,
      whepSessionsPerClient: media.whepSessionsPerClient ?? DEFAULT_WHEP_LIMITS.sessionsPerClient,
      whepCreateRate: media.whepCreateRate ?? DEFAULT_WHEP_LIMITS.createRate,
    },
  };
}

/** Fails start-up with `message` unless `value` is unset or a whole number from `min` to `max`. */
function wholeInRange(value: number | undefined, min: number, max: number, message: string): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
    throw new Error(`OnAir server: ${message}`);
  }
}

function resolveLadder(ladder: Array<LadderPresetName | LadderPreset>): LadderPreset[] {
  const rungs = ladder.map((entry) => {
    if (typeof entry !== 'string') return entry;
    const preset = LADDER_PRESETS[entry];
    if (!preset) {
      throw new Error(
        `OnAir server: unknown ladder preset "${String(entry)}" (known: ${Object.keys(LADDER_PRESETS).join(', ')})`,
      );
    }
    return { ...preset };
  });
  for (const rung of rungs) {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(rung.name)) {
      throw new Error(
        `OnAir server: ladder rung name "${rung.name}" must be letters, digits, - or _`,
      );
    }
    if (!(rung.height >= 64 && rung.height <= 4320 && rung.videoKbps > 0 && rung.audioKbps > 0)) {
      throw new Error(
        `OnAir server: ladder rung "${rung.name}" needs a height of 64–4320 and positive bitrates`,
      );
    }
  }
  if (new Set(rungs.map((r) => r.name)).size !== rungs.length) {
    throw new Error('OnAir server: ladder rung names must be unique');
  }
  return rungs;
}

/** View analytics settings of the server. */
export interface AnalyticsOptions {
  /** Days view sessions, events and the per-minute timeline are kept. Default 400. */
  retentionDays?: number;
  /** Beacons per view session. Default: bursts of 10, one more every 2 s (a player sends one every 10 s). */
  sessionRate?: { capacity: number; refillPerSecond: number };
  /**
   * Beacon requests per client address (many viewers may share one). Default:
   * bursts of 600, 100 per second. `false`: not limited.
   */
  addressRate?: { capacity: number; refillPerSecond: number } | false;
  /**
   * How often a live stream's report is pushed to its owner and moderators
   * over realtime (`stream:analytics`), ms: 1,000–60,000. Default 5,000.
   */
  liveIntervalMs?: number;
  /**
   * How long after a stream ends its `stream.summary` webhook is sent, ms
   * (the players' last beacons come within seconds): 0–300,000. Default 10,000.
   */
  summaryDelayMs?: number;
}

/** Notification settings of the server. */
export interface NotificationOptions {
  /**
   * How long before a scheduled stream's start those who asked are reminded,
   * minutes: 0–1,440. Default 10.
   */
  reminderLeadMinutes?: number;
  /** How often the server looks for reminders due, ms: 50–600,000. Default 30,000. */
  reminderCheckMs?: number;
  /**
   * Most notifications one user's inbox keeps, the newest: 1–10,000. Default
   * {@link INBOX_LIMIT} (500). The retention pass drops the older ones.
   */
  inboxLimit?: number;
  /**
   * Days a notification is kept: 1–3,650. Default
   * {@link NOTIFICATION_RETENTION_DAYS} (90).
   */
  retentionDays?: number;
  /**
   * How often the retention pass runs (also once at start, unless another
   * server sharing the database ran it within the interval), ms:
   * 50–86,400,000. Default {@link RETENTION_CHECK_MS} (daily).
   */
  retentionCheckMs?: number;
}

/** Stage settings of the server. */
export interface StageOptions {
  /**
   * Most people on a stream's stage at once, its owner included: 2–16.
   * Default {@link DEFAULT_STAGE_LIMIT} (6).
   */
  limit?: number;
  /**
   * How HLS viewers (and the recording) see a stage of several people, composed
   * into one picture: `grid` (all alike) or `speaker` (whoever speaks large,
   * everyone small beneath). Default `grid`; an owner changes a stream's live.
   */
  layout?: 'grid' | 'speaker';
}

/** The server's Prometheus endpoint, `GET /metrics` (docs/deploy.md lists the metrics). */
export interface MetricsOptions {
  /** Serve `/metrics`. Default `true`. */
  enabled?: boolean;
  /**
   * When set, `/metrics` needs `Authorization: Bearer <token>` (401
   * otherwise): at least 16 visible ASCII characters, no spaces. Never
   * logged. Default: none, so anyone who reaches the port reads the metrics.
   */
  token?: string;
}

/** Web Push settings as given, checked; `Error` naming what is wrong (never the keys). */
function checkWebPush(options: WebPushOptions | undefined): WebPushOptions | undefined {
  if (!options) return undefined;
  const key = /^[A-Za-z0-9_-]+={0,2}$/;
  if (!key.test(options.publicKey) || !key.test(options.privateKey)) {
    throw new Error('OnAir server: webPush.publicKey and privateKey must be base64url VAPID keys');
  }
  if (!/^(mailto:|https:\/\/)/.test(options.subject)) {
    throw new Error('OnAir server: webPush.subject must be a mailto: or https: URL');
  }
  return options;
}
