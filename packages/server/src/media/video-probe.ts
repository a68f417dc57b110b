/*
 * The source's resolution, read from its RTP packets before ffmpeg starts, so
 * the ladder never goes above the source: the H.264 sequence parameter set
 * (ITU-T H.264 §7.3.2.1.1) or the VP8 key frame header (RFC 6386 §9.1).
 */

/** Width and height of a video source. */
export interface VideoSize {
  width: number;
  height: number;
}

class BitReader {
  private bit = 0;
  constructor(private readonly data: Uint8Array) {}

  u(n: number): number {
    let value = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.data[this.bit >> 3];
      if (byte === undefined) throw new RangeError('SPS ends early');
      value = value * 2 + ((byte >> (7 - (this.bit & 7))) & 1);
      this.bit++;
    }
    return value;
  }

  /** Unsigned exp-Golomb. */
  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) {
      zeros++;
      if (zeros > 31) throw new RangeError('Bad exp-Golomb code');
    }
    return 2 ** zeros - 1 + this.u(zeros);
  }

  se(): number {
    const k = this.ue();
    return k % 2 === 0 ? -(k / 2) : (k + 1) / 2;
  }
}

/** Removes emulation prevention bytes (00 00 03 → 00 00). */
function rbsp(nal: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < nal.length; i++) {
    const byte = nal[i] ?? 0;
    if (byte === 3 && i >= 2 && nal[i - 1] === 0 && nal[i - 2] === 0) continue;
    out.push(byte);
  }
  return Uint8Array.from(out);
}

