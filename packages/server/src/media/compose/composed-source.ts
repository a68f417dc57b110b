import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { RtpPacket } from 'werift';
import { openRtpInput, type PacketSource, RtpStreamSource } from '../sfu/rtp-source.js';
import type { OpenedSource, SourceDescription, StreamSource } from '../source.js';
import {
  type Canvas,
  type CompositionLayout,
  gridTiles,
  speakerTiles,
  type Tile,
} from './layout.js';
import { DominantSpeaker } from './speaker.js';

/** One person on the stage, as the composition takes them. */
export interface StagePerson {
  userId: string;
  video?: PacketSource | undefined;
  audio?: PacketSource | undefined;
  /** An encoder's media (the host's RTMP), read whole: their picture and sound, instead of `video` and `audio`. */
  encoder?: StreamSource | undefined;
  /** The id of the audio-level header extension (RFC 6464) in `audio`'s packets, if it has one. */
  audioLevelId?: number | undefined;
}

/** Options of {@link ComposedSource}. */
export interface ComposedSourceOptions {
  /** Folder for the SDP files. */
  dir: string;
  ffmpegPath: string;
  layout: CompositionLayout;
  /** Seconds between the composed video's keyframes: the HLS segment target. */
  keyframeSeconds: number;
  x264Preset: string;
  frameRate?: number;
  log: (message: string) => void;
  /**
   * A person's (not the host's) video sent nothing for {@link STALL_MS}
   * while the composer ran: the picture waits for it (ffmpeg draws a frame
   * once every input has one), so the owner composes again without it.
   */
  onStalled?: (userId: string) => void;
}

/** The background behind and between the tiles. */
const BACKGROUND = '0x101014';
/** Other people's video is asked for keyframes this long after the composer starts, ms. */
const STARTUP_KEYFRAMES_MS = 5_000;
/** How long a person's video gets to show its first keyframe before the composer starts without waiting, ms. */
const DESCRIBE_OTHERS_MS = 3_000;
const SPEAKER_TICK_MS = 250;
/** The composer's input of an encoder's media (file descriptor 3; at most one encoder, the host). */
const FED = 'pipe:3';
/**
 * Silence after which a person's video counts as stopped, ms: longer than
 * the second a browser's screen share of a still page may leave between
 * frames.
 */
export const STALL_MS = 3_000;
const STDERR_TAIL_LINES = 10;

/** What a composed picture shows: its layout, and who (an index among the people with video) is large. */
interface Shown {
  layout: CompositionLayout;
  large: number;
}

/** Where a person's media is among ffmpeg's inputs (`2:v:0`), or undefined without it. */
export interface ComposedInput {
  video?: string | undefined;
  audio?: string | undefined;
}

/** What {@link compositionGraph} draws. */
export interface CompositionGraphOptions {
  people: readonly ComposedInput[];
  canvas: Canvas;
  frameRate: number;
  layout: CompositionLayout;
  /** Which of the people with video is shown large in the speaker layout. */
  large: number;
}

/** Scales a picture whole into a tile, bars around it (the large tile: a slide keeps its edges). */
const fit = (tile: Pick<Tile, 'width' | 'height'>) =>
  `scale=w=${tile.width}:h=${tile.height}:force_original_aspect_ratio=decrease:force_divisible_by=2,` +
  `pad=${tile.width}:${tile.height}:-1:-1:color=${BACKGROUND},setsar=1`;
/** Scales a picture to cover a tile, its middle kept (grid and strip tiles: faces, not bars). */
const fill = (tile: Pick<Tile, 'width' | 'height'>) =>
  `scale=w=${tile.width}:h=${tile.height}:force_original_aspect_ratio=increase,` +
  `crop=${tile.width}:${tile.height},setsar=1`;

/**
 * The ffmpeg filter graph of a stage: both layouts are drawn all the time;
 * the speaker layout covers the grid while `overlay@layout` is enabled, and
 * the person `overlay@large<i>` stacks on the large tile shows while it is
 * enabled (person 0 lies beneath them all), so that a change of layout or of
 * speaker is a command to the running ffmpeg (see {@link ComposedSource})
 * and never a restart. (`streamselect` would pick inputs too, but its map
 * command does not take effect on live inputs.) The audio of everyone is
 * mixed at full level. Labels out: `[vout]` and, with any audio, `[aout]`.
 */
