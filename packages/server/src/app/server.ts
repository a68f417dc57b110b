import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Role } from '@onair/protocol';
import { DisplayNameSchema, PictureUrlSchema } from '@onair/protocol/inputs';
import { Redis } from 'ioredis';
import { BEACONS_PATH, registerAnalyticsRoutes } from '../domains/analytics/routes.js';
import { announceStreamSummaries } from '../domains/analytics/summaries.js';
import { startAnalyticsUpkeep } from '../domains/analytics/upkeep.js';
import { registerChannelRoutes } from '../domains/channels/routes.js';
import { ClipNodes } from '../domains/clips/node-routes.js';
import { registerClipRoutes } from '../domains/clips/routes.js';
import { CLIPS_PREFIX, startTombstoneSweep } from '../domains/clips/service.js';
import { PushSender, PushSubscriptionRepository } from '../domains/notifications/push.js';
import { registerPushRoutes } from '../domains/notifications/push-routes.js';
import { registerNotificationRoutes } from '../domains/notifications/routes.js';
import { registerViewerHistoryRoutes } from '../domains/presence/routes.js';
import type { PresenceService } from '../domains/presence/service.js';
import { registerReplayRoutes } from '../domains/replay/routes.js';
import { registerStageRoutes } from '../domains/stage/routes.js';
import { registerStreamRoutes } from '../domains/streams/routes.js';
import { registerThumbnailRoutes } from '../domains/streams/thumbnail-routes.js';
import { MemoryMediaRegistry } from '../media/cluster/memory-registry.js';
import { NodeLinks } from '../media/cluster/node-links.js';
import { RedisMediaRegistry } from '../media/cluster/redis-registry.js';
import { WHEP_PATH } from '../media/egress/whep/routes.js';
import { HlsTokens } from '../media/hls/tokens.js';
import { HLS_PREFIX } from '../media/hls/urls.js';
import { checkMedia } from '../media/preflight.js';
import type { SfuRouter } from '../media/sfu/router.js';
import { StreamKeys } from '../platform/auth/stream-keys.js';
import { TokenVerifier } from '../platform/auth/tokens.js';
import { SharedCaches } from '../platform/caches.js';
import { InternalBus } from '../platform/events.js';
import { ServerMetrics } from '../platform/metrics.js';
import { MemoryState } from '../platform/shared-state/memory-state.js';
import { RedisState } from '../platform/shared-state/redis-state.js';
import { WebhookDispatcher } from '../platform/webhooks.js';
import { openDatabase } from '../storage/database.js';
import { DatabaseWebhookOutbox } from '../storage/webhook-outbox.js';
import { createHttpApp } from '../transport/http/app.js';
import { registerMetaRoutes } from '../transport/http/meta-routes.js';
import { registerRateLimit } from '../transport/http/rate-limit.js';
import { type ResolvedServerOptions, resolveOptions, type ServerOptions } from './config.js';
import { createDomains } from './domains.js';
import { dependencyChecks } from './health-checks.js';
import { Lifecycle } from './lifecycle.js';
import { startMedia } from './media.js';
import { startRealtime } from './realtime.js';

