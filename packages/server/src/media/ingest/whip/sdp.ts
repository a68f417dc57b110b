import type { RtpParameters, TransportOptions } from '@onair/protocol';
import { OnAirError } from '@onair/protocol';

/** One codec of an offered m-section. */
export interface SdpCodec {
  payloadType: number;
  name: string;
  clockRate: number;
  channels: number | undefined;
  fmtp: Record<string, string>;
  /** `a=rtcp-fb` lines of this payload type: `nack`, `nack pli`, `ccm fir`, `goog-remb`, … */
  feedback: Array<{ type: string; parameter?: string }>;
}

/** One m-section of a WHIP offer. */
export interface OfferedMedia {
  kind: string;
  mid: string;
  direction: string;
  codecs: SdpCodec[];
  /** SSRC of the media (the first of an FID group when RTX is offered). */
  ssrc: number | undefined;
  /** `a=extmap` header extensions. */
  extensions: Array<{ id: number; uri: string }>;
}

/** What the server needs from a WHIP offer. */
export interface WhipOffer {
  media: OfferedMedia[];
  fingerprints: Array<{ algorithm: string; value: string }>;
  setup: string | undefined;
}

const MAX_SDP_BYTES = 64 * 1024;

function bad(message: string): never {
  throw new OnAirError('BAD_REQUEST', `Invalid SDP offer: ${message}`);
}

function parseFmtp(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of value.split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key) out[key.trim().toLowerCase()] = rest.join('=').trim();
  }
  return out;
}

/** Parses the parts of an SDP offer (RFC 8866, RFC 8829) a receive-only ICE-lite endpoint uses. */
export function parseWhipOffer(sdp: string): WhipOffer {
  if (sdp.length > MAX_SDP_BYTES) bad('too large');
  const lines = sdp.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] !== 'v=0') bad('it must start with v=0');
  const offer: WhipOffer = { media: [], fingerprints: [], setup: undefined };
  let current: (OfferedMedia & { fid?: number }) | undefined;
  let sessionDirection = 'sendrecv';
  for (const line of lines) {
    if (!/^[a-z]=/.test(line)) bad(`malformed line "${line.slice(0, 40)}"`);
    const type = line[0];
    const value = line.slice(2);
    if (type === 'm') {
      const [kind, , , ...formats] = value.split(' ');
      if (!kind) bad('m-line without media type');
      current = {
        kind: kind as string,
        mid: String(offer.media.length),
        direction: sessionDirection,
        codecs: formats
          .map(Number)
          .filter(Number.isInteger)
          .map((payloadType) => ({
            payloadType,
            name: '',
            clockRate: 0,
            channels: undefined,
            fmtp: {},
            feedback: [],
          })),
        ssrc: undefined,
        extensions: [],
      };
      offer.media.push(current);
      continue;
    }
    if (type !== 'a') continue;
    const colon = value.indexOf(':');
    const name = colon < 0 ? value : value.slice(0, colon);
    const rest = colon < 0 ? '' : value.slice(colon + 1);
    if (name === 'fingerprint') {
      const [algorithm, hash] = rest.split(' ');
      if (algorithm && hash)
        offer.fingerprints.push({ algorithm: algorithm.toLowerCase(), value: hash });
    } else if (name === 'setup') {
      offer.setup = rest;
    } else if (['sendrecv', 'sendonly', 'recvonly', 'inactive'].includes(name)) {
      if (current) current.direction = name;
      else sessionDirection = name;
    } else if (current && name === 'mid') {
      current.mid = rest;
    } else if (current && name === 'extmap') {
      const [id, uri] = rest.split(' ');
      const number = Number.parseInt(id ?? '', 10);
      if (uri && number >= 1 && number <= 255) current.extensions.push({ id: number, uri });
    } else if (current && name === 'rtcp-fb') {
      const [pt, fbType, parameter] = rest.split(' ');
      const codec = current.codecs.find((c) => c.payloadType === Number(pt));
      if (codec && fbType)
        codec.feedback.push({ type: fbType, ...(parameter ? { parameter } : {}) });
    } else if (current && (name === 'rtpmap' || name === 'fmtp')) {
      const space = rest.indexOf(' ');
      const codec = current.codecs.find((c) => c.payloadType === Number(rest.slice(0, space)));
      if (!codec) continue;
      if (name === 'rtpmap') {
        const [codecName, clock, channels] = rest.slice(space + 1).split('/');
        codec.name = (codecName ?? '').toLowerCase();
        codec.clockRate = Number(clock);
        codec.channels = channels ? Number(channels) : undefined;
      } else {
        codec.fmtp = parseFmtp(rest.slice(space + 1));
      }
    } else if (current && name === 'ssrc-group') {
      const [semantics, first] = rest.split(' ');
      if (semantics === 'FID' && first) current.fid = Number(first);
    } else if (current && name === 'ssrc') {
      const ssrc = Number(rest.split(' ')[0]);
      if (Number.isInteger(ssrc) && current.ssrc === undefined) current.ssrc = ssrc;
    }
  }
  for (const media of offer.media as Array<OfferedMedia & { fid?: number }>) {
    if (media.fid !== undefined) media.ssrc = media.fid;
  }
  if (offer.media.length === 0) bad('no m-section');
  if (offer.fingerprints.length === 0) bad('no a=fingerprint (DTLS is required)');
  return offer;
}

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
 * The SDP answer: ICE-lite, our ICE credentials, candidates and DTLS
 * fingerprint (we are the DTLS server), receive-only m-sections with the
 * chosen codec, REMB instead of transport-cc (see ARCHITECTURE.md) and the
 * start/max bitrate hints Chrome reads from the video fmtp.
 */
