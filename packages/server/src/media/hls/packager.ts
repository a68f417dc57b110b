import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { readPreviousRecording, writeLadder, writeRecording } from '../recording/recording.js';
import type { OpenedSource, SourceDescription, StreamSource } from '../source.js';
import { Fmp4Splitter } from './fmp4.js';
import { PublisherKeyframeClock } from './keyframe-clock.js';
import { type LadderOptions, ladderArgs, planLadder, type Rung } from './ladder.js';
import { type LlHlsTiming, masterPlaylist, nominalFrameRate } from './playlist.js';
import { LlHlsRendition } from './segmenter.js';

/** Options of {@link HlsPackager}. */
export interface HlsPackagerOptions {
  /** Folder for the recording: init and segment files per rendition, thumbnails. Emptied at start. */
  outDir: string;
  ffmpegPath: string;
  timing: LlHlsTiming;
  ladder: LadderOptions;
  x264Preset: string;
  vaapiDevice?: string | undefined;
  /** An ffmpeg before 5.1: see `LadderArgsOptions.legacyVsync`. */
  legacyVsync?: boolean | undefined;
  /** Keyframe requests to the publisher while packaging, ms (0: none). */
  keyframeIntervalMs: number;
  /** Seconds between thumbnails (0: none). */
  thumbnailSeconds: number;
  /** Reports trouble; never receives secrets. */
  log: (message: string) => void;
  /** A recording file could not be written (a full disk): the recording will be incomplete. */
  onWriteError?: (error: Error) => void;
  /** ffmpeg exited on its own and a restart is scheduled (metrics). */
  onRestart?: (() => void) | undefined;
}

/** A finished recording. */
export interface Recording {
  durationSeconds: number;
  renditions: string[];
  /** Whether part of it could not be written (or a crash cut it). */
  incomplete: boolean;
}

const MAX_RESTART_DELAY_MS = 8_000;
const STABLE_RUN_MS = 30_000;
const STDERR_TAIL_LINES = 20;

/**
 * Turns a stream source into a Low-Latency HLS ladder with one supervised
 * ffmpeg child: fits the ladder to the source, reads each rung's fMP4 from
 * its own pipe into an {@link LlHlsRendition}, asks the publisher for
 * keyframes on a schedule (Chrome sends none unless asked), restarts ffmpeg
 * with backoff when it exits, and continues after a discontinuity when the
 * source is replaced (a publisher reconnecting). Lives as long as the stream.
 */
export class HlsPackager {
  private child: ChildProcess | undefined;
  private source: StreamSource | undefined;
  /** The source of the latest {@link setSource} (this.source once ffmpeg stopped). */
  private requested: StreamSource | undefined;
  private opened: OpenedSource | undefined;
  private rungs: Rung[] | undefined;
  private renditionsByName = new Map<string, LlHlsRendition>();
  private keyframeTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private describing: AbortController | undefined;
  private restarts = 0;
  /** Bumped by every {@link setSource}: a call overtaken by a newer one stops there. */
  private sourceVersion = 0;
  private runs = 0;
  private lastKeyframeAt = 0;
  private keyframeAskedFor = -1;
  /** How long the open segment was when its keyframe was last asked for. */
  private keyframeAskedAt = 0;
  /** When the publisher is asked for keyframes, on its own timeline. */
  private readonly keyframeClock: PublisherKeyframeClock;
  private fragments = 0;
  private ended = false;
  private incomplete = false;
  private stderrTail: string[] = [];
  private readyWaiters = new Set<() => void>();

  constructor(private readonly options: HlsPackagerOptions) {
    this.keyframeClock = new PublisherKeyframeClock(options.timing.segmentTarget);
  }

  /** PID of the running ffmpeg child, if any (diagnostics, tests). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Times ffmpeg was restarted after exiting on its own. */
  get restartCount(): number {
    return this.restarts;
  }

  /** The ladder, once fitted to the first source. */
  get ladder(): readonly Rung[] | undefined {
    return this.rungs;
  }

  /** A rendition by name. */
  rendition(name: string): LlHlsRendition | undefined {
    return this.renditionsByName.get(name);
  }

  /** All renditions, top rung first. */
  get renditions(): LlHlsRendition[] {
    return [...this.renditionsByName.values()];
  }

