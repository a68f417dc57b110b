import type { ProducerCodec } from './producer.js';

/** One RTP stream an ffmpeg child should receive. */
export interface SdpMedia {
  kind: 'audio' | 'video';
  port: number;
  codec: ProducerCodec;
}

function rtpmap(codec: ProducerCodec): string {
  const name = codec.mimeType.split('/')[1] ?? '';
  const channels = codec.channels && codec.channels > 1 ? `/${codec.channels}` : '';
  return `${name}/${codec.clockRate}${channels}`;
}

/** An SDP session description that makes ffmpeg listen for plain RTP on loopback. */
export function ffmpegSdp(media: SdpMedia[]): string {
  const lines = ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=OnAir', 'c=IN IP4 127.0.0.1', 't=0 0'];
  for (const m of media) {
    const pt = m.codec.payloadType;
    lines.push(`m=${m.kind} ${m.port} RTP/AVP ${pt}`, `a=rtpmap:${pt} ${rtpmap(m.codec)}`);
    const fmtp = Object.entries(m.codec.parameters)
      .map(([k, v]) => `${k}=${v}`)
      .join(';');
    if (fmtp) lines.push(`a=fmtp:${pt} ${fmtp}`);
    lines.push('a=recvonly');
  }
  return `${lines.join('\r\n')}\r\n`;
}
