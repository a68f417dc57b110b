import {
  type CaptureDevice,
  endStream,
  goLive,
  type OnAirClient,
  PUBLISHER_IDLE_STATE,
  Publisher,
  type PublisherControls,
  type PublisherOptions,
  type PublisherState,
  StreamSession,
  type StreamSessionOptions,
  type StreamSessionState,
} from '@onair/core';
import { reportPublishing, viewAnalyticsOf } from '@onair/core/analytics';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useOnAirClient, useProvidedClient } from './provider.js';
import { useStoreOr } from './use-external-store.js';
import { type UsePlayerResult, usePlayer } from './use-player.js';

/** What {@link useLiveStream} returns: the Publisher's live controls, plus the stream's start and end. */
export interface UseLiveStreamResult
  extends Pick<
    PublisherControls,
    | 'setCamera'
    | 'setMicrophone'
    | 'setAudioMuted'
    | 'setVideoMuted'
    | 'startScreenShare'
    | 'stopScreenShare'
    | 'setQuality'
  > {
  state: PublisherState;
  /** The core Publisher (null until `streamId` is known). */
  publisher: Publisher | null;
  /** Attach to a `<video muted>` to show the preview. */
  previewRef: (video: HTMLVideoElement | null) => void;
  preview(): Promise<void>;
  /** Starts the stream if it is scheduled, then publishes. */
  goLive(): Promise<void>;
  /** Stops publishing and ends the stream for everyone. */
  end(): Promise<void>;
}

/**
 * The broadcaster's side of a stream: preview, go live, devices, mute,
 * screen share, quality, stats and reconnection, from a {@link Publisher}.
 * Options are read once per stream.
 *
 * @example
 * ```tsx
 * const live = useLiveStream(streamId, { quality: '720p' });
 * return (<>
 *   <video ref={live.previewRef} muted playsInline />
 *   <button onClick={live.goLive} disabled={live.state.status === 'live'}>Go live</button>
 * </>);
 * ```
 */
export function useLiveStream(
  streamId: string | null | undefined,
  options?: Omit<PublisherOptions, 'streamId'>,
): UseLiveStreamResult {
  const client = useOnAirClient();
  const initialOptions = useRef(options);
  const [publisher, setPublisher] = useState<Publisher | null>(null);
  // Created in an effect, not in render: StrictMode's extra effect run gets a fresh one.
  useEffect(() => {
    if (!streamId) return;
    const created = new Publisher(client, { ...initialOptions.current, streamId });
    // Its send bitrate, frame rate, quality limits and reconnections reach the stream's analytics.
    const stopReport = reportPublishing(client, created, streamId);
    setPublisher(created);
    return () => {
      stopReport();
      created.destroy();
      setPublisher(null);
    };
  }, [client, streamId]);
  const state = useStoreOr<PublisherState>(publisher, PUBLISHER_IDLE_STATE);
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const previewRef = useCallback((element: HTMLVideoElement | null) => setVideo(element), []);
  useEffect(() => {
    if (!video || video.srcObject === state.mediaStream) return;
    video.srcObject = state.mediaStream;
    if (state.mediaStream) void video.play().catch(() => undefined);
  }, [video, state.mediaStream]);

  const need = useCallback(() => {
    if (!publisher) throw new Error('useLiveStream: no stream yet');
    return publisher;
  }, [publisher]);
  return {
    state,
    publisher,
    previewRef,
    preview: async () => {
      await need().preview();
    },
    goLive: async () => goLive(client, streamId as string, need()),
    end: async () => endStream(client, streamId as string, need()),
    setCamera: (id) => need().setCamera(id),
    setMicrophone: (id) => need().setMicrophone(id),
    setAudioMuted: (muted) => need().setAudioMuted(muted),
    setVideoMuted: (muted) => need().setVideoMuted(muted),
    startScreenShare: (o) => need().startScreenShare(o),
    stopScreenShare: () => need().stopScreenShare(),
    setQuality: (q) => need().setQuality(q),
  };
}

