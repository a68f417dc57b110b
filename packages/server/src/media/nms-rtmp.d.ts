/** The RTMP protocol handler of node-media-server (handshake, chunk streams, AMF commands). */
declare module 'node-media-server/src/protocol/rtmp.js' {
  /** A media message: FLV tag type (8 audio, 9 video, 18 script), payload, timestamps. */
  export interface RtmpAvPacket {
    codec_id: number;
    codec_type: number;
    flags: number;
    pts: number;
    dts: number;
    size: number;
    data: Buffer;
  }
  export default class Rtmp {
    streamApp: string;
    streamName: string;
    streamId: number;
    parserPacket: { header: { stream_id: number } };
    onConnectCallback: (request: { app: string; name: string }) => void;
    onPlayCallback: () => void;
    onPushCallback: () => void;
    onPacketCallback: (packet: RtmpAvPacket) => void;
    onOutputCallback: (buffer: Buffer) => void;
    onPublish(message: { streamName: string }): void;
    onPlay(message: { streamName: string }): void;
    parserData(buffer: Buffer): string | null;
    respondPublish(): void;
    sendStatusMessage(streamId: number, level: string, code: string, description: string): void;
  }
}
