import type { RtpParameters } from '@onair/protocol';
import type { types as MediasoupTypes } from 'mediasoup-client';
import type { OnAirClient } from './client.js';
import { OnAirError } from './errors.js';
import { type MediaSignalling, realtimeSignalling, transportOptions } from './media-signalling.js';
import { Subscribable } from './subscribable.js';

/** Lifecycle of a {@link Publisher}. */
export type PublisherStatus =
  | 'idle'
  | 'previewing'
  | 'connecting'
  | 'live'
  | 'reconnecting'
  | 'ended'
  | 'failed';

/** A capture quality: size, frame rate and the bitrate the encoder may reach. */
export interface QualityPreset {
  width: number;
  height: number;
  frameRate: number;
  /** Bits/s. */
  maxBitrate: number;
}

/** Built-in quality presets; 4K only where the camera delivers it. */
export const QUALITY_PRESETS = {
  '360p': { width: 640, height: 360, frameRate: 30, maxBitrate: 800_000 },
  '480p': { width: 854, height: 480, frameRate: 30, maxBitrate: 1_200_000 },
  '720p': { width: 1280, height: 720, frameRate: 30, maxBitrate: 2_500_000 },
  '1080p': { width: 1920, height: 1080, frameRate: 30, maxBitrate: 4_500_000 },
  '4k': { width: 3840, height: 2160, frameRate: 30, maxBitrate: 12_000_000 },
} as const satisfies Record<string, QualityPreset>;

/** Name of a built-in {@link QUALITY_PRESETS} entry. */
export type QualityName = keyof typeof QUALITY_PRESETS;

/** A capture device, as `enumerateDevices` lists it. */
export interface CaptureDevice {
  deviceId: string;
  /** Empty until the user grants permission (browsers hide labels before). */
  label: string;
}

/** What the publisher sends, measured every second while live. */
export interface PublisherStats {
  /** Video and audio bitrates, bits/s. */
  videoBitrate: number;
  audioBitrate: number;
  frameRate: number;
  width: number;
  height: number;
  /** Share of packets the server reported lost, 0–1 (null before its first report). */
  packetLoss: number | null;
  /** Round-trip time to the server, seconds (null before its first report). */
  roundTripTime: number | null;
  /** Why the browser lowered quality: `none`, `cpu`, `bandwidth` or `other`. */
  qualityLimitationReason: string;
}

/** Snapshot of a {@link Publisher}. */
export interface PublisherState {
  status: PublisherStatus;
  /** What is being sent (camera or screen, and microphone), for preview. */
  mediaStream: MediaStream | null;
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
  quality: QualityName;
  stats: PublisherStats | null;
  /** Reconnection attempts made since the connection was lost (0 while connected). */
  reconnectAttempt: number;
}

/** Options of {@link Publisher}. */
export interface PublisherOptions {
  /** Stream to publish to (must be live: call `client.streams.start` first). */
  streamId: string;
  /** Capture quality. Default `720p`. */
  quality?: QualityName;
  /** Extra camera constraints, or false for audio only. */
  video?: boolean | MediaTrackConstraints;
  /** Microphone constraints, or false for video only. Default: true. */
  audio?: boolean | MediaTrackConstraints;
  /** Maximum video bitrate, bits/s. Default: the quality preset's. */
  maxVideoBitrate?: number;
  /** Maximum frame rate. Default: the quality preset's (30). */
  maxFrameRate?: number;
  /**
   * Video codec to prefer. Default `h264`: the server copies an H.264 source
   * into the top HLS rendition instead of encoding it again.
   */
  codec?: 'h264' | 'vp8';
  /**
   * Send three simulcast layers (a quarter, half and full resolution) so
   * real-time viewers on slow links get a smaller one. Costs the publisher
   * about 30 % more upload and encoding. Default false.
   */
  simulcast?: boolean;
  /** Reconnection after a lost connection: attempts (default 8), first and longest wait, ms. */
  reconnect?: { attempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** Media signalling; default: the OnAir server over the client's realtime connection. */
  signalling?: MediaSignalling;
  /**
   * Publish to a WHIP endpoint (RFC 9725) instead: any WHIP server, or
   * OnAir's own `/whip` with the stream key as `token`. Simulcast is not used.
   */
  whip?: { url: string; token?: string };
  /** `navigator.mediaDevices` stand-in (tests, embedded webviews). */
  mediaDevices?: MediaDevices;
  /** mediasoup-client handler factory (React Native, tests with its FakeHandler); default: detected. */
  handlerFactory?: MediasoupTypes.HandlerFactory;
}

/**
 * What a broadcaster UI drives: the {@link Publisher}, or a stand-in with the
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
  setQuality(quality: QualityName): Promise<void>;
}

/** One sent track of a session, whichever way it is published. */
interface TrackSender {
  replace(track: MediaStreamTrack): Promise<void>;
  stats(): Promise<RTCStatsReport>;
  setMaxBitrate(bitrate: number): Promise<void>;
}

/** The state of a {@link Publisher} before anything starts (for hooks and stand-in engines). */
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
  stats: null,
  reconnectAttempt: 0,
};

