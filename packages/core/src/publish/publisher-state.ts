import type { OnAirError } from '../errors.js';
import type { CaptureDevice, QualityName } from './capture.js';
import type { PublisherStats } from './stats.js';

/** Lifecycle of a `Publisher`. */
export type PublisherStatus =
  | 'idle'
  | 'previewing'
  | 'connecting'
  | 'live'
  | 'reconnecting'
  | 'ended'
  | 'failed';

/** Snapshot of a `Publisher`. */
export interface PublisherState {
  status: PublisherStatus;
  /** What is being sent (camera or screen, and microphone), for preview. */
  mediaStream: MediaStream | null;
  /**
   * Why the last step failed (`status` is `failed`, or `reconnecting` with the
   * cause). Also while `previewing` with the microphone alone (a shared
   * screen, or the black picture after it): why the camera did not open, with
   * the camera's code (`PERMISSION_DENIED`, `DEVICE_NOT_FOUND`,
   * `DEVICE_IN_USE`, or another of the capture's). Cleared when going live
   * and by `stop()`.
   */
  error: OnAirError | null;
  /** Cameras and microphones (labels appear once permission is granted). */
  cameras: CaptureDevice[];
  microphones: CaptureDevice[];
  /** The devices in use (null before the first capture). */
  cameraId: string | null;
  microphoneId: string | null;
  audioMuted: boolean;
  videoMuted: boolean;
  /** A screen (or window, or tab) is shared instead of the camera. */
  screenSharing: boolean;
  /** The camera shows in a corner of the shared screen. */
  cameraOverScreen: boolean;
  /**
   * The capture quality: what is captured, or will be once capture opens. Never
   * above {@link PublisherState.maxQuality}: a larger one asked for (in the
   * options or with `setQuality`) is captured at the cap.
   */
  quality: QualityName;
  /**
   * The most the stream's quality preset allows (the server caps the bitrate
   * it takes and the top HLS rung to it): a quality picker offers only the
   * qualities up to this one. Read from the server when the camera opens
   * (`preview`, or `publish` without one), or when a screen is shared before
   * it (read while the picker is open; the screen is scaled down to it once
   * read); null until then, and when unknown (publishing through the host
   * app's own `signalling`, or the stream could never be read): nothing is
   * capped. A read that fails keeps the cap read before.
   *
   * @example
   * ```ts
   * const { maxQuality } = publisher.getSnapshot();
   * const offered = (Object.keys(QUALITY_PRESETS) as QualityName[]).filter(
   *   (q) => !maxQuality || QUALITY_PRESETS[q].height <= QUALITY_PRESETS[maxQuality].height,
   * );
   * ```
   */
  maxQuality: QualityName | null;
  stats: PublisherStats | null;
  /** Reconnection attempts made since the connection was lost (0 while connected). */
  reconnectAttempt: number;
}

/**
 * What a broadcaster UI drives: the `Publisher`, or a stand-in with the
 * same state (Storybook, tests, a host app's own engine).
 */
export interface PublisherControls {
  subscribe(listener: (state: PublisherState) => void): () => void;
  getSnapshot(): PublisherState;
  preview(): Promise<MediaStream>;
  publish(): Promise<void>;
  stop(): Promise<void>;
  setCamera(deviceId: string): Promise<void>;
  setMicrophone(deviceId: string): Promise<void>;
  setAudioMuted(muted: boolean): void;
  setVideoMuted(muted: boolean): void;
  startScreenShare(options?: { withCamera?: boolean }): Promise<void>;
  stopScreenShare(): Promise<void>;
  /** Optional: a stand-in engine without it offers no camera corner while sharing. */
  setCameraOverScreen?(on: boolean): Promise<void>;
  setQuality(quality: QualityName): Promise<void>;
}

/** The state of a `Publisher` before anything starts (for hooks and stand-in engines). */
export const PUBLISHER_IDLE_STATE: Readonly<PublisherState> = {
  status: 'idle',
  mediaStream: null,
  error: null,
  cameras: [],
  microphones: [],
  cameraId: null,
  microphoneId: null,
  audioMuted: false,
  videoMuted: false,
  screenSharing: false,
  cameraOverScreen: false,
  quality: '720p',
  maxQuality: null,
  stats: null,
  reconnectAttempt: 0,
};
