import type { OnAirError } from '../errors.js';
import type { PlayerState, PlayerStats } from './player-state.js';

/** The live edge, as an engine that follows one (HLS) sees it. */
export interface LiveEdge {
  /** Seconds behind the live edge. */
  readonly latency: number;
  /** Seconds behind the edge the engine aims for, once known. */
  readonly targetLatency: number | null;
  /** Where playback at the target latency is (media seconds), once known. */
  readonly liveSyncPosition: number | null;
}

/** An engine's part of the Player's figures (the picture's size and dropped frames are the Player's). */
export type ReceiveStats = Pick<
  PlayerStats,
  'bitrate' | 'bandwidthEstimate' | 'buffer' | 'packetsLost'
>;

/**
 * One way a stream reaches the Player's video: HLS, real time from the SFU,
 * or WHEP. The Player holds one at a time, drives it through this interface
 * only, and falls back to HLS itself when a real-time engine fails.
 */
export interface PlaybackEngine {
  /** How the stream arrives. */
  readonly mode: 'hls' | 'realtime';
  /** The live edge, where the engine follows one (HLS). */
  readonly liveEdge?: LiveEdge | undefined;
  /** Starts receiving into the video; failures go to {@link PlaybackHost.fail} or the state. */
  start(): Promise<void>;
  /** Chooses a quality (an index into `levels`), or -1 to let the engine choose. */
  setLevel(index: number): Promise<void>;
  /** Caps the real-time simulcast layer (`undefined`: no cap), where the engine has layers. */
  preferLayer?(spatialLayer: number | undefined): Promise<void>;
  /** What arrived since the previous reading (one a second), or null when nothing is known. */
  stats(): Promise<ReceiveStats | null>;
  /** Stops receiving and releases everything. The engine calls its host no more. */
  destroy(): void;
}

/** What an engine may do with the Player that holds it. */
export interface PlaybackHost {
  readonly video: HTMLVideoElement;
  /** The Player's state now. */
  readonly state: PlayerState;
  /** The playback's id (see `PlayerLoad.sessionId`): CMCD's session id on HLS requests. */
  readonly sessionId: string;
  update(patch: Partial<PlayerState>): void;
  /** Plays (muted when the browser blocks sound). */
  autoplay(): Promise<void>;
  /** Starts reading the engine's figures every second. */
  startStats(): void;
  /** This engine cannot play the stream: the Player falls back to HLS, or shows the error. */
  fail(error: OnAirError): void;
}
