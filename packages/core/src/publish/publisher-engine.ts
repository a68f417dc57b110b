import type { types as MediasoupTypes } from 'mediasoup-client';
import type { OnAirError } from '../errors.js';
import type { OnAirClient } from '../transport/client.js';
import type { MediaSignalling } from '../transport/media-signalling.js';
import type { CaptureDevice, QualityName } from './capture.js';
import { type EngineKit, kit } from './engine-kit.js';
import type { PublisherOptions } from './publisher-options.js';
import type { PublisherControls, PublisherState } from './publisher-state.js';
import { SendStats } from './send-stats.js';
import type { MediaSender } from './sender.js';
import { SfuSender, sfuDevice } from './sfu-sender.js';
import { Capture } from './tracks.js';
import { WhipSender } from './whip-sender.js';

/*
 * The working parts of a Publisher: capture, the publishing session and its
 * reconnection. A module of its own so that it loads (as a chunk of its own)
 * when a Publisher first needs it, and a page that only watches never does.
 */

/** What the engine reads and writes of its Publisher: the state listeners see. */
export interface PublisherHost {
  state(): PublisherState;
  update(patch: Partial<PublisherState>): void;
}

/** Errors that another attempt cannot fix. */
const FINAL_ERRORS = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'STREAM_NOT_LIVE', 'NOT_FOUND']);

/**
 * Captures, publishes and reconnects for a {@link Publisher}, which creates
 * it on first use and forwards its controls here; the state it changes is
 * the Publisher's.
 */
export class PublisherEngine implements Omit<PublisherControls, 'subscribe' | 'getSnapshot'> {
  readonly #host: PublisherHost;
  readonly #client: OnAirClient;
  readonly #options: PublisherOptions;
  readonly #signalling: MediaSignalling;
  readonly #capture: Capture;
  readonly #device: () => Promise<MediasoupTypes.Device>;
  /** The publishing session, whichever way it is sent. */
  #sender: MediaSender | undefined;
  // While live only: a reading that arrives after the session left `live` is dropped.
  readonly #sendStats = new SendStats(
    () => this.#sender,
    (stats) => {
      if (this.#state.status === 'live') this.#update({ stats });
    },
  );
  #destroyed = false;
  #offServerClose: (() => void) | undefined;
  #offReconnect: (() => void) | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #disconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped whenever a session is torn down: stale callbacks compare it. */
  #session = 0;
  /** Bumped by every stop: a preview still opening when it changes gives up. */
  #stops = 0;
  /** The preview being opened, and the stops before it: a second call while it opens joins it. */
  #opening: { stops: number; promise: Promise<MediaStream> } | undefined;

  constructor(
    client: OnAirClient,
    options: PublisherOptions,
    host: PublisherHost,
    shared: EngineKit,
  ) {
    Object.assign(kit, shared);
    this.#host = host;
    this.#client = client;
    this.#options = options;
    this.#signalling = options.signalling ?? kit.realtimeSignalling(client.realtime);
    this.#capture = new Capture(options);
    this.#device = sfuDevice(this.#signalling, options.streamId, options.handlerFactory);
  }

