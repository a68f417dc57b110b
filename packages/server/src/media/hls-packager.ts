import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RtpPacket } from 'werift';
import { findRtpPortPair } from './ports.js';
import type { ProducerCodec } from './producer.js';
import { ffmpegSdp, type SdpMedia } from './sdp.js';

/** What the packager needs from a track: its codec, its packets, keyframes on request. */
export interface PacketSource {
  readonly codec: ProducerCodec;
  onPacket(listener: (packet: RtpPacket) => void): () => void;
  requestKeyframe(): void;
}

/** Options of {@link HlsPackager}. */
export interface HlsPackagerOptions {
  /** Folder the playlists and segments are written to (created and emptied). */
  outDir: string;
  ffmpegPath: string;
  segmentSeconds: number;
  keyframeIntervalMs: number;
  video: PacketSource;
  audio: PacketSource | undefined;
  /** Reports ffmpeg trouble; never receives secrets. */
  log: (message: string) => void;
}

const MAX_RESTART_DELAY_MS = 10_000;
const STDERR_TAIL_LINES = 20;

/** ffmpeg arguments for one rendition: the H.264 source is copied, anything else is encoded. */
export function ffmpegArgs(
  sdpPath: string,
  hasAudio: boolean,
  copyVideo: boolean,
  segmentSeconds: number,
): string[] {
  const video = copyVideo
    ? ['-c:v', 'copy']
    : [
        '-vf',
        'fps=30',
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-tune',
        'zerolatency',
        '-pix_fmt',
        'yuv420p',
        '-g',
        String(30 * segmentSeconds),
        '-keyint_min',
        String(30 * segmentSeconds),
        '-sc_threshold',
        '0',
        '-b:v',
        '1500k',
      ];
  return [
    '-hide_banner',
    '-loglevel',
    'warning',
    '-nostdin',
    '-protocol_whitelist',
    'file,udp,rtp',
    '-fflags',
    '+genpts',
    '-analyzeduration',
    '2000000',
    '-probesize',
    '2000000',
    '-reorder_queue_size',
    '256',
    '-i',
    sdpPath,
    '-map',
    '0:v:0',
    ...(hasAudio ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', '128k', '-ar', '48000'] : []),
    '-fps_mode',
    'passthrough',
    ...video,
    '-f',
    'hls',
    '-hls_time',
    String(segmentSeconds),
    '-hls_list_size',
    '10',
    '-hls_flags',
    'delete_segments+independent_segments+omit_endlist',
    '-hls_segment_type',
    'fmp4',
    '-hls_fmp4_init_filename',
    'init.mp4',
    '-hls_segment_filename',
    'seg_%05d.m4s',
    'index.m3u8',
  ];
}

/** A master playlist with CODECS and BANDWIDTH (ffmpeg's own lacks them for a copied rendition). */
export function masterPlaylist(video: PacketSource, hasAudio: boolean): string {
  const profile = String(video.codec.parameters['profile-level-id'] ?? '42e01f').toLowerCase();
  const videoCodec = /h264/i.test(video.codec.mimeType) ? `avc1.${profile}` : 'avc1.42e01f';
  const codecs = hasAudio ? `${videoCodec},mp4a.40.2` : videoCodec;
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS="${codecs}"`,
    'index.m3u8',
    '',
  ].join('\n');
}

/**
 * Turns a stream source into HLS with a supervised ffmpeg child: writes an SDP
 * file, forwards the producers' RTP to ffmpeg over loopback UDP, asks the
 * publisher for keyframes on a schedule (Chrome sends none unless asked) and
 * restarts ffmpeg with backoff when it exits.
 */
export class HlsPackager {
  private child: ChildProcess | undefined;
  private socket: Socket | undefined;
  private unsubscribers: Array<() => void> = [];
  private keyframeTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarts = 0;
  private stopped = false;
  private stderrTail: string[] = [];

  constructor(private readonly options: HlsPackagerOptions) {}

  /** PID of the running ffmpeg child, if any (diagnostics). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Number of times ffmpeg was restarted. */
  get restartCount(): number {
    return this.restarts;
  }

  /** Starts packaging. */
  async start(): Promise<void> {
    const { outDir, video, audio } = this.options;
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'master.m3u8'), masterPlaylist(video, !!audio));
    this.socket = createSocket('udp4');
    this.socket.on('error', (error) => this.options.log(`hls forwarder: ${error.message}`));
    this.keyframeTimer = setInterval(
      () => video.requestKeyframe(),
      this.options.keyframeIntervalMs,
    );
    this.keyframeTimer.unref();
    await this.spawn();
  }

  private async spawn(): Promise<void> {
    if (this.stopped) return;
    const { outDir, video, audio, ffmpegPath, segmentSeconds } = this.options;
    const media: SdpMedia[] = [
      { kind: 'video', port: await findRtpPortPair(), codec: video.codec },
    ];
    if (audio) media.push({ kind: 'audio', port: await findRtpPortPair(), codec: audio.codec });
    if (this.stopped) return;
    const sdpPath = join(outDir, 'source.sdp');
    await writeFile(sdpPath, ffmpegSdp(media));
    const copyVideo = /h264/i.test(video.codec.mimeType);
    const child = spawn(ffmpegPath, ffmpegArgs(sdpPath, !!audio, copyVideo, segmentSeconds), {
      cwd: outDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail.push(...chunk.split('\n').filter(Boolean));
      this.stderrTail = this.stderrTail.slice(-STDERR_TAIL_LINES);
    });
    child.once('error', (error) => {
      this.options.log(`ffmpeg could not start (${ffmpegPath}): ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      for (const unsubscribe of this.unsubscribers) unsubscribe();
      this.unsubscribers = [];
      if (this.stopped) return;
      this.options.log(
        `ffmpeg exited (code ${code}, signal ${signal}); restarting. Last output:\n${this.stderrTail.join('\n')}`,
      );
      const delay = Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** this.restarts);
      this.restarts++;
      this.restartTimer = setTimeout(() => void this.spawn(), delay);
    });
    for (const m of media) {
      const producer = m.kind === 'video' ? video : audio;
      if (!producer) continue;
      const port = m.port;
      const forward = (packet: RtpPacket) => {
        this.socket?.send(packet.serialize(), port, '127.0.0.1');
      };
      this.unsubscribers.push(producer.onPacket(forward));
    }
    // ffmpeg needs a keyframe to start; ask as soon as it listens.
    setTimeout(() => video.requestKeyframe(), 300).unref();
    setTimeout(() => video.requestKeyframe(), 1000).unref();
  }

  /** Stops ffmpeg and forwarding. Idempotent; resolves when the child has exited. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.keyframeTimer) clearInterval(this.keyframeTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
    this.socket?.close();
    this.socket = undefined;
    const child = this.child;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
  }
}
