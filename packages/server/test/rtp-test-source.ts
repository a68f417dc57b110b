import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { RtpPacket } from 'werift';
import type { ProducerCodec } from '../src/media/sfu/producer.js';
import type { PacketSource } from '../src/media/sfu/rtp-source.js';

/** The header extension id {@link RtpTestTrack.audioLevel} marks packets with. */
export const AUDIO_LEVEL_EXTENSION_ID = 1;

/** One RTP track received from the test encoder. */
export class RtpTestTrack implements PacketSource {
  private readonly listeners = new Set<(packet: RtpPacket) => void>();
  readonly socket: Socket = createSocket('udp4');
  keyframeRequests = 0;
  packets = 0;
  /**
   * Marks every packet with this audio level (RFC 6464, -dBov: 0 loudest, 127 silence) in
   * header extension {@link AUDIO_LEVEL_EXTENSION_ID}, as browsers do; undefined: no mark.
   */
  audioLevel: number | undefined;

  constructor(readonly codec: ProducerCodec) {
    this.socket.on('message', (data) => {
      const packet = RtpPacket.deSerialize(data);
      if (this.audioLevel !== undefined) {
        packet.header.extension = true;
        packet.header.extensionProfile = 0xbede;
        packet.header.extensions = [
          { id: AUDIO_LEVEL_EXTENSION_ID, payload: Buffer.from([this.audioLevel]) },
        ];
      }
      this.packets++;
      for (const listener of this.listeners) listener(packet);
    });
  }

  async bind(): Promise<number> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return this.socket.address().port;
  }

  onPacket(listener: (packet: RtpPacket) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  requestKeyframe(): void {
    this.keyframeRequests++;
  }
}

/** An H.264 (packetization-mode 1) track on payload type 102, as the SFU's router offers it. */
export const h264Track = (profileLevelId = '42e01f'): RtpTestTrack =>
  new RtpTestTrack({
    mimeType: 'video/H264',
    payloadType: 102,
    clockRate: 90000,
    channels: undefined,
    parameters: { 'packetization-mode': 1, 'profile-level-id': profileLevelId },
  });

/** A stereo Opus track on payload type 100. */
export const opusTrack = (): RtpTestTrack =>
  new RtpTestTrack({
    mimeType: 'audio/opus',
    payloadType: 100,
    clockRate: 48000,
    channels: 2,
    parameters: {},
  });

/** Options of {@link RtpTestSource}. */
export interface RtpTestSourceOptions {
  width: number;
  height: number;
  frameRate?: number;
  seconds?: number;
  audio?: boolean;
  /** Seconds between keyframes (default 2). Keyframe requests are counted, not honoured. */
  keyframeSeconds?: number;
  /** The picture: a lavfi video source without size and rate (default `testsrc2`; `color=c=red`). */
  pattern?: string;
}

/**
 * A publisher stand-in for packager tests and benchmarks: a real ffmpeg
 * encodes a test pattern (H.264, a keyframe every 2 s by default) and a tone (Opus) to
 * RTP, as a browser would send them through the SFU.
 */
export class RtpTestSource {
  readonly video = h264Track();
  readonly audio: RtpTestTrack | undefined;
  private encoder: ChildProcess | undefined;

  constructor(private readonly options: RtpTestSourceOptions) {
    if (options.audio !== false) {
      this.audio = opusTrack();
    }
  }

  async start(): Promise<void> {
    const { width, height, frameRate = 30, seconds = 120, keyframeSeconds = 2 } = this.options;
    const videoPort = await this.video.bind();
    const audioPort = await this.audio?.bind();
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-re',
      '-f',
      'lavfi',
      '-i',
      `${this.options.pattern ?? 'testsrc2'}${this.options.pattern?.includes('=') ? ':' : '='}size=${width}x${height}:rate=${frameRate}`,
      ...(audioPort ? ['-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'] : []),
      '-t',
      String(seconds),
      '-map',
      '0:v',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-profile:v',
      'baseline',
      '-b:v',
      `${Math.round((width * height * frameRate) / 10_000)}k`,
      '-g',
      String(Math.round(frameRate * keyframeSeconds)),
      '-pix_fmt',
      'yuv420p',
      '-f',
      'rtp',
      '-payload_type',
      '102',
      `rtp://127.0.0.1:${videoPort}`,
    ];
    if (audioPort) {
      args.push(
        '-map',
        '1:a',
        '-t',
        String(seconds),
        '-c:a',
        'libopus',
        '-ac',
        '2',
        '-f',
        'rtp',
        '-payload_type',
        '100',
        `rtp://127.0.0.1:${audioPort}`,
      );
    }
    this.encoder = spawn('ffmpeg', args, { stdio: 'ignore' });
  }

  stop(): void {
    this.encoder?.kill('SIGKILL');
    this.video.socket.close();
    this.audio?.socket.close();
  }
}
