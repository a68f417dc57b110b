import { createRequire } from 'node:module';

/** A media message: FLV tag type (8 audio, 9 video, 18 script), payload and timestamps. */
export interface RtmpAvPacket {
  codec_id: number;
  codec_type: number;
  /** 0 audio sequence header, 1 audio, 2 video sequence header, 3 keyframe, 4 inter frame, 5 script. */
  flags: number;
  pts: number;
  dts: number;
  size: number;
  data: Buffer;
}

/** One connection's RTMP protocol state (node-media-server's handler: handshake, chunk streams, AMF). */
export interface RtmpProtocol {
  streamApp: string;
  streamName: string;
  streamId: number;
  parserPacket: { header: { stream_id: number } };
  onPacketCallback: (packet: RtmpAvPacket) => void;
  onOutputCallback: (buffer: Buffer) => void;
  onPublish(message: { streamName?: string }): void;
  onPlay(message: { streamName?: string }): void;
  parserData(buffer: Buffer): string | null;
  respondPublish(): void;
  sendStatusMessage(streamId: number, level: string, code: string, description: string): void;
}

const require = createRequire(import.meta.url);

/** node-media-server's RTMP protocol class (CommonJS, untyped: described by {@link RtmpProtocol}). */
export const Rtmp = require('node-media-server/src/protocol/rtmp.js') as new () => RtmpProtocol;
