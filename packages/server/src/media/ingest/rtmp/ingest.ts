import { createServer, type Server, type Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { OnAirError } from '@onair/protocol';
import type { OpenedSource, SourceDescription, StreamSource } from '../../source.js';
import { h264SpsSize } from '../../video-probe.js';
import { PUBLISHING_RTMP_LIMITS, RtmpLimitError, UNAUTHENTICATED_RTMP_LIMITS } from './chunks.js';
import { Rtmp, type RtmpAvPacket } from './protocol.js';

const FLV_AUDIO = 8;
const FLV_VIDEO = 9;
const FLV_CODEC_H264 = 7;
const FLV_SOUND_AAC = 10;
/** After the video sequence header, how long to wait for the audio one. */
const AUDIO_HEADER_WAIT_MS = 1000;
/** Bytes an unauthenticated connection may send before it is dropped (handshake and commands fit). */
const MAX_UNAUTHENTICATED_BYTES = 64 * 1024;
/** Time a connection has to get to a valid publish (handshake, commands and the key check). */
const PUBLISH_DEADLINE_MS = 10_000;
/** RTMP version byte (C0) of a plain, unencrypted handshake. */
const RTMP_VERSION = 3;

/** One FLV tag (header, payload, previous-tag size) for ffmpeg's `-f flv` input. */
export function flvTag(type: number, timestamp: number, data: Buffer): Buffer {
  const tag = Buffer.alloc(11 + data.length + 4);
  tag[0] = type;
  tag.writeUIntBE(data.length, 1, 3);
  tag.writeUIntBE(timestamp & 0xffffff, 4, 3);
  tag[7] = (timestamp >>> 24) & 0xff;
  data.copy(tag, 11);
  tag.writeUInt32BE(11 + data.length, 11 + data.length);
  return tag;
}

/** The FLV file header. */
export function flvHeader(hasAudio: boolean): Buffer {
  return Buffer.from([0x46, 0x4c, 0x56, 1, hasAudio ? 5 : 1, 0, 0, 0, 9, 0, 0, 0, 0]);
}

/** The first SPS of an AVCDecoderConfigurationRecord (after the 5-byte FLV video header). */
function spsOfAvcConfig(data: Buffer): Buffer | undefined {
  const record = data.subarray(5);
  if (record.length < 8 || ((record[5] ?? 0) & 0x1f) === 0) return undefined;
  const length = record.readUInt16BE(6);
  return record.subarray(8, 8 + length);
}

/**
 * A packager source fed by an RTMP publisher: keeps the sequence headers,
 * and writes FLV to ffmpeg's standard input from the next keyframe on
 * (again after each ffmpeg restart). Keyframes come at the encoder's
 * interval: RTMP cannot ask for one.
 */
export class RtmpStreamSource implements StreamSource {
  private videoHeader: RtmpAvPacket | undefined;
  private audioHeader: RtmpAvPacket | undefined;
  private videoHeaderAt = 0;
  private sink: { stdin: Writable; started: boolean } | undefined;
  private readonly waiters = new Set<() => void>();
  /** Why the stream cannot be packaged (an unsupported codec), once known. */
  problem: string | undefined;
  /** Bytes of media received, for stream health. */
  bytesReceived = 0;

  /** Hands over one media message from the RTMP session. */
  push(packet: RtmpAvPacket): void {
    this.bytesReceived += packet.size;
    const data = packet.data.subarray(0, packet.size);
    if (packet.codec_type === FLV_VIDEO && packet.flags === 2) {
      this.videoHeaderAt ||= Date.now();
      const first = data[0] ?? 0;
      if ((first & 0x0f) !== FLV_CODEC_H264 || (first & 0x80) !== 0) {
        this.problem = 'Only H.264 video is supported over RTMP (set the encoder to x264 or H.264)';
      }
      this.videoHeader = { ...packet, data: Buffer.from(data) };
    } else if (packet.codec_type === FLV_AUDIO && packet.flags === 0) {
      this.audioHeader = { ...packet, data: Buffer.from(data) };
    } else if (packet.codec_type === FLV_VIDEO && packet.flags !== 2 && !this.videoHeader) {
      return;
    }
    for (const wake of [...this.waiters]) wake();
    const sink = this.sink;
    if (!sink || (packet.codec_type !== FLV_AUDIO && packet.codec_type !== FLV_VIDEO)) return;
    if (!sink.started) {
      // ffmpeg starts at a keyframe, after the headers.
      if (packet.codec_type !== FLV_VIDEO || packet.flags !== 3) return;
      sink.started = true;
      sink.stdin.write(flvHeader(!!this.audioHeader));
      for (const header of [this.videoHeader, this.audioHeader]) {
        if (header) sink.stdin.write(flvTag(header.codec_type, packet.dts, header.data));
      }
    }
    if (packet.flags === 2 || (packet.codec_type === FLV_AUDIO && packet.flags === 0)) return;
    sink.stdin.write(flvTag(packet.codec_type, packet.dts, data));
  }

  requestKeyframe(): void {
    // RTMP has no way to ask the encoder for one.
  }

  describe(signal: AbortSignal): Promise<SourceDescription> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.problem) return finish(() => reject(new Error(this.problem)));
        const header = this.videoHeader;
        if (!header) return;
        const waitedForAudio = Date.now() - this.videoHeaderAt >= AUDIO_HEADER_WAIT_MS;
        if (!this.audioHeader && !waitedForAudio) return;
        const sps = spsOfAvcConfig(header.data);
        const size = sps && h264SpsSize(sps);
        if (!size)
          return finish(() => reject(new Error('The H.264 sequence header has no usable SPS')));
        const aac = (this.audioHeader?.data[0] ?? 0) >> 4 === FLV_SOUND_AAC;
        finish(() =>
          resolve({
            video: { codec: 'h264', ...size },
            hasAudio: !!this.audioHeader,
            audioIsAac: aac,
          }),
        );
      };
      const timer = setInterval(check, 250);
      const finish = (settle: () => void) => {
        clearInterval(timer);
        this.waiters.delete(check);
        signal.removeEventListener('abort', abort);
        settle();
      };
      const abort = () => finish(() => reject(new Error('aborted')));
      signal.addEventListener('abort', abort, { once: true });
      this.waiters.add(check);
      check();
    });
  }

  async open(): Promise<OpenedSource> {
    let sink: { stdin: Writable; started: boolean } | undefined;
    return {
      input: ['-f', 'flv', '-fflags', '+genpts', '-i', 'pipe:0'],
      feed: (stdin) => {
        sink = { stdin, started: false };
        this.sink = sink;
      },
      // Only its own: a newer ffmpeg (a composition's end, a restart) may be fed already.
      close: () => {
        sink?.stdin.end();
        if (this.sink === sink) this.sink = undefined;
      },
    };
  }
}

