import { hlsUrlFor } from '../../media/hls/urls.js';
import type { MediaPlane } from '../../media/media-plane.js';
import { discardRecording } from '../../media/recording/recording.js';
import type { InternalBus } from '../../platform/events.js';
import type { StreamRepository } from './repository.js';

/**
 * What happens to a stream's HLS output: when the stream ends it is kept as
 * the replay (`recordingUrl`, a `recording.ready` webhook and a
 * `stream:updated` to viewers) when the stream was created with
 * `recording: true`, deleted otherwise. A recording that could not be
 * written in full (a full disk, a failed write, a crash) is marked
 * `recordingIncomplete` as soon as that is known, and the owner is told
 * (`stream:updated` to the stream's room, a `recording.incomplete`
 * webhook). Work on one stream runs in order. A kept recording names the
 * node whose disk holds it (`nodeUrl`: where peers reach this node, when it
 * has peers), so the other nodes of a deployment can answer its replay; a
 * node that another node took the stream over from leaves the recording to
 * that node. Returns the unsubscribe function.
 */
export function handleRecordings(
  media: MediaPlane,
  streams: StreamRepository,
  bus: InternalBus,
  log: (message: string) => void,
  nodeUrl: () => string | undefined = () => undefined,
): () => void {
  const queues = new Map<string, Promise<void>>();
  const inOrder = (streamId: string, task: () => Promise<void>) => {
    const run = (queues.get(streamId) ?? Promise.resolve())
      .then(task)
      .catch((error: unknown) => log(`[hls ${streamId}] recording: ${String(error)}`));
    queues.set(streamId, run);
    void run.then(() => {
      if (queues.get(streamId) === run) queues.delete(streamId);
    });
  };

  const markIncomplete = async (streamId: string, why: string) => {
    const stream = await streams.find(streamId);
    if (!stream?.recording || !(await streams.markRecordingIncomplete(streamId))) return;
    log(`[hls ${streamId}] recording incomplete: ${why}`);
    const updated = await streams.require(streamId);
    bus.emit('recording:incomplete', updated);
    bus.emit('stream:updated', updated);
  };

  const offs = [
    media.on('recordingFailed', ({ streamId, error }) =>
      inOrder(streamId, () => markIncomplete(streamId, error.message)),
    ),
    media.on('recording', ({ streamId, durationSeconds, incomplete, superseded }) =>
      inOrder(streamId, async () => {
        const stream = await streams.find(streamId);
        if (!stream) return;
        if (!stream.recording) {
          await discardRecording(media.hls.dirOf(streamId));
          return;
        }
        if (superseded) {
          // Its publisher moved to another node, whose recording is the replay: that node
          // stores it and names itself. (Not moved aside: a shared media folder is that node's too.)
          log(
            `[hls ${streamId}] recording: another node took the stream over; its recording is the replay`,
          );
          return;
        }
        // Already finished: the media plane is asked to end a stream again on later updates.
        if (stream.recordingUrl) return;
        if (incomplete) await markIncomplete(streamId, 'cut short (a crash or a failed write)');
        const updated = await streams.setRecordingUrl(streamId, hlsUrlFor(streamId), nodeUrl());
        // Another node recorded it meanwhile (the read above raced it): one replay, told once.
        if (!updated) return;
        log(`[hls ${streamId}] recording ready (${durationSeconds.toFixed(1)} s)`);
        bus.emit('recording:ready', updated);
        bus.emit('stream:updated', updated);
      }),
    ),
  ];
  return () => {
    for (const off of offs) off();
  };
}
