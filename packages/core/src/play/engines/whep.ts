import { OnAirError } from '../../errors.js';
import { SdpOverHttpSession } from '../../transport/sdp-over-http.js';
import type { PlaybackEngine, PlaybackHost, ReceiveStats } from '../engine.js';
import { InboundRate } from './inbound-rate.js';

/**
 * Real time from a WHEP endpoint (any WHEP server; OnAir's is
 * `/whep/:streamId`): one receive-only RTCPeerConnection.
 */
export class WhepEngine implements PlaybackEngine {
  readonly mode = 'realtime';
  readonly #session: SdpOverHttpSession;
  readonly #rate = new InboundRate();
  #pc: RTCPeerConnection | undefined;
  #closed = false;
  readonly #host: PlaybackHost;

  constructor(host: PlaybackHost, url: string, token: string | undefined) {
    this.#host = host;
    this.#session = new SdpOverHttpSession({
      url,
      token,
      name: 'WHEP',
      refusal: (status) => (status === 401 ? 'UNAUTHORIZED' : 'MEDIA_UNAVAILABLE'),
    });
  }

  async start(): Promise<void> {
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    this.#pc = pc;
    const mediaStream = new MediaStream();
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addEventListener('track', (event) => mediaStream.addTrack(event.track));
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'failed') {
        this.#fail(new OnAirError('NETWORK', 'WHEP connection failed'));
      }
    });
    try {
      await this.#session.negotiate(pc);
      if (this.#closed) return;
      this.#host.video.srcObject = mediaStream;
      this.#host.startStats();
      await this.#host.autoplay();
    } catch (error) {
      this.#fail(OnAirError.from(error));
    }
  }

  #fail(error: OnAirError): void {
    if (!this.#closed) this.#host.fail(error);
  }

  // One rendition: the server picks what to send.
  async setLevel(): Promise<void> {}

  async stats(): Promise<ReceiveStats | null> {
    const report = await this.#pc?.getStats().catch(() => undefined);
    return report ? this.#rate.read(report) : null;
  }

  destroy(): void {
    this.#closed = true;
    this.#pc?.close();
    void this.#session.close().catch(() => undefined);
  }
}
