import type { RtpParameters, TransportOptions } from '@onair/protocol';
import { sdpAnswer } from '../../sdp/answer.js';
import type { OfferedMedia, SdpCodec, SdpOffer } from '../../sdp/offer.js';

/** The codec the server takes from an m-section: H.264 (packetization-mode 1) before VP8; Opus. */
export function chooseCodec(media: OfferedMedia): SdpCodec | undefined {
  if (media.kind === 'audio') {
    return media.codecs.find((c) => c.name === 'opus' && c.clockRate === 48000);
  }
  if (media.kind !== 'video') return undefined;
  const h264 = media.codecs.filter(
    (c) => c.name === 'h264' && c.fmtp['packetization-mode'] === '1',
  );
  // Constrained baseline first: what every decoder and the HLS copy handle.
  const preferred =
    h264.find((c) => (c.fmtp['profile-level-id'] ?? '').toLowerCase().startsWith('42e0')) ??
    h264[0];
  return preferred ?? media.codecs.find((c) => c.name === 'vp8');
}

/** Produce parameters for a chosen codec (the SFU's `media:produce` model). */
export function rtpParametersOf(media: OfferedMedia, codec: SdpCodec): RtpParameters {
  const kind = media.kind === 'audio' ? 'audio' : 'video';
  return {
    mid: media.mid,
    codecs: [
      {
        mimeType: `${kind}/${codec.name === 'h264' ? 'H264' : codec.name === 'vp8' ? 'VP8' : 'opus'}`,
        payloadType: codec.payloadType,
        clockRate: codec.clockRate,
        ...(codec.channels ? { channels: codec.channels } : {}),
        parameters: codec.fmtp,
      },
    ],
    encodings: media.ssrc === undefined ? [] : [{ ssrc: media.ssrc }],
  } as RtpParameters;
}

/** Answer options for {@link whipAnswer}. */
export interface AnswerOptions {
  transport: TransportOptions;
  /** The chosen codec of each offered m-section (undefined: rejected). */
  chosen: Array<SdpCodec | undefined>;
  /** Bitrate the publisher's video may reach, bits/s (REMB and x-google-max-bitrate). */
  maxBitrate: number;
}

/**
 * The WHIP answer: receive-only sections with the chosen codec, REMB instead
 * of transport-cc (see ARCHITECTURE.md) and the start/max bitrate hints
 * Chrome reads from the video fmtp.
 */
export function whipAnswer(offer: SdpOffer, options: AnswerOptions): string {
  const { transport, chosen, maxBitrate } = options;
  const kbps = Math.round(maxBitrate / 1000);
  const sections = offer.media.map((media, i) => {
    const codec = chosen[i];
    if (!codec) return undefined;
    const pt = codec.payloadType;
    const name = codec.name === 'h264' ? 'H264' : codec.name === 'vp8' ? 'VP8' : 'opus';
    const lines = [
      `a=rtpmap:${pt} ${name}/${codec.clockRate}${codec.channels ? `/${codec.channels}` : ''}`,
    ];
    const fmtp = Object.entries(codec.fmtp).map(([k, v]) => (v === '' ? k : `${k}=${v}`));
    if (media.kind === 'video') {
      fmtp.push(
        `x-google-start-bitrate=${Math.round(kbps * 0.6)}`,
        'x-google-min-bitrate=300',
        `x-google-max-bitrate=${kbps}`,
      );
      lines.push(
        `a=rtcp-fb:${pt} nack`,
        `a=rtcp-fb:${pt} nack pli`,
        `a=rtcp-fb:${pt} ccm fir`,
        `a=rtcp-fb:${pt} goog-remb`,
      );
    }
    if (fmtp.length) lines.push(`a=fmtp:${pt} ${fmtp.join(';')}`);
    return { payloadTypes: [pt], lines };
  });
  return sdpAnswer(offer, transport, 'recvonly', sections);
}
