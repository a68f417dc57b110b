/**
 * The RTMP chunk layer, read with limits: a peer's headers declare sizes, but
 * memory follows only the bytes that really arrive, and every size a peer
 * may set or declare is capped (the limits are tighter until its stream key
 * is checked).
 */

/** Caps the chunk reader enforces on a peer. */
export interface RtmpLimits {
  /** Largest chunk size the peer may set with Set Chunk Size. */
  maxChunkSize: number;
  /** Largest control, command or data message a chunk header may declare. */
  maxMessageBytes: number;
  /** Largest audio or video message a chunk header may declare. */
  maxMediaMessageBytes: number;
  /** Chunk stream ids one connection may use. */
  maxChunkStreams: number;
  /** Messages that may be partly received at the same time. */
  maxPartialMessages: number;
  /** Bytes one connection may hold in message buffers. */
  maxBufferedBytes: number;
}

/**
 * Limits until the publish key is checked: the handshake and the commands up
 * to `publish` are a few hundred bytes, and no media is expected.
 */
export const UNAUTHENTICATED_RTMP_LIMITS: Readonly<RtmpLimits> = Object.freeze({
  maxChunkSize: 65_536,
  maxMessageBytes: 64 * 1024,
  maxMediaMessageBytes: 64 * 1024,
  maxChunkStreams: 8,
  maxPartialMessages: 4,
  maxBufferedBytes: 128 * 1024,
});

/**
 * Limits for a publisher whose key was accepted: a keyframe of a high-bitrate
 * 4K encode fits in 8 MiB; encoders use a handful of chunk streams.
 */
export const PUBLISHING_RTMP_LIMITS: Readonly<RtmpLimits> = Object.freeze({
  maxChunkSize: 65_536,
  maxMessageBytes: 64 * 1024,
  maxMediaMessageBytes: 8 * 1024 * 1024,
  maxChunkStreams: 16,
  maxPartialMessages: 8,
  maxBufferedBytes: 16 * 1024 * 1024,
});

/** A peer broke an {@link RtmpLimits} cap or the chunk protocol; the message names no secret. */
export class RtmpLimitError extends Error {
  override readonly name = 'RtmpLimitError';
}

/**
 * One complete message, shaped as node-media-server's handlers read it
 * (`header.type`, `header.length`, `header.stream_id`, `clock`, `payload`).
 * The payload is exactly `header.length` bytes and valid until the next
 * message on the same chunk stream (its buffer is reused).
 */
export interface RtmpMessage {
  header: {
    fmt: number;
    cid: number;
    /** The last timestamp field (0xffffff when an extended timestamp follows). */
    timestamp: number;
    length: number;
    type: number;
    stream_id: number;
  };
  /** The message's timestamp, ms. */
  clock: number;
  payload: Buffer;
}

/** One chunk stream: its last header and the message it is receiving. */
interface ChunkStream extends RtmpMessage {
  /** Backing storage, grown as payload bytes arrive, never ahead of them. */
  buffer: Buffer;
  /** Payload bytes of the current message received so far. */
  bytes: number;
  /** A message is under way (its header arrived, not all its bytes). */
  partial: boolean;
  /** The message is waiting for a later chunk (counted against `maxPartialMessages`). */
  waiting: boolean;
}

const TYPE_SET_CHUNK_SIZE = 1;
const TYPE_ABORT = 2;
const TYPE_AUDIO = 8;
const TYPE_VIDEO = 9;
const EXTENDED_TIMESTAMP = 0xffffff;
/** Message header size by chunk type (fmt). */
const MESSAGE_HEADER_SIZE = [11, 7, 3, 0] as const;
const DEFAULT_CHUNK_SIZE = 128;
const EMPTY = Buffer.alloc(0);

/** Parser states: reading a basic header, the rest of a chunk header, or payload. */
const State = { Basic: 0, Header: 1, Payload: 2 } as const;
type State = (typeof State)[keyof typeof State];

/**
 * Reads RTMP chunks (any split of the byte stream) into messages. Throws
 * {@link RtmpLimitError} on a broken cap; the caller closes the connection.
 * Set Chunk Size and Abort are handled here; every other message goes to
 * `onMessage`.
 */
