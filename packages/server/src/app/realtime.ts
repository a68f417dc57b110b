import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { startLiveAnalyticsFeed } from '../domains/analytics/live-feed.js';
import { registerChatHandlers } from '../domains/chat/handlers.js';
import { healthReporter, registerHealthHandlers } from '../domains/health/handlers.js';
import { registerInteractionHandlers } from '../domains/interaction/handlers.js';
import { registerModerationHandlers } from '../domains/moderation/handlers.js';
import {
  broadcasterRoomOf,
  countsAsViewer,
  presenceMemberOf,
  registerPresenceHandlers,
} from '../domains/presence/handlers.js';
import { PresenceService } from '../domains/presence/service.js';
import { announceStages } from '../domains/stage/handlers.js';
import { StreamAccess } from '../domains/streams/access.js';
import { registerStreamHandlers, relayStreamEvents } from '../domains/streams/handlers.js';
import { registerMediaHandlers } from '../domains/streams/media-handlers.js';
import { handleRecordings } from '../domains/streams/recordings.js';
import type { MediaRelays } from '../media/cluster/media-relays.js';
import type { WhepSessions } from '../media/egress/whep/routes.js';
import { monitorHealth } from '../media/health.js';
import type { MediaPlane } from '../media/media-plane.js';
import { watchPublishers } from '../media/publisher-grace.js';
import { userOf } from '../platform/auth/identity.js';
import type { TokenVerifier } from '../platform/auth/tokens.js';
import type { SharedCaches } from '../platform/caches.js';
import type { InternalBus } from '../platform/events.js';
import type { ServerMetrics } from '../platform/metrics.js';
import type { SharedState } from '../platform/shared-state/shared-state.js';
import { corsOrigin } from '../transport/http/app.js';
import { attachGateway, createRealtimeServer } from '../transport/realtime/gateway.js';
import { RoomBatcher } from '../transport/realtime/room-batcher.js';
import { RoomEvents } from '../transport/realtime/room-events.js';
import {
  localRoomSize,
  localViewers,
  managedStreams,
  managersRoomOf,
  roomOf,
  streamIdOfRoom,
  userRoom,
} from '../transport/realtime/rooms.js';
import type { ResolvedServerOptions } from './config.js';
import type { Domains } from './domains.js';
import type { Lifecycle } from './lifecycle.js';
import { viewersByEngine } from './metrics.js';

/** What {@link startRealtime} needs. */
export interface RealtimeDeps {
  app: FastifyInstance;
  lifecycle: Lifecycle;
  domains: Domains;
  media: MediaPlane | undefined;
  /**
   * Where this node's peers reach it, when it has peers (servers sharing
   * Redis): stored with the recordings it keeps, so they answer its replays.
   */
  nodeUrl?: (() => string | undefined) | undefined;
  /** Real-time viewing of streams published on another node (undefined without media). */
  relays?: MediaRelays | undefined;
  /** The WHEP sessions (undefined without media). */
  whep: WhepSessions | undefined;
  bus: InternalBus;
  tokens: TokenVerifier;
  state: SharedState;
  caches: SharedCaches;
  redis: Redis | undefined;
  /** `/metrics`: chat deliveries, ingest bitrates, viewers; undefined when metrics are off. */
  metrics?: ServerMetrics | undefined;
  log: (message: string) => void;
}

/**
 * Starts the realtime side on the HTTP server: socket.io, the gateway with
 * every domain's handlers, the room batcher, presence and reaction totals,
 * and what the media plane and the stream lifecycle tell clients. Each part
 * pushes its close. Returns the presence service (live viewer counts).
 */
