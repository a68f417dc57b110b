import { join } from 'node:path';
import { AnalyticsRepository } from '../domains/analytics/repository.js';
import { AnalyticsService } from '../domains/analytics/service.js';
import { ChannelRepository } from '../domains/channels/repository.js';
import { ChatFilter } from '../domains/chat/filter.js';
import { ChatRepository } from '../domains/chat/repository.js';
import { ChatPacing } from '../domains/chat/rules.js';
import { ChatService } from '../domains/chat/service.js';
import { ClipRepository } from '../domains/clips/repository.js';
import { type ClipPeers, ClipService } from '../domains/clips/service.js';
import { HealthRepository } from '../domains/health/repository.js';
import { PollRepository } from '../domains/interaction/poll-repository.js';
import { PollService } from '../domains/interaction/poll-service.js';
import { QuestionRepository } from '../domains/interaction/question-repository.js';
import { QuestionService } from '../domains/interaction/question-service.js';
import { ReactionRepository } from '../domains/interaction/reaction-repository.js';
import { ReactionService } from '../domains/interaction/reaction-service.js';
import { RestrictionRepository } from '../domains/moderation/repository.js';
import { ModerationService } from '../domains/moderation/service.js';
import { NotificationRepository } from '../domains/notifications/repository.js';
import { NotificationService } from '../domains/notifications/service.js';
import { ViewerSessionRepository } from '../domains/presence/sessions.js';
import { MarkerRepository } from '../domains/replay/repository.js';
import { ReplayService } from '../domains/replay/service.js';
import { StageRepository } from '../domains/stage/repository.js';
import { StageService } from '../domains/stage/service.js';
import { mediaAuthorizer } from '../domains/streams/media-access.js';
import { StreamRepository } from '../domains/streams/repository.js';
import { StreamService } from '../domains/streams/service.js';
import { cutClip } from '../media/clips/cutter.js';
import type { NodeLinks } from '../media/cluster/node-links.js';
import { spansFrom } from '../media/cluster/recording-spans.js';
import type { HlsTokens } from '../media/hls/tokens.js';
import { hlsUrlFor } from '../media/hls/urls.js';
import { recordingSpans } from '../media/recording/timeline.js';
import { userOf } from '../platform/auth/identity.js';
import type { StreamKeys } from '../platform/auth/stream-keys.js';
import type { SharedCaches } from '../platform/caches.js';
import type { InternalBus } from '../platform/events.js';
import type { SharedState } from '../platform/shared-state/shared-state.js';
import type { Database } from '../storage/database.js';
import type { ResolvedServerOptions } from './config.js';

/** How long beacons wait to be written together, ms (a request is answered once written). */
const ANALYTICS_FLUSH_MS = 20;
/** Most beacons in one analytics transaction. */
const ANALYTICS_MAX_BATCH = 500;

/** What the domains are built on. */
export interface DomainDeps {
  db: Database;
  bus: InternalBus;
  state: SharedState;
  caches: SharedCaches;
  streamKeys: StreamKeys;
  hlsTokens: HlsTokens;
  /** Current viewers of a live stream (presence, once realtime runs). */
  viewerCount(streamId: string): number;
  /** Users who publish a stream on this server now (the media plane, once it runs). */
  publishingUsers(streamId: string): ReadonlySet<string>;
  /** Whether this server cuts clips (its media plane runs ffmpeg). */
  cutsClips: boolean;
  /**
   * Where this node's peers reach it, when it has peers (servers sharing
   * Redis; the media plane, once it listens).
   */
  nodeUrl?: (() => string | undefined) | undefined;
  /** Signs what this node asks of its peers (the replay timeline of a recording kept on another). */
  links: NodeLinks;
  /**
   * The other nodes (servers sharing Redis): which one has a stream's media
   * (holding it live, or keeping its recording) cuts its clips and times its replay.
   */
  peers?: ClipPeers | undefined;
  log: (message: string) => void;
}

/** Every domain's repositories and services, wired to each other. */
export interface Domains {
  streams: StreamRepository;
  channels: ChannelRepository;
  /** The rules of streams (visibility, editing, lifecycle). */
  streamService: StreamService;
  moderation: ModerationService;
  chat: ChatService;
  reactions: ReactionService;
  questions: QuestionService;
  polls: PollService;
  /** Co-hosts, guests and raised hands. */
  stage: StageService;
  healthReports: HealthRepository;
  /** Users' inboxes, follow levels, followers and reminders. */
  notificationStore: NotificationRepository;
  /** Who is told what about streams; started by the server. */
  notifications: NotificationService;
  /** Clips cut from streams. */
  clips: ClipService;
  /** Replay with chat, and chapters. */
  replay: ReplayService;
  /** Viewers' sessions in streams' rooms (who watched, for the stream's staff). */
  viewerSessions: ViewerSessionRepository;
  /** View analytics: players' beacons in, stream reports out. */
  analytics: AnalyticsService;
  analyticsStore: AnalyticsRepository;
  /**
   * Who may fetch a stream's media (HLS, WHEP): the query to pass on to its
   * playlists' URIs, or `UNAUTHORIZED` ({@link mediaAuthorizer}).
   */
  authorizeMedia: (streamId: string, token: string | undefined, scope?: string) => Promise<string>;
}

