/*
 * Just enough ISO BMFF (fragmented MP4) reading for the HLS packager: split
 * ffmpeg's fMP4 output into the init segment and fragments, and read from
 * them what a playlist needs (codecs, resolution, timescales, fragment
 * durations, whether a fragment starts with a keyframe).
 */

/** A track described by an init segment. */
export interface Fmp4Track {
  id: number;
  kind: 'video' | 'audio';
  timescale: number;
  /** RFC 6381 codec string, e.g. `avc1.64001f` or `mp4a.40.2`. */
  codec: string;
  width: number;
  height: number;
}

/** One fragment (moof + mdat): an LL-HLS part. */
export interface Fmp4Fragment {
  data: Buffer;
  /** Duration in seconds, from the video track (or the first track without video). */
  duration: number;
  /** Decode time of the first sample, in seconds. */
  startTime: number;
  /** Whether the fragment starts with a sync sample (a keyframe). */
  independent: boolean;
  /** Video frames in the fragment (0 without video). */
  videoFrames: number;
}

/** Error for input that is not the fMP4 we expect. */
export class Fmp4Error extends Error {
  override readonly name = 'Fmp4Error';
}

interface Box {
  type: string;
  /** Start of the payload (after the header). */
  start: number;
  end: number;
}

const SAMPLE_IS_NON_SYNC = 0x0001_0000;
/** No fragment of a live rendition comes near this; a bigger size means garbage. */
const MAX_BOX_BYTES = 64 * 1024 * 1024;