  /**
   * Creates the output folder, or continues the recording a server that
   * stopped or crashed left in it (same ladder, segments numbered on after a
   * discontinuity).
   */
  async init(): Promise<void> {
    const previous = await readPreviousRecording(this.options.outDir);
    if (previous) {
      this.rungs = previous.rungs;
      for (const rung of previous.rungs) {
        const rendition = await this.addRendition(rung);
        const before = previous.renditions.get(rung.name);
        try {
          if (before) rendition.resume(before);
        } catch (error) {
          this.options.log(`${rung.name}: the earlier recording is unreadable (${String(error)})`);
        }
      }
      this.options.log('continuing the recording made before the server restarted');
      return;
    }
    await rm(this.options.outDir, { recursive: true, force: true });
    await mkdir(this.options.outDir, { recursive: true });
  }

  private async addRendition(rung: Rung): Promise<LlHlsRendition> {
    const dir = join(this.options.outDir, rung.name);
    await mkdir(dir, { recursive: true });
    const rendition = new LlHlsRendition(rung.name, dir, this.options.timing, (error) => {
      this.options.log(`writing ${rung.name}: ${error.message}`);
      this.options.onWriteError?.(error);
    });
    this.renditionsByName.set(rung.name, rendition);
    return rendition;
  }

  /**
   * Replaces the source (undefined: the publisher is gone; the renditions
   * wait). ffmpeg restarts; segments after it follow a discontinuity.
   */
  async setSource(source: StreamSource | undefined): Promise<void> {
    if (this.ended) return;
    // The same tracks as the latest asked for (another publisher's change): nothing to restart.
    if (source?.key !== undefined && source.key === this.requested?.key) return;
    this.requested = source;
    // A newer call while this one waited for ffmpeg to stop wins (a publisher came back).
    const version = ++this.sourceVersion;
    this.describing?.abort();
    await this.stopChild();
    if (version !== this.sourceVersion || this.ended) return;
    this.source = source;
    this.restarts = 0;
    if (!source) return;
    const controller = new AbortController();
    this.describing = controller;
    let description: SourceDescription;
    const slow = setTimeout(
      () =>
        this.options.log(
          'no keyframe with the codec parameters from the publisher after 5 s; still waiting',
        ),
      5_000,
    );
    slow.unref();
    try {
      description = await source.describe(controller.signal);
    } catch (error) {
      if (!controller.signal.aborted) this.options.log(`source not usable: ${String(error)}`);
      return;
    } finally {
      clearTimeout(slow);
    }
    if (controller.signal.aborted || this.ended || this.source !== source) return;
    if (!this.rungs) await this.createRenditions(description);
    // Keyframes are asked for just before a segment is due (see onTopFragment); this is the
    // fallback when none came for longer than the interval.
    this.lastKeyframeAt = Date.now();
    this.keyframeTimer = this.options.keyframeIntervalMs
      ? setInterval(() => {
          if (Date.now() - this.lastKeyframeAt > this.options.keyframeIntervalMs * 1.5) {
            this.lastKeyframeAt = Date.now();
            source.requestKeyframe();
          }
        }, 500)
      : undefined;
    this.keyframeTimer?.unref();
    await this.spawn(description);
  }

  private async createRenditions(description: SourceDescription): Promise<void> {
    const rungs = planLadder(description.video, this.options.ladder);
    this.rungs = rungs;
    for (const rung of rungs) await this.addRendition(rung);
    await writeLadder(this.options.outDir, rungs);
    this.options.log(
      `ladder for ${description.video.codec} ${description.video.width}x${description.video.height}: ${rungs
        .map((r) => `${r.name}${r.copy ? ' (copy)' : ` ${r.videoKbps}k`}`)
        .join(', ')}`,
    );
  }

