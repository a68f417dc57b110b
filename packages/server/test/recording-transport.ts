import { type RtcpPacket, RtcpPacketConverter, type RtpHeader, RtpPacket } from 'werift';
import type { WebRtcTransport } from '../src/media/sfu/webrtc-transport.js';

/*
 * The network boundary of the SFU's packet logic: a WebRTC transport whose
 * socket is replaced by a recorder. Packets still go through werift's RTP and
 * RTCP serialisation both ways, as on the wire.
 */

/** A transport that records what it sends and lets the test inject what it receives. */
export function recordingTransport() {
  const rtpListeners = new Set<(p: RtpPacket) => void>();
  const rtcpListeners = new Set<(p: RtcpPacket) => void>();
  const sent: Array<{ header: RtpHeader; payload: Buffer }> = [];
  const rtcp: RtcpPacket[] = [];
  const transport = {
    state: 'connected',
    onRtp: (l: (p: RtpPacket) => void) => {
      rtpListeners.add(l);
      return () => rtpListeners.delete(l);
    },
    onRtcp: (l: (p: RtcpPacket) => void) => {
      rtcpListeners.add(l);
      return () => rtcpListeners.delete(l);
    },
    onStateChange: () => () => undefined,
    sendRtp: (payload: Buffer, header: RtpHeader) => {
      // What goes on the wire: serialize and parse back, as the viewer would.
      const wire = RtpPacket.deSerialize(new RtpPacket(header, payload).serialize());
      sent.push({ header: wire.header, payload: wire.payload });
    },
    sendRtcp: (packets: RtcpPacket[]) => {
      rtcp.push(
        ...RtcpPacketConverter.deSerialize(Buffer.concat(packets.map((p) => p.serialize()))),
      );
    },
  };
  return {
    transport: transport as unknown as WebRtcTransport,
    sent,
    rtcp,
    receive: (packet: RtpPacket) => {
      const wire = RtpPacket.deSerialize(packet.serialize());
      for (const l of rtpListeners) l(wire);
    },
    feedback: (packets: RtcpPacket[]) => {
      const parsed = RtcpPacketConverter.deSerialize(
        Buffer.concat(packets.map((p) => p.serialize())),
      );
      for (const p of parsed) for (const l of rtcpListeners) l(p);
    },
  };
}
