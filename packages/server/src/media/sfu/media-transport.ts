import type { RtcpPacket, RtpHeader, RtpPacket } from 'werift';

/** Lifecycle of a transport. */
export type TransportState = 'new' | 'connecting' | 'connected' | 'failed' | 'closed';

/**
 * What producers and consumers need of the transport they ride on: RTP and
 * RTCP in both directions and its state. A browser's
 * {@link WebRtcTransport} (ICE, DTLS, SRTP) is one; a {@link PipeTransport}
 * between two servers' routers (plain RTP over UDP) is the other.
 */
export interface MediaTransport {
  readonly id: string;
  readonly state: TransportState;
  /** RTP packets sent to the peer (the router's idle check). */
  readonly packetsSent: number;
  /** Subscribes to incoming RTP; returns the unsubscribe function. */
  onRtp(listener: (packet: RtpPacket) => void): () => void;
  /** Subscribes to incoming RTCP; returns the unsubscribe function. */
  onRtcp(listener: (packet: RtcpPacket) => void): () => void;
  /** Subscribes to state changes; returns the unsubscribe function. */
  onStateChange(listener: (state: TransportState) => void): () => void;
  /** Sends an RTP packet once connected; dropped before that. */
  sendRtp(payload: Buffer, header: RtpHeader): void;
  /** Sends RTCP once connected; dropped before that. */
  sendRtcp(packets: RtcpPacket[]): void;
  /** Closes the transport and its socket. Idempotent. */
  close(): Promise<void>;
}