export class RtmpChunkReader {
  /** Caps in force; swap for {@link PUBLISHING_RTMP_LIMITS} once the key is accepted. */
  limits: Readonly<RtmpLimits>;
  private readonly streams = new Map<number, ChunkStream>();
  private chunkSize = DEFAULT_CHUNK_SIZE;
  private state: State = State.Basic;
  /** Header bytes: up to 3 basic, 11 message, 4 extended timestamp. */
  private readonly header = Buffer.alloc(18);
  private headerBytes = 0;
  private headerSize = 0;
  private basicSize = 1;
  private current: ChunkStream | undefined;
  /** Payload bytes left in the current chunk. */
  private chunkLeft = 0;
  private partials = 0;
  private buffered = 0;

  constructor(
    limits: Readonly<RtmpLimits>,
    private readonly onMessage: (message: RtmpMessage) => void,
  ) {
    this.limits = limits;
  }

  /** Bytes held in message buffers (what the peer has really sent, not what it declared). */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Reads the next bytes of the chunk stream. */
  push(data: Buffer): void {
    let offset = 0;
    while (offset < data.length) {
      if (this.state === State.Basic) {
        const first = data[offset++] ?? 0;
        this.header[0] = first;
        this.headerBytes = 1;
        const low = first & 0x3f;
        this.basicSize = low === 0 ? 2 : low === 1 ? 3 : 1;
        this.headerSize = this.basicSize + (MESSAGE_HEADER_SIZE[first >> 6] ?? 0);
        this.state = State.Header;
      }
      if (this.state === State.Header) {
        offset = this.readHeader(data, offset);
      } else if (this.state === State.Payload) {
        offset = this.readPayload(data, offset);
      }
    }
  }

  private readHeader(data: Buffer, start: number): number {
    let offset = start;
    while (this.headerBytes < this.headerSize && offset < data.length) {
      this.header[this.headerBytes++] = data[offset++] ?? 0;
    }
    if (this.headerBytes < this.headerSize) return offset;
    const fmt = (this.header[0] ?? 0) >> 6;
    const stream = this.current ?? this.chunkStream(this.chunkStreamId());
    this.current = stream;
    // The extended timestamp follows when the timestamp field (this chunk's, or for
    // type 3 the chunk stream's last one) is 0xffffff.
    const field = fmt <= 2 ? this.header.readUIntBE(this.basicSize, 3) : stream.header.timestamp;
    const extended = this.headerSize > this.basicSize + (MESSAGE_HEADER_SIZE[fmt] ?? 0);
    if (field === EXTENDED_TIMESTAMP && !extended) {
      this.headerSize += 4;
      return offset;
    }
    this.applyHeader(stream, fmt, field);
    return offset;
  }

  private chunkStreamId(): number {
    if (this.basicSize === 2) return 64 + (this.header[1] ?? 0);
    if (this.basicSize === 3) return 64 + (this.header[1] ?? 0) + (this.header[2] ?? 0) * 256;
    return (this.header[0] ?? 0) & 0x3f;
  }

  private chunkStream(cid: number): ChunkStream {
    const known = this.streams.get(cid);
    if (known) return known;
    if (this.streams.size >= this.limits.maxChunkStreams) {
      throw new RtmpLimitError(
        `more than ${this.limits.maxChunkStreams} chunk streams (chunk stream ${cid})`,
      );
    }
    const stream: ChunkStream = {
      header: { fmt: 0, cid, timestamp: 0, length: 0, type: 0, stream_id: 0 },
      clock: 0,
      payload: EMPTY,
      buffer: EMPTY,
      bytes: 0,
      partial: false,
      waiting: false,
    };
    this.streams.set(cid, stream);
    return stream;
  }