export function startRealtime(options: ResolvedServerOptions, deps: RealtimeDeps): PresenceService {
  const { app, lifecycle, domains, media, bus, metrics, log } = deps;
  const { streamService, streams, chat, moderation, reactions, questions, polls, healthReports } =
    domains;
  const io = createRealtimeServer(app.server, {
    corsOrigin: corsOrigin(options.corsOrigins),
    redis: deps.redis,
    redisPrefix: options.redisPrefix,
  });
  lifecycle.defer('realtime', () => {
    // io.close() also closes the HTTP server, which waits for open connections: a held
    // HLS request (blocking reload) would keep it waiting, so they are closed first.
    app.server.closeAllConnections();
    return new Promise<void>((resolve) => io.close(() => resolve()));
  });

  if (media) {
    const offRecordings = handleRecordings(media, streams, bus, log, deps.nodeUrl);
    const stopGrace = watchPublishers({
      media,
      graceSeconds: options.media.reconnectGraceSeconds,
      announce: (state) => io.to(roomOf(state.streamId)).emit('stream:publisher', state),
      end: (id) => streamService.endByServer(id),
      log,
      onStreamEnded: (listener) =>
        bus.on('stream:updated', (stream) => {
          if (stream.status === 'ended' || stream.status === 'cancelled') listener(stream.id);
        }),
      // Streams a stopped or crashed server left live: back to live, or ended after the grace.
      leftLive: () => streams.liveStreamIds(),
      publishedSince: async (id, since) => {
        // Its publisher reconnected to another node, which holds the stream now.
        if (await deps.relays?.holderElsewhere(id)) return true;
        const [newest] = await healthReports.recent(id, 1);
        return newest !== undefined && Date.parse(newest.at) > since.getTime();
      },
    });
    const reportHealth = healthReporter(io, healthReports, log);
    const stopHealth = monitorHealth({
      media,
      report: (health) => {
        metrics?.ingestReported(health);
        reportHealth(health);
      },
    });
    lifecycle.defer('media listeners', () => {
      offRecordings();
      stopGrace();
      stopHealth();
    });
  }

  const batcher = new RoomBatcher(
    (room, events) => io.to(room).emit('batch', events),
    options.batchWindowMs,
    (room, counts) => reactions.record(streamIdOfRoom(room), counts),
  );
  const events = new RoomEvents(io, batcher);
  const presence = new PresenceService({
    state: deps.state,
    localViewers: () =>
      new Map(
        [...localViewers(io)].map(([streamId, sockets]) => [
          streamId,
          sockets
            .filter((socket) => countsAsViewer(socket, streamId))
            .map((socket) => presenceMemberOf(socket, streamId)),
        ]),
      ),
    // The owner's connections are in the room but are no viewers.
    localRoomSize: (streamId) =>
      localRoomSize(io, streamId) -
      (io.sockets.adapter.rooms.get(broadcasterRoomOf(streamId))?.size ?? 0),
    announce: (count) => events.toStream(count.streamId, 'viewers:count', count, 'viewers'),
    recordPeak: (streamId, peak) => streams.recordPeak(streamId, peak),
    sessions: domains.viewerSessions,
    changes: {
      watched: (streamId) =>
        (io.sockets.adapter.rooms.get(managersRoomOf(streamId))?.size ?? 0) > 0,
      announce: (change) =>
        io.local.to(managersRoomOf(change.streamId)).emit('presence:changed', change),
    },
    log,
  });
  const { whep } = deps;
  const clustered = deps.redis !== undefined;
  // A WHEP session lives on the server that answered its offer: each server re-checks its own.
  const recheckHere = (streamId: string, userId?: string) =>
    whep
      ?.recheck(streamId, userId)
      .catch((error: Error) =>
        log(`re-checking the WHEP sessions of ${streamId}: ${error.message}`),
      );
  io.on('media:recheckPlayback', (streamId, userId) => void recheckHere(streamId, userId));
  const recheckPlayback =
    whep || clustered
      ? async (streamId: string, userId?: string) => {
          if (clustered) io.serverSideEmit('media:recheckPlayback', streamId, userId);
          await recheckHere(streamId, userId);
        }
      : undefined;
  const access = new StreamAccess(streamService, streams, deps.caches, moderation);
  const offRelay = relayStreamEvents({
    io,
    bus,
    access,
    service: streamService,
    media,
    left: (streamId, socketId) => presence.leave(streamId, socketId),
    recheckPlayback,
    clustered: deps.redis !== undefined,
    log,
  });
  metrics?.readFrom({ viewers: () => viewersByEngine(io, media?.router) });
  presence.start();
  reactions.start();
  const stopLiveAnalytics = startLiveAnalyticsFeed({
    watchedStreams: () => managedStreams(io),
    report: async (streamId) =>
      domains.analytics.liveReport(streamId, (await deps.state.count(streamId)).peak),
    send: (streamId, analytics) =>
      io.local.to(managersRoomOf(streamId)).emit('stream:analytics', analytics),
    intervalMs: options.analytics.liveIntervalMs,
    log,
  });
  const stopStages = announceStages({
    io,
    bus,
    stage: domains.stage,
    media,
    clustered: deps.redis !== undefined,
    log,
  });
  // Every connection of each user told, on every server: one broadcast for up to 1000 users.
  const offNotifications = bus.on('notifications:sent', ({ notification, userIds }) =>
    io.to(userIds.map(userRoom)).emit('notification:new', notification),
  );
  // Sessions a crashed server could not close end with their stream.
  const offSessions = bus.on('stream:ended', (stream) => {
    domains.viewerSessions
      .closeAll(stream.id, new Date(stream.endedAt ?? Date.now()))
      .catch((error: unknown) => log(`viewer sessions: ${(error as Error).message}`));
  });
  lifecycle.defer('realtime services', async () => {
    io.removeAllListeners('media:recheckPlayback');
    offSessions();
    offNotifications();
    stopStages();
    presence.close();
    stopLiveAnalytics();
    batcher.close();
    await reactions.close();
    offRelay();
  });

  const moderationDeps = { moderation, chat, streamService, access, events, bus, recheckPlayback };
  const detachGateway = attachGateway(io, {
    tokens: deps.tokens,
    identified: (who) => streams.upsertUser(userOf(who)),
    caches: deps.caches,
    clustered: deps.redis !== undefined,
    tokenGraceMs: options.tokenGraceMs,
    connections: { maxPerAddress: options.maxConnectionsPerIp, trustProxy: options.trustProxy },
    handlers: [
      // Chat messages written to each connection (`/metrics`).
      (socket) => {
        if (metrics) socket.onAnyOutgoing(metrics.outgoing);
      },
      (socket) =>
        registerPresenceHandlers(socket, {
          presence,
          access,
          streamService,
          moderation,
          chat,
          producersOf: (streamId) => media?.producersOf(streamId) ?? [],
          countAnonymousInViewerLimit: options.countAnonymousInViewerLimit,
        }),
      (socket) => registerStreamHandlers(socket),
      (socket) => registerChatHandlers(socket, { chat, access, events }),
      (socket) => registerModerationHandlers(socket, moderationDeps),
      (socket) =>
        registerInteractionHandlers(socket, { reactions, questions, polls, access, events }),
      (socket) => registerHealthHandlers(socket, { reports: healthReports, access }),
      (socket) =>
        registerMediaHandlers(socket, {
          router: media?.router,
          access,
          stage: domains.stage,
          relay: deps.relays && ((streamId) => deps.relays?.want(streamId)),
        }),
    ],
  });
  lifecycle.defer('realtime gateway', detachGateway);
  return presence;
}
