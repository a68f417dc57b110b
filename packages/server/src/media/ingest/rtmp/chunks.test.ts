import { describe, expect, it } from 'vitest';
import {
  PUBLISHING_RTMP_LIMITS,
  RtmpChunkReader,
  RtmpLimitError,
  type RtmpLimits,
  UNAUTHENTICATED_RTMP_LIMITS,
} from './chunks.js';

/*
 * The chunk layer on its own: messages come back whole from any split of the
 * byte stream, and no size a peer declares or sets gets memory or passes a cap.
 */

interface Sent {
  cid: number;
  type: number;
  timestamp: number;
  payload: Buffer;
}

/** A message as chunks: a type-0 header, then type-3 continuations every `chunkSize` bytes. */
function chunks(message: Sent, chunkSize = 128, declared = message.payload.length): Buffer[] {
  const extended = message.timestamp >= 0xffffff;
  const header = Buffer.alloc(12 + (extended ? 4 : 0));
  header[0] = message.cid;
  header.writeUIntBE(extended ? 0xffffff : message.timestamp, 1, 3);
  header.writeUIntBE(declared, 4, 3);
  header[7] = message.type;
  header.writeUInt32LE(1, 8);
  if (extended) header.writeUInt32BE(message.timestamp, 12);
  const out: Buffer[] = [];
  for (let at = 0; at === 0 || at < message.payload.length; at += chunkSize) {
    const continuation = Buffer.from([0xc0 | message.cid]);
    const ts = extended ? Buffer.alloc(4) : Buffer.alloc(0);
    if (extended) ts.writeUInt32BE(message.timestamp);
    out.push(
      Buffer.concat([
        at === 0 ? header : Buffer.concat([continuation, ts]),
        message.payload.subarray(at, at + chunkSize),
      ]),
    );
  }
  return out;
}

function control(type: number, value: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(value);
  return Buffer.concat(chunks({ cid: 2, type, timestamp: 0, payload }));
}

function reader(limits: Readonly<RtmpLimits> = PUBLISHING_RTMP_LIMITS) {
  const received: Sent[] = [];
  const chunkReader = new RtmpChunkReader(limits, (message) =>
    received.push({
      cid: message.header.cid,
      type: message.header.type,
      timestamp: message.clock,
      payload: Buffer.from(message.payload),
    }),
  );
  return { chunkReader, received };
}

function bytes(length: number, seed: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) buffer[i] = (i * 31 + seed) & 0xff;
  return buffer;
}