/** Options of {@link useStreamViewer}. */
export interface UseStreamViewerOptions extends StreamSessionOptions {
  /** The client to use instead of the one from `<OnAirProvider>`. */
  client?: OnAirClient;
}

/** What {@link useStreamViewer} returns. */
export interface UseStreamViewerResult extends UsePlayerResult {
  /** Where the stream is: scheduled, live, reconnecting, ended, replay (see `StreamPhase`). */
  session: StreamSessionState;
}

const SESSION_LOADING: StreamSessionState = {
  phase: 'loading',
  stream: null,
  reconnectingUntil: null,
  poster: null,
  error: null,
};

/**
 * Watches a stream by id in your own `<video>` through its whole life (a
 * core `StreamSession`): live over HLS, or with `realtime` sub-second WebRTC
 * falling back to HLS; a scheduled stream starts playing when it goes live;
 * the end stops playback at once (`session.phase` `ended`); an ended stream
 * plays its replay (`state.live` false, `state.duration`). The client comes
 * from `<OnAirProvider>` unless `options.client` is given.
 *
 * @example
 * ```tsx
 * function Watch({ streamId }: { streamId: string }) {
 *   const { ref, session } = useStreamViewer(streamId, { realtime: true });
 *   if (session.phase === 'ended') return <p>This stream has ended.</p>;
 *   return <video ref={ref} poster={session.poster ?? undefined} muted playsInline />;
 * }
 * ```
 */
export function useStreamViewer(
  streamId: string | null | undefined,
  options: UseStreamViewerOptions = {},
): UseStreamViewerResult {
  const provided = useProvidedClient();
  const client = options.client ?? provided;
  if (!client) throw new Error('useStreamViewer needs <OnAirProvider> or options.client');
  const viewer = usePlayer(null);
  const { player } = viewer;
  const [session, setSession] = useState<StreamSession | null>(null);
  const realtime = options.realtime ?? false;
  const autoplayReplay = options.autoplayReplay ?? false;
  useEffect(() => {
    if (!player || !streamId) return;
    const created = new StreamSession(player, client, streamId, {
      realtime,
      autoplayReplay,
      // Each playback reports its QoE (the client's `analytics` option: sampling, opt-out).
      analytics: viewAnalyticsOf(client),
    });
    setSession(created);
    void created.start();
    return () => {
      created.destroy();
      player.stop();
      setSession(null);
    };
  }, [client, player, streamId, realtime, autoplayReplay]);
  const state = useStoreOr(session, SESSION_LOADING);
  return { ...viewer, session: state };
}

/**
 * Cameras and microphones, refreshed on `devicechange`. Labels are empty
 * until the page has camera or microphone permission; `refresh` after a
 * capture starts.
 */
export function useMediaDevices(): {
  cameras: CaptureDevice[];
  microphones: CaptureDevice[];
  refresh(): Promise<void>;
} {
  const [devices, setDevices] = useState<{
    cameras: CaptureDevice[];
    microphones: CaptureDevice[];
  }>({ cameras: [], microphones: [] });
  const refresh = useCallback(async () => {
    const all = (await globalThis.navigator?.mediaDevices?.enumerateDevices?.()) ?? [];
    const pick = (kind: MediaDeviceKind) =>
      all
        .filter((d) => d.kind === kind && d.deviceId)
        .map((d) => ({ deviceId: d.deviceId, label: d.label }));
    setDevices({ cameras: pick('videoinput'), microphones: pick('audioinput') });
  }, []);
  useEffect(() => {
    const mediaDevices = globalThis.navigator?.mediaDevices;
    void refresh();
    mediaDevices?.addEventListener?.('devicechange', refresh);
    return () => mediaDevices?.removeEventListener?.('devicechange', refresh);
  }, [refresh]);
  return { ...devices, refresh };
}
