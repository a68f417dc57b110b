/**
 * SDP and RTP fixtures of the WHEP tests: one H.264 video producer and a
 * browser's receive-only offer for it.
 */
import type { RtpParameters } from '@onair/protocol';

/** A publisher's H.264 video producer: what WHEP tests put on a stream. */
export const H264: RtpParameters = {
  mid: '0',
  codecs: [
    {
      mimeType: 'video/H264',
      payloadType: 102,
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
    },
  ],
  headerExtensions: [],
  encodings: [{ ssrc: 1111 }],
  rtcp: { cname: 'publisher' },
};

/** A browser's recvonly offer for one video track (H.264). */
export const OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=video 9 UDP/TLS/RTP/SAVPF 102',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'a=fingerprint:sha-256 2A:3B:4C:5D:6E:7F:80:91:A2:B3:C4:D5:E6:F7:08:19:2A:3B:4C:5D:6E:7F:80:91:A2:B3:C4:D5:E6:F7:08:19',
  'a=setup:actpass',
  'a=mid:0',
  'a=recvonly',
  'a=rtcp-mux',
  'a=rtpmap:102 H264/90000',
  'a=rtcp-fb:102 nack pli',
  'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  '',
].join('\r\n');
