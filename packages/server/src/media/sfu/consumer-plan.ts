import { randomInt } from 'node:crypto';
import { OnAirError, type RtpCapabilities, type RtpParameters } from '@onair/protocol';
import type { Producer } from './producer.js';
import { ROUTER_RTP_CAPABILITIES } from './router-capabilities.js';

const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const ABS_SEND_TIME_URI = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time';
/** RFC 6464: the publisher's audio level in each packet (who is speaking). */
/** The audio-level header extension (RFC 6464): each packet's loudness. */
export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/** The payload types, SSRCs and header extension ids a consumer sends with. */
export interface ConsumerPlan {
  rtpParameters: RtpParameters;
  payloadType: number;
  rtxPayloadType: number | undefined;
  ssrc: number;
  rtxSsrc: number | undefined;
  midExtensionId: number | undefined;
  absSendTimeExtensionId: number | undefined;
  /** Audio: the level extension, as the producer's packets carry it and as the viewer reads it. */
  audioLevel: { producerId: number; consumerId: number } | undefined;
}

const sameMime = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Builds a consumer's RTP parameters: the producer's codec found by MIME
 * type in the viewer's capabilities, sent with the viewer's payload type (for
 * mediasoup-client, the router's; the producer's own is whatever its browser
 * chose), RTX by `apt`, the viewer's feedback types, and only the header
 * extensions the SFU writes itself (MID, abs-send-time) or passes on (the
 * publisher's audio level, RFC 6464) at the viewer's ids.
 * Throws NOT_SUPPORTED when the viewer's device cannot receive the codec.
 */
export function planConsumer(
  producer: Producer,
  device: RtpCapabilities,
  mid: string,
): ConsumerPlan {
  const router = ROUTER_RTP_CAPABILITIES.codecs.find(
    (c) => c.kind === producer.kind && sameMime(c.mimeType, producer.codec.mimeType),
  );
  if (!router)
    throw new OnAirError('NOT_SUPPORTED', `No router codec for ${producer.codec.mimeType}`);
  // The device's own payload type for the codec: for mediasoup-client it is the router's;
  // a WHEP offer picks its own.
  const wanted = device.codecs?.find(
    (c) =>
      c.kind === producer.kind &&
      sameMime(c.mimeType, router.mimeType) &&
      c.clockRate === router.clockRate &&
      (!/h264/i.test(router.mimeType) ||
        String(c.parameters?.['packetization-mode'] ?? 0) ===
          String(producer.codec.parameters['packetization-mode'] ?? 0)),
  );
  if (!wanted) {
    throw new OnAirError(
      'NOT_SUPPORTED',
      `This device cannot receive ${producer.codec.mimeType}: pass the device's rtpCapabilities after loading it with the router's`,
    );
  }
  const rtx = ROUTER_RTP_CAPABILITIES.codecs.find(
    (c) =>
      sameMime(c.mimeType, `${producer.kind}/rtx`) &&
      'apt' in c.parameters &&
      c.parameters.apt === router.preferredPayloadType,
  );
  const deviceRtx =
    rtx &&
    device.codecs?.find(
      (c) =>
        sameMime(c.mimeType, rtx.mimeType) &&
        Number(c.parameters?.apt) === wanted.preferredPayloadType,
    );
  const routerFeedback = 'rtcpFeedback' in router ? router.rtcpFeedback : [];
  const feedback = routerFeedback.filter((f) =>
    (wanted.rtcpFeedback ?? []).some(
      (d) => d.type === f.type && (d.parameter ?? '') === ('parameter' in f ? f.parameter : ''),
    ),
  );
  const extension = (uri: string) => {
    const routerExt = ROUTER_RTP_CAPABILITIES.headerExtensions.find(
      (e) => e.kind === producer.kind && e.uri === uri,
    );
    const deviceExt = device.headerExtensions?.find(
      (e) => e.kind === producer.kind && e.uri === uri,
    );
    return routerExt && deviceExt ? deviceExt.preferredId : undefined;
  };
  const midExtensionId = extension(MID_URI);
  const absSendTimeExtensionId =
    producer.kind === 'video' ? extension(ABS_SEND_TIME_URI) : undefined;
  const producerAudioLevelId = producer.rtpParameters.headerExtensions?.find(
    (e) => e.uri === AUDIO_LEVEL_URI,
  )?.id;
  const consumerAudioLevelId =
    producer.kind === 'audio' && producerAudioLevelId !== undefined
      ? extension(AUDIO_LEVEL_URI)
      : undefined;
  const audioLevel =
    producerAudioLevelId !== undefined && consumerAudioLevelId !== undefined
      ? { producerId: producerAudioLevelId, consumerId: consumerAudioLevelId }
      : undefined;
  const ssrc = randomInt(1, 0xffffffff);
  const rtxSsrc = deviceRtx ? randomInt(1, 0xffffffff) : undefined;
  const codecs: RtpParameters['codecs'] = [
    {
      mimeType: router.mimeType,
      payloadType: wanted.preferredPayloadType,
      clockRate: router.clockRate,
      ...('channels' in router ? { channels: router.channels } : {}),
      // The producer's format parameters (its real H.264 profile, Opus options).
      parameters: { ...producer.codec.parameters },
      rtcpFeedback: feedback.map((f) => ({ ...f })),
    },
  ];
  if (rtx && deviceRtx) {
    codecs.push({
      mimeType: rtx.mimeType,
      payloadType: deviceRtx.preferredPayloadType,
      clockRate: rtx.clockRate,
      parameters: { apt: wanted.preferredPayloadType },
      rtcpFeedback: [],
    });
  }
  const headerExtensions: NonNullable<RtpParameters['headerExtensions']> = [];
  if (midExtensionId !== undefined) headerExtensions.push({ uri: MID_URI, id: midExtensionId });
  if (absSendTimeExtensionId !== undefined) {
    headerExtensions.push({ uri: ABS_SEND_TIME_URI, id: absSendTimeExtensionId });
  }
  if (audioLevel) headerExtensions.push({ uri: AUDIO_LEVEL_URI, id: audioLevel.consumerId });
  return {
    rtpParameters: {
      mid,
      codecs,
      headerExtensions,
      encodings: [{ ssrc, ...(rtxSsrc !== undefined ? { rtx: { ssrc: rtxSsrc } } : {}) }],
      rtcp: { cname: producer.cname, reducedSize: true },
    },
    payloadType: wanted.preferredPayloadType,
    rtxPayloadType: deviceRtx ? deviceRtx.preferredPayloadType : undefined,
    ssrc,
    rtxSsrc,
    midExtensionId,
    absSendTimeExtensionId,
    audioLevel,
  };
}
