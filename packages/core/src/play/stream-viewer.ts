import { OnAirError } from '../errors.js';
import type { OnAirClient } from '../transport/client.js';
import type { RealtimeConnection } from '../transport/realtime.js';
import type { Player } from './player.js';
import { RealtimeViewer } from './realtime-viewer.js';

/** What to play for a live stream: real time with its HLS as the fallback, or its HLS. */
export type StreamPlayback =
  | {
      mode: 'realtime';
      /** The connection the real-time viewer joins the stream's room on. */
      realtime: RealtimeConnection;
      streamId: string;
      /** The stream's HLS URL (absolute), played when real time fails. */
      fallbackSrc: string;
    }
  | { mode: 'hls' /** The HLS URL (absolute). */; src: string };

/** Options of {@link findStreamPlayback} and {@link watchStream}. */
export interface WatchOptions {
  /** Real time (sub-second, WebRTC), falling back to HLS. Default false: HLS. */
  realtime?: boolean;
}

/**
 * Looks a stream up and says what to play. Rejects with `STREAM_NOT_LIVE`
 * when the stream is not live (it has no `hlsUrl`), or with the lookup's
 * own typed error (`NOT_FOUND`, `FORBIDDEN`, ...).
 *
 * @example
 * ```ts
 * const playback = await findStreamPlayback(client, streamId, { realtime: true });
 * await playStream(new Player(video), playback);
 * ```
 */
export async function findStreamPlayback(
  client: OnAirClient,
  streamId: string,
  options: WatchOptions = {},
): Promise<StreamPlayback> {
  const stream = await client.streams.get(streamId);
  if (!stream.hlsUrl) throw new OnAirError('STREAM_NOT_LIVE', 'This stream is not live');
  const src = client.resolveUrl(stream.hlsUrl);
  return options.realtime
    ? { mode: 'realtime', realtime: client.realtime, streamId, fallbackSrc: src }
    : { mode: 'hls', src };
}

/**
 * Starts `player` on what {@link findStreamPlayback} found: a
 * {@link RealtimeViewer} (which the Player then owns) with HLS as the
 * fallback, or HLS.
 */
export function playStream(player: Player, playback: StreamPlayback): Promise<void> {
  if (playback.mode === 'hls') return player.load(playback.src);
  const viewer = new RealtimeViewer({ realtime: playback.realtime, streamId: playback.streamId });
  return player.loadRealtime(viewer, playback.fallbackSrc);
}

/**
 * Watches a live stream in `player`: looks it up, then plays it in real
 * time (HLS as the fallback) or over HLS. Once `signal` is aborted, a lookup
 * still under way starts nothing. Rejects like {@link findStreamPlayback}.
 *
 * @example
 * ```ts
 * const player = new Player(video);
 * await watchStream(player, client, streamId, { realtime: true });
 * ```
 */
export async function watchStream(
  player: Player,
  client: OnAirClient,
  streamId: string,
  options: WatchOptions & { signal?: AbortSignal } = {},
): Promise<void> {
  const playback = await findStreamPlayback(client, streamId, options);
  if (options.signal?.aborted) return;
  await playStream(player, playback);
}
