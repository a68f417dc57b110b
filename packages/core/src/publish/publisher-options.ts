import type { types as MediasoupTypes } from 'mediasoup-client';
import type { MediaSignalling } from '../transport/media-signalling.js';
import type { QualityName } from './capture.js';

/** Options of `Publisher`. */
export interface PublisherOptions {
  /** Stream to publish to (must be live: call `client.streams.start` first). */
  streamId: string;
  /** Capture quality, at most the stream's quality preset (see `PublisherState.maxQuality`). Default `720p`. */
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