/** What the RTMP ingest needs from the rest of the server. */
export interface RtmpIngestOptions {
  port: number;
  host: string;
  /** Checks a stream key; resolves to the stream it publishes to, or rejects. Never logs the key. */
  authorize(key: string): Promise<{ streamId: string }>;
  /** A publisher started (source) or stopped (undefined) on a stream. */
  attach(streamId: string, source: RtmpStreamSource | undefined): void;
  log(message: string): void;
}

interface Session {
  socket: Socket;
  streamId?: string;
  source?: RtmpStreamSource;
}

/**
 * RTMP ingest for encoders that only speak RTMP (OBS, ffmpeg): publish to
 * `rtmp://host:port/live` with the stream key as the stream name. The
 * protocol (handshake, chunk streams, AMF commands) is node-media-server's;
 * the publish command is answered only after the key is checked, and a
 * wrong key is refused (`NetStream.Publish.BadName`) and disconnected before
 * any media is accepted. Playback over RTMP is not offered.
 *
 * An unauthenticated peer gets little: 64 KiB in all, 10 s to publish with a
 * good key, and a chunk reader that caps chunk and message sizes, chunk
 * streams and partial messages and buffers only bytes that arrived
 * ({@link UNAUTHENTICATED_RTMP_LIMITS}, then {@link PUBLISHING_RTMP_LIMITS}).
 * A peer over a limit is disconnected and logged.
 */
export class RtmpIngest {
  private server: Server | undefined;
  private readonly sessions = new Set<Session>();

  constructor(private readonly options: RtmpIngestOptions) {}

