import { type DtlsParameters, OnAirError } from '@onair/protocol';

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

/** One m-section of an offer. */
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

/** What the server needs from a WHIP or WHEP offer. */
export interface SdpOffer {
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
export function parseSdpOffer(sdp: string): SdpOffer {
  if (sdp.length > MAX_SDP_BYTES) bad('too large');
  const lines = sdp.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] !== 'v=0') bad('it must start with v=0');
  const offer: SdpOffer = { media: [], fingerprints: [], setup: undefined };
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

/** The offerer's DTLS parameters: it is the DTLS client (we answer `setup:passive`). */
export function dtlsParametersOf(offer: SdpOffer): DtlsParameters {
  return {
    role: 'client',
    fingerprints: offer.fingerprints.map((f) => ({
      algorithm: f.algorithm as 'sha-256',
      value: f.value,
    })),
  };
}
