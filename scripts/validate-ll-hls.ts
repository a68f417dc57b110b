import { parse, setOptions, type types } from 'hls-parser';

setOptions({ strictMode: true, silent: true });

/**
 * Parses a master playlist strictly and checks that every variant carries
 * what players need to choose between them.
 */
export function validateMaster(text: string): types.MasterPlaylist {
  const playlist = parse(text);
  if (!playlist.isMasterPlaylist) throw new Error('Not a master playlist');
  if (playlist.variants.length === 0) throw new Error('Master playlist has no variants');
  if (!playlist.independentSegments)
    throw new Error('Master playlist lacks EXT-X-INDEPENDENT-SEGMENTS');
  for (const v of playlist.variants) {
    const problems = [
      !(v.bandwidth > 0) && 'BANDWIDTH',
      !v.codecs && 'CODECS',
      !v.resolution && 'RESOLUTION',
      !(v.frameRate && v.frameRate > 0) && 'FRAME-RATE',
    ].filter(Boolean);
    if (problems.length) throw new Error(`Variant ${v.uri} lacks ${problems.join(', ')}`);
  }
  return playlist as types.MasterPlaylist;
}

/** Options of {@link validateLlHlsMedia}. */
export interface ValidateOptions {
  /** A VOD playlist (no LL-HLS tags required) when false. Default true. */
  live?: boolean;
}

/**
 * Parses a live Low-Latency HLS media playlist strictly (hls-parser's
 * strict mode checks tag syntax and placement) and then checks the
 * LL-HLS rules of RFC 8216bis that the parser leaves alone: server control,
 * part and segment durations against their targets, parts adding up to
 * their segment, the preload hint naming the next part, keyframes at the
 * start of each segment. Returns the playlist; throws on the first problem.
 */
export function validateLlHlsMedia(
  text: string,
  { live = true }: ValidateOptions = {},
): types.MediaPlaylist {
  let playlist: ReturnType<typeof parse>;
  try {
    playlist = parse(text);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- playlist ---\n${text}`);
  }
  if (playlist.isMasterPlaylist) throw new Error('Not a media playlist');
  const media = playlist as types.MediaPlaylist;
  const fail = (message: string): never => {
    throw new Error(`${message}\n--- playlist ---\n${text}`);
  };
  const target = media.targetDuration;
  for (const segment of media.segments) {
    if (segment.uri && Math.round(segment.duration) > target) {
      fail(`Segment ${segment.uri} (${segment.duration}s) exceeds TARGETDURATION ${target}`);
    }
    // The open segment (parts only) inherits its map like any other; hls-parser leaves it unset.
    if (segment.uri && !segment.map?.uri)
      fail(`Segment ${segment.mediaSequenceNumber} has no EXT-X-MAP`);
  }
  if (!live) {
    if (!media.endlist) fail('VOD playlist lacks EXT-X-ENDLIST');
    return media;
  }
  const control = media.lowLatencyCompatibility;
  const partTarget = media.partTargetDuration;
  if (!control?.canBlockReload) fail('EXT-X-SERVER-CONTROL lacks CAN-BLOCK-RELOAD=YES');
  if (!partTarget) fail('EXT-X-PART-INF is missing');
  const pt = partTarget as number;
  if (!(control && control.partHoldBack >= 2 * pt)) fail('PART-HOLD-BACK is under 2 × PART-TARGET');
  if (!(control && control.holdBack >= 3 * target)) fail('HOLD-BACK is under 3 × TARGETDURATION');
  if (!(control && control.canSkipUntil >= 6 * target))
    fail('CAN-SKIP-UNTIL is under 6 × TARGETDURATION');
  const withParts = media.segments.filter((s) => s.parts.length > 0);
  if (withParts.length === 0) fail('No EXT-X-PART is listed');
  let previous = -1;
  for (const segment of media.segments) {
    const msn = segment.mediaSequenceNumber;
    if (previous >= 0 && msn !== previous + 1)
      fail(`Media sequence jumps from ${previous} to ${msn}`);
    previous = msn;
    if (segment.uri && segment.uri !== `${msn}.m4s` && !segment.uri.startsWith(`${msn}.m4s?`)) {
      fail(`Segment URI ${segment.uri} does not match its media sequence number ${msn}`);
    }
    // hls-parser lists the preload hint among the open segment's parts: leave it out.
    const parts = segment.parts.filter((p) => !p.hint);
    parts.forEach((part, i) => {
      const duration = part.duration ?? 0;
      if (duration > pt + 1e-6) fail(`Part ${part.uri} (${duration}s) exceeds PART-TARGET ${pt}`);
      const isLast = i === parts.length - 1;
      // RFC 8216bis §4.4.4.9: every part but a segment's last is at least 85% of PART-TARGET.
      if (!isLast && segment.uri && duration < 0.85 * pt - 1e-6) {
        fail(`Part ${part.uri} (${duration}s) is under 85% of PART-TARGET`);
      }
      if (!part.uri.startsWith(`${msn}.${i}.m4s`))
        fail(`Part URI ${part.uri} is not ${msn}.${i}.m4s`);
    });
    if (parts.length > 0 && !parts[0]?.independent) {
      fail(`Segment ${msn} does not start with an independent part`);
    }
    if (segment.uri && parts.length > 0) {
      const sum = parts.reduce((s, p) => s + (p.duration ?? 0), 0);
      if (Math.abs(sum - segment.duration) > 0.002) {
        fail(`Parts of segment ${msn} add up to ${sum}s, EXTINF says ${segment.duration}s`);
      }
    }
  }
  if (!text.includes('#EXT-X-PRELOAD-HINT:TYPE=PART')) fail('EXT-X-PRELOAD-HINT is missing');
  const hint = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="(\d+)\.(\d+)\.m4s/.exec(text);
  const last = media.segments.at(-1);
  if (hint && last) {
    const [msn, part] = [Number(hint[1]), Number(hint[2])];
    const expected = last.uri
      ? [last.mediaSequenceNumber + 1, 0]
      : [last.mediaSequenceNumber, last.parts.filter((p) => !p.hint).length];
    if (msn !== expected[0] || part !== expected[1]) {
      fail(`Preload hint ${msn}.${part} is not the next part ${expected.join('.')}`);
    }
  }
  return media;
}
