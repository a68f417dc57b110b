import { rm } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { registerWhepRoutes, type WhepSessions } from '../media/egress/whep/routes.js';
import { registerHlsRoutes } from '../media/hls/routes.js';
import type { HlsTokens } from '../media/hls/tokens.js';
import { RtmpIngest } from '../media/ingest/rtmp/ingest.js';
import { registerWhipRoutes } from '../media/ingest/whip/routes.js';
import { MediaPlane } from '../media/media-plane.js';
import type { StreamKeys } from '../platform/auth/stream-keys.js';
import type { InternalBus } from '../platform/events.js';
import type { ResolvedServerOptions } from './config.js';
import type { Domains } from './domains.js';
import type { Lifecycle } from './lifecycle.js';

/** What {@link startMedia} needs. */
export interface MediaDeps {
  app: FastifyInstance;
  lifecycle: Lifecycle;
  domains: Domains;
  bus: InternalBus;
  streamKeys: StreamKeys;
  hlsTokens: HlsTokens;
  /** Whether ffmpeg runs (HLS and RTMP need it). */
  hls: boolean;
  /** The ffmpeg predates `-fps_mode` (the preflight found it runs the ladder with `-vsync`). */
  legacyVsync: boolean;
  log: (message: string) => void;
}

/**
 * Starts the media plane and what reaches it over the network: HLS routes,
 * WHIP ingest, WHEP playback and, with ffmpeg, RTMP ingest (disconnected
 * when its stream's key rotates or the stream ends). Each pushes its close.
 */
export async function startMedia(
  options: ResolvedServerOptions,
  deps: MediaDeps,
): Promise<{ media: MediaPlane; whep: WhepSessions; rtmpPort: number | undefined }> {
  const { app, lifecycle, domains, bus, log } = deps;
  const { streamService } = domains;
  const settings = options.media;
  if (settings.hlsDirIsTemporary) {
    lifecycle.defer('HLS folder', () => rm(settings.hlsDir, { recursive: true, force: true }));
  }
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
    log,
  });
  lifecycle.defer('media plane', () => media.close());

  const authorize = domains.authorizeMedia;
  registerHlsRoutes(app, {
    dirOf: (id) => media.hls.dirOf(id),
    live: (id) => media.hls.live(id),
    authorize,
  });
  const whip = registerWhipRoutes(app, {
    authorize: (key) => streamService.authorizeIngest(key),
    router: media.router,
    iceServers: settings.iceServers,
    hashKey: (key) => deps.streamKeys.hash(key),
    log,
  });
  lifecycle.defer('WHIP sessions', () => whip.close());
  const whep = registerWhepRoutes(app, {
    router: media.router,
    // WHEP sessions remember whom their token was signed for (a ban ends theirs).
    authorize: async (id, token) => {
      await authorize(id, token);
      return { subject: deps.hlsTokens.verify(id, token)?.subject };
    },
  });
  lifecycle.defer('WHEP sessions', () => whep.close());

  if (!deps.hls || settings.rtmpPort === false) return { media, whep, rtmpPort: undefined };
  const rtmp = new RtmpIngest({
    port: settings.rtmpPort,
    host: settings.rtmpHost,
    authorize: async (key) => ({ streamId: (await streamService.authorizeIngest(key)).id }),
    attach: (streamId, source) => media.setIngestSource(streamId, source),
    log,
  });
  lifecycle.defer('RTMP ingest', () => rtmp.close());
  const rtmpPort = await rtmp.listen();
  const offs = [
    bus.on('stream:keyRotated', ({ streamId }) => rtmp.disconnect(streamId)),
    bus.on('stream:updated', (stream) => {
      if (stream.status === 'ended' || stream.status === 'cancelled') rtmp.disconnect(stream.id);
    }),
  ];
  lifecycle.defer('RTMP listeners', () => {
    for (const off of offs) off();
  });
  return { media, whep, rtmpPort };
}
