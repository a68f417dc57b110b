import type { RtpCapabilities } from '@onair/protocol';

/*
 * The codecs and header extensions the embedded SFU offers. H.264
 * (packetization-mode 1) comes first so a browser publisher sends what the
 * HLS packager can copy without transcoding; VP8 is the fallback. No
 * transport-cc: against this SFU it collapses Chrome's bandwidth estimate, so
 * the SFU sends REMB instead (see ARCHITECTURE.md).
 */
const videoFeedback = [
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
  { type: 'goog-remb' },
];

/** RTP capabilities of the embedded SFU's router. */
export const ROUTER_RTP_CAPABILITIES = {
  codecs: [
    {
      kind: 'audio',
      mimeType: 'audio/opus',
      preferredPayloadType: 100,
      clockRate: 48000,
      channels: 2,
      parameters: { minptime: 10, useinbandfec: 1 },
      rtcpFeedback: [],
    },
    {
      kind: 'video',
      mimeType: 'video/H264',
      preferredPayloadType: 102,
      clockRate: 90000,
      parameters: {
        'packetization-mode': 1,
        'profile-level-id': '42e01f',
        'level-asymmetry-allowed': 1,
      },
      rtcpFeedback: videoFeedback,
    },
    {
      kind: 'video',
      mimeType: 'video/rtx',
      preferredPayloadType: 103,
      clockRate: 90000,
      parameters: { apt: 102 },
      rtcpFeedback: [],
    },
    {
      kind: 'video',
      mimeType: 'video/VP8',
      preferredPayloadType: 96,
      clockRate: 90000,
      parameters: {},
      rtcpFeedback: videoFeedback,
    },
    {
      kind: 'video',
      mimeType: 'video/rtx',
      preferredPayloadType: 97,
      clockRate: 90000,
      parameters: { apt: 96 },
      rtcpFeedback: [],
    },
  ],
  headerExtensions: [
    {
      kind: 'audio',
      uri: 'urn:ietf:params:rtp-hdrext:sdes:mid',
      preferredId: 1,
      preferredEncrypt: false,
      direction: 'sendrecv',
    },
    {
      kind: 'video',
      uri: 'urn:ietf:params:rtp-hdrext:sdes:mid',
      preferredId: 1,
      preferredEncrypt: false,
      direction: 'sendrecv',
    },
    // Simulcast layers are told apart by RID (the SFU only receives these).
    {
      kind: 'video',
      uri: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
      preferredId: 2,
      preferredEncrypt: false,
      direction: 'recvonly',
    },
    {
      kind: 'video',
      uri: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
      preferredId: 3,
      preferredEncrypt: false,
      direction: 'recvonly',
    },
    {
      kind: 'video',
      uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
      preferredId: 4,
      preferredEncrypt: false,
      direction: 'sendrecv',
    },
    {
      kind: 'audio',
      uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
      preferredId: 10,
      preferredEncrypt: false,
      direction: 'sendrecv',
    },
  ],
} as const satisfies RtpCapabilities;