  /** Starts listening; resolves to the bound port. */
  async listen(): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(
                `RTMP port ${this.options.port} is already in use: set media.rtmpPort (RTMP_PORT) to another port, or false to turn RTMP off`,
              )
            : error,
        ),
      );
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : this.options.port;
  }

  /** Disconnects a stream's publisher (key rotated, stream ended). */
  disconnect(streamId: string): void {
    for (const session of this.sessions) {
      if (session.streamId === streamId) session.socket.destroy();
    }
  }

  /** Stops accepting and drops every connection. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const session of this.sessions) session.socket.destroy();
    await closed;
  }

  private accept(socket: Socket): void {
    const session: Session = { socket };
    this.sessions.add(session);
    const rtmp = new Rtmp(UNAUTHENTICATED_RTMP_LIMITS);
    let received = 0;
    socket.setNoDelay(true);
    // A publisher whose network died without a FIN or RST sends nothing more: let it go
    // after 10 s so its stream can take a reconnect (and ends after the grace otherwise).
    socket.setTimeout(10_000, () => socket.destroy());
    rtmp.onOutputCallback = (buffer) => {
      if (!socket.destroyed) socket.write(buffer);
    };
    rtmp.onPlay = () => {
      rtmp.sendStatusMessage(
        0,
        'error',
        'NetStream.Play.Failed',
        'Playback over RTMP is not offered',
      );
      socket.end();
    };
    // Answered only once the key is known to be good (the library would accept first).
    rtmp.onPublish = (message) => {
      rtmp.streamId = rtmp.parserPacket.header.stream_id;
      const key = String(message.streamName ?? '').split('?')[0] ?? '';
      if (rtmp.streamApp !== 'live' || session.streamId || socket.destroyed) {
        rtmp.sendStatusMessage(
          rtmp.streamId,
          'error',
          'NetStream.Publish.BadName',
          'Publish to /live',
        );
        socket.end();
        return;
      }
      socket.pause();
      const publishing = this.options.authorize(key).then(
        ({ streamId }) => {
          if (socket.destroyed) return;
          if ([...this.sessions].some((other) => other.streamId === streamId)) {
            rtmp.sendStatusMessage(
              rtmp.streamId,
              'error',
              'NetStream.Publish.BadName',
              'Already publishing',
            );
            socket.end();
            return;
          }
          session.streamId = streamId;
          rtmp.chunks.limits = PUBLISHING_RTMP_LIMITS;
          session.source = new RtmpStreamSource();
          rtmp.streamName = 'stream';
          rtmp.respondPublish();
          this.options.attach(streamId, session.source);
          socket.resume();
        },
        (error: Error) => {
          // An OnAirError says why (a wrong key, a stream already published); anything else
          // (the database down) is not the encoder's business: its text can hold a query.
          const why =
            error instanceof OnAirError ? error.message : 'Publishing is unavailable; try again';
          // The log keeps the whole text (its lines are redacted of secrets).
          this.options.log(`RTMP publish refused from ${socket.remoteAddress}: ${error.message}`);
          rtmp.sendStatusMessage(rtmp.streamId, 'error', 'NetStream.Publish.BadName', why);
          socket.end();
          setTimeout(() => socket.destroy(), 1000).unref();
        },
      );
      // A publisher the media plane could not take: its connection goes, the server stays.
      publishing.catch((error: unknown) => {
        this.options.log(`RTMP publish failed: ${String(error)}`);
        socket.destroy();
      });
    };
    rtmp.onPacketCallback = (packet) => session.source?.push(packet);
    const deadline = setTimeout(() => {
      if (!session.streamId) socket.destroy();
    }, PUBLISH_DEADLINE_MS);
    deadline.unref();
    socket.on('data', (chunk: Buffer) => {
      if (received === 0 && chunk[0] !== RTMP_VERSION) {
        // Not RTMP (an HTTP request, a scanner): no reply.
        socket.destroy();
        return;
      }
      received += chunk.length;
      if (!session.streamId && received > MAX_UNAUTHENTICATED_BYTES) {
        socket.destroy();
        return;
      }
      try {
        rtmp.parserData(chunk);
      } catch (error) {
        // Over a limit, or malformed RTMP (a bad tcUrl, a broken chunk): drop the connection.
        if (error instanceof RtmpLimitError) {
          this.options.log(`RTMP connection from ${socket.remoteAddress} closed: ${error.message}`);
        }
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(deadline);
      this.sessions.delete(session);
      if (session.streamId) this.options.attach(session.streamId, undefined);
    });
  }
}