  get #state(): PublisherState {
    return this.#host.state();
  }

  get #maxBitrate(): number {
    return this.#options.maxVideoBitrate ?? kit.QUALITY_PRESETS[this.#state.quality].maxBitrate;
  }

  /**
   * Lists cameras and microphones. Labels are empty until permission is
   * granted; the lists refresh after capture starts and on `devicechange`.
   */
  async refreshDevices(): Promise<{ cameras: CaptureDevice[]; microphones: CaptureDevice[] }> {
    const devices = await this.#capture.listDevices();
    if (!this.#destroyed) this.#update(devices);
    return devices;
  }

  /** Opens camera and microphone (asking permission) and returns the preview stream. */
  async preview(): Promise<MediaStream> {
    // A screen shared first is not a preview: camera and microphone still open.
    const { camera, microphone } = this.#capture;
    if (this.#state.mediaStream && (camera || microphone)) return this.#state.mediaStream;
    const stops = this.#stops;
    const current = this.#opening;
    // Two openings at once would each open a camera and leak one: a second call joins the first.
    if (current?.stops === stops) return current.promise;
    // One that a stop abandoned may still be opening (its tracks are the capture's until it
    // lets go of them): this one starts once it has settled.
    const promise = (current?.promise.catch(() => undefined) ?? Promise.resolve()).then(() =>
      this.#openPreview(stops),
    );
    const opening = { stops, promise };
    this.#opening = opening;
    const settled = () => {
      if (this.#opening === opening) this.#opening = undefined;
    };
    promise.then(settled, settled);
    return promise;
  }

  /** Opens the preview unless a stop comes after the `stops` it was asked at. */
  async #openPreview(stops: number): Promise<MediaStream> {
    const capture = this.#capture;
    // A stop() or destroy() since it was asked: open nothing more, release what was opened, and
    // leave the state as the stop left it.
    const abandoned = () => this.#stoppedSince(stops);
    const stopped = () => new kit.OnAirError('CONFLICT', 'Stopped');
    try {
      if (abandoned()) throw stopped();
      const maxQuality = await this.#readMaxQuality();
      if (abandoned()) throw stopped();
      this.#capTo(maxQuality);
      const { quality, cameraId, microphoneId, audioMuted, videoMuted } = this.#state;
      await capture.open(quality, cameraId, microphoneId);
      if (abandoned()) {
        capture.stop();
        throw stopped();
      }
      // The screen stopped while the microphone opened alone: black, as stopScreenShare draws.
      capture.showBlackIfBlind(quality);
      // Muted before the tracks existed (or before this engine loaded): they start muted.
      capture.setAudioMuted(audioMuted);
      capture.setVideoMuted(videoMuted);
      this.#update({
        status: 'previewing',
        // Shared screen and microphone, but no camera: previewing, and told why.
        error: capture.cameraError ?? null,
        cameraId: capture.camera?.getSettings().deviceId ?? null,
        microphoneId: capture.microphone?.getSettings().deviceId ?? null,
      });
      this.#refreshPreview();
      await this.refreshDevices();
      if (abandoned()) throw stopped();
      const stream: MediaStream | null = this.#state.mediaStream;
      if (!stream)
        throw new kit.OnAirError('DEVICE_NOT_FOUND', 'No camera or microphone was opened');
      return stream;
    } catch (error) {
      if (abandoned()) throw stopped();
      return this.#fail(error);
    }
  }

  /**
   * The stream's quality preset as the server has it now: it caps the capture (the server caps
   * its bitrate and ladder to it). None through a host app's own signalling; the one known
   * before (none at first) when it cannot be read.
   */
  #readMaxQuality(): Promise<QualityName | null> {
    if (this.#options.signalling) return Promise.resolve(null);
    return this.#client.streams.get(this.#options.streamId).then(
      (stream) => stream.qualityPreset,
      () => this.#state.maxQuality,
    );
  }

  #capTo(maxQuality: QualityName | null): void {
    this.#update({ maxQuality });
    this.#update({ quality: this.#cap(this.#state.quality) });
  }

  /** Whether a stop() or destroy() came since `stops` was counted. */
  #stoppedSince(stops: number): boolean {
    return this.#destroyed || stops !== this.#stops;
  }

  /** `quality`, or the stream's preset where `quality` is taller. */
  #cap(quality: QualityName): QualityName {
    const max = this.#state.maxQuality;
    const presets = kit.QUALITY_PRESETS;
    return max && presets[quality].height > presets[max].height ? max : quality;
  }

  #refreshPreview(): void {
    const tracks = this.#capture.tracks;
    this.#update({ mediaStream: tracks.length > 0 ? new MediaStream(tracks) : null });
  }

  /** Publishes the preview tracks (opening them first if needed). */
  async publish(): Promise<void> {
    const { status } = this.#state;
    if (status === 'live' || status === 'connecting' || status === 'reconnecting') return;
    await this.preview();
    this.#update({ status: 'connecting', error: null, reconnectAttempt: 0 });
    try {
      await this.#connect();
      this.#update({ status: 'live' });
      this.#sendStats.start();
      this.#watchRealtime();
    } catch (error) {
      this.#teardownSession();
      await this.#fail(error);
    }
  }

  // One publishing session: over the SFU (mediasoup model) or to a WHIP endpoint.
  async #connect(): Promise<void> {
    const session = ++this.#session;
    const onState = (state: RTCPeerConnectionState) => {
      if (session !== this.#session) return;
      clearTimeout(this.#disconnectTimer);
      if (state === 'failed') {
        this.#lostConnection(new kit.OnAirError('NETWORK', 'Media connection failed'));
      }
      // ICE may recover from `disconnected` on its own: give it a few seconds.
      if (state === 'disconnected') {
        this.#disconnectTimer = setTimeout(
          () => this.#lostConnection(new kit.OnAirError('NETWORK', 'Media connection lost')),
          3000,
        );
      }
    };
    const { whip, simulcast = false, maxFrameRate, codec = 'h264' } = this.#options;
    const sending = { maxBitrate: () => this.#maxBitrate, simulcast, maxFrameRate, codec };
    const sender = whip
      ? new WhipSender(whip, this.#capture, sending)
      : new SfuSender({
          signalling: this.#signalling,
          streamId: this.#options.streamId,
          device: this.#device,
          tracks: this.#capture,
          sending,
          onTransport: (transportId) => this.#watchServerClose(transportId),
        });
    this.#sender = sender;
    await sender.connect(onState);
  }

  // The server ends a session (key rotated, stream ended) by closing our transport.
  #watchServerClose(transportId: string): void {
    if (this.#options.signalling) return;
    this.#offServerClose?.();
    this.#offServerClose = this.#client.realtime.on('media:transportClosed', (closed) => {
      if (closed.transportId !== transportId) return;
      if (closed.reason === 'failed') {
        this.#lostConnection(new kit.OnAirError('NETWORK', 'The media server lost the connection'));
        return;
      }
      this.#teardownSession();
      this.#stopCapture();
      if (closed.reason === 'stream-ended') {
        this.#update({ status: 'ended', stats: null });
      } else {
        this.#update({
          status: 'failed',
          stats: null,
          error: new kit.OnAirError(
            'UNAUTHORIZED',
            'The stream key was rotated: this publishing session ended',
          ),
        });
      }
    });
  }

  // The server closes a connection's transports when its socket drops (even one socket.io
  // then recovers), and the media path may look alive for a while: publish again.
  #watchRealtime(): void {
    if (this.#options.signalling || this.#options.whip || this.#offReconnect) return;
    this.#offReconnect = this.#client.realtime.onReconnect(
      () => {
        if (this.#state.status === 'live') {
          this.#lostConnection(new kit.OnAirError('NETWORK', 'The realtime connection was lost'));
        }
      },
      { recovered: true },
    );
  }

  #lostConnection(error: OnAirError): void {
    const { status } = this.#state;
    if (this.#destroyed || (status !== 'live' && status !== 'reconnecting')) return;
    if (status === 'reconnecting' && this.#reconnectTimer) return;
    this.#teardownSession();
    this.#update({ status: 'reconnecting', error, stats: null });
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const attempts = this.#options.reconnect?.attempts ?? 8;
    const attempt = this.#state.reconnectAttempt;
    if (attempt >= attempts) {
      this.#stopCapture();
      this.#update({
        status: 'failed',
        error: new kit.OnAirError('NETWORK', `Could not reconnect after ${attempts} attempts`),
      });
      return;
    }
    const initial = this.#options.reconnect?.initialDelayMs ?? 500;
    const max = this.#options.reconnect?.maxDelayMs ?? 8000;
    const delay = Math.min(max, initial * 2 ** attempt);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#reconnect();
    }, delay);
  }

  async #reconnect(): Promise<void> {
    if (this.#destroyed || this.#state.status !== 'reconnecting') return;
    this.#update({ reconnectAttempt: this.#state.reconnectAttempt + 1 });
    try {
      await this.#connect();
      if (this.#state.status !== 'reconnecting') return;
      this.#update({ status: 'live', error: null, reconnectAttempt: 0 });
      this.#sendStats.start();
    } catch (error) {
      this.#teardownSession();
      const typed = kit.mediaError(error);
      if (FINAL_ERRORS.has(typed.code)) {
        this.#stopCapture();
        this.#update({ status: 'failed', error: typed });
        return;
      }
      this.#update({ error: typed });
      this.#scheduleReconnect();
    }
  }

  /** Switches to another camera, live or not (the sender's track is replaced: no renegotiation). */
  async setCamera(deviceId: string): Promise<void> {
    const constraints = this.#capture.videoConstraints(this.#state.quality, deviceId);
    if (!constraints) throw new kit.OnAirError('BAD_REQUEST', 'This publisher sends no video');
    const capture = this.#capture;
    // Nothing open yet: the preview opens this one. The microphone open without a camera (it
    // could not open beside a screen): this one opens now, in place of the black picture.
    if (!capture.camera && !capture.microphone) {
      this.#update({ cameraId: deviceId });
      return;
    }
    const { videoMuted, cameraOverScreen, error } = this.#state;
    const track = await capture.switchCamera(constraints, videoMuted, cameraOverScreen, (t) =>
      this.#sender?.video?.replace(t),
    );
    this.#update({ cameraId: track.getSettings().deviceId ?? deviceId });
    // Why the camera did not open is told no more.
    if (error && error === capture.cameraError) this.#update({ error: null });
    this.#refreshPreview();
  }

  /** Switches to another microphone, live or not. */
  async setMicrophone(deviceId: string): Promise<void> {
    const constraints = this.#capture.audioConstraints(deviceId);
    if (!constraints) throw new kit.OnAirError('BAD_REQUEST', 'This publisher sends no audio');
    if (!this.#capture.microphone) {
      this.#update({ microphoneId: deviceId });
      return;
    }
    const track = await this.#capture.switchMicrophone(constraints, this.#state.audioMuted, (t) =>
      this.#sender?.audio?.replace(t),
    );
    this.#update({ microphoneId: track.getSettings().deviceId ?? deviceId });
    this.#refreshPreview();
  }

  /** Mutes or unmutes the microphone (viewers hear silence; the stream goes on). */
  setAudioMuted(muted: boolean): void {
    this.#capture.setAudioMuted(muted);
    this.#update({ audioMuted: muted });
  }

  /** Turns the picture off or on (viewers see black; the stream and its recording go on). */
  setVideoMuted(muted: boolean): void {
    this.#capture.setVideoMuted(muted);
    this.#update({ videoMuted: muted });
  }

  /**
   * Shares a screen, window or tab instead of the camera; with
   * `withCamera`, the camera shows in a corner. Ends by itself when the user
   * stops sharing from the browser's own controls.
   */
  async startScreenShare(options: { withCamera?: boolean } = {}): Promise<void> {
    const capture = this.#capture;
    const stops = this.#stops;
    // Shared before any preview, the preset is unread: read while the picker is open (which
    // must open first, from the user's click: Safari and Firefox want its activation), then
    // it caps the screen as it would the camera.
    const preset = capture.camera ? undefined : this.#readMaxQuality();
    const { quality, videoMuted } = this.#state;
    const settle = await capture.shareScreen(
      quality,
      options.withCamera ?? false,
      videoMuted,
      () => void this.stopScreenShare(),
    );
    const chosen = capture.screen;
    // Stopped while the user chose or since (the browser's "Stop sharing" too), or shared again:
    // what they chose is let go of, and nothing more is sent.
    const abandoned = () => {
      if (capture.screen !== chosen || this.#stoppedSince(stops)) {
        throw new kit.OnAirError('CONFLICT', 'Stopped');
      }
    };
    try {
      abandoned();
      if (preset) {
        const max = await preset;
        abandoned();
        this.#capTo(max);
        if (this.#state.quality !== quality) await capture.applyQuality(this.#state.quality);
        abandoned();
      }
      await this.#sender?.video?.replace(capture.video as MediaStreamTrack, 'screen');
      abandoned();
    } catch (error) {
      const back = capture.screen === chosen && !this.#stoppedSince(stops);
      settle(false);
      // Failed on the way (the screen would not resize, the sender refused it): the picture
      // before it (the camera, a screen shared before, black) goes on, at the quality the
      // stream's preset may have lowered meanwhile (a screen before is asked to shrink), and is
      // sent again (the sender may hold the new screen: its source may be what failed, or
      // another control sent it meanwhile). Where only the microphone is left: black.
      if (back) {
        if (this.#state.quality !== quality) {
          await capture.applyQuality(this.#state.quality).catch(() => undefined);
        }
        await this.#resend(quality, true).catch(() => undefined);
        await this.#sendMaxBitrate().catch(() => undefined);
      }
      throw error;
    }
    settle(true);
    this.#update({ screenSharing: true, cameraOverScreen: capture.video !== capture.screen });
    this.#refreshPreview();
    // Shared already: a refused cap is not the share's failure.
    if (this.#state.quality !== quality) await this.#sendMaxBitrate().catch(() => undefined);
  }

  /** The encoder's cap for the quality now (simulcast layers keep their own). */
  async #sendMaxBitrate(): Promise<void> {
    if (!(this.#options.simulcast ?? false))
      await this.#sender?.video?.setMaxBitrate(this.#maxBitrate);
  }

  /**
   * Black where only the microphone is open, drawn afresh when the quality is no longer
   * `from`; sent when drawn, or `always`; then shown in the preview.
   */
  async #resend(from: QualityName, always: boolean): Promise<void> {
    const capture = this.#capture;
    const now = this.#state.quality;
    const stopBlack = capture.showBlackIfBlind(now, now !== from);
    if (!stopBlack && !always) return;
    try {
      const video = capture.video;
      if (video) await this.#sender?.video?.replace(video, capture.source);
    } finally {
      stopBlack?.();
      this.#refreshPreview();
    }
  }

  /** See `Publisher.setCameraOverScreen`. */
  async setCameraOverScreen(on: boolean): Promise<void> {
    const capture = this.#capture;
    if (!capture.screen || on === this.#state.cameraOverScreen) return;
    await this.#composite(on);
  }

  /** Draws the screen alone, or with the camera in its corner, afresh (at the screen's size now). */
  async #composite(on: boolean): Promise<void> {
    const capture = this.#capture;
    const stopBefore = capture.overlayCamera(on);
    try {
      await this.#sender?.video?.replace(capture.video as MediaStreamTrack, 'screen');
    } finally {
      // Refused (the new drawing may be sent already), the one before stops too: no timer or
      // canvas is left running unseen, and the preview shows what is drawn now.
      stopBefore();
      this.#update({ cameraOverScreen: capture.video !== capture.screen });
      this.#refreshPreview();
    }
  }

  /** Goes back to the camera; without one (the microphone opened alone), to a black picture. */
  async stopScreenShare(): Promise<void> {
    const capture = this.#capture;
    if (!capture.screen) return;
    capture.stopScreen();
    // The microphone opened without a camera (it could not open beside the screen): black, not
    // the screen's last frame, and a video to send. Nothing opened yet (shared before any
    // preview): the preview opens the camera.
    capture.showBlackIfBlind(this.#state.quality);
    const video = capture.video;
    try {
      if (video) await this.#sender?.video?.replace(video, 'camera');
    } finally {
      // Refused, the screen has stopped all the same: the state and the preview say so.
      this.#update({ screenSharing: false, cameraOverScreen: false });
      this.#refreshPreview();
    }
  }

  /** Changes the capture quality (size, frame rate, bitrate), live or not, up to `maxQuality`. */
  async setQuality(requested: QualityName): Promise<void> {
    // The Publisher, this engine's one caller, has refused an unknown name already.
    const quality = this.#cap(requested);
    const before = this.#state.quality;
    this.#update({ quality });
    await this.#capture.applyQuality(quality);
    // A black picture (the microphone open alone) is drawn again at the new size and rate.
    if (quality !== before) await this.#resend(before, false);
    // The camera over the screen is drawn at the size the screen had: drawn again at its new one.
    if (this.#capture.screen && this.#state.cameraOverScreen) await this.#composite(true);
    await this.#sendMaxBitrate();
  }

  /** Stops publishing and releases camera, microphone and screen. */
  async stop(): Promise<void> {
    this.#stops++;
    const sender = this.#sender;
    this.#teardownSession();
    this.#offReconnect?.();
    this.#offReconnect = undefined;
    await sender?.closeOnServer().catch(() => undefined);
    this.#stopCapture();
    this.#update({ status: 'ended', error: null, stats: null, reconnectAttempt: 0 });
  }

  /** Stops everything. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    void this.stop();
  }

  #teardownSession(): void {
    this.#session++;
    this.#sendStats.stop();
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#disconnectTimer);
    this.#reconnectTimer = undefined;
    this.#offServerClose?.();
    this.#offServerClose = undefined;
    const sender = this.#sender;
    this.#sender = undefined;
    sender?.closeLocally();
  }

  #stopCapture(): void {
    this.#capture.stop();
    this.#update({ mediaStream: null, screenSharing: false, cameraOverScreen: false });
  }

  async #fail(error: unknown): Promise<never> {
    const typed = kit.mediaError(error);
    this.#update({ status: 'failed', error: typed });
    throw typed;
  }

  #update(patch: Partial<PublisherState>): void {
    this.#host.update(patch);
  }
}
