import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerClipNodeRoutes } from '../domains/clips/node-routes.js';
import { HlsProxy } from '../media/cluster/hls-proxy.js';
import { MediaNode } from '../media/cluster/media-node.js';
import { MediaRelays } from '../media/cluster/media-relays.js';
import type { NodeLinks } from '../media/cluster/node-links.js';
import { registerPipeRoutes } from '../media/cluster/pipe-routes.js';
import { registerSpansRoute } from '../media/cluster/recording-spans.js';
import type { MediaRegistry } from '../media/cluster/registry.js';
import { registerWhepRoutes, type WhepSessions } from '../media/egress/whep/routes.js';
import { LADDER_PRESETS, publishBitrateOf } from '../media/hls/ladder.js';
import { registerHlsRoutes } from '../media/hls/routes.js';
import type { HlsTokens } from '../media/hls/tokens.js';
import { RtmpIngest } from '../media/ingest/rtmp/ingest.js';
import { registerWhipRoutes } from '../media/ingest/whip/routes.js';
import { MediaPlane } from '../media/media-plane.js';
import { readLadder } from '../media/recording/recording.js';
import { recordingSpans } from '../media/recording/timeline.js';
import type { StreamKeys } from '../platform/auth/stream-keys.js';
import type { ServerMetrics } from '../platform/metrics.js';
import type { SharedState } from '../platform/shared-state/shared-state.js';
import { TtlCache } from '../platform/ttl-cache.js';
import type { ResolvedServerOptions } from './config.js';
import type { Domains } from './domains.js';
import type { Lifecycle } from './lifecycle.js';

/** How long the node keeping a stream's recording is trusted once looked up, ms. */
const RECORDER_CACHE_MS = 5_000;

/** What {@link startMedia} needs. */
export interface MediaDeps {
  app: FastifyInstance;
  lifecycle: Lifecycle;
  domains: Domains;
  streamKeys: StreamKeys;
  hlsTokens: HlsTokens;
  /** Whether ffmpeg runs (HLS and RTMP need it). */
  hls: boolean;
  /** The ffmpeg predates `-fps_mode` (the preflight found it runs the ladder with `-vsync`). */
  legacyVsync: boolean;
  /** Which node holds which stream's media (Redis when servers share it). */
  registry: MediaRegistry;
  /** Whether this node has peers (servers sharing Redis): replays kept on another node are asked there. */
  clustered: boolean;
  /** Signs and checks what the nodes ask of each other (pipes, clips, replay timelines). */
  links: NodeLinks;
  /** Rate limits shared between servers (Redis when they share it): WHEP session creation. */
  state: Pick<SharedState, 'take'>;
  /** Counts ffmpeg restarts (`/metrics`); undefined when metrics are off. */
  metrics?: ServerMetrics | undefined;
  log: (message: string) => void;
}