export function whipAnswer(offer: WhipOffer, options: AnswerOptions): string {
  const { transport, chosen, maxBitrate } = options;
  const accepted = offer.media.filter((_, i) => chosen[i]);
  const lines = [
    'v=0',
    `o=- ${Date.now()} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${accepted.map((m) => m.mid).join(' ')}`,
  ];
  const kbps = Math.round(maxBitrate / 1000);
  offer.media.forEach((media, i) => {
    const codec = chosen[i];
    if (!codec) {
      lines.push(
        `m=${media.kind} 0 UDP/TLS/RTP/SAVPF 0`,
        'c=IN IP4 0.0.0.0',
        `a=mid:${media.mid}`,
        'a=inactive',
      );
      return;
    }
    lines.push(
      `m=${media.kind} 9 UDP/TLS/RTP/SAVPF ${codec.payloadType}`,
      'c=IN IP4 0.0.0.0',
      `a=mid:${media.mid}`,
      `a=ice-ufrag:${transport.iceParameters.usernameFragment}`,
      `a=ice-pwd:${transport.iceParameters.password}`,
      ...transport.dtlsParameters.fingerprints.map(
        (f) => `a=fingerprint:${f.algorithm} ${f.value.toUpperCase()}`,
      ),
      'a=setup:passive',
      'a=recvonly',
      'a=rtcp-mux',
      'a=rtcp-rsize',
      `a=rtpmap:${codec.payloadType} ${codec.name === 'h264' ? 'H264' : codec.name === 'vp8' ? 'VP8' : 'opus'}/${codec.clockRate}${codec.channels ? `/${codec.channels}` : ''}`,
    );
    const fmtp = Object.entries(codec.fmtp).map(([k, v]) => (v === '' ? k : `${k}=${v}`));
    if (media.kind === 'video') {
      fmtp.push(
        `x-google-start-bitrate=${Math.round(kbps * 0.6)}`,
        'x-google-min-bitrate=300',
        `x-google-max-bitrate=${kbps}`,
      );
      lines.push(
        `a=rtcp-fb:${codec.payloadType} nack`,
        `a=rtcp-fb:${codec.payloadType} nack pli`,
        `a=rtcp-fb:${codec.payloadType} ccm fir`,
        `a=rtcp-fb:${codec.payloadType} goog-remb`,
      );
    }
    if (fmtp.length) lines.push(`a=fmtp:${codec.payloadType} ${fmtp.join(';')}`);
    for (const c of transport.iceCandidates) {
      lines.push(
        `a=candidate:${c.foundation} 1 udp ${c.priority} ${c.ip ?? c.address} ${c.port} typ host`,
      );
    }
    lines.push('a=end-of-candidates');
  });
  return `${lines.join('\r\n')}\r\n`;
}