describe('RtmpChunkReader', () => {
  it('reassembles interleaved messages from any split of the stream', () => {
    const video: Sent = { cid: 6, type: 9, timestamp: 0x1234567, payload: bytes(1000, 1) };
    const audio: Sent = { cid: 4, type: 8, timestamp: 40, payload: bytes(300, 2) };
    const empty: Sent = { cid: 5, type: 18, timestamp: 7, payload: Buffer.alloc(0) };
    const [v0, v1, ...vRest] = chunks(video);
    const [a0, ...aRest] = chunks(audio);
    const stream = Buffer.concat([
      v0 as Buffer,
      a0 as Buffer,
      v1 as Buffer,
      ...aRest,
      ...chunks(empty),
      ...vRest,
    ]);
    const whole = reader();
    whole.chunkReader.push(stream);
    const byByte = reader();
    for (const byte of stream) byByte.chunkReader.push(Buffer.from([byte]));
    for (const { received } of [whole, byByte]) {
      expect(received).toEqual([audio, empty, video]);
    }
  });

  it('applies a Set Chunk Size within the cap', () => {
    const { chunkReader, received } = reader();
    const video: Sent = { cid: 6, type: 9, timestamp: 0, payload: bytes(10_000, 3) };
    chunkReader.push(Buffer.concat([control(1, 4096), ...chunks(video, 4096)]));
    expect(received).toEqual([video]);
  });

  it.each([0, 65_537, 0x7fffffff, 0xffffffff])('refuses a chunk size of %i', (size) => {
    expect(() => reader().chunkReader.push(control(1, size))).toThrow(RtmpLimitError);
  });

  it('refuses a declared message over the cap from its header, before any payload', () => {
    const declare = (limits: Readonly<RtmpLimits>, type: number, length: number) => {
      const { chunkReader } = reader(limits);
      const header = chunks({ cid: 6, type, timestamp: 0, payload: Buffer.alloc(0) }, 128, length);
      expect(() => chunkReader.push(header[0] as Buffer)).toThrow(RtmpLimitError);
      expect(chunkReader.bufferedBytes).toBe(0);
    };
    declare(UNAUTHENTICATED_RTMP_LIMITS, 9, 0xffffff);
    declare(UNAUTHENTICATED_RTMP_LIMITS, 20, 64 * 1024 + 1);
    declare(PUBLISHING_RTMP_LIMITS, 9, 8 * 1024 * 1024 + 1);
    declare(PUBLISHING_RTMP_LIMITS, 20, 64 * 1024 + 1);
  });

  it('buffers the bytes that arrived, not the size a header declared', () => {
    const { chunkReader, received } = reader();
    const video: Sent = { cid: 6, type: 9, timestamp: 0, payload: bytes(8 * 1024 * 1024, 4) };
    const sent = chunks(video, 4096);
    chunkReader.push(control(1, 4096));
    const base = chunkReader.bufferedBytes; // the Set Chunk Size message's 4 bytes
    chunkReader.push(sent[0] as Buffer);
    expect(chunkReader.bufferedBytes - base).toBe(4096);
    for (const chunk of sent.slice(1, 256)) chunkReader.push(chunk);
    // 1 MiB arrived: the buffer is at most twice that (it doubles as bytes come).
    expect(chunkReader.bufferedBytes - base).toBeLessThanOrEqual(2 * 1024 * 1024);
    for (const chunk of sent.slice(256)) chunkReader.push(chunk);
    expect(received.length).toBe(1);
    expect(received[0]?.payload.equals(video.payload)).toBe(true);
    expect(chunkReader.bufferedBytes - base).toBe(8 * 1024 * 1024);
  });

  it('caps the bytes buffered for one connection', () => {
    const { chunkReader } = reader({ ...PUBLISHING_RTMP_LIMITS, maxBufferedBytes: 1000 });
    const first = chunks({ cid: 4, type: 9, timestamp: 0, payload: bytes(900, 5) });
    const second = chunks({ cid: 6, type: 9, timestamp: 0, payload: bytes(900, 6) });
    for (const chunk of first.slice(0, 7)) chunkReader.push(chunk);
    expect(() => {
      for (const chunk of second) chunkReader.push(chunk);
    }).toThrow(/bytes buffered/);
  });

  it('caps the chunk streams and the messages under way', () => {
    const partial = (cid: number) =>
      chunks({ cid, type: 20, timestamp: 0, payload: bytes(1000, cid) })[0] as Buffer;
    const complete = (cid: number) =>
      Buffer.concat(chunks({ cid, type: 20, timestamp: 0, payload: bytes(10, cid) }));

    const underWay = reader(UNAUTHENTICATED_RTMP_LIMITS).chunkReader;
    for (let cid = 3; cid < 7; cid++) underWay.push(partial(cid));
    expect(() => underWay.push(partial(7))).toThrow(/4 messages under way/);

    const streams = reader(UNAUTHENTICATED_RTMP_LIMITS).chunkReader;
    for (let cid = 3; cid < 11; cid++) streams.push(complete(cid));
    expect(() => streams.push(complete(11))).toThrow(/8 chunk streams/);
  });

  it('frees an aborted message', () => {
    const { chunkReader, received } = reader({
      ...UNAUTHENTICATED_RTMP_LIMITS,
      maxPartialMessages: 1,
    });
    const first = chunks({ cid: 3, type: 20, timestamp: 0, payload: bytes(1000, 7) });
    const next: Sent = { cid: 5, type: 20, timestamp: 0, payload: bytes(10, 8) };
    chunkReader.push(first[0] as Buffer);
    chunkReader.push(control(2, 3));
    chunkReader.push(Buffer.concat(chunks(next)));
    expect(received).toEqual([next]);
  });

  it('refuses a new message, or a changed one, on a chunk stream with a message under way', () => {
    const sent = chunks({ cid: 6, type: 9, timestamp: 0, payload: bytes(1000, 9) });
    const restart = reader();
    restart.chunkReader.push(sent[0] as Buffer);
    expect(() => restart.chunkReader.push(sent[0] as Buffer)).toThrow(/before finishing/);

    const changed = reader();
    changed.chunkReader.push(sent[0] as Buffer);
    const type1 = Buffer.alloc(8);
    type1[0] = 0x40 | 6;
    type1.writeUIntBE(2000, 4, 3);
    type1[7] = 9;
    expect(() => changed.chunkReader.push(type1)).toThrow(/changed a message/);
  });
});
