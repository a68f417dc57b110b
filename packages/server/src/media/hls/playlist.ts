/** Timing of a rendition's LL-HLS output. */
export interface LlHlsTiming {
  /** Segment duration aimed for, seconds (segments are cut at keyframes). */
  segmentTarget: number;
  /** Part duration advertised as PART-TARGET, seconds. */
  partTarget: number;
  /** Seconds of the live playlist (the DVR window). The recording keeps everything. */
  windowSeconds: number;
}

/** Options of a media playlist render. */
export interface RenderOptions {
  /** `_HLS_skip=YES`: a delta update (EXT-X-SKIP) when the playlist is long enough. */
  skip?: boolean;
  /** Appended to every URI (e.g. `?token=…` for private streams). */
  query?: string;
  /** The other renditions, for EXT-X-RENDITION-REPORT (faster switches). */
  reports?: ReadonlyArray<{ uri: string; newest: { msn: number; part: number } | undefined }>;
}

/**
 * Parts are listed for the last this many entries (the open segment
 * included): enough for PART-HOLD-BACK, and what strict parsers accept for
 * "within three target durations of the end".
 */
const PART_LISTED_SEGMENTS = 3;

const fixed = (seconds: number) => seconds.toFixed(5).replace(/0+$/, '').replace(/\.$/, '');

/** A part as a playlist lists it. */
export interface PlaylistPart {
  duration: number;
  independent: boolean;
  /** Nothing starts in the part (a long frame spans it): GAP=YES. */
  gap?: boolean;
}

/** A segment as a playlist lists it. */
export interface PlaylistSegment {
  msn: number;
  duration: number;
  /** Index of the init segment (EXT-X-MAP) this segment needs. */
  init: number;
  discontinuity: boolean;
  programDateTime: number;
  /** Listed as EXT-X-PART while kept (recent segments only). */
  parts: readonly PlaylistPart[] | undefined;
}

/** What a rendition's playlists are rendered from. */
export interface PlaylistSource {
  readonly segments: readonly PlaylistSegment[];
  /** The segment being filled, if any. */
  readonly open: PlaylistSegment | undefined;
  readonly ended: boolean;
  readonly targetDuration: number;
  readonly timing: LlHlsTiming;
}

/** A rendition's live media playlist (DVR window, parts, preload hint, server control). */
export function livePlaylist(rendition: PlaylistSource, options: RenderOptions = {}): string {
  const { segments, open, ended } = rendition;
  const query = options.query ?? '';
  const target = rendition.targetDuration;
  const { partTarget, windowSeconds } = rendition.timing;
  const skipUntil = target * 6;
  let first = segments.length;
  let windowDuration = 0;
  while (first > 0 && windowDuration < windowSeconds) {
    first--;
    windowDuration += segments[first]?.duration ?? 0;
  }
  const listed = segments.slice(first);
  let skipped = 0;
  if (options.skip) {
    let tail = 0;
    for (let i = listed.length - 1; i >= 0; i--) {
      tail += listed[i]?.duration ?? 0;
      if (tail > skipUntil) {
        skipped = i + 1;
        break;
      }
    }
  }
  const head = listed[0] ?? open;
  const discontinuitySequence = segments.slice(0, first).filter((s) => s.discontinuity).length;
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:9',
    `#EXT-X-TARGETDURATION:${target}`,
    `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=${fixed(skipUntil)},PART-HOLD-BACK=${fixed(partTarget * 3)},HOLD-BACK=${fixed(target * 3)}`,
    `#EXT-X-PART-INF:PART-TARGET=${fixed(partTarget)}`,
    `#EXT-X-MEDIA-SEQUENCE:${head?.msn ?? 0}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${discontinuitySequence}`,
  ];
  if (skipped > 0) lines.push(`#EXT-X-SKIP:SKIPPED-SEGMENTS=${skipped}`);
  const shown = listed.slice(skipped);
  if (open?.parts?.length) shown.push(open);
  let init = -1;
  for (const [position, segment] of shown.entries()) {
    if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    if (segment.init !== init) {
      init = segment.init;
      lines.push(`#EXT-X-MAP:URI="init-${init}.mp4${query}"`);
    }
    if (position === 0 || segment.discontinuity) {
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.programDateTime).toISOString()}`);
    }
    // A preload hint with no open segment names the next segment's first part: it counts.
    const entries = shown.length + (!ended && !open?.parts?.length ? 1 : 0);
    const listParts = entries - position <= PART_LISTED_SEGMENTS;
    for (const [index, part] of (listParts ? (segment.parts ?? []) : []).entries()) {
      lines.push(
        `#EXT-X-PART:DURATION=${fixed(part.duration)},URI="${segment.msn}.${index}.m4s${query}"${part.independent ? ',INDEPENDENT=YES' : ''}${part.gap ? ',GAP=YES' : ''}`,
      );
    }
    if (segment !== open) {
      lines.push(`#EXTINF:${fixed(segment.duration)},`, `${segment.msn}.m4s${query}`);
    }
  }
  for (const report of options.reports ?? []) {
    if (!report.newest) continue;
    lines.push(
      `#EXT-X-RENDITION-REPORT:URI="${report.uri}${query}",LAST-MSN=${report.newest.msn},LAST-PART=${report.newest.part}`,
    );
  }
  if (ended) {
    lines.push('#EXT-X-ENDLIST');
  } else {
    const hint = open
      ? `${open.msn}.${open.parts?.length ?? 0}`
      : `${(segments.at(-1)?.msn ?? -1) + 1}.0`;
    lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${hint}.m4s${query}"`);
  }
  return `${lines.join('\n')}\n`;
}