function boxesIn(data: Buffer, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let offset = start;
  while (offset + 8 <= end) {
    let size = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    let header = 8;
    if (size === 1) {
      size = Number(data.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < header || offset + size > end) throw new Fmp4Error(`Truncated ${type} box`);
    boxes.push({ type, start: offset + header, end: offset + size });
    offset += size;
  }
  return boxes;
}

function child(data: Buffer, parent: Box, type: string): Box | undefined {
  return boxesIn(data, parent.start, parent.end).find((b) => b.type === type);
}

function path(data: Buffer, parent: Box, ...types: string[]): Box | undefined {
  let box: Box | undefined = parent;
  for (const type of types) {
    if (!box) return undefined;
    box = child(data, box, type);
  }
  return box;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** The RFC 6381 codec string of a sample entry (`avc1`, `hvc1`, `av01`, `mp4a`, `Opus`). */
function codecOf(data: Buffer, entry: Box): string {
  const type = data.toString('latin1', entry.start - 4, entry.start);
  // Visual sample entries have 78 bytes of fields before their child boxes, audio 28.
  const visual = type === 'avc1' || type === 'avc3' || type === 'hvc1' || type === 'av01';
  const children = boxesIn(data, entry.start + (visual ? 78 : 28), entry.end);
  const config = (name: string) => children.find((b) => b.type === name);
  if (type === 'avc1' || type === 'avc3') {
    const avcC = config('avcC');
    if (!avcC) return type;
    return `${type}.${hex(data[avcC.start + 1] ?? 0)}${hex(data[avcC.start + 2] ?? 0)}${hex(data[avcC.start + 3] ?? 0)}`;
  }
  if (type === 'av01') {
    const av1C = config('av1C');
    if (!av1C) return type;
    const b1 = data[av1C.start + 1] ?? 0;
    const b2 = data[av1C.start + 2] ?? 0;
    const profile = b1 >> 5;
    const level = b1 & 0x1f;
    const tier = b2 >> 7 ? 'H' : 'M';
    const bitDepth = b2 & 0x40 ? (profile === 2 && b2 & 0x20 ? 12 : 10) : 8;
    return `av01.${profile}.${String(level).padStart(2, '0')}${tier}.${String(bitDepth).padStart(2, '0')}`;
  }
  if (type === 'mp4a') {
    // esds: find the DecoderSpecificInfo (tag 5); its first 5 bits are the audio object type.
    const esds = config('esds');
    if (esds) {
      for (let i = esds.start + 4; i < esds.end - 2; i++) {
        if (data[i] === 0x04 && data[i + 1] !== undefined) {
          // DecoderConfigDescriptor: skip the size bytes to the object type indication.
          let j = i + 1;
          while ((data[j] ?? 0) & 0x80) j++;
          const objectType = data[j + 1] ?? 0x40;
          let k = j + 14;
          if (data[k] === 0x05) {
            k++;
            while ((data[k] ?? 0) & 0x80) k++;
            const audioObjectType = (data[k + 1] ?? 0x10) >> 3;
            return `mp4a.${hex(objectType)}.${audioObjectType}`;
          }
          return `mp4a.${hex(objectType)}.2`;
        }
      }
    }
    return 'mp4a.40.2';
  }
  if (type === 'Opus') return 'opus';
  return type;
}

/** Reads the tracks of an init segment (ftyp + moov). */
export function parseInit(data: Buffer): Fmp4Track[] {
  const moov = boxesIn(data, 0, data.length).find((b) => b.type === 'moov');
  if (!moov) throw new Fmp4Error('Init segment has no moov box');
  const tracks: Fmp4Track[] = [];
  for (const trak of boxesIn(data, moov.start, moov.end).filter((b) => b.type === 'trak')) {
    const tkhd = child(data, trak, 'tkhd');
    const mdhd = path(data, trak, 'mdia', 'mdhd');
    const hdlr = path(data, trak, 'mdia', 'hdlr');
    const stsd = path(data, trak, 'mdia', 'minf', 'stbl', 'stsd');
    if (!tkhd || !mdhd || !hdlr || !stsd) throw new Fmp4Error('Incomplete trak box');
    const handler = data.toString('latin1', hdlr.start + 8, hdlr.start + 12);
    if (handler !== 'vide' && handler !== 'soun') continue;
    const tkhdV1 = data[tkhd.start] === 1;
    const mdhdV1 = data[mdhd.start] === 1;
    const entry = boxesIn(data, stsd.start + 8, stsd.end)[0];
    if (!entry) throw new Fmp4Error('stsd has no sample entry');
    tracks.push({
      id: data.readUInt32BE(tkhd.start + (tkhdV1 ? 20 : 12)),
      kind: handler === 'vide' ? 'video' : 'audio',
      timescale: data.readUInt32BE(mdhd.start + (mdhdV1 ? 20 : 12)),
      codec: codecOf(data, entry),
      width: data.readUInt32BE(tkhd.end - 8) >>> 16,
      height: data.readUInt32BE(tkhd.end - 4) >>> 16,
    });
  }
  if (tracks.length === 0) throw new Fmp4Error('Init segment has no audio or video track');
  return tracks;
}

interface TrackRun {
  trackId: number;
  baseDecodeTime: number;
  duration: number;
  samples: number;
  firstSampleSync: boolean;
}

function readTraf(data: Buffer, traf: Box): TrackRun {
  const tfhd = child(data, traf, 'tfhd');
  if (!tfhd) throw new Fmp4Error('traf has no tfhd');
  const tfhdFlags = data.readUInt32BE(tfhd.start) & 0xffffff;
  const trackId = data.readUInt32BE(tfhd.start + 4);
  let offset = tfhd.start + 8;
  if (tfhdFlags & 0x1) offset += 8;
  if (tfhdFlags & 0x2) offset += 4;
  let defaultDuration = 0;
  let defaultFlags = 0;
  if (tfhdFlags & 0x8) {
    defaultDuration = data.readUInt32BE(offset);
    offset += 4;
  }
  if (tfhdFlags & 0x10) offset += 4;
  if (tfhdFlags & 0x20) defaultFlags = data.readUInt32BE(offset);

  const tfdt = child(data, traf, 'tfdt');
  let baseDecodeTime = 0;
  if (tfdt) {
    baseDecodeTime =
      data[tfdt.start] === 1
        ? Number(data.readBigUInt64BE(tfdt.start + 4))
        : data.readUInt32BE(tfdt.start + 4);
  }

  let duration = 0;
  let samples = 0;
  let firstSampleFlags: number | undefined;
  for (const trun of boxesIn(data, traf.start, traf.end).filter((b) => b.type === 'trun')) {
    const flags = data.readUInt32BE(trun.start) & 0xffffff;
    const count = data.readUInt32BE(trun.start + 4);
    let cursor = trun.start + 8;
    if (flags & 0x1) cursor += 4;
    if (flags & 0x4) {
      if (firstSampleFlags === undefined) firstSampleFlags = data.readUInt32BE(cursor);
      cursor += 4;
    }
    for (let i = 0; i < count; i++) {
      let sampleDuration = defaultDuration;
      if (flags & 0x100) {
        sampleDuration = data.readUInt32BE(cursor);
        cursor += 4;
      }
      if (flags & 0x200) cursor += 4;
      if (flags & 0x400) {
        if (firstSampleFlags === undefined && samples === 0) {
          firstSampleFlags = data.readUInt32BE(cursor);
        }
        cursor += 4;
      }
      if (flags & 0x800) cursor += 4;
      if (cursor > trun.end) throw new Fmp4Error('Truncated trun box');
      duration += sampleDuration;
      samples++;
    }
  }
  const first = firstSampleFlags ?? defaultFlags;
  return {
    trackId,
    baseDecodeTime,
    duration,
    samples,
    firstSampleSync: (first & SAMPLE_IS_NON_SYNC) === 0,
  };
}

/** Reads a fragment (moof followed by its mdat) against the init segment's tracks. */
export function parseFragment(data: Buffer, tracks: readonly Fmp4Track[]): Fmp4Fragment {
  const moof = boxesIn(data, 0, data.length).find((b) => b.type === 'moof');
  if (!moof) throw new Fmp4Error('Fragment has no moof box');
  const runs = boxesIn(data, moof.start, moof.end)
    .filter((b) => b.type === 'traf')
    .map((traf) => readTraf(data, traf));
  const video = tracks.find((t) => t.kind === 'video');
  const timing = (video && runs.find((r) => r.trackId === video.id)) ?? runs[0];
  const track = tracks.find((t) => t.id === timing?.trackId);
  if (!timing || !track) throw new Fmp4Error('Fragment has no known track');
  return {
    data,
    duration: timing.duration / track.timescale,
    startTime: timing.baseDecodeTime / track.timescale,
    // Without video samples a fragment cannot start a picture when the rendition has video.
    independent: track.kind === 'audio' ? !video : timing.firstSampleSync,
    videoFrames: track.kind === 'video' ? timing.samples : 0,
  };
}

/**
 * Splits a live fMP4 byte stream into top-level units: the init segment
 * (everything before the first moof) and each fragment (a moof and the
 * boxes up to the next moof, i.e. its mdat).
 */
export class Fmp4Splitter {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Buffer[] = [];
  private initDone = false;

  constructor(
    private readonly onInit: (init: Buffer) => void,
    private readonly onFragment: (fragment: Buffer) => void,
  ) {}

  /** Feeds bytes as they arrive. Throws {@link Fmp4Error} on garbage. */
  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    while (this.buffer.length - offset >= 8) {
      let size = this.buffer.readUInt32BE(offset);
      const type = this.buffer.toString('latin1', offset + 4, offset + 8);
      if (size === 1) {
        if (this.buffer.length - offset < 16) break;
        size = Number(this.buffer.readBigUInt64BE(offset + 8));
      }
      if (size < 8 || size > MAX_BOX_BYTES || !/^[\x20-\x7e]{4}$/.test(type)) {
        throw new Fmp4Error(`Not an MP4 box stream (box "${type}", size ${size})`);
      }
      if (this.buffer.length - offset < size) break;
      this.box(type, this.buffer.subarray(offset, offset + size));
      offset += size;
    }
    this.buffer = offset === this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(offset);
  }

  private box(type: string, bytes: Buffer): void {
    if (type === 'moof') {
      this.flush();
      this.pending = [bytes];
      return;
    }
    this.pending.push(bytes);
    // A fragment is complete with its mdat: hand it on without waiting for the next moof.
    if (type === 'mdat' && this.initDone) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const unit = Buffer.concat(this.pending);
    this.pending = [];
    if (!this.initDone) {
      this.initDone = true;
      this.onInit(unit);
    } else {
      this.onFragment(unit);
    }
  }
}