/** A running OnAir server. */
export interface OnAirServer {
  /** Base URL, e.g. `http://127.0.0.1:43123`. */
  url: string;
  port: number;
  /** Options in force, defaults filled in (secrets included: do not log this). */
  options: ResolvedServerOptions;
  /** Which storage driver is in use. */
  storage: 'pglite' | 'postgres';
  /**
   * Where encoders publish over RTMP (`media.rtmpPublicUrl` when set, else
   * `rtmp://host:port/live`; the stream key is the stream name); undefined when off.
   */
  rtmpUrl: string | undefined;
  /** Problems found at start-up that limit what the server can do (e.g. no ffmpeg: no HLS). */
  warnings: string[];
  /**
   * Issues an HS256 token for a user (tests and development tooling; needs
   * `jwtSecret` or `devAuth`). The display name is checked like a token's
   * `name` claim: bidi controls stripped, control characters refused (throws);
   * `avatarUrl` becomes the token's `picture` claim, normalised as
   * `PictureUrlSchema` does (throws for one it refuses).
   */
  issueToken(
    userId: string,
    displayName: string,
    claims?: {
      roles?: Role[];
      moderates?: string[];
      subscriptions?: Record<string, number>;
      avatarUrl?: string;
    },
    ttlSeconds?: number,
  ): Promise<string>;
  /**
   * Stops accepting connections, ends media (ffmpeg children included) and closes storage,
   * last started first. Never rejects: a step that fails or takes over 10 s is logged and
   * the others go on. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Starts an OnAir server: REST under `/v1`, realtime over socket.io, the
 * media plane and HLS under `/hls`. Every part pushes its close onto one
 * stack: `close()` closes them last started first, and a start that fails
 * closes what it had started before it throws.
 *
 * @example
 * ```ts
 * import { createServer } from '@onair/server';
 * const server = await createServer({ devAuth: true, port: 8080 });
 * console.log(`OnAir on ${server.url}`);
 * ```
 */
export async function createServer(input: ServerOptions = {}): Promise<OnAirServer> {
  const options = resolveOptions(input);
  const preflight = options.media.enabled
    ? checkMedia(options.media)
    : { hls: false, legacyVsync: false, warnings: [] as string[] };
  const stderr = (message: string) => {
    if (options.logLevel !== 'silent') process.stderr.write(`onair: ${message}\n`);
  };
  // The HTTP server's logger, once it exists. Before, Redis stays quiet (a failed connection
  // is thrown, not logged at each retry) and shutdown trouble goes to stderr.
  let logger: ((message: string) => void) | undefined;
  const lifecycle = new Lifecycle((message) => (logger ?? stderr)(message));
  return lifecycle.start(async () => {
    const database = await openDatabase({
      databaseUrl: options.databaseUrl,
      dataDir: options.dataDir,
      onConnectionError: (error) => stderr(`database: ${error.message}`),
    });
    lifecycle.defer('storage', () => database.close());
    const redis = await connectRedis(options, lifecycle, (message) => logger?.(message));
    // Players ask for playlists and parts several times a second: their request lines are debug.
    const app = await createHttpApp({
      ...options,
      mediaPaths: [`${HLS_PREFIX}/`, `${WHEP_PATH}/`, `${CLIPS_PREFIX}/`],
    });
    lifecycle.defer('HTTP server', () => app.close());
    const log = (message: string) => app.log.warn(message);
    logger = log;
    for (const warning of preflight.warnings) log(warning);

    const bus = new InternalBus((error) =>
      app.log.error({ err: error }, 'internal listener failed'),
    );
    const tokens = new TokenVerifier({
      secret: options.jwtSecret,
      jwksUrl: options.jwksUrl,
      algorithms: options.jwtAlgorithms,
      issuer: options.jwtIssuer,
      audience: options.jwtAudience,
    });
    const streamKeys = new StreamKeys(options.streamKeySecret);
    const hlsTokens = new HlsTokens(options.streamKeySecret, options.media.hlsTokenSeconds);
    // Rate limits, slow mode and presence: in Redis when servers share it.
    const state = redis ? new RedisState(redis.state, options.redisPrefix) : new MemoryState();
    const caches = new SharedCaches();
    // Prometheus (`/metrics`): counters bumped where things happen, gauges read when scraped.
    const metrics = options.metrics.enabled
      ? new ServerMetrics({ streamLabels: options.metrics.token !== undefined })
      : undefined;
    let presence: PresenceService | undefined;
    let router: SfuRouter | undefined;
    // Nodes share the stream-key secret already: it signs what they ask of each other.
    const links = new NodeLinks(
      options.streamKeySecret,
      (): string | undefined => plane?.node.holder?.url,
    );
    const clipNodes = new ClipNodes(links);
    // Who holds a live stream's media, for a node without a media plane (API only): the registry.
    const holders = redis && new RedisMediaRegistry(redis.state, options.redisPrefix);
    const domains = createDomains(options, {
      db: database.db,
      bus,
      state,
      caches,
      streamKeys,
      hlsTokens,
      viewerCount: (streamId) => presence?.viewerCount(streamId) ?? 0,
      publishingUsers: (streamId) => router?.publishingUsers(streamId) ?? new Set(),
      cutsClips: options.media.enabled && preflight.hls,
      nodeUrl: redis ? () => plane?.node.holder?.url : undefined,
      links,
      // The node with a stream's media cuts its clips, keeps their files and times its replay.
      peers: redis
        ? {
            // A node without a media plane (API only) asks the registry for a live stream's holder,
            // the database for an ended stream's recorder.
            mediaNodeOf: async (id) =>
              plane
                ? plane.mediaNodeOf(id)
                : ((await holders?.holderOf(id))?.url ?? domains.streams.recordingNodeOf(id)),
            cut: (url, streamId, clipId, range) => clipNodes.cut(url, streamId, clipId, range),
            drop: (url, clipId) => clipNodes.drop(url, clipId),
          }
        : undefined,
      log,
    });

    // Ready (/readyz) once listening, and no longer from the first step of close().
    let ready = false;
    registerMetaRoutes(
      app,
      { storage: database.driver, media: options.media.enabled, hls: preflight.hls },
      {
        checks: dependencyChecks({
          db: database.db,
          redis: redis?.state,
          ffmpeg: options.media.enabled ? preflight.hls : undefined,
        }),
        ready: () => ready,
        metrics: metrics && { source: metrics, token: options.metrics.token },
      },
    );
    if (options.restRateLimit) {
      await registerRateLimit(app, {
        writes: options.restRateLimit,
        reads: options.restReadRateLimit,
        tokens,
        redis: redis?.state,
        redisPrefix: options.redisPrefix,
        exempt: [BEACONS_PATH],
      });
    }
    const { streamService, streams, channels } = domains;
    registerStreamRoutes(app, {
      service: streamService,
      streams,
      tokens,
      devAuth: options.devAuth,
    });
    registerChannelRoutes(app, { channels, streams, tokens, bus });
    registerThumbnailRoutes(app, {
      service: streamService,
      tokens,
      ffmpegPath: options.media.enabled && preflight.hls ? options.media.ffmpegPath : undefined,
      // Not a stream's folder: stream ids cannot start with a dot.
      dir: join(options.media.hlsDir, '.thumbnails'),
      bus,
      authorize: domains.authorizeMedia,
      log: app.log,
    });
    registerNotificationRoutes(app, {
      notifications: domains.notificationStore,
      channels,
      streams: streamService,
      tokens,
    });
    lifecycle.defer('notifications', domains.notifications.start());
    const pushSubscriptions = new PushSubscriptionRepository(database.db);
    registerPushRoutes(app, { subscriptions: pushSubscriptions, tokens, webPush: options.webPush });
    if (options.webPush) {
      const push = new PushSender(pushSubscriptions, options.webPush, log);
      const detachPush = push.attach(bus);
      lifecycle.defer('web push', () => {
        detachPush();
        return push.idle();
      });
    }
    registerClipRoutes(app, {
      // Clips cut on another node: their files are answered from there.
      forwardFile: redis
        ? async (url, request, reply) =>
            (await plane?.forwardClipFile(url, request, reply)) ?? false
        : undefined,
      clips: domains.clips,
      tokens,
      authorizeMedia: domains.authorizeMedia,
    });
    registerReplayRoutes(app, { replay: domains.replay, tokens });
    registerViewerHistoryRoutes(app, {
      sessions: domains.viewerSessions,
      service: streamService,
      tokens,
    });
    registerStageRoutes(app, { stage: domains.stage, service: streamService, streams, tokens });
    registerAnalyticsRoutes(app, {
      service: domains.analytics,
      tokens,
      state,
      addressRate: options.analytics.addressRate,
      onBeacons: metrics && ((result, count) => metrics.beaconsHandled(result, count)),
    });
    const stopUpkeep = await startAnalyticsUpkeep(
      domains.analyticsStore,
      options.analytics.retentionDays,
      log,
    );
    lifecycle.defer('analytics upkeep', stopUpkeep);
    lifecycle.defer('analytics', () => domains.analytics.drain());
    lifecycle.defer(
      'stream summaries',
      announceStreamSummaries({
        bus,
        report: async (stream) =>
          domains.analytics.reportOf(stream, (await state.count(stream.id)).peak),
        delayMs: options.analytics.summaryDelayMs,
        log,
      }),
    );
    const plane = options.media.enabled
      ? await startMedia(options, {
          app,
          lifecycle,
          domains,
          streamKeys,
          hlsTokens,
          state,
          hls: preflight.hls,
          legacyVsync: preflight.legacyVsync,
          metrics,
          // Which node holds which stream's media: in Redis when servers share it.
          registry: redis
            ? new RedisMediaRegistry(redis.state, options.redisPrefix)
            : new MemoryMediaRegistry(),
          clustered: redis !== undefined,
          links,
          log,
        })
      : undefined;
    router = plane?.media.router;
    if (options.staticDir) {
      if (!existsSync(options.staticDir)) {
        throw new Error(`OnAir server: staticDir ${options.staticDir} does not exist`);
      }
      await app.register(fastifyStatic, { root: options.staticDir, prefix: '/' });
    }
    // Kept in the database before the first attempt: a restart delivers what was pending.
    const webhooks = new WebhookDispatcher(
      options.webhooks,
      new DatabaseWebhookOutbox(database.db),
      log,
      options.webhookRetry,
    );
    const detachWebhooks = webhooks.attach(bus);
    webhooks.start();
    lifecycle.defer('webhooks', () => {
      detachWebhooks();
      return webhooks.close();
    });
    presence = startRealtime(options, {
      app,
      lifecycle,
      domains,
      media: plane?.media,
      nodeUrl: redis ? () => plane?.node.holder?.url : undefined,
      relays: plane?.relays,
      whep: plane?.whep,
      bus,
      tokens,
      state,
      caches,
      redis: redis?.rooms,
      metrics,
      log,
    });
    metrics?.readFrom({
      liveStreams: async () => (await streams.liveStreamIds()).length,
      ...(plane ? { publishingStreams: () => plane.media.publishingStreams } : {}),
    });

    await app.listen({ port: options.port, host: options.host });
    ready = true;
    lifecycle.defer('readiness', () => {
      ready = false;
    });
    const { port } = app.server.address() as AddressInfo;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    plane?.node.start(options.media.nodeUrl ?? `http://${reachable(host)}:${port}`);
    // Clips deleted while this node was down or unreachable: their files here go now.
    if (plane && redis) lifecycle.defer('clip tombstones', startTombstoneSweep(domains.clips, log));
    return {
      url: `http://${host}:${port}`,
      port,
      rtmpUrl:
        plane?.rtmpPort === undefined
          ? undefined
          : (options.media.rtmpPublicUrl ?? `rtmp://${host}:${plane.rtmpPort}/live`),
      options,
      storage: database.driver,
      warnings: preflight.warnings,
      async issueToken(userId, name, claims = {}, ttlSeconds = 3600) {
        const displayName = DisplayNameSchema.parse(name);
        const { avatarUrl: picture, ...rest } = claims;
        const avatarUrl = picture === undefined ? undefined : PictureUrlSchema.parse(picture);
        await streams.upsertUser({ id: userId, displayName, avatarUrl });
        const who = { userId, displayName, ...rest, ...(avatarUrl ? { avatarUrl } : {}) };
        return (await tokens.issue(who, ttlSeconds)).token;
      },
      close: () => lifecycle.close(),
    };
  });
}

/** The address peers use for a bound host: a wildcard (every interface) is reached on loopback. */
function reachable(host: string): string {
  return host === '0.0.0.0' || host === '[::]' || host === '[::0]' ? '127.0.0.1' : host;
}

/**
 * Reconnection backoff for every Redis connection (duplicates inherit it): doubling from
 * 50 ms to at most 2 s, with jitter so that many nodes do not knock at once. ioredis's own
 * cap is 5 s, which left cross-server delivery down for up to 5 s after Redis returned.
 */
function redisRetryDelay(attempt: number): number {
  return Math.min(50 * 2 ** (attempt - 1), 2_000) + Math.floor(Math.random() * 100);
}

/** Connects to Redis when configured: a wrong `REDIS_URL` fails the start at once. */
async function connectRedis(
  options: ResolvedServerOptions,
  lifecycle: Lifecycle,
  log: (message: string) => void,
): Promise<{ state: Redis; rooms: Redis } | undefined> {
  if (!options.redisUrl) return undefined;
  // Shared state (rate limits, presence, slow mode) fails fast while Redis is away or
  // hung: a request gets a typed error in seconds instead of waiting for reconnects.
  const redis = new Redis(options.redisUrl, {
    lazyConnect: true,
    retryStrategy: redisRetryDelay,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
  });
  redis.on('error', (error: Error) => log(`redis: ${error.message}`));
  lifecycle.defer('Redis', () => redis.disconnect());
  await redis.connect().catch((error: unknown) => {
    const where = new URL(options.redisUrl as string);
    where.password = '';
    throw new Error(
      `OnAir server: cannot reach Redis at ${where.host} (${(error as Error).message}); check REDIS_URL`,
    );
  });
  // The rooms' adapter blocks on stream reads (and duplicates its client): a connection of
  // its own, which queues through a reconnect instead of timing out.
  const rooms = redis.duplicate({
    enableOfflineQueue: true,
    maxRetriesPerRequest: 3,
    commandTimeout: undefined,
  });
  rooms.on('error', (error: Error) => log(`redis: ${error.message}`));
  lifecycle.defer('Redis (rooms)', () => rooms.disconnect());
  return { state: redis, rooms };
}
