import { createSocket, type Socket } from 'node:dgram';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RtpPacket } from 'werift';
import type { OpenedSource, SourceDescription, StreamSource } from '../source.js';
import { h264ParameterSets, rtpSizeReader } from '../video-probe.js';
import { ffmpegSdp, type SdpMedia } from './ffmpeg-sdp.js';
import { findRtpPortPair } from './ports.js';
import type { ProducerCodec } from './producer.js';

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
export class RtpStreamSource implements StreamSource {
  /** The newest H.264 SPS and PPS seen, handed to ffmpeg in the SDP (sprop-parameter-sets). */
  private sps: Uint8Array | undefined;
  private pps: Uint8Array | undefined;
  private watching = false;

  constructor(
    private readonly video: PacketSource,
    private readonly audio: PacketSource | undefined,
    /** Folder for the SDP file. */
    private readonly dir: string,
    /** The SDP file's name, without `.sdp` (several sources in one folder). */
    private readonly name = 'source',
    /** Names these tracks: a source with the same key is the same source (see {@link StreamSource.key}). */
    readonly key?: string,
  ) {}

  /**
   * Keeps the newest parameter sets, from the first `describe` on, for the
   * producer's lifetime (its listeners go with it). A source made and never
   * used (its key was already being packaged) watches nothing.
   */
  private watchParameterSets(): void {
    if (this.watching || !/h264/i.test(this.video.codec.mimeType)) return;
    this.watching = true;
    this.video.onPacket((packet) => {
      for (const set of h264ParameterSets(packet.payload)) {
        if (((set[0] ?? 0) & 0x1f) === 7) this.sps = Uint8Array.from(set);
        else this.pps = Uint8Array.from(set);
      }
    });
  }

  /**
   * The video codec for ffmpeg's SDP: with the parameter sets already seen,
   * ffmpeg knows the picture size at once instead of probing for a keyframe
   * (a publisher that ignores keyframe requests would otherwise make it give up).
   */
  private videoCodecForSdp(): ProducerCodec {
    const codec = this.video.codec;
    if (!this.sps || !this.pps) return codec;
    const sprop = `${Buffer.from(this.sps).toString('base64')},${Buffer.from(this.pps).toString('base64')}`;
    return { ...codec, parameters: { ...codec.parameters, 'sprop-parameter-sets': sprop } };
  }

  requestKeyframe(): void {
    this.video.requestKeyframe();
  }

  describe(signal: AbortSignal): Promise<SourceDescription> {
    this.watchParameterSets();
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
      const h264 = /h264/i.test(this.video.codec.mimeType);
      let size: { width: number; height: number } | undefined;
      const unsubscribe = this.video.onPacket((packet) => {
        size = read(packet.payload) ?? size;
        if (!size || size.width === 0 || size.height === 0) return;
        // Wait for the PPS too (it follows the SPS) so ffmpeg gets both.
        if (h264 && !this.pps) return;
        finish();
        resolve({
          video: { codec, width: size.width, height: size.height },
          hasAudio: !!this.audio,
          audioIsAac: false,
        });
      });
      signal.addEventListener('abort', abort, { once: true });
      this.video.requestKeyframe();
    });
  }

  async open(): Promise<OpenedSource> {
    return openRtpInput(
      [
        { kind: 'video', track: this.video, codec: this.videoCodecForSdp() },
        ...(this.audio ? [{ kind: 'audio' as const, track: this.audio }] : []),
      ],
      join(this.dir, `${this.name}.sdp`),
    );
  }
}

/** One track of an {@link openRtpInput}: its packets, and the codec its SDP names (default the track's). */
export interface RtpInputTrack {
  kind: 'audio' | 'video';
  track: PacketSource;
  codec?: ProducerCodec;
}

/**
 * Makes an ffmpeg input of RTP tracks: writes the SDP file that describes
 * them at `sdpPath` and forwards each track's packets to its loopback UDP
 * port. ffmpeg sees the tracks as streams of one input, in this order.
 */
export async function openRtpInput(
  tracks: readonly RtpInputTrack[],
  sdpPath: string,
): Promise<OpenedSource> {
  const media: SdpMedia[] = [];
  for (const t of tracks) {
    media.push({ kind: t.kind, port: await findRtpPortPair(), codec: t.codec ?? t.track.codec });
  }
  await writeFile(sdpPath, ffmpegSdp(media));
  const socket: Socket = createSocket('udp4');
  socket.on('error', () => undefined);
  let closed = false;
  const unsubscribers = tracks.map((t, i) => {
    const port = media[i]?.port as number;
    return t.track.onPacket((packet) => socket.send(packet.serialize(), port, '127.0.0.1'));
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
      for (const unsubscribe of unsubscribers) unsubscribe();
      socket.close();
    },
  };
}