  private applyHeader(stream: ChunkStream, fmt: number, field: number): void {
    const { header } = stream;
    const at = this.basicSize;
    if (stream.partial && fmt === 0) {
      throw new RtmpLimitError(
        `chunk stream ${header.cid} started a message before finishing the last`,
      );
    }
    if (fmt <= 1) {
      const length = this.header.readUIntBE(at + 3, 3);
      const type = this.header[at + 6] ?? 0;
      if (stream.partial && (length !== header.length || type !== header.type)) {
        throw new RtmpLimitError(`chunk stream ${header.cid} changed a message under way`);
      }
      header.length = length;
      header.type = type;
    }
    if (fmt === 0) header.stream_id = this.header.readUInt32LE(at + 7);
    header.fmt = fmt;
    if (fmt <= 2) header.timestamp = field;
    if (!stream.partial) {
      const time =
        field === EXTENDED_TIMESTAMP ? this.header.readUInt32BE(this.headerSize - 4) : field;
      stream.clock = fmt === 0 ? time : stream.clock + time;
      this.startMessage(stream);
    }
    this.chunkLeft = Math.min(this.chunkSize, header.length - stream.bytes);
    this.current = stream;
    this.state = State.Payload;
    if (this.chunkLeft === 0) this.endChunk(stream);
  }

  private startMessage(stream: ChunkStream): void {
    const { length, type, cid } = stream.header;
    const media = type === TYPE_AUDIO || type === TYPE_VIDEO;
    const limit = media ? this.limits.maxMediaMessageBytes : this.limits.maxMessageBytes;
    if (length > limit) {
      throw new RtmpLimitError(
        `a ${length}-byte message of type ${type} on chunk stream ${cid} is over the ${limit}-byte limit`,
      );
    }
    stream.partial = true;
    stream.bytes = 0;
  }

  private readPayload(data: Buffer, offset: number): number {
    const stream = this.current;
    if (!stream) throw new RtmpLimitError('payload without a chunk stream');
    const n = Math.min(this.chunkLeft, data.length - offset);
    const needed = stream.bytes + n;
    if (needed > stream.buffer.length) this.grow(stream, needed);
    data.copy(stream.buffer, stream.bytes, offset, offset + n);
    stream.bytes = needed;
    this.chunkLeft -= n;
    if (this.chunkLeft === 0) this.endChunk(stream);
    return offset + n;
  }

  /** Doubles the buffer (amortised copies), never past what the message can hold. */
  private grow(stream: ChunkStream, needed: number): void {
    const capacity = Math.min(stream.header.length, Math.max(needed, stream.buffer.length * 2));
    const buffered = this.buffered - stream.buffer.length + capacity;
    if (buffered > this.limits.maxBufferedBytes) {
      throw new RtmpLimitError(
        `more than ${this.limits.maxBufferedBytes} bytes buffered for one connection`,
      );
    }
    const buffer = Buffer.allocUnsafe(capacity);
    stream.buffer.copy(buffer, 0, 0, stream.bytes);
    stream.buffer = buffer;
    this.buffered = buffered;
  }

  private endChunk(stream: ChunkStream): void {
    this.state = State.Basic;
    this.current = undefined;
    if (stream.bytes < stream.header.length) {
      // Only a message longer than a chunk can wait while others arrive.
      if (!stream.waiting) {
        if (this.partials >= this.limits.maxPartialMessages) {
          throw new RtmpLimitError(
            `more than ${this.limits.maxPartialMessages} messages under way`,
          );
        }
        stream.waiting = true;
        this.partials++;
      }
      return;
    }
    this.finish(stream);
    // node-media-server drops messages past the 32-bit clock; so do we.
    if (stream.clock > 0xffffffff) return;
    stream.payload = stream.buffer.subarray(0, stream.header.length);
    this.handle(stream);
  }

  /** Ends the chunk stream's message (received whole, or aborted). */
  private finish(stream: ChunkStream): void {
    if (stream.waiting) this.partials--;
    stream.waiting = false;
    stream.partial = false;
    stream.bytes = 0;
  }

  private handle(message: RtmpMessage): void {
    const { type, length } = message.header;
    if (type === TYPE_SET_CHUNK_SIZE) {
      const size = length >= 4 ? message.payload.readUInt32BE(0) : 0;
      if (size < 1 || size > this.limits.maxChunkSize) {
        throw new RtmpLimitError(
          `chunk size ${size} is outside 1–${this.limits.maxChunkSize} bytes`,
        );
      }
      this.chunkSize = size;
      return;
    }
    if (type === TYPE_ABORT) {
      const aborted = length >= 4 ? this.streams.get(message.payload.readUInt32BE(0)) : undefined;
      if (aborted?.partial) this.finish(aborted);
      return;
    }
    this.onMessage(message);
  }
}