/** A rendition's VOD playlist: every segment, no parts. */
export function vodPlaylist(
  rendition: Pick<PlaylistSource, 'segments' | 'targetDuration'>,
): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${rendition.targetDuration}`,
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-MEDIA-SEQUENCE:0',
  ];
  let init = -1;
  let expected = 0;
  for (const [position, segment] of rendition.segments.entries()) {
    if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    if (segment.init !== init) {
      init = segment.init;
      lines.push(`#EXT-X-MAP:URI="init-${init}.mp4"`);
    }
    // When each run of the recording was live (replay with chat maps on it; players show it):
    // at its start, after a discontinuity, and where the clock jumped (an encoder that stalled).
    const dated = segment.programDateTime > 0;
    const jumped = dated && Math.abs(segment.programDateTime - expected) > 1000;
    if (dated && (position === 0 || segment.discontinuity || jumped)) {
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.programDateTime).toISOString()}`);
    }
    expected = (dated ? segment.programDateTime : expected) + segment.duration * 1000;
    lines.push(`#EXTINF:${fixed(segment.duration)},`, `${segment.msn}.m4s`);
  }
  lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

/** What the master playlist says about one rendition. */
export interface MasterEntry {
  uri: string;
  bandwidth: number;
  averageBandwidth?: number | undefined;
  codecs: string[];
  width: number;
  height: number;
  frameRate: number;
}

/**
 * The variants in the order players read them: players (hls.js, Safari)
 * start on the first one listed, so the middle rung comes first (a start
 * that neither stalls a slow viewer nor looks poor to a fast one), then the
 * rest from the highest down.
 */
export function startingOrder<T extends { bandwidth: number }>(entries: readonly T[]): T[] {
  const byBandwidth = [...entries].sort((a, b) => b.bandwidth - a.bandwidth);
  // Three rungs start on the second, four on the second, two on the top one.
  const middle = byBandwidth.splice(Math.floor((byBandwidth.length - 1) / 2), 1);
  return [...middle, ...byBandwidth];
}

/** The frame rates cameras and encoders run at (NTSC's 1000/1001 ones included). */
const NOMINAL_FRAME_RATES = [24000 / 1001, 24, 25, 30000 / 1001, 30, 48, 50, 60000 / 1001, 60];

/**
 * A measured frame rate as FRAME-RATE states it: the nominal rate it is
 * within 0.2 % of (a 30 fps camera measures 29.995 one moment and 30.005
 * the next, and a master playlist should not change with that), else the
 * measure to three decimals.
 */
export function nominalFrameRate(measured: number): number {
  const distance = (rate: number) => Math.abs(measured - rate);
  const nearest = NOMINAL_FRAME_RATES.reduce((a, b) => (distance(b) < distance(a) ? b : a));
  const rate = distance(nearest) <= nearest * 0.002 ? nearest : measured;
  return Math.round(rate * 1000) / 1000;
}

/** Options of {@link masterPlaylist}. */
export interface MasterOptions {
  /**
   * Every segment of every rendition starts with a keyframe (the packager
   * asks the publisher for one before a segment is due, and the part cutter
   * ends segments only there): EXT-X-INDEPENDENT-SEGMENTS. False once a
   * segment had to be cut without one. Default true.
   */
  independentSegments?: boolean;
}

/**
 * A master playlist with BANDWIDTH, CODECS, RESOLUTION and FRAME-RATE, in
 * {@link startingOrder}.
 */
export function masterPlaylist(
  entries: readonly MasterEntry[],
  { independentSegments = true }: MasterOptions = {},
): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7'];
  if (independentSegments) lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
  for (const e of startingOrder(entries)) {
    const attributes = [`BANDWIDTH=${e.bandwidth}`];
    if (e.averageBandwidth) attributes.push(`AVERAGE-BANDWIDTH=${e.averageBandwidth}`);
    attributes.push(`CODECS="${e.codecs.join(',')}"`);
    if (e.width && e.height) attributes.push(`RESOLUTION=${e.width}x${e.height}`);
    if (e.frameRate) attributes.push(`FRAME-RATE=${e.frameRate.toFixed(3)}`);
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, e.uri);
  }
  return `${lines.join('\n')}\n`;
}
