import type { Stream } from '@onair/protocol';
import { OnAirError } from '../errors.js';
import type { OnAirClient } from '../transport/client.js';
import type { RealtimeConnection } from '../transport/realtime.js';
import type { Player } from './player.js';
import { RealtimeViewer } from './realtime-viewer.js';

/**
 * What to play for a stream: live, real time with its HLS as the fallback,
 * or its HLS; ended, its recording (`replay`, VOD).
 */
export type StreamPlayback =
  | {
      mode: 'realtime';
      /** The connection the real-time viewer joins the stream's room on. */
      realtime: RealtimeConnection;
      streamId: string;
      /** The stream's HLS URL (absolute), played when real time fails. */
      fallbackSrc: string;
    }
  | { mode: 'hls' /** The HLS URL (absolute). */; src: string }
  | { mode: 'replay' /** The recording's HLS URL (absolute). */; src: string };

/** Options of {@link findStreamPlayback} and {@link watchStream}. */
export interface WatchOptions {
  /** Real time (sub-second, WebRTC), falling back to HLS. Default false: HLS. */
  realtime?: boolean;
}

/**
 * What to play for a stream as it is now: live, real time or HLS; ended
 * with a recording, the replay; null when there is nothing to play (it is
 * scheduled, or ended without a recording, or the recording is not ready).
 */
export function playbackOf(
  client: OnAirClient,
  stream: Stream,
  options: WatchOptions = {},
): StreamPlayback | null {
  if (stream.status === 'live' && stream.hlsUrl) {
    const src = client.resolveUrl(stream.hlsUrl);
    return options.realtime
      ? { mode: 'realtime', realtime: client.realtime, streamId: stream.id, fallbackSrc: src }
      : { mode: 'hls', src };
  }
  if (stream.recordingUrl) return { mode: 'replay', src: client.resolveUrl(stream.recordingUrl) };
  return null;
}

/**
 * The image to show for a stream (absolute URL): the host's `thumbnailUrl`,
 * else OnAir's poster of the stream (the newest frame while live, the
 * recording's poster afterwards); null for a stream that has neither.
 */
export function streamPosterUrl(client: OnAirClient, stream: Stream): string | null {
  if (stream.thumbnailUrl) return client.resolveUrl(stream.thumbnailUrl);
  const playlist = stream.recordingUrl ?? stream.hlsUrl;
  if (!playlist) return null;
  // The poster sits beside the master playlist, with the same token (signed streams).
  return client.resolveUrl(playlist.replace(/master\.m3u8(?=$|\?)/, 'poster.jpg'));
}

/**
 * Looks a stream up and says what to play: {@link playbackOf}. Rejects with
 * `STREAM_NOT_LIVE` when there is nothing to play (scheduled, or ended
 * without a recording), or with the lookup's own typed error (`NOT_FOUND`,
 * `FORBIDDEN`, ...).
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
  const playback = playbackOf(client, stream, options);
  if (!playback) throw new OnAirError('STREAM_NOT_LIVE', 'This stream is not live');
  return playback;
}

/**
 * Starts `player` on what {@link findStreamPlayback} found: a
 * {@link RealtimeViewer} (which the Player then owns) with HLS as the
 * fallback, or HLS; a replay loads without playing (its poster shows until
 * `player.play()`).
 */
export function playStream(player: Player, playback: StreamPlayback): Promise<void> {
  if (playback.mode === 'hls') return player.load(playback.src);
  if (playback.mode === 'replay') return player.load(playback.src, { autoplay: false });
  const viewer = new RealtimeViewer({ realtime: playback.realtime, streamId: playback.streamId });
  return player.loadRealtime(viewer, playback.fallbackSrc);
}

/**
 * Plays a stream in `player` once: looks it up, then plays it live in real
 * time (HLS as the fallback) or over HLS, or loads its replay. To follow
 * the stream through its life (start, reconnecting, end, replay), use a
 * {@link StreamSession}. Once `signal` is aborted, a lookup
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
