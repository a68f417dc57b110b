import type { OnAirError } from '../errors.js';
import type { RealtimeParticipant } from './realtime-viewer.js';

/** Playback state of a `Player`. */
export type PlayerStatus =
  | 'idle'
  | 'loading'
  | 'playing'
  | 'buffering'
  | 'paused'
  | 'ended'
  | 'error';

/** Snapshot of a `Player`. */
export interface PlayerState {
  status: PlayerStatus;
  /**
   * Whether `buffering` is a stall (playback ran dry while playing: a
   * rebuffer), rather than a start or a seek waiting for data.
   */
  stalled: boolean;
  /** Whether the video is muted (autoplay may force this). */
  muted: boolean;
  /** Autoplay with sound was blocked: show an unmute prompt. */
  autoplayBlocked: boolean;
  /** Seconds behind the live edge, when known. */
  latency: number | null;
  /**
   * The part of the stream a viewer can seek in (media seconds): the server's
   * DVR window over HLS (`dvrWindowSeconds`, 120 s by default on OnAir's
   * server), or a whole recording (from 0 to its duration); null in
   * real-time mode or before it is known.
   */
  seekable: { start: number; end: number } | null;
  /** The playback position in media seconds (updated about once a second and on seek). */
  position: number;
  /** Whether playback is at the live edge (within a couple of seconds of the target latency). */
  atLiveEdge: boolean;
  /**
   * The latest skip ahead to the live edge, when playback resumed after a
   * stall too far behind it (the `maxLiveLatency` option): `at`, when (ms
   * since the epoch, which tells two skips of the same length apart), and
   * `seconds`, how much of the stream was skipped. Null until it happens
   * (and again after each load). Show a notice ("Skipped ahead to live").
   */
  skippedToLive: { at: number; seconds: number } | null;
  /** Volume from 0 to 1. */
  volume: number;
  /** How the stream arrives: LL-HLS, or real-time WebRTC (sub-second); null before loading. */
  mode: 'hls' | 'realtime' | null;
  /**
   * Whether what plays is live (true) or a recording with an end (false:
   * a replay, VOD); null until the first playlist says.
   */
  live: boolean | null;
  /** Length of a recording in seconds (VOD); null while live or unknown. */
  duration: number | null;
  /** Qualities to choose from: HLS renditions, or real-time simulcast layers (lowest first). */
  levels: PlayerLevel[];
  /** The quality playing (index into `levels`), -1 before the first is known. */
  level: number;
  /** Whether the player picks the quality itself (the default). */
  autoLevel: boolean;
  /** What the viewer receives, every second while playing. */
  stats: PlayerStats | null;
  /**
   * In real-time mode, everyone publishing on the stream (its host, and the
   * co-hosts and guests on its stage) with their tracks and who is
   * speaking, for a stage layout; empty over HLS (which shows one picture).
   */
  participants: readonly RealtimeParticipant[];
  error: OnAirError | null;
}

/** A load the Player starts (see `Player.onLoad`). */
export interface PlayerLoad {
  /** How the stream is to arrive: LL-HLS, real time from OnAir's SFU, or WHEP. */
  engine: 'hls' | 'realtime' | 'whep';
  /** Whether this is the Player falling back to HLS after real time failed. */
  fallback: boolean;
  /**
   * A random id of this playback, kept across its fallback: the view
   * session's id in analytics, and CMCD's session id (`sid`) on its HLS
   * requests, so a CDN's logs name the same session.
   */
  sessionId: string;
  /** When the load began, ms since the epoch (startup time counts from here). */
  at: number;
}

/** One quality a viewer can choose. */
export interface PlayerLevel {
  index: number;
  /** Picture height, when known (real-time layers: only once playing). */
  height: number | null;
  /** Advertised bitrate, bits/s (HLS only). */
  bitrate: number | null;
}

/** What a viewer receives. */
export interface PlayerStats {
  width: number;
  height: number;
  /** Bits/s: the rendition's (HLS) or measured (real time). */
  bitrate: number;
  /** The player's bandwidth estimate, bits/s (HLS only). */
  bandwidthEstimate: number | null;
  /** Seconds of media buffered ahead (HLS). */
  buffer: number;
  droppedFrames: number;
  /** Packets lost on the way (real time). */
  packetsLost: number;
}

/** The state of a `Player` before it loads anything (for hooks and stand-in engines). */
export const PLAYER_IDLE_STATE: Readonly<PlayerState> = {
  status: 'idle',
  stalled: false,
  muted: false,
  autoplayBlocked: false,
  latency: null,
  seekable: null,
  position: 0,
  atLiveEdge: true,
  skippedToLive: null,
  volume: 1,
  mode: null,
  live: null,
  duration: null,
  levels: [],
  level: -1,
  autoLevel: true,
  stats: null,
  participants: [],
  error: null,
};

/**
 * What a player UI drives: the `Player`, or a stand-in with the same
 * state (Storybook, tests, a custom engine).
 */
export interface PlayerControls {
  subscribe(listener: (state: PlayerState) => void): () => void;
  getSnapshot(): PlayerState;
  play(): Promise<void>;
  pause(): void;
  mute(): void;
  unmute(): void;
  setVolume(volume: number): void;
  setLevel(index: number): Promise<void>;
  seek(position: number): void;
  goToLive(): void;
}
