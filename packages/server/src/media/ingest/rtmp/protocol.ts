import { createRequire } from 'node:module';
import { RtmpChunkReader, type RtmpLimits, type RtmpMessage } from './chunks.js';

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
  /** The message being handled. */
  parserPacket: RtmpMessage;
  onPacketCallback: (packet: RtmpAvPacket) => void;
  onOutputCallback: (buffer: Buffer) => void;
  onPublish(message: { streamName?: string }): void;
  onPlay(message: { streamName?: string }): void;
  parserData(buffer: Buffer): string | null;
  respondPublish(): void;
  sendStatusMessage(streamId: number, level: string, code: string, description: string): void;
}

/** The library's internals this module replaces or calls. */
interface RtmpLibrary extends RtmpProtocol {
  /** Its chunk reader, after the handshake: replaced by {@link RtmpChunkReader}. */
  chunkRead(data: Buffer, offset: number, bytes: number): string | null;
  /** Dispatches `parserPacket` to the control, command and media handlers. */
  packetHandler(): void;
}

const require = createRequire(import.meta.url);
/** node-media-server's RTMP protocol class (CommonJS, untyped: described by {@link RtmpLibrary}). */
const RtmpLibrary = require('node-media-server/src/protocol/rtmp.js') as new () => RtmpLibrary;

/**
 * node-media-server's handshake and AMF command handling over a chunk
 * reader with limits: the library's own reader allocates whatever message
 * size a header declares, before anything is authenticated. A broken limit
 * throws `RtmpLimitError` out of `parserData`.
 */
export class Rtmp extends RtmpLibrary {
  /** The chunk layer; set `chunks.limits` when the peer is trusted with more. */
  readonly chunks: RtmpChunkReader;

  constructor(limits: Readonly<RtmpLimits>) {
    super();
    this.chunks = new RtmpChunkReader(limits, (message) => {
      this.parserPacket = message;
      this.packetHandler();
    });
  }

  override chunkRead(data: Buffer, offset: number, bytes: number): null {
    this.chunks.push(data.subarray(offset, offset + bytes));
    return null;
  }
}