/** What {@link startMedia} started. */
export interface StartedMedia {
  media: MediaPlane;
  whep: WhepSessions;
  /** This server in the media registry: {@link MediaNode.start} it once the HTTP server listens. */
  node: MediaNode;
  /** Real-time viewing here of streams published on another node. */
  relays: MediaRelays;
  rtmpPort: number | undefined;
  /** Another node with a stream's media (its URL), when this node has none of it: it cuts its clips. */
  mediaNodeOf(streamId: string): Promise<string | undefined>;
  /** Answers a request for a clip's file from the node that cut it (see {@link HlsProxy.forwardTo}). */
  forwardClipFile(url: string, request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

/**
 * Starts the media plane and what reaches it over the network: HLS routes
 * (streams held by another node answered from it), WHIP ingest, WHEP
 * playback and, with ffmpeg, RTMP ingest (disconnected when its stream's key
 * rotates or the stream ends). Each pushes its close.
 */
export async function startMedia(
  options: ResolvedServerOptions,
  deps: MediaDeps,
): Promise<StartedMedia> {
  const { app, lifecycle, domains, log } = deps;
  const { streamService } = domains;
  const settings = options.media;
  if (settings.hlsDirIsTemporary) {
    lifecycle.defer('HLS folder', () => rm(settings.hlsDir, { recursive: true, force: true }));
  }
  const node = new MediaNode({ registry: deps.registry, log });
  const media = await MediaPlane.create({
    hlsDir: settings.hlsDir,
    ffmpegPath: settings.ffmpegPath,
    timing: {
      segmentTarget: settings.hlsSegmentSeconds,
      partTarget: settings.hlsPartSeconds,
      windowSeconds: settings.dvrWindowSeconds,
    },
    ladder: { presets: settings.ladder, encoder: settings.encoder, av1: settings.av1 },
    x264Preset: settings.x264Preset,
    vaapiDevice: settings.encoder === 'vaapi' ? settings.vaapiDevice : undefined,
    legacyVsync: deps.legacyVsync,
    thumbnailSeconds: settings.thumbnailSeconds,
    keyframeIntervalMs: settings.keyframeIntervalMs,
    announcedAddresses: settings.announcedAddresses,
    hls: deps.hls,
    maxRealtimeViewers: settings.maxRealtimeViewers,
    realtimeSlots: {
      maxStreamsPerOwner: settings.maxRealtimeStreamsPerConnection,
      idleMs: settings.realtimeIdleSeconds * 1000,
    },
    holdings: node,
    stageLayout: options.stage.layout,
    // The stream's quality preset ("720p") caps its ladder.
    maxHeightOf: async (id) => {
      const preset = (await streamService.find(id))?.qualityPreset;
      return preset && LADDER_PRESETS[preset].height;
    },
    onFfmpegRestart: deps.metrics && (() => deps.metrics?.ffmpegRestarted()),
    log,
  });
  lifecycle.defer('media plane', () => media.close());
  // Closed before the media plane: peers stop sending viewers here before the media goes.
  lifecycle.defer('media registry', () => node.close());
  // A replay is answered by the node whose disk holds it when this node's folder lacks it. The
  // node is looked up once per stream and few seconds, whatever asks for missing files.
  const recorders = new TtlCache<string | undefined>(RECORDER_CACHE_MS);
  const recorderOf = (id: string) => recorders.get(id, () => domains.streams.recordingNodeOf(id));
  const proxy = new HlsProxy(node, recorderOf);
  /** Another node with a stream's media, when this node has none of it (that node cuts its clips). */
  const mediaNodeOf = async (id: string) => {
    if (node.holds(id)) return undefined;
    const holder = await node.peerHolding(id);
    if (holder) return holder.url;
    // Ended: the recording on this node's disk (its own, or a shared folder) is cut here.
    if (await readLadder(media.hls.dirOf(id))) return undefined;
    const recorder = await recorderOf(id);
    return recorder === node.holder?.url ? undefined : recorder;
  };
  const forwardClipFile = (url: string, request: FastifyRequest, reply: FastifyReply) =>
    proxy.forwardTo(url, request, reply, 'The server keeping this clip did not answer; retry');
  lifecycle.defer('HLS proxy', () => proxy.close());
  const { links } = deps;
  registerPipeRoutes(app, { router: media.router, node, links });
  registerClipNodeRoutes(app, { links, clips: domains.clips });
  registerSpansRoute(app, {
    links,
    spansHere: (id) => recordingSpans(join(options.media.hlsDir, id)),
  });
  const relays = new MediaRelays({ router: media.router, node, links, log });
  // Closed before the media plane: each pipe tells its holder it ends.
  lifecycle.defer('media relays', () => relays.close());

  const authorize = domains.authorizeMedia;
  registerHlsRoutes(app, {
    dirOf: (id) => media.hls.dirOf(id),
    live: (id) => media.hls.live(id),
    authorize,
    remote: (id, request, reply) => proxy.forward(id, request, reply),
    ...(deps.clustered
      ? { stored: (id, request, reply) => proxy.fromRecorder(id, request, reply) }
      : {}),
  });
  const whip = registerWhipRoutes(app, {
    authorize: async (key) => {
      const stream = await streamService.authorizeIngest(key);
      return { ...stream, maxBitrate: publishBitrateOf(stream.qualityPreset) };
    },
    router: media.router,
    iceServers: settings.iceServers,
    hashKey: (key) => deps.streamKeys.hash(key),
    log,
  });
  lifecycle.defer('WHIP sessions', () => whip.close());
  const whep = registerWhepRoutes(app, {
    router: media.router,
    relay: (id) => relays.ensure(id),
    // Per client (verified playback-token subject, else address): see DEFAULT_WHEP_LIMITS.
    state: deps.state,
    limits: {
      sessionsPerClient: settings.whepSessionsPerClient,
      createRate: settings.whepCreateRate,
    },
    // WHEP sessions remember whom their token was signed for (a ban ends theirs).
    authorize: async (id, token) => {
      await authorize(id, token);
      return { subject: deps.hlsTokens.verify(id, token)?.subject };
    },
  });
  lifecycle.defer('WHEP sessions', () => whep.close());

  if (!deps.hls || settings.rtmpPort === false) {
    return { media, whep, node, relays, rtmpPort: undefined, mediaNodeOf, forwardClipFile };
  }
  const rtmp = new RtmpIngest({
    port: settings.rtmpPort,
    host: settings.rtmpHost,
    authorize: async (key) => ({ streamId: (await streamService.authorizeIngest(key)).id }),
    attach: (streamId, source) => media.setIngestSource(streamId, source),
    log,
  });
  lifecycle.defer('RTMP ingest', () => rtmp.close());
  const rtmpPort = await rtmp.listen();
  // A rotated key or an ended stream, told by this server or another.
  const off = media.on('publishersEnded', ({ streamId }) => rtmp.disconnect(streamId));
  lifecycle.defer('RTMP listeners', off);
  return { media, whep, node, relays, rtmpPort, mediaNodeOf, forwardClipFile };
}
