import { OnAirError } from '../../errors.js';
import type { PlaybackEngine, PlaybackHost, ReceiveStats } from '../engine.js';
import type { RealtimeViewer, RealtimeViewerState } from '../realtime-viewer.js';
import { InboundRate } from './inbound-rate.js';

/**
 * Real time (sub-second) from the server's SFU through a
 * {@link RealtimeViewer}, which the engine owns: it follows the publisher as
 * it leaves and returns, and offers the simulcast layers as levels.
 */
export class SfuEngine implements PlaybackEngine {
  readonly mode = 'realtime';
  readonly #rate = new InboundRate();
  #off: (() => void) | undefined;
  #closed = false;
  readonly #host: PlaybackHost;
  readonly #viewer: RealtimeViewer;

  constructor(host: PlaybackHost, viewer: RealtimeViewer) {
    this.#host = host;
    this.#viewer = viewer;
  }

  async start(): Promise<void> {
    const host = this.#host;
    const viewer = this.#viewer;
    this.#off = viewer.subscribe(this.#follow);
    try {
      const mediaStream = await viewer.start();
      if (this.#closed) return;
      host.video.srcObject = mediaStream;
      host.startStats();
      await host.autoplay();
    } catch (error) {
      this.#fail(OnAirError.from(error));
    }
  }

  readonly #follow = (state: RealtimeViewerState): void => {
    const host = this.#host;
    if (state.status === 'failed') this.#fail(state.error);
    else if (state.status === 'closed') host.update({ status: 'ended' });
    else if (state.status === 'waiting' || state.status === 'connecting') {
      if (host.state.status !== 'loading') host.update({ status: 'buffering' });
    } else if (
      state.status === 'playing' &&
      host.state.status === 'buffering' &&
      !host.video.paused
    ) {
      // Tracks came back (a new transport after a reconnection): the video may not
      // fire `playing` again for a track added to the same MediaStream.
      host.update({ status: 'playing' });
    }
    if (this.#closed) return;
    if (state.participants !== host.state.participants) {
      host.update({ participants: state.participants });
    }
    if (state.spatialLayers !== host.state.levels.length) {
      host.update({
        levels: Array.from({ length: state.spatialLayers }, (_, index) => ({
          index,
          height: null,
          bitrate: null,
        })),
      });
    }
  };

  #fail(error: OnAirError | null): void {
    if (this.#closed) return;
    this.#host.fail(error ?? new OnAirError('MEDIA_UNAVAILABLE', 'Real-time viewing failed'));
  }

  async setLevel(index: number): Promise<void> {
    const auto = index < 0;
    await this.#viewer.preferLayer(auto ? undefined : index);
    if (!auto) this.#host.update({ level: index });
  }

  preferLayer(spatialLayer: number | undefined): Promise<void> {
    return this.#viewer.preferLayer(spatialLayer);
  }

  async stats(): Promise<ReceiveStats | null> {
    const report = await this.#viewer.stats();
    return report ? this.#rate.read(report) : null;
  }

  destroy(): void {
    if (this.#host.state.participants.length) this.#host.update({ participants: [] });
    this.#closed = true;
    this.#off?.();
    this.#off = undefined;
    this.#viewer.close();
  }
}
