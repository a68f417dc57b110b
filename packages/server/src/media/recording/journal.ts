/**
 * The recording's media playlist as it grows: while a stream is live each
 * rendition's `index.m3u8` on disk is an `EVENT` playlist, appended to once
 * a segment's file is written. A server that crashes leaves a playlist that
 * lists every segment on disk; finishing it is appending `#EXT-X-ENDLIST`.
 * When the stream ends it is replaced by the VOD playlist.
 */

/** A segment as the recording's playlist lists it. */
export interface JournalSegment {
  msn: number;
  duration: number;
  /** Index of its init segment (`init-<n>.mp4`). */
  init: number;
  discontinuity: boolean;
  /** Wall-clock time of its first frame, ms since the epoch (0 when unknown). */
  programDateTime: number;
}

/** What a recorded media playlist says. */
export interface RecordedPlaylist {
  targetDuration: number;
  segments: JournalSegment[];
  /** Whether it ends with `#EXT-X-ENDLIST` (a finished recording). */
  ended: boolean;
}

const fixed = (seconds: number) => seconds.toFixed(5).replace(/0+$/, '').replace(/\.$/, '');

/** The head of a growing recording playlist. */
export function journalHeader(targetDuration: number): string {
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${targetDuration}`,
    '#EXT-X-PLAYLIST-TYPE:EVENT',
    '#EXT-X-MEDIA-SEQUENCE:0',
    '',
  ].join('\n');
}

/** The lines of one segment; `previousInit` is the init of the segment before it (-1: none). */
export function journalEntry(segment: JournalSegment, previousInit: number): string {
  const lines: string[] = [];
  if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
  if (segment.init !== previousInit) lines.push(`#EXT-X-MAP:URI="init-${segment.init}.mp4"`);
  if (segment.programDateTime > 0) {
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.programDateTime).toISOString()}`);
  }
  lines.push(`#EXTINF:${fixed(segment.duration)},`, `${segment.msn}.m4s`, '');
  return lines.join('\n');
}

/** A whole playlist: the head, then every segment; `ended` adds `#EXT-X-ENDLIST` (as VOD). */
export function journalText(
  targetDuration: number,
  segments: readonly JournalSegment[],
  ended: boolean,
): string {
  let text = journalHeader(targetDuration);
  if (ended) text = text.replace('PLAYLIST-TYPE:EVENT', 'PLAYLIST-TYPE:VOD');
  let init = -1;
  for (const segment of segments) {
    text += journalEntry(segment, init);
    init = segment.init;
  }
  return ended ? `${text}#EXT-X-ENDLIST\n` : text;
}

/**
 * Reads a recorded media playlist (a growing one or a VOD one). Lines it
 * does not know are skipped; a segment URI that is not `<n>.m4s` is left out.
 */
export function parseRecordedPlaylist(text: string): RecordedPlaylist {
  const segments: JournalSegment[] = [];
  let targetDuration = 0;
  let ended = false;
  let init = 0;
  let discontinuity = false;
  let programDateTime = 0;
  let duration: number | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-TARGETDURATION:')) {
      targetDuration = Number(line.slice('#EXT-X-TARGETDURATION:'.length)) || 0;
    } else if (line === '#EXT-X-DISCONTINUITY') {
      discontinuity = true;
    } else if (line.startsWith('#EXT-X-MAP:')) {
      const match = /URI="init-(\d+)\.mp4(?:\?[^"]*)?"/.exec(line);
      if (match) init = Number(match[1]);
    } else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      programDateTime = Date.parse(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length)) || 0;
    } else if (line.startsWith('#EXTINF:')) {
      const value = Number.parseFloat(line.slice('#EXTINF:'.length));
      duration = Number.isFinite(value) && value >= 0 ? value : undefined;
    } else if (line === '#EXT-X-ENDLIST') {
      ended = true;
    } else if (line && !line.startsWith('#')) {
      const match = /^(\d{1,9})\.m4s(?:\?.*)?$/.exec(line);
      if (match && duration !== undefined) {
        segments.push({ msn: Number(match[1]), duration, init, discontinuity, programDateTime });
      }
      discontinuity = false;
      programDateTime = 0;
      duration = undefined;
    }
  }
  return { targetDuration, segments, ended };
}
