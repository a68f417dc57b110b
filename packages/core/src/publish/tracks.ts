import type { VideoSource } from '@onair/protocol';
import type { OnAirError } from '../errors.js';
import type { CaptureDevice, QualityName, QualityPreset } from './capture.js';
import { black, type Compositor, composite } from './compositor.js';
import { kit } from './engine-kit.js';
import type { OutgoingTracks } from './sender.js';

/** The Publisher's options that say what to capture. */
export interface CaptureOptions {
  video?: boolean | MediaTrackConstraints;
  audio?: boolean | MediaTrackConstraints;
  maxFrameRate?: number;
  mediaDevices?: MediaDevices;
}

/**
 * The tracks a Publisher captures: camera and microphone, and a shared
 * screen with, if asked, the camera drawn in its corner. It opens, switches
 * and stops them; what is sent and shown is the Publisher's business.
 */
export class Capture implements OutgoingTracks {
  camera: MediaStreamTrack | undefined;
  microphone: MediaStreamTrack | undefined;
  screen: MediaStreamTrack | undefined;
  /** Why the camera did not open beside a shared screen (the microphone opened alone), if it did not. */
  cameraError: OnAirError | undefined;
  #compositor: Compositor | undefined;
  /** What shares not yet settled stop once they are: what `stop()` stops meanwhile too. */
  readonly #unsettled = new Set<() => void>();
  readonly #options: CaptureOptions;

  constructor(options: CaptureOptions) {
    this.#options = options;
  }

  /** The track sent as video: the screen (maybe with the camera in a corner) or the camera. */
  get video(): MediaStreamTrack | undefined {
    return this.#compositor?.track ?? this.screen ?? this.camera;
  }

  get source(): VideoSource {
    return this.screen ? 'screen' : 'camera';
  }

  get audio(): MediaStreamTrack | undefined {
    return this.microphone;
  }

  /** What a preview shows: the outgoing video and the microphone. */
  get tracks(): MediaStreamTrack[] {
    return [this.video, this.microphone].filter((t): t is MediaStreamTrack => t !== undefined);
  }

  /** `navigator.mediaDevices` (or the stand-in), where there is one. */
  get devices(): MediaDevices | undefined {
    return this.#options.mediaDevices ?? globalThis.navigator?.mediaDevices;
  }