export function compositionGraph(options: CompositionGraphOptions): string {
  const { canvas, frameRate } = options;
  const videos = options.people.flatMap((p) => (p.video ? [p.video] : []));
  const audios = options.people.flatMap((p) => (p.audio ? [p.audio] : []));
  const parts: string[] = [];
  // Every chain starts from a person's frames (a tile padded to the canvas), never from a
  // generated background: a generator would run ahead of the live inputs and starve the audio.
  const canvasFrom = (label: string, tile: Tile, out: string) =>
    parts.push(
      `[${label}]pad=${canvas.width}:${canvas.height}:${tile.x}:${tile.y}:color=${BACKGROUND}[${out}]`,
    );
  const overlays = (base: string, tiles: Array<[string, Tile]>, out: string) => {
    let from = base;
    tiles.forEach(([label, tile], i) => {
      const to = i === tiles.length - 1 ? out : `${base}${i}`;
      parts.push(`[${from}][${label}]overlay=x=${tile.x}:y=${tile.y}:eof_action=pass[${to}]`);
      from = to;
    });
  };
  if (videos.length <= 1) {
    const only = videos[0];
    if (!only) throw new Error('a composition needs someone with video');
    parts.push(`[${only}]fps=${frameRate},${fit(canvas)},format=yuv420p[vout]`);
  } else {
    const n = videos.length;
    const grid = gridTiles(n, canvas);
    const speaker = speakerTiles(n, canvas);
    videos.forEach((video, i) => {
      parts.push(
        `[${video}]fps=${frameRate},split=3[in${i}g][in${i}l][in${i}s]`,
        `[in${i}g]${fill(grid[i] as Tile)}[g${i}]`,
        `[in${i}l]${fit(speaker.large)}[l${i}]`,
        `[in${i}s]${fill(speaker.strip[i] as Tile)}[s${i}]`,
      );
    });
    canvasFrom('g0', grid[0] as Tile, 'gridbase');
    overlays(
      'gridbase',
      grid.slice(1).map((tile, i) => [`g${i + 1}`, tile]),
      'grid',
    );
    // The large tile: everyone's, stacked; only the one shown is enabled (a later one covers
    // an earlier one, so enabling the new before disabling the old never shows a third).
    const large = Math.min(Math.max(0, options.large), n - 1);
    let below = 'l0';
    for (let i = 1; i < n; i++) {
      const to = i === n - 1 ? 'large' : `large${i}`;
      parts.push(`[${below}][l${i}]overlay@large${i}=x=0:y=0:enable=${i === large ? 1 : 0}[${to}]`);
      below = to;
    }
    canvasFrom('large', speaker.large, 'speakerbase');
    overlays(
      'speakerbase',
      speaker.strip.map((tile, i): [string, Tile] => [`s${i}`, tile]),
      'speaker',
    );
    parts.push(
      `[grid][speaker]overlay@layout=x=0:y=0:enable=${options.layout === 'grid' ? 0 : 1}[vout]`,
    );
  }
  if (audios.length === 1) parts.push(`[${audios[0]}]aresample=48000[aout]`);
  else if (audios.length > 1) {
    parts.push(
      `${audios.map((a) => `[${a}]`).join('')}amix=inputs=${audios.length}:duration=longest:dropout_transition=0,volume=${audios.length}[aout]`,
    );
  }
  return parts.join(';');
}

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

/**
 * An RTP input's arguments with a brief probe: ffmpeg opens its inputs one
 * after another, and a second's probe per input made the composer start
 * seconds late. The SDP names the codecs (and the H.264 parameter sets,
 * once seen), so little probing is needed.
 */
function briefProbe(input: readonly string[]): string[] {
  const brief: Record<string, string> = { '-analyzeduration': '100000', '-probesize': '32768' };
  return input.map((arg, i) => brief[input[i - 1] ?? ''] ?? arg);
}

