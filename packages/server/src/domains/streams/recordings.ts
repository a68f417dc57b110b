import { hlsUrlFor } from '../../media/hls/urls.js';
import type { MediaPlane } from '../../media/media-plane.js';
import { discardRecording } from '../../media/recording/recording.js';
import type { InternalBus } from '../../platform/events.js';
import type { StreamRepository } from './repository.js';

/**
 * What happens to a stream's HLS output when it ends: kept as the replay
 * (`recordingUrl`, a `recording.ready` webhook and a `stream:updated` to
 * viewers) when the stream was created with `recording: true`, deleted
 * otherwise. Returns the unsubscribe function.
 */
export function handleRecordings(
  media: MediaPlane,
  streams: StreamRepository,
  bus: InternalBus,
  log: (message: string) => void,
): () => void {
  return media.on('recording', ({ streamId, durationSeconds }) => {
    void (async () => {
      const stream = await streams.find(streamId);
      if (!stream?.recording) {
        await discardRecording(media.hls.dirOf(streamId));
        return;
      }
      const updated = await streams.setRecordingUrl(streamId, hlsUrlFor(streamId));
      log(`[hls ${streamId}] recording ready (${durationSeconds.toFixed(1)} s)`);
      bus.emit('recording:ready', updated);
      bus.emit('stream:updated', updated);
    })().catch((error: unknown) => log(`[hls ${streamId}] recording: ${String(error)}`));
  });
}
