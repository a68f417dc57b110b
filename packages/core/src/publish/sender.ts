import type { VideoSource } from '@onair/protocol';

/** One sent track of a session, whichever way it is published. */
export interface TrackSender {
  /** Sends `track` instead; `source` tells the server what it shows (a video's). */
  replace(track: MediaStreamTrack, source?: VideoSource): Promise<void>;
  stats(): Promise<RTCStatsReport>;
  setMaxBitrate(bitrate: number): Promise<void>;
}

/**
 * The tracks to send, read when a session needs them: a camera switched
 * while the session connects is the one that gets sent.
 */
export interface OutgoingTracks {
  readonly video: MediaStreamTrack | undefined;
  readonly audio: MediaStreamTrack | undefined;
  /** What the video shows. */
  readonly source: VideoSource;
}

/** How the video is encoded. */
export interface VideoSending {
  /** Bits/s, read when the video starts (the quality may change before). */
  maxBitrate(): number;
  simulcast: boolean;
  maxFrameRate: number | undefined;
  codec: 'h264' | 'vp8';
}

/**
 * One publishing session of a {@link Publisher}, over the SFU or to a WHIP
 * endpoint: the Publisher drives it through this and knows nothing else of it.
 */
export interface MediaSender {
  /** The senders, each set as soon as its track is being sent. */
  readonly video: TrackSender | undefined;
  readonly audio: TrackSender | undefined;
  /** Connects and starts sending; the media connection's states go to `onState`. */
  connect(onState: (state: RTCPeerConnectionState) => void): Promise<void>;
  /** Closes the session here, without telling the server. */
  closeLocally(): void;
  /** Ends the session on the server. */
  closeOnServer(): Promise<void>;
}

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