/**
 * The HLS source of a stage with more than one person: one ffmpeg (the
 * composer) decodes everyone's RTP, draws them into one picture (a grid, or
 * the speaker large above a strip: {@link compositionGraph}), mixes their
 * audio, and encodes H.264 with a keyframe every segment target and AAC into
 * MPEG-TS on its standard output, which the ladder's ffmpeg reads as it reads
 * any source (its top rung copies the picture; each rung encodes its own
 * AAC from the mix). The picture has the size of
 * the first person's (the host's) video, so the ladder fitted to the host
 * keeps fitting.
 *
 * Changes of layout and of who speaks are sent to the running composer as
 * filter commands on its standard input (ffmpeg's `c` key), so the picture
 * changes without a restart; a person joining or leaving makes a new source
 * (a restart and a discontinuity in the playlists).
 */
export class ComposedSource implements StreamSource {
  private canvas: Canvas | undefined;
  /** The stage's layout (the picture follows it while nobody shares a screen). */
  private layout: CompositionLayout;
  /** Who shares a screen, if anyone: they take the large tile of the speaker layout. */
  private sharing: string | undefined;
  private readonly speaker = new DominantSpeaker();
  /** Index among the people with video of the one the speaker layout shows large, screens aside. */
  private speaking = 0;
  /** What the running composer draws (its filters' state). */
  private shown: Shown | undefined;
  private composer: ChildProcess | undefined;
  private openedAt = 0;
  private readonly sources: Array<StreamSource | undefined>;
  /** Whether the encoder (if a person is one) sends audio, once described. */
  private encoderAudio = false;
  private readonly withVideo: StagePerson[];

  constructor(
    private readonly people: readonly StagePerson[],
    private readonly options: ComposedSourceOptions,
    /** The people and their tracks (see {@link StreamSource.key}). */
    readonly key?: string,
  ) {
    this.layout = options.layout;
    this.withVideo = people.filter((p) => p.video || p.encoder);
    this.sources = people.map(
      (p, i) =>
        p.encoder ??
        (p.video ? new RtpStreamSource(p.video, p.audio, options.dir, `person-${i}`) : undefined),
    );
  }

  /** PID of the running composer (ffmpeg), if any (diagnostics, benchmarks). */
  get pid(): number | undefined {
    return this.composer?.pid;
  }

  /** The layout drawn now: the stage's, or the speaker layout while someone shares a screen. */
  get currentLayout(): CompositionLayout {
    return this.wanted().layout;
  }

  /** Who the speaker layout shows large now: whoever shares a screen, else the speaker. */
  get largeUser(): string | undefined {
    return this.withVideo[this.wanted().large]?.userId;
  }

  /** Who speaks (or was last shown large by {@link showLarge}), screens aside. */
  get speakerUser(): string | undefined {
    return this.withVideo[this.speaking]?.userId;
  }

  /** Switches the layout, live. */
  setLayout(layout: CompositionLayout): void {
    this.layout = layout;
    this.render();
  }

  /** Shows `userId` large in the speaker layout, live (the dominant speaker does this by itself). */
  showLarge(userId: string): void {
    const index = this.withVideo.findIndex((p) => p.userId === userId);
    if (index < 0) return;
    this.speaking = index;
    this.render();
  }

  /**
   * Who shares a screen (undefined: nobody), live: a screen takes the large
   * tile and the speaker layout until it stops, whoever speaks meanwhile;
   * then the stage's layout and the speaker come back.
   */
  setScreen(userId: string | undefined): void {
    this.sharing = userId;
    this.render();
  }

  /** The layout and the large tile the picture should show now. */
  private wanted(): Shown {
    const screen = this.withVideo.findIndex((p) => p.userId === this.sharing);
    if (screen >= 0 && this.withVideo.length > 1) return { layout: 'speaker', large: screen };
    return { layout: this.layout, large: this.speaking };
  }

  /** Brings the running composer's picture to what it should show, with filter commands. */
  private render(): void {
    const shown = this.shown;
    if (!shown || this.withVideo.length < 2) return;
    const want = this.wanted();
    if (want.large !== shown.large) {
      // The new one first: while both are enabled, the later of the two shows (one of them).
      if (want.large > 0) this.command(`overlay@large${want.large}`, 'enable', 1);
      if (shown.large > 0) this.command(`overlay@large${shown.large}`, 'enable', 0);
    }
    if (want.layout !== shown.layout) {
      this.command('overlay@layout', 'enable', want.layout === 'grid' ? 0 : 1);
    }
    this.shown = want;
  }

