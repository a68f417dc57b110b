import { OnAirError } from '../errors.js';
import { Subscribable } from '../subscribable.js';
import type { OnAirClient } from '../transport/client.js';
import {
  connectThrough,
  loadDevice,
  realtimeSignalling,
  transportOptions,
} from '../transport/media-signalling.js';
import { SdpOverHttpSession } from '../transport/sdp-over-http.js';
import { type CaptureDevice, mediaError, QUALITY_PRESETS, type QualityName } from './capture.js';
import type { EngineKit } from './engine-kit.js';
import type { PublisherEngine } from './publisher-engine.js';
import type { PublisherOptions } from './publisher-options.js';
import {
  PUBLISHER_IDLE_STATE,
  type PublisherControls,
  type PublisherState,
} from './publisher-state.js';
import { videoEncodings } from './sender.js';
import { summariseStats } from './stats.js';

/** The shared code the publishing chunk uses, handed to it rather than imported by it (see `EngineKit`). */
const ENGINE_KIT: EngineKit = {
  OnAirError,
  mediaError,
  QUALITY_PRESETS,
  realtimeSignalling,
  loadDevice,
  connectThrough,
  transportOptions,
  videoEncodings,
  SdpOverHttpSession,
  summariseStats,
};

/**
 * Captures camera (or screen) and microphone and publishes them to a live
 * stream with mediasoup-client (loaded on first publish). While live it can
 * switch devices (no renegotiation: the sender's track is replaced), mute,
 * share the screen with or without the camera in a corner, change quality,
 * report what it sends every second, and reconnect with backoff when the
 * connection drops (`reconnecting`). It captures no more than the stream's
 * quality preset allows (`maxQuality`), read from the server when capture opens.
 *
 * Its capture and publishing code is a chunk of its own, loaded on the
 * first call that needs it (`preview`, `publish`, `refreshDevices`,
 * `setCamera`, ...), so a page that never publishes never downloads it.
 * Creating a Publisher, `subscribe`, `getSnapshot`, the mute setters and
 * `stop` work without it; a failed load rejects with `NETWORK`.
 *
 * @example
 * ```ts
 * const publisher = new Publisher(client, { streamId, quality: '720p' });
 * video.srcObject = await publisher.preview();
 * await publisher.publish();
 * await publisher.setCamera(otherCameraId);
 * ```
 */
export class Publisher extends Subscribable<PublisherState> implements PublisherControls {
  protected snapshot: PublisherState;
  readonly #client: OnAirClient;
  readonly #options: PublisherOptions;
  #engine: PublisherEngine | undefined;
  #loading: Promise<PublisherEngine> | undefined;
  #destroyed = false;

  constructor(client: OnAirClient, options: PublisherOptions) {
    super();
    this.#client = client;
    this.#options = options;
    this.snapshot = { ...PUBLISHER_IDLE_STATE, quality: options.quality ?? '720p' };
  }

  /**
   * Loads the capture and publishing code now rather than on first use
   * (say, when the broadcaster's page opens), so `preview` starts at once.
   */
  async load(): Promise<void> {
    await this.#load();
  }

