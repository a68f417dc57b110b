import type { SdpOverHttpSession } from '../transport/sdp-over-http.js';
import { kit } from './engine-kit.js';
import type { MediaSender, OutgoingTracks, TrackSender, VideoSending } from './sender.js';

const transceiverSender = (sender: RTCRtpSender): TrackSender => ({
  replace: (track) => sender.replaceTrack(track),
  stats: () => sender.getStats(),
  setMaxBitrate: async (maxBitrate) => {
    const parameters = sender.getParameters();
    for (const encoding of parameters.encodings) encoding.maxBitrate = maxBitrate;
    await sender.setParameters(parameters);
  },
});

/**
 * A publishing session to a WHIP endpoint (RFC 9725): one RTCPeerConnection,
 * the offer POSTed with the stream key as bearer. Simulcast is not used.
 */
export class WhipSender implements MediaSender {
  video: TrackSender | undefined;
  audio: TrackSender | undefined;
  #pc: RTCPeerConnection | undefined;
  readonly #session: SdpOverHttpSession;
  readonly #tracks: OutgoingTracks;
  readonly #sending: VideoSending;

  constructor(
    whip: { url: string; token?: string },
    tracks: OutgoingTracks,
    sending: VideoSending,
  ) {
    this.#tracks = tracks;
    this.#sending = sending;
    this.#session = new kit.SdpOverHttpSession({
      url: whip.url,
      token: whip.token,
      name: 'WHIP',
      refusal: (status) =>
        status === 401 || status === 403
          ? 'UNAUTHORIZED'
          : status >= 500
            ? 'NETWORK'
            : 'BAD_REQUEST',
    });
  }

  async connect(onState: (state: RTCPeerConnectionState) => void): Promise<void> {
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    this.#pc = pc;
    pc.addEventListener('connectionstatechange', () => onState(pc.connectionState));
    const { video, audio } = this.#tracks;
    if (video) {
      const transceiver = pc.addTransceiver(video, {
        direction: 'sendonly',
        sendEncodings: kit.videoEncodings(
          this.#sending.maxBitrate(),
          false,
          this.#sending.maxFrameRate,
        ),
      });
      const preferred = this.#sending.codec;
      const codecs = globalThis.RTCRtpSender?.getCapabilities?.('video')?.codecs ?? [];
      const first = codecs.filter((c) => new RegExp(`/${preferred}$`, 'i').test(c.mimeType));
      if (first.length > 0 && transceiver.setCodecPreferences) {
        transceiver.setCodecPreferences([...first, ...codecs.filter((c) => !first.includes(c))]);
      }
      this.video = transceiverSender(transceiver.sender);
    }
    if (audio) {
      const transceiver = pc.addTransceiver(audio, { direction: 'sendonly' });
      this.audio = transceiverSender(transceiver.sender);
    }
    await this.#session.negotiate(pc);
  }

  closeLocally(): void {
    this.#pc?.close();
  }

  closeOnServer(): Promise<void> {
    return this.#session.close();
  }
}