/** Builds the domains' repositories and services (nothing starts here). */
export function createDomains(options: ResolvedServerOptions, deps: DomainDeps): Domains {
  const { db, bus, state, caches, log } = deps;
  const streams = new StreamRepository(db, hlsUrlFor);
  const channels = new ChannelRepository(db);
  const streamService = new StreamService({
    streams,
    channels,
    keys: deps.streamKeys,
    bus,
    creatorRoles: options.creatorRoles,
    streamDefaults: options.streamDefaults,
    viewerCount: deps.viewerCount,
    signPlayback: (url, id, grant) => deps.hlsTokens.signUrl(url, id, grant),
  });
  const chatMessages = new ChatRepository(db);
  const reactionCounts = new ReactionRepository(db);
  const questionStore = new QuestionRepository(db);
  const moderation = new ModerationService(new RestrictionRepository(db), caches);
  const filter = new ChatFilter(options.chatFilter, options.chatReview, log);
  const chat = new ChatService({
    messages: chatMessages,
    channels,
    moderation,
    filter,
    pacing: new ChatPacing(state, options.chatRate),
  });
  const reactions = new ReactionService({
    reactions: reactionCounts,
    channels,
    moderation,
    state,
    rate: options.reactionRate,
    log,
  });
  const questions = new QuestionService({
    questions: questionStore,
    moderation,
    filter,
    state,
    rate: options.questionRate,
  });
  const polls = new PollService(new PollRepository(db), moderation);
  const analyticsStore = new AnalyticsRepository(db);
  const analytics = new AnalyticsService({
    repository: analyticsStore,
    streams,
    state,
    sessionRate: options.analytics.sessionRate,
    flushMs: ANALYTICS_FLUSH_MS,
    maxBatch: ANALYTICS_MAX_BATCH,
    log,
  });
  const stage = new StageService({
    stage: new StageRepository(db),
    moderation,
    bus,
    limit: options.stage.limit,
    layout: options.stage.layout,
    publishingUsers: deps.publishingUsers,
    maySee: async (streamId, userId) => {
      const stream = await streamService.find(streamId);
      if (!stream) return false;
      // Tiers (and moderated channels) live in the host app's tokens, not here.
      if (stream.privacy === 'subscribers') return true;
      const stored = { userId, displayName: userId, roles: [], moderates: [], subscriptions: {} };
      return streamService.canSee(stream, stored);
    },
  });
  const notificationStore = new NotificationRepository(db);
  const { hlsDir, ffmpegPath } = options.media;
  const clips = new ClipService({
    clips: new ClipRepository(db),
    streams: streamService,
    upsertUser: (who) => streams.upsertUser(userOf(who)),
    moderation,
    state,
    bus,
    rate: options.clipRate,
    perDay: options.clipsPerDay,
    // Not a stream's folder: stream ids cannot start with a dot.
    dir: join(hlsDir, '.clips'),
    nodeUrl: deps.nodeUrl,
    peers: deps.peers,
    log: deps.log,
    cut: deps.cutsClips
      ? (streamId, outDir, range) =>
          cutClip({ ffmpegPath, streamDir: join(hlsDir, streamId), outDir, range })
      : undefined,
  });
  const replay = new ReplayService({
    streams: streamService,
    moderation,
    markers: new MarkerRepository(db),
    upsertUser: (who) => streams.upsertUser(userOf(who)),
    chat: chatMessages,
    questions: questionStore,
    reactions: reactionCounts,
    spans: async (streamId) => {
      const here = await recordingSpans(join(hlsDir, streamId));
      if (here.length > 0) return here;
      // Held live or kept on another node (each node with its own media folder): its runs come from there.
      const there = await deps.peers?.mediaNodeOf(streamId);
      return there ? spansFrom(there, streamId, deps.links) : here;
    },
  });
  return {
    clips,
    replay,
    viewerSessions: new ViewerSessionRepository(db),
    stage,
    analytics,
    analyticsStore,
    authorizeMedia: mediaAuthorizer({
      streams,
      channels,
      moderation,
      hlsTokens: deps.hlsTokens,
      caches,
    }),
    streams,
    channels,
    streamService,
    moderation,
    chat,
    reactions,
    questions,
    polls,
    healthReports: new HealthRepository(db),
    notificationStore,
    notifications: new NotificationService({
      notifications: notificationStore,
      streams,
      bus: deps.bus,
      reminderLeadMs: options.notifications.reminderLeadMinutes * 60_000,
      reminderCheckMs: options.notifications.reminderCheckMs,
      retention: {
        inboxLimit: options.notifications.inboxLimit,
        maxAgeMs: options.notifications.retentionDays * 24 * 3_600_000,
        checkMs: options.notifications.retentionCheckMs,
        // One pass per interval among the servers of a cluster (Redis: a key with that lifetime).
        turn: async (intervalMs) =>
          (await state.slowMode('notifications:retention', intervalMs)) === 0,
      },
      log: deps.log,
    }),
  };
}
