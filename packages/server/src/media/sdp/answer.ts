import type { TransportOptions } from '@onair/protocol';
import type { OfferedMedia, SdpOffer } from './offer.js';

/** What one accepted m-section of an answer says beyond the transport: its codecs and tracks. */
export interface AnsweredSection {
  payloadTypes: number[];
  /** Lines after the transport's (rtpmap, fmtp, rtcp-fb, extmap, msid, ssrc, …). */
  lines: string[];
}

/**
 * An SDP answer from the SFU's ICE-lite transport (RFC 8866, RFC 8829), for
 * WHIP and WHEP alike: one BUNDLE of the accepted sections, each with our ICE
 * credentials, DTLS fingerprint (we are the DTLS server: `setup:passive`),
 * `direction`, rtcp-mux and every host candidate (no trickle); offered
 * sections without an answer are rejected (port 0, inactive).
 */
export function sdpAnswer(
  offer: SdpOffer,
  transport: TransportOptions,
  direction: 'recvonly' | 'sendonly',
  sections: ReadonlyArray<AnsweredSection | undefined>,
  sessionLines: readonly string[] = [],
): string {
  const accepted = offer.media.filter((_, i) => sections[i]);
  const lines = [
    'v=0',
    `o=- ${Date.now()} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${accepted.map((m) => m.mid).join(' ')}`,
    ...sessionLines,
  ];
  offer.media.forEach((media, i) => {
    const section = sections[i];
    if (!section) {
      lines.push(...rejected(media));
      return;
    }
    lines.push(
      `m=${media.kind} 9 UDP/TLS/RTP/SAVPF ${section.payloadTypes.join(' ')}`,
      'c=IN IP4 0.0.0.0',
      `a=mid:${media.mid}`,
      `a=ice-ufrag:${transport.iceParameters.usernameFragment}`,
      `a=ice-pwd:${transport.iceParameters.password}`,
      ...transport.dtlsParameters.fingerprints.map(
        (f) => `a=fingerprint:${f.algorithm} ${f.value.toUpperCase()}`,
      ),
      'a=setup:passive',
      `a=${direction}`,
      'a=rtcp-mux',
      'a=rtcp-rsize',
      ...section.lines,
    );
    for (const c of transport.iceCandidates) {
      lines.push(
        `a=candidate:${c.foundation} 1 udp ${c.priority} ${c.ip ?? c.address} ${c.port} typ host`,
      );
    }
    lines.push('a=end-of-candidates');
  });
  return `${lines.join('\r\n')}\r\n`;
}

function rejected(media: OfferedMedia): string[] {
  return [
    `m=${media.kind} 0 UDP/TLS/RTP/SAVPF 0`,
    'c=IN IP4 0.0.0.0',
    `a=mid:${media.mid}`,
    'a=inactive',
  ];
}