  get #capturing(): MediaDevices {
    const devices = this.devices;
    if (!devices?.getUserMedia) {
      throw new kit.OnAirError(
        'NOT_SUPPORTED',
        'This browser cannot capture media (is the page served over HTTPS?)',
      );
    }
    return devices;
  }

  #frameRate(preset: QualityPreset): number {
    return this.#options.maxFrameRate ?? preset.frameRate;
  }

  /** The camera constraints of a quality: its size and frame rate, as ideals. */
  #sizeAndRate(quality: QualityName): MediaTrackConstraints {
    const preset = kit.QUALITY_PRESETS[quality];
    return {
      width: { ideal: preset.width },
      height: { ideal: preset.height },
      frameRate: { ideal: this.#frameRate(preset) },
    };
  }

  /** At most the quality's size, scaled down keeping the screen's shape (never cropped). */
  #screenSizeAndRate(
    quality: QualityName,
  ): MediaTrackConstraints & { resizeMode: 'crop-and-scale' | 'none' } {
    const preset = kit.QUALITY_PRESETS[quality];
    return {
      width: { max: preset.width },
      height: { max: preset.height },
      frameRate: { ideal: this.#frameRate(preset) },
      // Without it, Chrome meets a later size change by leaving the picture as it is.
      resizeMode: 'crop-and-scale',
    };
  }

  videoConstraints(quality: QualityName, deviceId: string | null): MediaTrackConstraints | false {
    const { video } = this.#options;
    if (video === false) return false;
    return {
      ...this.#sizeAndRate(quality),
      ...(typeof video === 'object' ? video : {}),
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    };
  }

  audioConstraints(deviceId: string | null): MediaTrackConstraints | false {
    const { audio } = this.#options;
    if (audio === false) return false;
    return {
      ...(typeof audio === 'object' ? audio : {}),
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    };
  }

  /** Cameras and microphones (labels are empty until permission is granted). */
  async listDevices(): Promise<{ cameras: CaptureDevice[]; microphones: CaptureDevice[] }> {
    const devices = (await this.devices?.enumerateDevices?.()) ?? [];
    const pick = (kind: MediaDeviceKind) =>
      devices
        .filter((d) => d.kind === kind && d.deviceId)
        .map((d) => ({ deviceId: d.deviceId, label: d.label }));
    return { cameras: pick('videoinput'), microphones: pick('audioinput') };
  }

  /**
   * Opens camera and microphone (asking permission); with a screen shared, the microphone
   * alone when the camera cannot open (`cameraError` says why). Rejects with the browser's
   * own error.
   */
  async open(
    quality: QualityName,
    cameraId: string | null,
    microphoneId: string | null,
  ): Promise<void> {
    const video = this.videoConstraints(quality, cameraId);
    const audio = this.audioConstraints(microphoneId);
    const devices = this.#capturing;
    this.cameraError = undefined;
    const captured = await devices.getUserMedia({ video, audio }).catch((error: unknown) => {
      // A screen shared already is the picture: with no camera (none, refused, busy), the
      // microphone alone, and the reason kept for the user.
      if (!this.screen || !video || !audio) throw error;
      const { code, message } = kit.mediaError(error);
      this.cameraError = new kit.OnAirError(
        code,
        `The camera did not open: ${message}`,
        undefined,
        { cause: error },
      );
      return devices.getUserMedia({ audio });
    });
    this.camera = captured.getVideoTracks()[0];
    this.microphone = captured.getAudioTracks()[0];
  }

  /**
   * Opens another camera and hands it to `send` before the old one stops (a
   * sender whose track ended may not take a new one up again). Resolves with
   * the new camera.
   */
  async switchCamera(
    constraints: MediaTrackConstraints,
    muted: boolean,
    overScreen: boolean,
    send: (track: MediaStreamTrack) => Promise<void> | undefined,
  ): Promise<MediaStreamTrack> {
    const open = async () =>
      (await this.#capturing.getUserMedia({ video: constraints })).getVideoTracks()[0];
    const old = this.camera;
    let track: MediaStreamTrack | undefined;
    try {
      track = await open();
    } catch (error) {
      const typed = kit.mediaError(error);
      if (typed.code !== 'DEVICE_IN_USE') throw typed;
      // Some cameras cannot be open twice: free the old one and try again.
      old?.stop();
      track = await open().catch((again: unknown) => {
        throw kit.mediaError(again);
      });
    }
    if (!track) throw new kit.OnAirError('DEVICE_NOT_FOUND', 'The camera gave no video');
    track.enabled = !muted;
    this.camera = track;
    this.#compositor?.stop();
    this.#compositor = undefined;
    if (this.screen && overScreen) this.#compositor = composite(this.screen, track);
    await send(this.video ?? track);
    old?.stop();
    return track;
  }

  /** Opens another microphone, hands it to `send`, then stops the old one. */
  async switchMicrophone(
    constraints: MediaTrackConstraints,
    muted: boolean,
    send: (track: MediaStreamTrack) => Promise<void> | undefined,
  ): Promise<MediaStreamTrack> {
    let track: MediaStreamTrack | undefined;
    try {
      track = (await this.#capturing.getUserMedia({ audio: constraints })).getAudioTracks()[0];
    } catch (error) {
      throw kit.mediaError(error);
    }
    if (!track) throw new kit.OnAirError('DEVICE_NOT_FOUND', 'The microphone gave no audio');
    track.enabled = !muted;
    const old = this.microphone;
    this.microphone = track;
    await send(track);
    old?.stop();
    return track;
  }

  setAudioMuted(muted: boolean): void {
    if (this.microphone) this.microphone.enabled = !muted;
  }

  setVideoMuted(muted: boolean): void {
    for (const track of [this.camera, this.screen]) if (track) track.enabled = !muted;
  }

  /**
   * Asks for a screen, window or tab to share, instead of the camera or with
   * the camera in its corner. `onEnded` is called when the user stops sharing
   * from the browser's own controls. The picture before it (the camera, a
   * screen shared before, a black picture) goes on until the share is settled:
   * resolves with `settle`, to call once with `true` when the screen's picture
   * is sent (the one before stops; a sender whose track ended may not take a
   * new one up again) or `false` to go back to the one before (the screen
   * stops). A screen stopped or replaced since lets go of the one before.
   */
  async shareScreen(
    quality: QualityName,
    withCamera: boolean,
    muted: boolean,
    onEnded: () => void,
  ): Promise<(sent: boolean) => void> {
    const devices = this.#capturing;
    if (!devices.getDisplayMedia) {
      throw new kit.OnAirError('NOT_SUPPORTED', 'This browser cannot share the screen');
    }
    let screen: MediaStreamTrack | undefined;
    try {
      const captured = await devices.getDisplayMedia({
        video: this.#screenSizeAndRate(quality),
        audio: false,
      });
      screen = captured.getVideoTracks()[0];
    } catch (error) {
      throw kit.mediaError(error);
    }
    if (!screen) throw new kit.OnAirError('DEVICE_NOT_FOUND', 'Nothing was shared');
    const before = { screen: this.screen, compositor: this.#compositor };
    this.screen = screen;
    screen.contentHint = 'detail';
    screen.enabled = !muted;
    screen.addEventListener('ended', () => {
      if (this.screen === screen) onEnded();
    });
    this.#compositor = withCamera && this.camera ? composite(screen, this.camera) : undefined;
    const release = () => {
      before.compositor?.stop();
      before.screen?.stop();
    };
    this.#unsettled.add(release);
    return (sent) => {
      this.#unsettled.delete(release);
      // Sent, or gone since (stopped, or another share took its place): the one before stops.
      if (sent || this.screen !== screen) return release();
      // Back to the picture before; this screen and its drawing stop.
      this.stopScreen();
      this.screen = before.screen;
      this.#compositor = before.compositor;
      // The screen before was stopped from the browser meanwhile (its end went unheard).
      if (before.screen?.readyState === 'ended') onEnded();
    };
  }

  /**
   * While sharing: the camera in the screen's corner (when there is a
   * camera), or not. Returns what stops the picture made before: call it
   * once `video` is sent instead (a sender whose track ended may not take a
   * new one up again).
   */
  overlayCamera(on: boolean): () => void {
    const before = this.#compositor;
    this.#compositor =
      on && this.screen && this.camera ? composite(this.screen, this.camera) : undefined;
    return () => before?.stop();
  }

  /**
   * The microphone open without a camera or a screen (the camera could not open beside a
   * screen since stopped): the video is a black picture (see `black`) at `quality`'s size and
   * rate, so there is one to send. `again`: one drawn already is drawn afresh, and what stops
   * it is returned (call it once the new one is sent).
   */
  showBlackIfBlind(quality: QualityName, again = false): (() => void) | undefined {
    const before = this.#compositor;
    if (this.camera || this.screen || !this.microphone || (before && !again)) return;
    if (this.#options.video === false) return;
    const preset = kit.QUALITY_PRESETS[quality];
    this.#compositor = black(preset.width, preset.height, this.#frameRate(preset));
    return () => before?.stop();
  }

  stopScreen(): void {
    this.#compositor?.stop();
    this.#compositor = undefined;
    this.screen?.stop();
    this.screen = undefined;
  }

  /** New size and frame rate for the camera, and for the screen while sharing. */
  async applyQuality(quality: QualityName): Promise<void> {
    // Both asked at once: a camera that refuses does not keep the screen from resizing.
    await Promise.all([
      this.camera?.applyConstraints(this.#sizeAndRate(quality)),
      this.screen?.applyConstraints(this.#screenSizeAndRate(quality)),
    ]).catch((error: unknown) => {
      throw kit.mediaError(error);
    });
  }

  /** Stops every track. */
  stop(): void {
    for (const release of this.#unsettled) release();
    this.#unsettled.clear();
    this.stopScreen();
    for (const track of [this.camera, this.microphone]) track?.stop();
    this.camera = undefined;
    this.microphone = undefined;
  }
}