  private async spawn(description: SourceDescription): Promise<void> {
    const source = this.source;
    const rungs = this.rungs;
    if (this.ended || !source || !rungs) return;
    const opened = await source.open();
    this.keyframeClock.reset();
    if (this.ended || this.source !== source) {
      opened.close();
      return;
    }
    this.opened = opened;
    const run = this.runs++;
    const args = ladderArgs({
      input: opened.input,
      rungs,
      hasAudio: description.hasAudio,
      copyAudio: description.audioIsAac,
      segmentTarget: this.options.timing.segmentTarget,
      x264Preset: this.options.x264Preset,
      thumbnailSeconds: this.options.thumbnailSeconds,
      thumbnailPattern: join(this.options.outDir, `thumb-${run}-%05d.jpg`),
      vaapiDevice: this.options.vaapiDevice,
      legacyVsync: this.options.legacyVsync,
    });
    const child = spawn(this.options.ffmpegPath, args, {
      cwd: this.options.outDir,
      stdio: [
        opened.feed ? 'pipe' : 'ignore',
        'ignore',
        'pipe',
        ...rungs.map(() => 'pipe' as const),
      ],
    });
    if (opened.feed && child.stdin) {
      child.stdin.on('error', () => undefined);
      opened.feed(child.stdin);
    }
    this.child = child;
    const startedAt = Date.now();
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail.push(...chunk.split('\n').filter(Boolean));
      this.stderrTail = this.stderrTail.slice(-STDERR_TAIL_LINES);
    });
    child.once('error', (error) => {
      this.options.log(`ffmpeg could not start (${this.options.ffmpegPath}): ${error.message}`);
    });
    rungs.forEach((rung, i) => {
      const rendition = this.renditionsByName.get(rung.name);
      const pipe = child.stdio[3 + i] as Readable | null;
      if (!rendition || !pipe) return;
      const splitter = new Fmp4Splitter(
        (init) => rendition.addInit(init),
        (fragment) => {
          this.fragments++;
          const dependent = rendition.dependentSegments;
          rendition.addFragment(fragment);
          if (rendition.dependentSegments > dependent) {
            this.options.log(
              `${rung.name}: no keyframe within TARGETDURATION; a segment starts without one`,
            );
          }
          if (i === 0) this.onTopFragment(rendition, source);
          if (this.isReady()) this.wakeReady();
        },
      );
      pipe.on('data', (chunk: Buffer) => {
        try {
          splitter.push(chunk);
        } catch (error) {
          this.options.log(`${rung.name}: ${String(error)}; restarting ffmpeg`);
          child.kill('SIGKILL');
        }
      });
      pipe.on('error', () => undefined);
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.opened === opened) {
        opened.close();
        this.opened = undefined;
      }
      if (this.ended || this.source !== source || child.killed) return;
      if (Date.now() - startedAt > STABLE_RUN_MS) this.restarts = 0;
      const delay = Math.min(MAX_RESTART_DELAY_MS, 250 * 2 ** this.restarts);
      this.restarts++;
      this.options.log(
        `ffmpeg exited (code ${code}, signal ${signal}); restarting in ${delay} ms. Last output:\n${this.stderrTail.join('\n')}`,
      );
      this.restartTimer = setTimeout(() => {
        this.spawn(description).catch((error: unknown) =>
          this.options.log(`ffmpeg could not restart: ${String(error)}`),
        );
      }, delay);
      try {
        this.options.onRestart?.();
      } catch (error) {
        this.options.log(`restart listener failed: ${String(error)}`);
      }
    });
    // ffmpeg needs a keyframe to start: ask once it listens, and once more only if nothing
    // came out. Keyframes in quick succession would make parts shorter than LL-HLS allows.
    const fragmentsBefore = this.fragments;
    setTimeout(() => source.requestKeyframe(), 400).unref();
    setTimeout(() => {
      if (this.child === child && this.fragments === fragmentsBefore) source.requestKeyframe();
    }, 1600).unref();
  }

  /**
   * Asks the publisher for the next keyframe once the open segment may be
   * cut (90 % of its target), so segments start on time and no requested
   * keyframe lands mid-segment (where it would cut a part short). If none
   * has come half a second of media later, asks again: a busy publisher's
   * encoder can let a request go, and a segment that reaches TARGETDURATION
   * without a keyframe is cut anyway and starts without an independent part.
   */
  private onTopFragment(rendition: LlHlsRendition, source: StreamSource): void {
    const open = rendition.openSegment;
    if (!open) return;
    if (open.duration < 0.5) this.lastKeyframeAt = Date.now();
    if (this.options.keyframeIntervalMs <= 0) return;
    const { segmentTarget } = this.options.timing;
    // On the publisher's timeline (ffmpeg's output may trail it by seconds: see PublisherKeyframeClock).
    const mediaTime = rendition.mediaTime;
    if (
      mediaTime !== undefined &&
      this.keyframeClock.observe(open, mediaTime, performance.now() / 1000)
    ) {
      // The output's own asking (below) waits half a second before asking again.
      this.keyframeAskedFor = open.msn;
      this.keyframeAskedAt = open.duration;
      source.requestKeyframe();
    }
    // And from the output: a request the publisher let go is asked again half a second later.
    if (open.duration < segmentTarget * 0.9 - 0.01) return;
    if (this.keyframeAskedFor !== open.msn || open.duration >= this.keyframeAskedAt + 0.5) {
      this.keyframeAskedFor = open.msn;
      this.keyframeAskedAt = open.duration;
      source.requestKeyframe();
    }
  }

  private isReady(): boolean {
    const renditions = this.renditions;
    return renditions.length > 0 && renditions.every((r) => r.ready && r.tracks);
  }

  private wakeReady(): void {
    const waiters = [...this.readyWaiters];
    this.readyWaiters.clear();
    for (const wake of waiters) wake();
  }

  /** The master playlist, once every rendition has a segment. */
  masterPlaylist(query = ''): string | undefined {
    if (!this.isReady() || !this.rungs) return undefined;
    return masterPlaylist(
      this.rungs.map((rung) => {
        const rendition = this.renditionsByName.get(rung.name) as LlHlsRendition;
        const tracks = rendition.tracks ?? [];
        const video = tracks.find((t) => t.kind === 'video');
        const measured = rendition.peakBandwidth;
        const configured = rung.copy ? 0 : (rung.videoKbps * 1.2 + rung.audioKbps) * 1000;
        return {
          uri: `${rung.name}/index.m3u8${query}`,
          bandwidth: Math.max(measured, Math.round(configured)),
          codecs: tracks.map((t) => t.codec),
          width: video?.width ?? rung.width,
          height: video?.height ?? rung.height,
          frameRate: rung.copy ? nominalFrameRate(rendition.frameRate) : rung.frameRate,
        };
      }),
      { independentSegments: this.renditions.every((r) => r.dependentSegments === 0) },
    );
  }

  /** Resolves when the master playlist can be served (true) or after `timeoutMs` (false). */
  async waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.isReady()) return true;
    if (this.ended) return false;
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(this.isReady());
      };
      const timer = setTimeout(() => {
        this.readyWaiters.delete(wake);
        resolve(false);
      }, timeoutMs);
      this.readyWaiters.add(wake);
    });
  }

  private async stopChild(): Promise<void> {
    if (this.keyframeTimer) clearInterval(this.keyframeTimer);
    this.keyframeTimer = undefined;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    this.child = undefined;
    // Only this child's input: a source opened meanwhile for the next one stays open.
    const opened = this.opened;
    this.opened = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
        // Never hang a shutdown on a child that does not report its exit.
        const giveUp = setTimeout(resolve, 6000);
        child.once('exit', () => {
          clearTimeout(kill);
          clearTimeout(giveUp);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    opened?.close();
  }

  /**
   * Ends the stream: stops ffmpeg, completes every rendition and writes the
   * recording's VOD playlists, master playlist and poster. Idempotent.
   */
  async end(): Promise<Recording> {
    if (!this.ended) {
      this.ended = true;
      this.describing?.abort();
      await this.stopChild();
      this.wakeReady();
      for (const rendition of this.renditions) rendition.end();
      const ready = this.rungs?.some((r) => this.renditionsByName.get(r.name)?.ready) ?? false;
      const written = await writeRecording(
        this.options.outDir,
        this.renditions,
        ready ? this.masterPlaylist() : undefined,
        (error) => {
          this.options.log(`writing the recording: ${error.message}`);
          this.options.onWriteError?.(error);
        },
      );
      this.incomplete = written.incomplete;
    }
    const top = this.renditions[0];
    return {
      durationSeconds: top?.recordedSeconds ?? 0,
      renditions: this.renditions.filter((r) => r.ready).map((r) => r.name),
      incomplete: this.incomplete || this.renditions.some((r) => r.writeFailures > 0),
    };
  }
}