/** Errors that another attempt cannot fix. */
const FINAL_ERRORS = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'STREAM_NOT_LIVE', 'NOT_FOUND']);

/**
 * The video encodings to send: one, or three simulcast layers, lowest first
 * (the order mediasoup and the OnAir SFU expect), sharing the bitrate about
 * 1 : 3 : 12 like libwebrtc's own simulcast defaults.
 */
export function videoEncodings(
  maxBitrate: number,
  simulcast: boolean,
  maxFramerate?: number,
): RTCRtpEncodingParameters[] {
  const rate = maxFramerate ? { maxFramerate } : {};
  if (!simulcast) return [{ maxBitrate, ...rate }];
  return [
    { scaleResolutionDownBy: 4, maxBitrate: Math.round(maxBitrate / 16), ...rate },
    { scaleResolutionDownBy: 2, maxBitrate: Math.round(maxBitrate / 4), ...rate },
    { scaleResolutionDownBy: 1, maxBitrate, ...rate },
  ];
}

/** Maps a getUserMedia / WebRTC failure to a typed error. */
export function mediaError(error: unknown): OnAirError {
  if (error instanceof OnAirError) return error;
  const name = (error as { name?: string } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  const opts = { cause: error };
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new OnAirError(
        'PERMISSION_DENIED',
        'Camera or microphone permission was denied',
        undefined,
        opts,
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new OnAirError('DEVICE_NOT_FOUND', 'No camera or microphone matches', undefined, opts);
    case 'NotReadableError':
    case 'AbortError':
      return new OnAirError('DEVICE_IN_USE', 'The camera or microphone is in use', undefined, opts);
    case 'UnsupportedError':
    case 'TypeError':
      return new OnAirError('NOT_SUPPORTED', message, undefined, opts);
    default:
      return OnAirError.from(error);
  }
}

/**
 * Captures camera (or screen) and microphone and publishes them to a live
 * stream with mediasoup-client (loaded on first publish). While live it can
 * switch devices (no renegotiation: the sender's track is replaced), mute,
 * share the screen with or without the camera in a corner, change quality,
 * report what it sends every second, and reconnect with backoff when the
 * connection drops (`reconnecting`).
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
  private readonly signalling: MediaSignalling;
  private device: MediasoupTypes.Device | undefined;
  private video: TrackSender | undefined;
  private audio: TrackSender | undefined;
  /** The publishing session: closes it here, and tells the server (on stop). */
  private connection: { closeLocally(): void; closeOnServer(): Promise<void> } | undefined;
  private camera: MediaStreamTrack | undefined;
  private microphone: MediaStreamTrack | undefined;
  private screen: MediaStreamTrack | undefined;
  private compositor: { track: MediaStreamTrack; stop(): void } | undefined;
  private destroyed = false;
  private offServerClose: (() => void) | undefined;
  private offReconnect: (() => void) | undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private disconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private lastBytes: { video: number; audio: number; at: number } | undefined;
  /** Bumped whenever a session is torn down: stale callbacks compare it. */
  private session = 0;

  constructor(
    private readonly client: OnAirClient,
    private readonly options: PublisherOptions,
  ) {
    super();
    this.snapshot = { ...PUBLISHER_IDLE_STATE, quality: options.quality ?? '720p' };
    this.signalling = options.signalling ?? realtimeSignalling(client.realtime);
  }

  private readonly onDeviceChange = () => {
    void this.refreshDevices();
  };

  protected override onSubscribe(): void {
    this.optionalMediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
  }

  protected override onUnsubscribe(): void {
    this.optionalMediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
  }

  private get optionalMediaDevices(): MediaDevices | undefined {
    return this.options.mediaDevices ?? globalThis.navigator?.mediaDevices;
  }

  private get mediaDevices(): MediaDevices {
    const devices = this.optionalMediaDevices;
    if (!devices?.getUserMedia) {
      throw new OnAirError(
        'NOT_SUPPORTED',
        'This browser cannot capture media (is the page served over HTTPS?)',
      );
    }
    return devices;
  }

  private get preset(): QualityPreset {
    return QUALITY_PRESETS[this.snapshot.quality];
  }

  private get maxBitrate(): number {
    return this.options.maxVideoBitrate ?? this.preset.maxBitrate;
  }

  private videoConstraints(deviceId: string | null): MediaTrackConstraints | false {
    if (this.options.video === false) return false;
    const preset = this.preset;
    return {
      width: { ideal: preset.width },
      height: { ideal: preset.height },
      frameRate: { ideal: this.options.maxFrameRate ?? preset.frameRate },
      ...(typeof this.options.video === 'object' ? this.options.video : {}),
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    };
  }

  private audioConstraints(deviceId: string | null): MediaTrackConstraints | false {
    if (this.options.audio === false) return false;
    return {
      ...(typeof this.options.audio === 'object' ? this.options.audio : {}),
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    };
  }

  /**
   * Lists cameras and microphones. Labels are empty until permission is
   * granted; the lists refresh after capture starts and on `devicechange`.
   */
  async refreshDevices(): Promise<{ cameras: CaptureDevice[]; microphones: CaptureDevice[] }> {
    const devices = (await this.optionalMediaDevices?.enumerateDevices?.()) ?? [];
    const pick = (kind: MediaDeviceKind) =>
      devices
        .filter((d) => d.kind === kind && d.deviceId)
        .map((d) => ({ deviceId: d.deviceId, label: d.label }));
    const cameras = pick('videoinput');
    const microphones = pick('audioinput');
    if (!this.destroyed) this.update({ cameras, microphones });
    return { cameras, microphones };
  }

  /** Opens camera and microphone (asking permission) and returns the preview stream. */
  async preview(): Promise<MediaStream> {
    if (this.snapshot.mediaStream) return this.snapshot.mediaStream;
    try {
      const video = this.videoConstraints(this.snapshot.cameraId);
      const audio = this.audioConstraints(this.snapshot.microphoneId);
      const captured = await this.mediaDevices.getUserMedia({ video, audio });
      if (this.destroyed) {
        for (const track of captured.getTracks()) track.stop();
        throw new OnAirError('CONFLICT', 'Publisher was destroyed');
      }
      this.camera = captured.getVideoTracks()[0];
      this.microphone = captured.getAudioTracks()[0];
      this.update({
        status: 'previewing',
        error: null,
        cameraId: this.camera?.getSettings().deviceId ?? null,
        microphoneId: this.microphone?.getSettings().deviceId ?? null,
      });
      this.refreshPreview();
      await this.refreshDevices();
      const stream: MediaStream | null = this.getSnapshot().mediaStream;
      if (!stream) throw new OnAirError('DEVICE_NOT_FOUND', 'No camera or microphone was opened');
      return stream;
    } catch (error) {
      return this.fail(error);
    }
  }

  /** The track sent as video: the screen (maybe with the camera in a corner) or the camera. */
  private get outgoingVideo(): MediaStreamTrack | undefined {
    return this.compositor?.track ?? this.screen ?? this.camera;
  }

  private refreshPreview(): void {
    const tracks = [this.outgoingVideo, this.microphone].filter(
      (t): t is MediaStreamTrack => t !== undefined,
    );
    this.update({ mediaStream: tracks.length > 0 ? new MediaStream(tracks) : null });
  }

  /** Publishes the preview tracks (opening them first if needed). */
  async publish(): Promise<void> {
    const { status } = this.snapshot;
    if (status === 'live' || status === 'connecting' || status === 'reconnecting') return;
    await this.preview();
    this.update({ status: 'connecting', error: null, reconnectAttempt: 0 });
    try {
      await this.connect();
      this.update({ status: 'live' });
      this.startStats();
      this.watchRealtime();
    } catch (error) {
      this.teardownSession();
      await this.fail(error);
    }
  }

  // One publishing session: over the SFU (mediasoup model) or to a WHIP endpoint.
  private async connect(): Promise<void> {
    const session = ++this.session;
    const onState = (state: string) => {
      if (session !== this.session) return;
      clearTimeout(this.disconnectTimer);
      if (state === 'failed') {
        this.lostConnection(new OnAirError('NETWORK', 'Media connection failed'));
      }
      // ICE may recover from `disconnected` on its own: give it a few seconds.
      if (state === 'disconnected') {
        this.disconnectTimer = setTimeout(
          () => this.lostConnection(new OnAirError('NETWORK', 'Media connection lost')),
          3000,
        );
      }
    };
    if (this.options.whip) await this.connectWhip(this.options.whip, onState);
    else await this.connectSfu(onState);
  }

  private async connectSfu(onState: (state: string) => void): Promise<void> {
    const { streamId } = this.options;
    if (!this.device) {
      const { Device } = await import('mediasoup-client');
      const { handlerFactory } = this.options;
      const device = new Device(handlerFactory ? { handlerFactory } : {});
      await device.load({
        routerRtpCapabilities: (await this.signalling.getRouterCapabilities(
          streamId,
        )) as MediasoupTypes.RtpCapabilities,
      });
      this.device = device;
    }
    const params = await this.signalling.createTransport(streamId, 'send');
    const transport = this.device.createSendTransport(transportOptions(params));
    this.connection = {
      closeLocally: () => transport.close(),
      closeOnServer: () => this.signalling.closeTransport(transport.id),
    };
    this.watchServerClose(transport.id);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.signalling
        .connectTransport(transport.id, dtlsParameters as never)
        .then(callback, errback);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      this.signalling
        .produce(transport.id, kind, rtpParameters as RtpParameters, appData)
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
    transport.on('connectionstatechange', onState);
    const producerSender = (producer: MediasoupTypes.Producer): TrackSender => ({
      replace: (track) => producer.replaceTrack({ track }),
      stats: () => producer.getStats(),
      setMaxBitrate: (maxBitrate) => producer.setRtpEncodingParameters({ maxBitrate }),
    });
    const video = this.outgoingVideo;
    if (video) {
      const codec = this.device.rtpCapabilities.codecs?.find((c) =>
        new RegExp(`^video/${this.options.codec ?? 'h264'}$`, 'i').test(c.mimeType),
      );
      const producer = await transport.produce({
        track: video,
        encodings: videoEncodings(
          this.maxBitrate,
          this.options.simulcast ?? false,
          this.options.maxFrameRate,
        ),
        codecOptions: { videoGoogleStartBitrate: 1000 },
        ...(codec ? { codec } : {}),
        // The track is ours to stop (devices switch under a live producer).
        stopTracks: false,
        disableTrackOnPause: false,
      });
      this.video = producerSender(producer);
    }
    if (this.microphone) {
      const producer = await transport.produce({
        track: this.microphone,
        stopTracks: false,
        disableTrackOnPause: false,
      });
      this.audio = producerSender(producer);
    }
  }

  // WHIP (RFC 9725): one RTCPeerConnection, the offer POSTed with the stream key as bearer.
  private async connectWhip(
    whip: { url: string; token?: string },
    onState: (state: string) => void,
  ): Promise<void> {
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    let resource: string | undefined;
    const auth: Record<string, string> = whip.token
      ? { authorization: `Bearer ${whip.token}` }
      : {};
    this.connection = {
      closeLocally: () => pc.close(),
      closeOnServer: async () => {
        if (resource) await fetch(resource, { method: 'DELETE', headers: auth });
      },
    };
    pc.addEventListener('connectionstatechange', () => onState(pc.connectionState));
    const transceiverSender = (sender: RTCRtpSender): TrackSender => ({
      replace: (track) => sender.replaceTrack(track),
      stats: () => sender.getStats(),
      setMaxBitrate: async (maxBitrate) => {
        const parameters = sender.getParameters();
        for (const encoding of parameters.encodings) encoding.maxBitrate = maxBitrate;
        await sender.setParameters(parameters);
      },
    });
    const video = this.outgoingVideo;
    if (video) {
      const transceiver = pc.addTransceiver(video, {
        direction: 'sendonly',
        sendEncodings: videoEncodings(this.maxBitrate, false, this.options.maxFrameRate),
      });
      const preferred = this.options.codec ?? 'h264';
      const codecs = globalThis.RTCRtpSender?.getCapabilities?.('video')?.codecs ?? [];
      const first = codecs.filter((c) => new RegExp(`/${preferred}$`, 'i').test(c.mimeType));
      if (first.length > 0 && transceiver.setCodecPreferences) {
        transceiver.setCodecPreferences([...first, ...codecs.filter((c) => !first.includes(c))]);
      }
      this.video = transceiverSender(transceiver.sender);
    }
    if (this.microphone) {
      const transceiver = pc.addTransceiver(this.microphone, { direction: 'sendonly' });
      this.audio = transceiverSender(transceiver.sender);
    }
    await pc.setLocalDescription(await pc.createOffer());
    // No trickle: wait (briefly) for the host candidates, then send one offer.
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      const timer = setTimeout(resolve, 2000);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    let response: Response;
    try {
      response = await fetch(whip.url, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp', ...auth },
        body: pc.localDescription?.sdp ?? '',
      });
    } catch (cause) {
      throw new OnAirError('NETWORK', 'The WHIP endpoint could not be reached', undefined, {
        cause,
      });
    }
    if (response.status !== 201) {
      const text = await response.text().catch(() => '');
      const code =
        response.status === 401 || response.status === 403
          ? 'UNAUTHORIZED'
          : response.status >= 500
            ? 'NETWORK'
            : 'BAD_REQUEST';
      throw new OnAirError(
        code,
        `WHIP endpoint answered ${response.status}: ${text.slice(0, 200)}`,
      );
    }
    const location = response.headers.get('location');
    resource = location
      ? new URL(location, new URL(whip.url, globalThis.location?.href)).href
      : undefined;
    await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
  }

  // The server ends a session (key rotated, stream ended) by closing our transport.
  private watchServerClose(transportId: string): void {
    if (this.options.signalling) return;
    this.offServerClose?.();
    this.offServerClose = this.client.realtime.on('media:transportClosed', (closed) => {
      if (closed.transportId !== transportId) return;
      if (closed.reason === 'failed') {
        this.lostConnection(new OnAirError('NETWORK', 'The media server lost the connection'));
        return;
      }
      this.teardownSession();
      this.stopCapture();
      if (closed.reason === 'stream-ended') {
        this.update({ status: 'ended', stats: null });
      } else {
        this.update({
          status: 'failed',
          stats: null,
          error: new OnAirError(
            'UNAUTHORIZED',
            'The stream key was rotated: this publishing session ended',
          ),
        });
      }
    });
  }

  // The server closes a connection's transports when its socket drops (even one socket.io
  // then recovers), and the media path may look alive for a while: publish again.
  private watchRealtime(): void {
    if (this.options.signalling || this.options.whip || this.offReconnect) return;
    this.offReconnect = this.client.realtime.onReconnect(
      () => {
        if (this.snapshot.status === 'live') {
          this.lostConnection(new OnAirError('NETWORK', 'The realtime connection was lost'));
        }
      },
      { recovered: true },
    );
  }

  private lostConnection(error: OnAirError): void {
    const { status } = this.snapshot;
    if (this.destroyed || (status !== 'live' && status !== 'reconnecting')) return;
    if (status === 'reconnecting' && this.reconnectTimer) return;
    this.teardownSession();
    this.update({ status: 'reconnecting', error, stats: null });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const attempts = this.options.reconnect?.attempts ?? 8;
    const attempt = this.snapshot.reconnectAttempt;
    if (attempt >= attempts) {
      this.stopCapture();
      this.update({
        status: 'failed',
        error: new OnAirError('NETWORK', `Could not reconnect after ${attempts} attempts`),
      });
      return;
    }
    const initial = this.options.reconnect?.initialDelayMs ?? 500;
    const max = this.options.reconnect?.maxDelayMs ?? 8000;
    const delay = Math.min(max, initial * 2 ** attempt);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.reconnect();
    }, delay);
  }

  private async reconnect(): Promise<void> {
    if (this.destroyed || this.snapshot.status !== 'reconnecting') return;
    this.update({ reconnectAttempt: this.snapshot.reconnectAttempt + 1 });
    try {
      await this.connect();
      if (this.snapshot.status !== 'reconnecting') return;
      this.update({ status: 'live', error: null, reconnectAttempt: 0 });
      this.startStats();
    } catch (error) {
      this.teardownSession();
      const typed = mediaError(error);
      if (FINAL_ERRORS.has(typed.code)) {
        this.stopCapture();
        this.update({ status: 'failed', error: typed });
        return;
      }
      this.update({ error: typed });
      this.scheduleReconnect();
    }
  }

  /** Switches to another camera, live or not (the sender's track is replaced: no renegotiation). */
  async setCamera(deviceId: string): Promise<void> {
    const constraints = this.videoConstraints(deviceId);
    if (!constraints) throw new OnAirError('BAD_REQUEST', 'This publisher sends no video');
    if (!this.camera) {
      this.update({ cameraId: deviceId });
      return;
    }
    const open = async () =>
      (await this.mediaDevices.getUserMedia({ video: constraints })).getVideoTracks()[0];
    const old = this.camera;
    let track: MediaStreamTrack | undefined;
    try {
      track = await open();
    } catch (error) {
      const typed = mediaError(error);
      if (typed.code !== 'DEVICE_IN_USE') throw typed;
      // Some cameras cannot be open twice: free the old one and try again.
      old.stop();
      track = await open().catch((again: unknown) => {
        throw mediaError(again);
      });
    }
    if (!track) throw new OnAirError('DEVICE_NOT_FOUND', 'The camera gave no video');
    track.enabled = !this.snapshot.videoMuted;
    this.camera = track;
    this.compositor?.stop();
    this.compositor = undefined;
    if (this.screen && this.snapshot.cameraOverScreen)
      this.compositor = composite(this.screen, track);
    await this.video?.replace(this.outgoingVideo ?? track);
    // Only now: a sender whose track ended may not take a new one up again.
    old.stop();
    this.update({ cameraId: track.getSettings().deviceId ?? deviceId });
    this.refreshPreview();
  }

  /** Switches to another microphone, live or not. */
  async setMicrophone(deviceId: string): Promise<void> {
    const constraints = this.audioConstraints(deviceId);
    if (!constraints) throw new OnAirError('BAD_REQUEST', 'This publisher sends no audio');
    if (!this.microphone) {
      this.update({ microphoneId: deviceId });
      return;
    }
    let track: MediaStreamTrack | undefined;
    try {
      track = (await this.mediaDevices.getUserMedia({ audio: constraints })).getAudioTracks()[0];
    } catch (error) {
      throw mediaError(error);
    }
    if (!track) throw new OnAirError('DEVICE_NOT_FOUND', 'The microphone gave no audio');
    track.enabled = !this.snapshot.audioMuted;
    const old = this.microphone;
    this.microphone = track;
    await this.audio?.replace(track);
    old.stop();
    this.update({ microphoneId: track.getSettings().deviceId ?? deviceId });
    this.refreshPreview();
  }

  /** Mutes or unmutes the microphone (viewers hear silence; the stream goes on). */
  setAudioMuted(muted: boolean): void {
    if (this.microphone) this.microphone.enabled = !muted;
    this.update({ audioMuted: muted });
  }

  /** Turns the picture off or on (viewers see black; the stream and its recording go on). */
  setVideoMuted(muted: boolean): void {
    for (const track of [this.camera, this.screen]) if (track) track.enabled = !muted;
    this.update({ videoMuted: muted });
  }

  /**
   * Shares a screen, window or tab instead of the camera; with
   * `withCamera`, the camera shows in a corner. Ends by itself when the user
   * stops sharing from the browser's own controls.
   */
  async startScreenShare(options: { withCamera?: boolean } = {}): Promise<void> {
    const devices = this.mediaDevices;
    if (!devices.getDisplayMedia) {
      throw new OnAirError('NOT_SUPPORTED', 'This browser cannot share the screen');
    }
    let screen: MediaStreamTrack | undefined;
    try {
      const captured = await devices.getDisplayMedia({
        video: { frameRate: { ideal: this.options.maxFrameRate ?? this.preset.frameRate } },
        audio: false,
      });
      screen = captured.getVideoTracks()[0];
    } catch (error) {
      throw mediaError(error);
    }
    if (!screen) throw new OnAirError('DEVICE_NOT_FOUND', 'Nothing was shared');
    this.stopScreenTracks();
    this.screen = screen;
    screen.contentHint = 'detail';
    screen.enabled = !this.snapshot.videoMuted;
    screen.addEventListener('ended', () => {
      if (this.screen === screen) void this.stopScreenShare();
    });
    const withCamera = (options.withCamera ?? false) && this.camera !== undefined;
    if (withCamera && this.camera) this.compositor = composite(screen, this.camera);
    await this.video?.replace(this.outgoingVideo ?? screen);
    this.update({ screenSharing: true, cameraOverScreen: withCamera });
    this.refreshPreview();
  }

  /** Goes back to the camera. */
  async stopScreenShare(): Promise<void> {
    if (!this.screen) return;
    this.stopScreenTracks();
    if (this.camera) await this.video?.replace(this.camera);
    this.update({ screenSharing: false, cameraOverScreen: false });
    this.refreshPreview();
  }

  private stopScreenTracks(): void {
    this.compositor?.stop();
    this.compositor = undefined;
    this.screen?.stop();
    this.screen = undefined;
  }

  /** Changes the capture quality (size, frame rate, bitrate), live or not. */
  async setQuality(quality: QualityName): Promise<void> {
    if (!(quality in QUALITY_PRESETS)) {
      throw new OnAirError('BAD_REQUEST', `Unknown quality ${String(quality)}`);
    }
    this.update({ quality });
    const preset = QUALITY_PRESETS[quality];
    await this.camera?.applyConstraints({
      width: { ideal: preset.width },
      height: { ideal: preset.height },
      frameRate: { ideal: this.options.maxFrameRate ?? preset.frameRate },
    });
    if (!(this.options.simulcast ?? false)) await this.video?.setMaxBitrate(this.maxBitrate);
  }

  private startStats(): void {
    clearInterval(this.statsTimer);
    this.lastBytes = undefined;
    this.statsTimer = setInterval(() => void this.readStats(), 1000);
  }

  private async readStats(): Promise<void> {
    const { video, audio } = this;
    if (!video && !audio) return;
    const [videoReport, audioReport] = await Promise.all([
      video?.stats().catch(() => undefined),
      audio?.stats().catch(() => undefined),
    ]);
    if (this.snapshot.status !== 'live') return;
    const stats = summariseStats(videoReport, audioReport);
    const now = performance.now();
    const last = this.lastBytes;
    this.lastBytes = { video: stats.videoBytes, audio: stats.audioBytes, at: now };
    if (!last) return;
    const seconds = (now - last.at) / 1000;
    this.update({
      stats: {
        videoBitrate: Math.max(0, Math.round(((stats.videoBytes - last.video) * 8) / seconds)),
        audioBitrate: Math.max(0, Math.round(((stats.audioBytes - last.audio) * 8) / seconds)),
        frameRate: stats.frameRate,
        width: stats.width,
        height: stats.height,
        packetLoss: stats.packetLoss,
        roundTripTime: stats.roundTripTime,
        qualityLimitationReason: stats.qualityLimitationReason,
      },
    });
  }

  /** Stops publishing and releases camera, microphone and screen. */
  async stop(): Promise<void> {
    const connection = this.connection;
    this.teardownSession();
    this.offReconnect?.();
    this.offReconnect = undefined;
    await connection?.closeOnServer().catch(() => undefined);
    this.stopCapture();
    this.update({ status: 'ended', stats: null, reconnectAttempt: 0 });
  }

  /** Stops everything. Idempotent. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.onUnsubscribe();
    void this.stop();
  }

  private teardownSession(): void {
    this.session++;
    clearInterval(this.statsTimer);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.disconnectTimer);
    this.reconnectTimer = undefined;
    this.offServerClose?.();
    this.offServerClose = undefined;
    this.video = undefined;
    this.audio = undefined;
    const connection = this.connection;
    this.connection = undefined;
    connection?.closeLocally();
  }

  private stopCapture(): void {
    this.stopScreenTracks();
    for (const track of [this.camera, this.microphone]) track?.stop();
    this.camera = undefined;
    this.microphone = undefined;
    this.update({ mediaStream: null, screenSharing: false, cameraOverScreen: false });
  }

  private async fail(error: unknown): Promise<never> {
    const typed = mediaError(error);
    this.update({ status: 'failed', error: typed });
    throw typed;
  }

  private update(patch: Partial<PublisherState>): void {
    this.setSnapshot({ ...this.snapshot, ...patch });
  }
}

interface StatsSummary {
  videoBytes: number;
  audioBytes: number;
  frameRate: number;
  width: number;
  height: number;
  packetLoss: number | null;
  roundTripTime: number | null;
  qualityLimitationReason: string;
}

/** Reads what matters from the senders' RTCStatsReports (simulcast layers summed). */
export function summariseStats(
  video: RTCStatsReport | undefined,
  audio: RTCStatsReport | undefined,
): StatsSummary {
  const summary: StatsSummary = {
    videoBytes: 0,
    audioBytes: 0,
    frameRate: 0,
    width: 0,
    height: 0,
    packetLoss: null,
    roundTripTime: null,
    qualityLimitationReason: 'none',
  };
  let lost = 0;
  let sent = 0;
  const read = (report: RTCStatsReport | undefined, kind: 'video' | 'audio') => {
    report?.forEach((entry: Record<string, unknown>) => {
      if (entry.type === 'outbound-rtp') {
        const bytes = Number(entry.bytesSent ?? 0);
        sent += Number(entry.packetsSent ?? 0);
        if (kind === 'audio') {
          summary.audioBytes += bytes;
          return;
        }
        summary.videoBytes += bytes;
        const height = Number(entry.frameHeight ?? 0);
        // The biggest layer tells what the viewers of the top one see.
        if (height >= summary.height) {
          summary.height = height;
          summary.width = Number(entry.frameWidth ?? 0);
          summary.frameRate = Number(entry.framesPerSecond ?? 0);
          const reason = entry.qualityLimitationReason;
          if (typeof reason === 'string') summary.qualityLimitationReason = reason;
        }
      } else if (entry.type === 'remote-inbound-rtp') {
        lost += Math.max(0, Number(entry.packetsLost ?? 0));
        const rtt = entry.roundTripTime;
        if (typeof rtt === 'number') summary.roundTripTime = rtt;
      }
    });
  };
  read(video, 'video');
  read(audio, 'audio');
  if (summary.roundTripTime !== null) {
    summary.packetLoss = sent > 0 ? Math.min(1, lost / sent) : 0;
  }
  return summary;
}

