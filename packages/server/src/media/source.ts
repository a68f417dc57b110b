import type { Writable } from 'node:stream';

/** What is known of a source's video before ffmpeg starts. */
export interface SourceVideo {
  /** `h264`, `vp8`, … */
  codec: string;
  width: number;
  height: number;
}

/** What the ladder needs to know about a source before ffmpeg starts. */
export interface SourceDescription {
  video: SourceVideo;
  hasAudio: boolean;
  /** The audio is AAC already (RTMP) and can be copied. */
  audioIsAac: boolean;
}

/** An opened source: ffmpeg's input arguments, and how to stop feeding it. */
export interface OpenedSource {
  input: string[];
  /** For `-i pipe:0` inputs: writes the media to ffmpeg's standard input. */
  feed?: (stdin: Writable) => void;
  close(): void;
}

/**
 * A stream source: a stream's media, however it arrived — RTP from the SFU's
 * producers (browser, WHIP) or an RTMP session. Every ingest makes one; the
 * outputs (the HLS ladder, the recording) consume it. `open` is called again
 * for every ffmpeg (re)start.
 */
export interface StreamSource {
  /** Waits until the source's codec and size are known. */
  describe(signal: AbortSignal): Promise<SourceDescription>;
  open(): Promise<OpenedSource>;
  /** Asks the publisher for a keyframe (RTP sources); no-op otherwise. */
  requestKeyframe(): void;
  /**
   * What the source is made of (its producers' ids, a composition's people):
   * a new source with the key of the one being packaged is that source, and
   * the packager keeps going instead of restarting ffmpeg.
   */
  readonly key?: string | undefined;
  /** Bytes received so far, where the source counts them (encoder sources; RTP is counted by its producers). */
  readonly bytesReceived?: number;
}