function skipScalingList(reader: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + reader.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** Reads the picture size from an H.264 SPS NAL unit (with its one-byte header). */
export function h264SpsSize(nal: Uint8Array): VideoSize | undefined {
  try {
    const reader = new BitReader(rbsp(nal.subarray(1)));
    const profile = reader.u(8);
    reader.u(16); // constraint flags, level
    reader.ue(); // seq_parameter_set_id
    let chromaFormat = 1;
    if ([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].includes(profile)) {
      chromaFormat = reader.ue();
      if (chromaFormat === 3) reader.u(1);
      reader.ue(); // bit depth luma
      reader.ue(); // bit depth chroma
      reader.u(1);
      if (reader.u(1)) {
        for (let i = 0; i < (chromaFormat === 3 ? 12 : 8); i++) {
          if (reader.u(1)) skipScalingList(reader, i < 6 ? 16 : 64);
        }
      }
    }
    reader.ue(); // log2_max_frame_num
    const pocType = reader.ue();
    if (pocType === 0) {
      reader.ue();
    } else if (pocType === 1) {
      reader.u(1);
      reader.se();
      reader.se();
      const cycle = reader.ue();
      for (let i = 0; i < cycle; i++) reader.se();
    }
    reader.ue(); // max_num_ref_frames
    reader.u(1);
    const widthMbs = reader.ue() + 1;
    const heightMapUnits = reader.ue() + 1;
    const frameMbsOnly = reader.u(1);
    if (!frameMbsOnly) reader.u(1);
    reader.u(1);
    let [left, right, top, bottom] = [0, 0, 0, 0];
    if (reader.u(1)) {
      left = reader.ue();
      right = reader.ue();
      top = reader.ue();
      bottom = reader.ue();
    }
    const cropX = chromaFormat === 0 ? 1 : chromaFormat === 3 ? 1 : 2;
    const cropY = (chromaFormat === 1 ? 2 : 1) * (2 - frameMbsOnly);
    return {
      width: widthMbs * 16 - cropX * (left + right),
      height: (2 - frameMbsOnly) * heightMapUnits * 16 - cropY * (top + bottom),
    };
  } catch {
    return undefined;
  }
}

/** Finds an SPS in one H.264 RTP payload (RFC 6184: single NAL, STAP-A, FU-A start). */
export function h264RtpSize(payload: Uint8Array): VideoSize | undefined {
  const type = (payload[0] ?? 0) & 0x1f;
  if (type === 7) return h264SpsSize(payload);
  if (type === 24) {
    let offset = 1;
    while (offset + 2 < payload.length) {
      const size = ((payload[offset] ?? 0) << 8) | (payload[offset + 1] ?? 0);
      const nal = payload.subarray(offset + 2, offset + 2 + size);
      if (((nal[0] ?? 0) & 0x1f) === 7) return h264SpsSize(nal);
      offset += 2 + size;
    }
  }
  if (type === 28 && (payload[1] ?? 0) & 0x80 && ((payload[1] ?? 0) & 0x1f) === 7) {
    // An SPS split over fragments is unusual; the start usually holds the size fields.
    const header = ((payload[0] ?? 0) & 0xe0) | ((payload[1] ?? 0) & 0x1f);
    return h264SpsSize(Uint8Array.from([header, ...payload.subarray(2)]));
  }
  return undefined;
}

/** Reads the size from a VP8 RTP payload that starts a key frame (RFC 7741 descriptor). */
export function vp8RtpSize(payload: Uint8Array): VideoSize | undefined {
  const first = payload[0] ?? 0;
  const start = (first & 0x10) !== 0;
  const partition = first & 0x0f;
  if (!start || partition !== 0) return undefined;
  let offset = 1;
  if (first & 0x80) {
    const ext = payload[offset++] ?? 0;
    if (ext & 0x80) offset += (payload[offset] ?? 0) & 0x80 ? 2 : 1;
    if (ext & 0x40) offset++;
    if (ext & 0x30) offset++;
  }
  const frame = payload.subarray(offset);
  if (frame.length < 10 || ((frame[0] ?? 1) & 1) !== 0) return undefined;
  if (frame[3] !== 0x9d || frame[4] !== 0x01 || frame[5] !== 0x2a) return undefined;
  return {
    width: (((frame[7] ?? 0) << 8) | (frame[6] ?? 0)) & 0x3fff,
    height: (((frame[9] ?? 0) << 8) | (frame[8] ?? 0)) & 0x3fff,
  };
}

/** The size reader for a codec's RTP payloads. */
export function rtpSizeReader(mimeType: string): (payload: Uint8Array) => VideoSize | undefined {
  if (/h264/i.test(mimeType)) return h264RtpSize;
  if (/vp8/i.test(mimeType)) return vp8RtpSize;
  return () => undefined;
}

/** H.264 parameter sets (SPS, type 7; PPS, type 8) carried in one RTP payload. */
export function h264ParameterSets(payload: Uint8Array): Uint8Array[] {
  const type = (payload[0] ?? 0) & 0x1f;
  if (type === 7 || type === 8) return [payload];
  const sets: Uint8Array[] = [];
  if (type === 24) {
    let offset = 1;
    while (offset + 2 < payload.length) {
      const size = ((payload[offset] ?? 0) << 8) | (payload[offset + 1] ?? 0);
      const nal = payload.subarray(offset + 2, offset + 2 + size);
      const nalType = (nal[0] ?? 0) & 0x1f;
      if (nalType === 7 || nalType === 8) sets.push(nal);
      offset += 2 + size;
    }
  }
  return sets;
}

/**
 * Whether an H.264 RTP payload (RFC 6184) starts a key frame: an IDR slice or
 * an SPS, alone, aggregated in a STAP-A, or at the start of a FU-A.
 */
export function h264StartsKeyframe(payload: Uint8Array): boolean {
  const type = (payload[0] ?? 0) & 0x1f;
  if (type === 5 || type === 7) return true;
  if (type === 24) {
    let offset = 1;
    while (offset + 2 < payload.length) {
      const size = ((payload[offset] ?? 0) << 8) | (payload[offset + 1] ?? 0);
      const nalType = (payload[offset + 2] ?? 0) & 0x1f;
      if (nalType === 5 || nalType === 7) return true;
      offset += 2 + size;
    }
    return false;
  }
  if (type === 28) {
    const fu = payload[1] ?? 0;
    return (fu & 0x80) !== 0 && (fu & 0x1f) === 5;
  }
  return false;
}

/** Whether a VP8 RTP payload (RFC 7741) is the first packet of a key frame. */
export function vp8StartsKeyframe(payload: Uint8Array): boolean {
  const first = payload[0] ?? 0;
  if ((first & 0x10) === 0 || (first & 0x0f) !== 0) return false;
  let offset = 1;
  if (first & 0x80) {
    const ext = payload[offset++] ?? 0;
    if (ext & 0x80) offset += (payload[offset] ?? 0) & 0x80 ? 2 : 1;
    if (ext & 0x40) offset++;
    if (ext & 0x30) offset++;
  }
  // The frame tag's lowest bit is 0 on key frames (RFC 6386 §9.1).
  return offset < payload.length && ((payload[offset] ?? 1) & 1) === 0;
}

/** The key frame detector for a codec's RTP payloads (audio: every packet is a start). */
export function keyframeDetector(mimeType: string): (payload: Uint8Array) => boolean {
  if (/h264/i.test(mimeType)) return h264StartsKeyframe;
  if (/vp8/i.test(mimeType)) return vp8StartsKeyframe;
  return () => true;
}