  /** Sends a filter command to the running composer (ffmpeg reads one `c` line per 100 ms). */
  private command(target: string, command: string, argument: number): void {
    const stdin = this.composer?.stdin;
    if (stdin?.writable) stdin.write(`c${target} -1 ${command} ${argument}\n`);
  }

  requestKeyframe(): void {
    // The composer encodes its own keyframes; the publishers' are needed only to start decoding.
    if (performance.now() - this.openedAt > STARTUP_KEYFRAMES_MS) return;
    for (const person of this.people) person.video?.requestKeyframe();
  }

  async describe(signal: AbortSignal): Promise<SourceDescription> {
    const [first, ...others] = this.sources.filter((s) => s !== undefined);
    if (!first) throw new Error('a composition needs someone with video');
    // The others' first keyframes, briefly: their parameter sets let ffmpeg start at once.
    const others$ = Promise.all(
      others.map((source) => {
        const stop = new AbortController();
        const timer = setTimeout(() => stop.abort(), DESCRIBE_OTHERS_MS);
        const abort = () => stop.abort();
        signal.addEventListener('abort', abort, { once: true });
        return source
          .describe(stop.signal)
          .catch(() => undefined)
          .finally(() => {
            clearTimeout(timer);
            signal.removeEventListener('abort', abort);
          });
      }),
    );
    const host = await first.describe(signal);
    await others$;
    this.encoderAudio = host.hasAudio && this.people.some((p) => p.encoder);
    this.canvas = { width: even(host.video.width), height: even(host.video.height) };
    return {
      video: { codec: 'h264', ...this.canvas },
      hasAudio: this.encoderAudio || this.people.some((p) => p.audio),
      // AAC from MPEG-TS (ADTS) copied into fragmented MP4 has no AudioSpecificConfig in its
      // moov: players' MSE refuses it. The ladder encodes each rung's AAC from the mix.
      audioIsAac: false,
    };
  }

