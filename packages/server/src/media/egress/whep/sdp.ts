import type { RtpCapabilities, TransportOptions } from '@onair/protocol';
import { sdpAnswer } from '../../sdp/answer.js';
import type { SdpOffer } from '../../sdp/offer.js';
import type { ConsumerPlan } from '../../sfu/consumer-plan.js';

const MIME_NAMES: Record<string, string> = { h264: 'H264', vp8: 'VP8', opus: 'opus', rtx: 'rtx' };

/**
 * What a WHEP player can receive, from its recvonly offer, in the shape of
 * mediasoup RTP capabilities (its own payload types and extension ids), so
 * the SFU's consumers can be planned for it as for mediasoup-client.
 */
export function whepCapabilities(offer: SdpOffer): RtpCapabilities {
  const codecs: NonNullable<RtpCapabilities['codecs']> = [];
  const headerExtensions: NonNullable<RtpCapabilities['headerExtensions']> = [];
  for (const media of offer.media) {
    if (media.kind !== 'audio' && media.kind !== 'video') continue;
    if (!['recvonly', 'sendrecv'].includes(media.direction)) continue;
    const kind = media.kind;
    for (const codec of media.codecs) {
      const name = MIME_NAMES[codec.name];
      if (!name || !codec.clockRate) continue;
      const parameters: Record<string, string | number> = {};
      for (const [key, value] of Object.entries(codec.fmtp)) {
        parameters[key] = /^\d+$/.test(value) ? Number(value) : value;
      }
      codecs.push({
        kind,
        mimeType: `${kind}/${name}`,
        preferredPayloadType: codec.payloadType,
        clockRate: codec.clockRate,
        ...(codec.channels ? { channels: codec.channels } : {}),
        parameters,
        rtcpFeedback: codec.feedback,
      });
    }
    for (const extension of media.extensions) {
      headerExtensions.push({ kind, uri: extension.uri, preferredId: extension.id });
    }
  }
  return { codecs, headerExtensions };
}

/** One answered m-section: the consumer sending on it, or none (rejected). */
export interface WhepSection {
  plan: ConsumerPlan;
  /** MediaStream id shared by the audio and video sections (players expect one stream). */
  streamId: string;
  trackId: string;
}

/**
 * The WHEP answer: per offered m-section either a sendonly section
 * describing its consumer (payload types, RTX, feedback, MID and
 * abs-send-time extensions, SSRCs with the publisher's CNAME) or a rejected
 * one.
 */
export function whepAnswer(
  offer: SdpOffer,
  transport: TransportOptions,
  sections: Array<WhepSection | undefined>,
): string {
  const answered = sections.map((section) => {
    if (!section) return undefined;
    const { rtpParameters, ssrc, rtxSsrc } = section.plan;
    const cname = rtpParameters.rtcp?.cname ?? 'onair';
    const lines = (rtpParameters.headerExtensions ?? []).map((e) => `a=extmap:${e.id} ${e.uri}`);
    for (const codec of rtpParameters.codecs) {
      const [, name] = codec.mimeType.split('/');
      lines.push(
        `a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${codec.channels ? `/${codec.channels}` : ''}`,
      );
      const fmtp = Object.entries(codec.parameters ?? {}).map(([k, v]) => `${k}=${v}`);
      if (fmtp.length > 0) lines.push(`a=fmtp:${codec.payloadType} ${fmtp.join(';')}`);
      for (const fb of codec.rtcpFeedback ?? []) {
        lines.push(
          `a=rtcp-fb:${codec.payloadType} ${fb.type}${fb.parameter ? ` ${fb.parameter}` : ''}`,
        );
      }
    }
    lines.push(`a=msid:${section.streamId} ${section.trackId}`);
    if (rtxSsrc !== undefined) lines.push(`a=ssrc-group:FID ${ssrc} ${rtxSsrc}`);
    lines.push(`a=ssrc:${ssrc} cname:${cname}`);
    if (rtxSsrc !== undefined) lines.push(`a=ssrc:${rtxSsrc} cname:${cname}`);
    return { payloadTypes: rtpParameters.codecs.map((c) => c.payloadType), lines };
  });
  return sdpAnswer(offer, transport, 'sendonly', answered, ['a=msid-semantic: WMS *']);
}
