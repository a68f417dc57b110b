import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import fastifyCors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import {
  type ClientToServerEvents,
  MAX_REALTIME_PAYLOAD_BYTES,
  OnAirError,
  type Role,
  type ServerToClientEvents,
  type StreamPrivacy,
} from '@onair/protocol';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { Server as SocketIoServer } from 'socket.io';
import { StreamKeys } from '../platform/auth/stream-keys.js';
import { TokenVerifier } from '../platform/auth/tokens.js';
import { type ResolvedServerOptions, resolveOptions, type ServerOptions } from './config.js';
import { InternalBus } from '../platform/events.js';
import { registerChannelRoutes } from '../domains/channels/routes.js';
import { hlsUrlFor, registerHlsRoutes } from '../media/hls/routes.js';
import { HlsTokens, SIGNED_PRIVACY } from '../media/hls/tokens.js';
import { openApiDocument } from '../transport/http/openapi.js';
import { registerRateLimit } from '../transport/http/rate-limit.js';
import { registerStreamRoutes } from '../domains/streams/routes.js';
import { registerWhepRoutes } from '../media/egress/whep/routes.js';
import { registerWhipRoutes } from '../media/ingest/whip/routes.js';
import { monitorHealth } from '../media/health.js';
import { encoderProblem } from '../media/hls/ladder.js';
import { MediaPlane } from '../media/media-plane.js';
import { watchPublishers } from '../media/publisher-grace.js';
import { handleRecordings } from '../domains/streams/recordings.js';
import { RtmpIngest } from '../media/ingest/rtmp/ingest.js';
import { ChatFilter } from '../domains/chat/filter.js';
import { managersRoomOf, roomOf } from '../transport/realtime/context.js';
import {
  attachRealtime,
  type InterServerEvents,
  type OnAirIo,
  type SocketData,
} from '../transport/realtime/gateway.js';
import { MemoryState, RedisState } from '../platform/shared-state/shared-state.js';
import { TtlCache } from '../platform/ttl-cache.js';
import { ChannelRepository } from '../domains/channels/repository.js';
import { ChatRepository } from '../domains/chat/repository.js';
import { openDatabase } from '../storage/database.js';
import { HealthRepository } from '../domains/health/repository.js';
import { PollRepository } from '../domains/interaction/poll-repository.js';
import { QuestionRepository } from '../domains/interaction/question-repository.js';
import { ReactionRepository } from '../domains/interaction/reaction-repository.js';
import { RestrictionRepository } from '../domains/moderation/repository.js';
import { StreamRepository } from '../domains/streams/repository.js';
import { StreamService } from '../domains/streams/service.js';
import { WebhookDispatcher } from '../platform/webhooks.js';

/** Version reported in the OpenAPI document. */
const SERVER_VERSION = '0.1.0';

/** A running OnAir server. */
export interface OnAirServer {
  /** Base URL, e.g. `http://127.0.0.1:43123`. */
  url: string;
  port: number;
  /** Options in force, defaults filled in (secrets included: do not log this). */
  options: ResolvedServerOptions;
  /** Which storage driver is in use. */
  storage: 'pglite' | 'postgres';
  /** Where encoders publish over RTMP (`rtmp://host:port/live`, stream key as stream name); undefined when off. */
  rtmpUrl: string | undefined;
  /** Problems found at start-up that limit what the server can do (e.g. no ffmpeg: no HLS). */
  warnings: string[];
  /**
   * Issues an HS256 token for a user (tests and development tooling; needs
   * `jwtSecret` or `devAuth`).
   */
  issueToken(
    userId: string,
    displayName: string,
    claims?: { roles?: Role[]; moderates?: string[]; subscriptions?: Record<string, number> },
    ttlSeconds?: number,
  ): Promise<string>;
  /** Stops accepting connections, ends media (ffmpeg children included) and closes storage. */
  close(): Promise<void>;
}

const SHUTDOWN_STEP_MS = 10_000;