  async open(): Promise<OpenedSource> {
    const canvas = this.canvas;
    if (!canvas) throw new Error('describe the composition before opening it');
    const { options } = this;
    const frameRate = options.frameRate ?? 30;
    const inputs: OpenedSource[] = [];
    const layout: ComposedInput[] = [];
    try {
      for (const [i, person] of this.people.entries()) {
        const source = this.sources[i];
        if (source) inputs.push(await source.open());
        else if (person.audio) {
          inputs.push(
            await openRtpInput(
              [{ kind: 'audio', track: person.audio }],
              join(options.dir, `person-${i}.sdp`),
            ),
          );
        } else continue;
        const at = inputs.length - 1;
        const audio = person.encoder ? this.encoderAudio : !!person.audio;
        layout.push({
          video: person.video || person.encoder ? `${at}:v:0` : undefined,
          audio: audio ? `${at}:a:0` : undefined,
        });
      }
    } catch (error) {
      for (const input of inputs) input.close();
      throw error;
    }
    const shown = this.wanted();
    const kbps = Math.max(300, Math.round((canvas.width * canvas.height * frameRate) / 10_000));
    const gop = Math.round(frameRate * options.keyframeSeconds);
    const hasAudio = layout.some((p) => p.audio);
    const startedAt = Date.now() / 1000;
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      // Each input is read on a thread of its own; with ffmpeg's default queue of 8 packets, a
      // person's video filled it and their audio stopped after the first second.
      ...inputs.flatMap((input) => [
        '-thread_queue_size',
        '1024',
        // Everyone on one clock: each packet stamped when it arrives, from the composer's start
        // (kept by -copyts). Each input's own timeline would start at its first packet, and
        // ffmpeg opens them one after another.
        '-use_wallclock_as_timestamps',
        '1',
        '-itsoffset',
        `-${startedAt.toFixed(3)}`,
        // An encoder's input is fed on a pipe of its own: standard input carries the commands.
        ...briefProbe(input.input).map((arg) => (input.feed && arg === 'pipe:0' ? FED : arg)),
      ]),
      '-copyts',
      '-filter_complex',
      compositionGraph({
        people: layout,
        canvas,
        frameRate,
        ...shown,
      }),
      '-map',
      '[vout]',
      ...(hasAudio ? ['-map', '[aout]'] : []),
      '-c:v',
      'libx264',
      '-preset',
      options.x264Preset,
      '-tune',
      'zerolatency',
      '-pix_fmt',
      'yuv420p',
      '-b:v',
      `${kbps}k`,
      '-maxrate',
      `${kbps}k`,
      '-bufsize',
      `${kbps}k`,
      '-g',
      String(gop),
      '-keyint_min',
      String(gop),
      '-sc_threshold',
      '0',
      '-force_key_frames',
      `expr:gte(t,n_forced*${options.keyframeSeconds})`,
      ...(hasAudio ? ['-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2'] : []),
      '-f',
      'mpegts',
      '-muxdelay',
      '0',
      '-muxpreload',
      '0',
      '-flush_packets',
      '1',
      'pipe:1',
    ];
    const composer = spawn(options.ffmpegPath, args, {
      cwd: options.dir,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    const fed = composer.stdio[3] as Writable;
    fed.on('error', () => undefined);
    for (const input of inputs) input.feed?.(fed);
    this.composer = composer;
    this.shown = shown;
    this.openedAt = performance.now();
    composer.stdin?.on('error', () => undefined);
    let stderr: string[] = [];
    composer.stderr?.setEncoding('utf8');
    composer.stderr?.on('data', (chunk: string) => {
      stderr = [...stderr, ...chunk.split('\n').filter(Boolean)].slice(-STDERR_TAIL_LINES);
    });
    let closed = false;
    composer.once('exit', (code, signal) => {
      if (!closed) {
        options.log(`composer exited (code ${code}, signal ${signal}):\n${stderr.join('\n')}`);
      }
    });
    const stopListening = this.listenForSpeakers();
    const stopWatching = this.watchVideos();
    return {
      input: [
        '-f',
        'mpegts',
        '-fflags',
        '+genpts',
        // Stops as soon as both streams are known; the video can come a while after the audio.
        '-analyzeduration',
        '3000000',
        '-probesize',
        '5000000',
        '-i',
        'pipe:0',
      ],
      feed: (stdin) => {
        composer.stdout?.pipe(stdin);
      },
      close: () => {
        if (closed) return;
        closed = true;
        stopListening();
        stopWatching();
        composer.stdout?.unpipe();
        composer.kill('SIGKILL');
        if (this.composer === composer) {
          this.composer = undefined;
          this.shown = undefined;
        }
        for (const input of inputs) input.close();
      },
    };
  }

  /** Tells `onStalled` of each person but the host whose video stops while the composer runs. */
  private watchVideos(): () => void {
    const { onStalled } = this.options;
    if (!onStalled) return () => undefined;
    const heardAt = new Map<string, number>();
    const stops = this.withVideo.slice(1).map((person) => {
      heardAt.set(person.userId, performance.now());
      return (person.video as PacketSource).onPacket(() =>
        heardAt.set(person.userId, performance.now()),
      );
    });
    const timer = setInterval(() => {
      const now = performance.now();
      for (const [userId, at] of heardAt) {
        if (now - at < STALL_MS) continue;
        heardAt.delete(userId);
        onStalled(userId);
      }
    }, STALL_MS / 3);
    timer.unref();
    return () => {
      clearInterval(timer);
      for (const stop of stops) stop();
    };
  }

  /** Follows the people's audio levels while the composer runs; the dominant speaker goes large. */
  private listenForSpeakers(): () => void {
    const listening = this.people.flatMap((person) => {
      const id = person.audioLevelId;
      if (!person.audio || id === undefined) return [];
      return [
        person.audio.onPacket((packet: RtpPacket) => {
          const level = packet.header.extensions.find((e) => e.id === id)?.payload[0];
          if (level !== undefined)
            this.speaker.hear(person.userId, level & 0x7f, performance.now());
        }),
      ];
    });
    if (listening.length === 0) return () => undefined;
    const timer = setInterval(() => {
      const speaker = this.speaker.update(performance.now());
      if (speaker) this.showLarge(speaker);
    }, SPEAKER_TICK_MS);
    timer.unref();
    return () => {
      clearInterval(timer);
      for (const stop of listening) stop();
    };
  }
}
