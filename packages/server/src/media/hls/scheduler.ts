import { join } from 'node:path';
import { recoverRecording } from '../recording/recording.js';
import type { StreamSource } from '../source.js';
import type { LadderOptions } from './ladder.js';
import { HlsPackager, type Recording } from './packager.js';
import type { LlHlsTiming } from './playlist.js';

/** Options of {@link HlsScheduler}. */
export interface HlsSchedulerOptions {
  /** Package HLS at all (false without ffmpeg: publishing still works for real-time viewing). */
  enabled: boolean;
  /** Folder of every stream's output (one subfolder each). */
  hlsDir: string;
  ffmpegPath: string;
  timing: LlHlsTiming;
  ladder: LadderOptions;
  x264Preset: string;
  vaapiDevice?: string | undefined;
  /** An ffmpeg before 5.1: see `LadderArgsOptions.legacyVsync`. */
  legacyVsync?: boolean | undefined;
  thumbnailSeconds: number;
  keyframeIntervalMs: number;
  log: (message: string) => void;
  /** A file of a stream's recording could not be written (a full disk, a failed write). */
  onWriteError?: (streamId: string, error: Error) => void;
  /** A stream's ffmpeg exited on its own and is being restarted (metrics). */
  onFfmpegRestart?: ((streamId: string) => void) | undefined;
  /**
   * The tallest rung a stream's ladder may have (its quality preset), asked
   * when its packager is made; undefined: no cap but the presets'.
   */
  maxHeightOf?: ((streamId: string) => Promise<number | undefined>) | undefined;
}

/** The publisher's producers arrive a few ms apart: a source change waits this long to settle. */
const SETTLE_MS = 400;

/**
 * One {@link HlsPackager} per stream, for the stream's lifetime: made when
 * its first source arrives, fed each new source (a discontinuity), left
 * waiting when the source goes, ended with the stream.
 */
export class HlsScheduler {
  private readonly packagers = new Map<string, HlsPackager>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: HlsSchedulerOptions) {}

  /** Where a stream's HLS output (and recording) lives. */
  dirOf(streamId: string): string {
    return join(this.options.hlsDir, streamId);
  }

  /** A stream's live packager, while the stream is live. */
  live(streamId: string): HlsPackager | undefined {
    return this.packagers.get(streamId);
  }

  /** The stream's source changed: after it settles, the packager takes `current()` (or waits). */
  schedule(streamId: string, current: () => StreamSource | undefined): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(streamId));
    const timer = setTimeout(() => {
      this.timers.delete(streamId);
      this.apply(streamId, current).catch((error: unknown) => {
        this.options.log(`[hls ${streamId}] packaging: ${String(error)}`);
        // A folder that cannot be made or written (a full disk): the recording suffers.
        if (error instanceof Error && 'code' in error) this.options.onWriteError?.(streamId, error);
      });
    }, SETTLE_MS);
    timer.unref();
    this.timers.set(streamId, timer);
  }

  private async apply(streamId: string, current: () => StreamSource | undefined): Promise<void> {
    // Checked before the source is made: an RTP source watches its producer's packets.
    if (this.closed || !this.options.enabled) return;
    const source = current();
    let packager = this.packagers.get(streamId);
    if (!source) {
      await packager?.setSource(undefined);
      return;
    }
    if (!packager) {
      const { options } = this;
      const maxHeight = await options.maxHeightOf?.(streamId).catch((error: unknown) => {
        options.log(`[hls ${streamId}] quality preset unknown: ${String(error)}`);
        return undefined;
      });
      if (this.closed) return;
      // Made meanwhile by a change that settled while the preset was read.
      packager = this.packagers.get(streamId);
      if (!packager) {
        packager = this.createPackager(streamId, maxHeight);
        await packager.init();
      }
    }
    await packager.setSource(source);
  }

  private createPackager(streamId: string, maxHeight: number | undefined): HlsPackager {
    const { options } = this;
    const packager = new HlsPackager({
      outDir: this.dirOf(streamId),
      ffmpegPath: options.ffmpegPath,
      timing: options.timing,
      ladder: { ...options.ladder, maxHeight },
      x264Preset: options.x264Preset,
      vaapiDevice: options.vaapiDevice,
      legacyVsync: options.legacyVsync,
      keyframeIntervalMs: options.keyframeIntervalMs,
      thumbnailSeconds: options.thumbnailSeconds,
      log: (message) => options.log(`[hls ${streamId}] ${message}`),
      onWriteError: (error) => options.onWriteError?.(streamId, error),
      onRestart: () => options.onFfmpegRestart?.(streamId),
    });
    this.packagers.set(streamId, packager);
    return packager;
  }

  /**
   * Ends a stream's packaging; the finished recording, if it has any
   * rendition. A stream packaged before the server restarted (no packager
   * here) has its recording finished from what is on disk.
   */
  async end(streamId: string): Promise<Recording | undefined> {
    clearTimeout(this.timers.get(streamId));
    this.timers.delete(streamId);
    const packager = this.packagers.get(streamId);
    if (!packager) {
      return recoverRecording(this.dirOf(streamId), (error) => {
        this.options.log(`[hls ${streamId}] finishing the recording: ${error.message}`);
        this.options.onWriteError?.(streamId, error);
      });
    }
    this.packagers.delete(streamId);
    const recording = await packager.end();
    return recording.renditions.length > 0 ? recording : undefined;
  }

  /** Streams with a packager. */
  get streams(): string[] {
    return [...this.packagers.keys()];
  }

  /** Takes no more work and cancels pending source changes (end the packagers first). */
  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