/**
 * Draws the camera into a corner of the shared screen on a canvas and
 * returns the canvas's track (one video track, so the stream keeps one
 * producer and every viewer and rendition gets both).
 */
function composite(
  screen: MediaStreamTrack,
  camera: MediaStreamTrack,
): { track: MediaStreamTrack; stop(): void } {
  const settings = screen.getSettings();
  const width = settings.width ?? 1280;
  const height = settings.height ?? 720;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  const source = (track: MediaStreamTrack) => {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = new MediaStream([track]);
    void video.play().catch(() => undefined);
    return video;
  };
  const screenVideo = source(screen);
  const cameraVideo = source(camera);
  const frameRate = settings.frameRate ?? 30;
  // A timer, not requestAnimationFrame: it keeps drawing when the tab is in the background.
  const timer = setInterval(() => {
    if (!context) return;
    context.drawImage(screenVideo, 0, 0, width, height);
    const w = Math.round(width / 4);
    const h = Math.round((w * (cameraVideo.videoHeight || 9)) / (cameraVideo.videoWidth || 16));
    const margin = Math.round(width / 64);
    context.drawImage(cameraVideo, width - w - margin, height - h - margin, w, h);
  }, 1000 / frameRate);
  const [track] = canvas.captureStream(frameRate).getVideoTracks();
  return {
    track: track as MediaStreamTrack,
    stop() {
      clearInterval(timer);
      track?.stop();
      screenVideo.srcObject = null;
      cameraVideo.srcObject = null;
    },
  };
}
