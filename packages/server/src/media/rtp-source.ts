import { createSocket, type Socket } from 'node:dgram';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RtpPacket } from 'werift';
import type { OpenedSource, PackagerSource, SourceDescription } from './hls-packager.js';
import { findRtpPortPair } from './ports.js';
import type { ProducerCodec } from './producer.js';
import { ffmpegSdp, type SdpMedia } from './sdp.js';
import { rtpSizeReader } from './video-probe.js';

/** What the packager needs from a track: its codec, its packets, keyframes on request. */
export interface PacketSource {
  readonly codec: ProducerCodec;
  onPacket(listener: (packet: RtpPacket) => void): () => void;
  requestKeyframe(): void;
}

const PROBE_KEYFRAME_INTERVAL_MS = 500;

/**
 * A packager source made of RTP tracks (a browser or WHIP publisher's
 * producers): reads the picture size from the first keyframe, then forwards
 * the packets to ffmpeg over loopback UDP, described by an SDP file.
 */
export class RtpPackagerSource implements PackagerSource {
  constructor(
    private readonly video: PacketSource,
    private readonly audio: PacketSource | undefined,
    /** Folder for the SDP file. */
    private readonly dir: string,
  ) {}

  requestKeyframe(): void {
    this.video.requestKeyframe();
  }

  describe(signal: AbortSignal): Promise<SourceDescription> {
    const read = rtpSizeReader(this.video.codec.mimeType);
    const codec = (this.video.codec.mimeType.split('/')[1] ?? '').toLowerCase();
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => this.video.requestKeyframe(), PROBE_KEYFRAME_INTERVAL_MS);
      const finish = () => {
        clearInterval(timer);
        unsubscribe();
        signal.removeEventListener('abort', abort);
      };
      const abort = () => {
        finish();
        reject(new Error('aborted'));
      };
      const unsubscribe = this.video.onPacket((packet) => {
        const size = read(packet.payload);
        if (!size || size.width === 0 || size.height === 0) return;
        finish();
        resolve({ video: { codec, ...size }, hasAudio: !!this.audio, audioIsAac: false });
      });
      signal.addEventListener('abort', abort, { once: true });
      this.video.requestKeyframe();
    });
  }

  async open(): Promise<OpenedSource> {
    const media: SdpMedia[] = [
      { kind: 'video', port: await findRtpPortPair(), codec: this.video.codec },
    ];
    if (this.audio)
      media.push({ kind: 'audio', port: await findRtpPortPair(), codec: this.audio.codec });
    const sdpPath = join(this.dir, 'source.sdp');
    await writeFile(sdpPath, ffmpegSdp(media));
    const socket: Socket = createSocket('udp4');
    socket.on('error', () => undefined);
    let closed = false;
    const unsubscribers = media.map((m) => {
      const track = m.kind === 'video' ? this.video : this.audio;
      return track?.onPacket((packet) => socket.send(packet.serialize(), m.port, '127.0.0.1'));
    });
    return {
      input: [
        '-protocol_whitelist',
        'file,udp,rtp',
        '-fflags',
        '+genpts',
        '-analyzeduration',
        '1000000',
        '-probesize',
        '1000000',
        '-reorder_queue_size',
        '256',
        '-i',
        sdpPath,
      ],
      close: () => {
        if (closed) return;
        closed = true;
        for (const unsubscribe of unsubscribers) unsubscribe?.();
        socket.close();
      },
    };
  }
}