  #load(): Promise<PublisherEngine> {
    this.#loading ??= import('./publisher-engine.js').then(
      ({ PublisherEngine }) => {
        if (this.#destroyed) throw new OnAirError('CONFLICT', 'Publisher was destroyed');
        this.#engine ??= new PublisherEngine(
          this.#client,
          this.#options,
          {
            state: () => this.snapshot,
            update: (patch) => this.#update(patch),
          },
          ENGINE_KIT,
        );
        return this.#engine;
      },
      (error: unknown) => {
        // Another call may try again (the chunk failed to download, say).
        this.#loading = undefined;
        throw new OnAirError('NETWORK', 'Could not load the publisher', undefined, {
          cause: error,
        });
      },
    );
    return this.#loading;
  }

  get #devices(): MediaDevices | undefined {
    return this.#options.mediaDevices ?? globalThis.navigator?.mediaDevices;
  }

  readonly #onDeviceChange = () => void this.refreshDevices().catch(() => undefined);

  protected override onSubscribe(): void {
    this.#devices?.addEventListener?.('devicechange', this.#onDeviceChange);
  }

  protected override onUnsubscribe(): void {
    this.#devices?.removeEventListener?.('devicechange', this.#onDeviceChange);
  }

  /**
   * Lists cameras and microphones. Labels are empty until permission is
   * granted; the lists refresh after capture starts and on `devicechange`.
   */
  async refreshDevices(): Promise<{ cameras: CaptureDevice[]; microphones: CaptureDevice[] }> {
    return (await this.#load()).refreshDevices();
  }

  /** Opens camera and microphone (asking permission) and returns the preview stream. */
  async preview(): Promise<MediaStream> {
    const engine = await this.#load().catch((error: unknown) => this.#fail(error));
    return engine.preview();
  }

  /** Publishes the preview tracks (opening them first if needed). */
  async publish(): Promise<void> {
    const engine = await this.#load().catch((error: unknown) => this.#fail(error));
    await engine.publish();
  }

  /**
   * Switches to another camera, live or not (the sender's track is replaced:
   * no renegotiation). Where the microphone opened without a camera (it could
   * not open beside a shared screen), opens this one: it replaces the black
   * picture and clears `error`. Before any capture, the preview opens it.
   */
  async setCamera(deviceId: string): Promise<void> {
    await (await this.#load()).setCamera(deviceId);
  }

  /** Switches to another microphone, live or not. */
  async setMicrophone(deviceId: string): Promise<void> {
    await (await this.#load()).setMicrophone(deviceId);
  }

  /** Mutes or unmutes the microphone (viewers hear silence; the stream goes on). */
  setAudioMuted(muted: boolean): void {
    if (this.#engine) this.#engine.setAudioMuted(muted);
    else this.#update({ audioMuted: muted });
  }

  /** Turns the picture off or on (viewers see black; the stream and its recording go on). */
  setVideoMuted(muted: boolean): void {
    if (this.#engine) this.#engine.setVideoMuted(muted);
    else this.#update({ videoMuted: muted });
  }

  /**
   * Shares a screen, window or tab instead of the camera; with
   * `withCamera`, the camera shows in a corner. Ends by itself when the user
   * stops sharing from the browser's own controls. Call it from the user's
   * click (browsers ask for one). The screen is captured no larger than
   * `quality` (scaled down keeping its shape); shared before any preview, the
   * stream's preset is read meanwhile and caps it (`maxQuality`). It is not
   * the preview: `preview()` and `publish()` still open the microphone and
   * camera (the microphone alone where there is no camera, or it is refused).
   * A `stop()` while the user chooses rejects with `CONFLICT` and lets go of
   * what was chosen.
   */
  async startScreenShare(options: { withCamera?: boolean } = {}): Promise<void> {
    await (await this.#load()).startScreenShare(options);
  }

  /**
   * Goes back to the camera. Where there is none (it could not open beside
   * the screen: the microphone opened alone), the video becomes a black
   * picture: viewers see black rather than the screen's last frame, and the
   * stream and its recording go on until a screen is shared again. Shared
   * before any preview, the camera opens with the next `preview()`.
   */
  async stopScreenShare(): Promise<void> {
    await this.#engine?.stopScreenShare();
  }

  /**
   * While sharing, shows the camera in the screen's corner or takes it away
   * (`cameraOverScreen` says which), live or not: viewers see the change at
   * once. Nothing happens when not sharing or without a camera.
   */
  async setCameraOverScreen(on: boolean): Promise<void> {
    await this.#engine?.setCameraOverScreen(on);
  }

  /**
   * Changes the capture quality (size, frame rate, bitrate), live or not. One
   * above the stream's preset (`maxQuality` in the snapshot) is captured at the
   * preset: the snapshot's `quality` says which. While sharing, the screen is
   * resized too (with the camera over it, the drawing is made again: the
   * snapshot's `mediaStream` is a new one).
   */
  async setQuality(quality: QualityName): Promise<void> {
    if (!(quality in QUALITY_PRESETS)) {
      throw new OnAirError('BAD_REQUEST', `Unknown quality ${String(quality)}`);
    }
    if (this.#engine) await this.#engine.setQuality(quality);
    // Nothing captures yet: the quality applies when capture starts.
    else this.#update({ quality });
  }

  /** Stops publishing and releases camera, microphone and screen. */
  async stop(): Promise<void> {
    // A load under way may be about to open the camera: stop after it.
    const engine = this.#engine ?? (await this.#loading?.catch(() => undefined));
    if (engine) await engine.stop();
    else this.#update({ status: 'ended', error: null, stats: null, reconnectAttempt: 0 });
  }

  /** Stops everything. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.onUnsubscribe();
    if (this.#engine) this.#engine.destroy();
    else void this.stop();
  }

  async #fail(error: unknown): Promise<never> {
    const typed = mediaError(error);
    this.#update({ status: 'failed', error: typed });
    throw typed;
  }

  #update(patch: Partial<PublisherState>): void {
    this.setSnapshot({ ...this.snapshot, ...patch });
  }
}