/** Waits for a shutdown step, at most {@link SHUTDOWN_STEP_MS}; says so when it gives up. */
async function bounded(
  step: Promise<unknown> | undefined,
  name: string,
  log: (message: string) => void,
): Promise<void> {
  if (!step) return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), SHUTDOWN_STEP_MS);
  });
  const result = await Promise.race([step.then(() => 'done' as const), late]);
  clearTimeout(timer);
  if (result === 'late') log(`shutdown: ${name} did not finish in ${SHUTDOWN_STEP_MS / 1000} s`);
}

/** Whether the configured ffmpeg runs at all. */
function ffmpegRuns(path: string): boolean {
  return spawnSync(path, ['-version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/**
 * Starts an OnAir server: REST under `/v1`, realtime over socket.io, the
 * media plane and HLS under `/hls`.
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
  const warnings: string[] = [];
  const hlsEnabled = options.media.enabled && ffmpegRuns(options.media.ffmpegPath);
  if (options.media.enabled && !hlsEnabled) {
    warnings.push(
      `ffmpeg not found (${options.media.ffmpegPath}): publishing works but viewers get no HLS. ` +
        'Install ffmpeg (Debian/Ubuntu: apt-get install -y ffmpeg) or set media.ffmpegPath / FFMPEG_PATH.',
    );
  }
  if (hlsEnabled) {
    // A configured encoder this ffmpeg or machine cannot use is a start-up error, not a silent fallback.
    const encoders = [
      ...(options.media.encoder === 'x264' ? [] : [options.media.encoder]),
      ...(options.media.av1 ? (['svt-av1'] as const) : []),
    ];
    for (const encoder of encoders) {
      const problem = encoderProblem(options.media.ffmpegPath, encoder, options.media.vaapiDevice);
      if (problem)
        throw new Error(
          `OnAir server: media.${encoder === 'svt-av1' ? 'av1' : 'encoder'}: ${problem}`,
        );
    }
  }
  const database = await openDatabase({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    // No logger yet: Fastify's is created below with the options' level.
    onConnectionError: (error) => {
      if (options.logLevel !== 'silent')
        process.stderr.write(`onair: database: ${error.message}\n`);
    },
  });
  // Before anything else that holds resources: a wrong REDIS_URL fails fast.
  let redisLog = (_message: string) => {};
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true })
    : undefined;
  if (redis) {
    redis.on('error', (error: Error) => redisLog(`redis: ${error.message}`));
    await redis.connect().catch(async (error: unknown) => {
      redis.disconnect();
      await database.close();
      const where = new URL(options.redisUrl as string);
      where.password = '';
      throw new Error(
        `OnAir server: cannot reach Redis at ${where.host} (${(error as Error).message}); check REDIS_URL`,
      );
    });
  }
  const app = Fastify({
    // Held HLS requests (blocking playlist reload) must not keep a shutdown waiting.
    forceCloseConnections: true,
    logger:
      options.logLevel === 'silent'
        ? false
        : {
            level: options.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'streamKey'],
          },
    bodyLimit: 64 * 1024,
  });
  const log = (message: string) => app.log.warn(message);
  redisLog = log;
  for (const warning of warnings) log(warning);
  const bus = new InternalBus((error) => app.log.error({ err: error }, 'internal listener failed'));
  const tokens = new TokenVerifier({
    secret: options.jwtSecret,
    jwksUrl: options.jwksUrl,
    algorithms: options.jwtAlgorithms,
    issuer: options.jwtIssuer,
    audience: options.jwtAudience,
  });
  const streamKeys = new StreamKeys(options.streamKeySecret);
  const hlsTokens = new HlsTokens(options.streamKeySecret, options.media.hlsTokenSeconds);
  const streams = new StreamRepository(database.db, hlsUrlFor, (id, privacy, url) =>
    hlsTokens.signUrl(url, id, privacy),
  );
  const channels = new ChannelRepository(database.db);
  const chat = new ChatRepository(database.db);
  const service = new StreamService({
    streams,
    channels,
    keys: streamKeys,
    bus,
    creatorRoles: options.creatorRoles,
    // Room sizes of this server's realtime connections (io exists before any request).
    viewerCount: (streamId) => realtime.viewerCount(streamId),
  });
  const webhooks = new WebhookDispatcher(options.webhooks, log, options.webhookRetry);
  const detachWebhooks = webhooks.attach(bus);
  const media = options.media.enabled
    ? await MediaPlane.create({
        hlsDir: options.media.hlsDir,
        ffmpegPath: options.media.ffmpegPath,
        timing: {
          segmentTarget: options.media.hlsSegmentSeconds,
          partTarget: options.media.hlsPartSeconds,
          windowSeconds: options.media.dvrWindowSeconds,
        },
        ladder: {
          presets: options.media.ladder,
          encoder: options.media.encoder,
          av1: options.media.av1,
        },
        x264Preset: options.media.x264Preset,
        vaapiDevice: options.media.encoder === 'vaapi' ? options.media.vaapiDevice : undefined,
        thumbnailSeconds: options.media.thumbnailSeconds,
        keyframeIntervalMs: options.media.keyframeIntervalMs,
        announcedAddresses: options.media.announcedAddresses,
        hls: hlsEnabled,
        maxRealtimeViewers: options.media.maxRealtimeViewers,
        log,
      })
    : undefined;

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof OnAirError) {
      return reply.status(error.status || 500).send(error.toEnvelope());
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status === 413) {
      return reply
        .status(413)
        .send({ code: 'PAYLOAD_TOO_LARGE', message: 'Request body too large' });
    }
    if (status >= 400 && status < 500) {
      return reply.status(400).send({ code: 'BAD_REQUEST', message: (error as Error).message });
    }
    app.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ code: 'INTERNAL', message: 'Internal server error' });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send({ code: 'NOT_FOUND', message: 'Route not found' }),
  );

  const corsOrigin = options.corsOrigins.includes('*') ? true : options.corsOrigins;
  if (options.corsOrigins.length) {
    await app.register(fastifyCors, {
      origin: corsOrigin,
      methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    });
  }

  app.get('/healthz', async () => ({
    ok: true,
    storage: database.driver,
    media: !!media,
    hls: hlsEnabled,
  }));
  // Rate limits, slow mode and presence: in Redis when servers share it.
  const state = redis ? new RedisState(redis, options.redisPrefix) : new MemoryState();
  if (options.restRateLimit) registerRateLimit(app, options.restRateLimit, state);
  const openApi = openApiDocument(SERVER_VERSION);
  app.get('/openapi.json', async () => openApi);
  registerStreamRoutes(app, { service, streams, tokens, devAuth: options.devAuth });
  registerChannelRoutes(app, { channels, streams, tokens });
  let mediaAuthorizer: ((id: string, token: string | undefined) => Promise<string>) | undefined;
  if (media) {
    // Privacy changes reach HLS (and WHEP) within the cache's 5 s.
    const privacyOf = new TtlCache<StreamPrivacy | undefined>(5_000);
    const authorizeMedia = async (id: string, token: string | undefined) => {
      const privacy = await privacyOf.get(id, async () => (await streams.find(id))?.privacy);
      if (!privacy || !SIGNED_PRIVACY.has(privacy)) return '';
      if (!token || !hlsTokens.verify(id, token)) {
        throw new OnAirError(
          'UNAUTHORIZED',
          'This stream needs a signed URL: use the hlsUrl of the stream resource',
        );
      }
      return `?token=${token}`;
    };
    registerHlsRoutes(app, {
      dirOf: (id) => media.hlsDirOf(id),
      live: (id) => media.hls(id),
      authorize: authorizeMedia,
    });
    mediaAuthorizer = authorizeMedia;
  }
  const whip = media
    ? registerWhipRoutes(app, {
        service,
        media,
        iceServers: options.media.iceServers,
        hashKey: (key) => streamKeys.hash(key),
        log,
      })
    : undefined;
  if (media && mediaAuthorizer) registerWhepRoutes(app, { media, authorize: mediaAuthorizer });
  if (options.staticDir) {
    if (!existsSync(options.staticDir)) {
      throw new Error(`OnAir server: staticDir ${options.staticDir} does not exist`);
    }
    await app.register(fastifyStatic, { root: options.staticDir, prefix: '/' });
  }

  const io: OnAirIo = new SocketIoServer<
    ClientToServerEvents,
    ServerToClientEvents,
    InterServerEvents,
    SocketData
  >(app.server, {
    ...(options.corsOrigins.length ? { cors: { origin: corsOrigin } } : {}),
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
    // A bigger frame closes the connection: no request needs more (chat is 500 code points).
    maxHttpBufferSize: MAX_REALTIME_PAYLOAD_BYTES,
    ...(redis
      ? {
          adapter: createAdapter(redis, {
            streamName: `${options.redisPrefix}socket.io`,
            sessionKeyPrefix: `${options.redisPrefix}session:`,
          }),
        }
      : {}),
  });
  const offRecordings = media ? handleRecordings(media, streams, bus, log) : undefined;
  const rtmp =
    media && hlsEnabled && options.media.rtmpPort !== false
      ? new RtmpIngest({
          port: options.media.rtmpPort,
          host: options.media.rtmpHost,
          authorize: async (key) => ({ streamId: (await service.authorizeIngest(key)).id }),
          attach: (streamId, source) => media.setIngestSource(streamId, source),
          log,
        })
      : undefined;
  const rtmpPort = await rtmp?.listen();
  const offRtmpKey = bus.on('stream:keyRotated', ({ streamId }) => rtmp?.disconnect(streamId));
  const offRtmpEnd = bus.on('stream:updated', (stream) => {
    if (stream.status === 'ended' || stream.status === 'cancelled') rtmp?.disconnect(stream.id);
  });
  const stopGrace = media
    ? watchPublishers({
        media,
        graceSeconds: options.media.reconnectGraceSeconds,
        announce: (state) => io.to(roomOf(state.streamId)).emit('stream:publisher', state),
        end: (id) => service.endByServer(id),
        log,
      })
    : undefined;
  const healthReports = new HealthRepository(database.db);
  const stopHealth = media
    ? monitorHealth({
        media,
        report(health) {
          io.to(managersRoomOf(health.streamId)).emit('stream:health', health);
          healthReports.add(health).catch((error: unknown) => log(`health: ${String(error)}`));
        },
      })
    : undefined;
  const realtime = attachRealtime(io, {
    service,
    streams,
    channels,
    chat,
    questions: new QuestionRepository(database.db),
    polls: new PollRepository(database.db),
    reactions: new ReactionRepository(database.db),
    health: healthReports,
    restrictions: new RestrictionRepository(database.db),
    tokens,
    bus,
    media,
    state,
    filter: new ChatFilter(options.chatFilter, options.chatReview, log),
    rates: {
      chat: options.chatRate,
      reactions: options.reactionRate,
      questions: options.questionRate,
    },
    batchWindowMs: options.batchWindowMs,
    clustered: redis !== undefined,
    log,
  });

  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    rtmpUrl: rtmpPort === undefined ? undefined : `rtmp://${host}:${rtmpPort}/live`,
    options,
    storage: database.driver,
    warnings,
    async issueToken(userId, displayName, claims = {}, ttlSeconds = 3600) {
      await streams.upsertUser(userId, displayName);
      return (await tokens.issue({ userId, displayName, ...claims }, ttlSeconds)).token;
    },
    close() {
      closing ??= (async () => {
        await realtime.close();
        detachWebhooks();
        await webhooks.close();
        // io.close() also closes the HTTP server, which waits for open connections: a held
        // HLS request (blocking reload) would keep it waiting, so they are closed first.
        app.server.closeAllConnections();
        await bounded(new Promise<void>((resolve) => io.close(() => resolve())), 'realtime', log);
        offRecordings?.();
        stopGrace?.();
        stopHealth?.();
        offRtmpKey();
        offRtmpEnd();
        // Media steps wait on children and sockets: bounded, so a shutdown cannot hang on one.
        await bounded(rtmp?.close(), 'RTMP ingest', log);
        await bounded(whip?.close(), 'WHIP sessions', log);
        await bounded(media?.close(), 'media plane', log);
        if (media && options.media.hlsDirIsTemporary) {
          await rm(options.media.hlsDir, { recursive: true, force: true });
        }
        await bounded(app.close(), 'HTTP server', log);
        await database.close();
        redis?.disconnect();
      })();
      return closing;
    },
  };
}
