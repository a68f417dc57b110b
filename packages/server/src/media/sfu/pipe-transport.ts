import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { OnAirError } from '@onair/protocol';
import { isRtcp, type RtcpPacket, RtcpPacketConverter, type RtpHeader, RtpPacket } from 'werift';
import { newId } from '../../platform/ids.js';
import type { MediaTransport, TransportState } from './media-transport.js';

/** RTCP BYE (RFC 3550 §6.6): the pipe's end, from either side. */
const RTCP_BYE = 203;
const BYE_PACKET = Buffer.from([0x81, RTCP_BYE, 0x00, 0x01, 0, 0, 0, 0]);

/** Whether a compound RTCP datagram holds a BYE. */
function holdsBye(data: Buffer): boolean {
  let offset = 0;
  while (offset + 4 <= data.length) {
    if (data[offset + 1] === RTCP_BYE) return true;
    offset += (data.readUInt16BE(offset + 2) + 1) * 4;
  }
  return false;
}

/**
 * A plain RTP link between two servers' routers, as mediasoup's
 * PipeTransport: one UDP socket each side, RTP and RTCP multiplexed on it
 * (RFC 5761), no ICE, no DTLS. Datagrams from anyone but the connected peer
 * are dropped; an RTCP BYE from either side ends it. Meant for the private
 * network between a deployment's nodes (see docs/deploy.md).
 */
export class PipeTransport implements MediaTransport {
  readonly id = newId('tr');
  private stateValue: TransportState = 'new';
  private remote: { address: string; port: number } | undefined;
  private readonly rtpListeners = new Set<(packet: RtpPacket) => void>();
  private readonly rtcpListeners = new Set<(packet: RtcpPacket) => void>();
  private readonly stateListeners = new Set<(state: TransportState) => void>();
  private readonly byeListeners = new Set<() => void>();
  /** RTP packets sent to the peer. */
  packetsSent = 0;
  /** Datagrams received from the peer (RTP and RTCP). */
  packetsReceived = 0;
  /** When the peer last sent anything (`performance.now()`), or when the pipe connected. */
  lastReceivedAt = performance.now();

  private constructor(private readonly socket: Socket) {
    socket.on('message', (data, from) => this.receive(data, from));
    socket.on('error', () => this.fail());
  }

  /** Opens the pipe's UDP socket on a free port of every interface. */
  static async create(): Promise<PipeTransport> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new PipeTransport(socket);
  }

  /** The local UDP port the peer sends to. */
  get port(): number {
    return this.socket.address().port;
  }

  get state(): TransportState {
    return this.stateValue;
  }

  /** Names the peer (a host name is resolved once): from now on media flows both ways. */
  async connect(host: string, port: number): Promise<void> {
    if (this.stateValue !== 'new') throw new OnAirError('CONFLICT', 'Pipe is already connected');
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new OnAirError('BAD_REQUEST', `Bad pipe port ${port}`);
    }
    this.setState('connecting');
    const address =
      isIP(host) === 4 ? host : (await lookup(host, { family: 4 }).catch(() => undefined))?.address;
    // Closed while the name was being resolved.
    if ((this.stateValue as TransportState) !== 'connecting') return;
    if (!address) {
      this.fail();
      throw new OnAirError('MEDIA_UNAVAILABLE', `Cannot resolve the media node ${host}`);
    }
    this.remote = { address, port };
    this.lastReceivedAt = performance.now();
    this.setState('connected');
  }

  onRtp(listener: (packet: RtpPacket) => void): () => void {
    this.rtpListeners.add(listener);
    return () => this.rtpListeners.delete(listener);
  }

  onRtcp(listener: (packet: RtcpPacket) => void): () => void {
    this.rtcpListeners.add(listener);
    return () => this.rtcpListeners.delete(listener);
  }

  onStateChange(listener: (state: TransportState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Subscribes to the peer ending the pipe (its RTCP BYE). */
  onBye(listener: () => void): () => void {
    this.byeListeners.add(listener);
    return () => this.byeListeners.delete(listener);
  }

  sendRtp(payload: Buffer, header: RtpHeader): void {
    if (!this.remote || this.stateValue !== 'connected') return;
    this.packetsSent++;
    this.send(new RtpPacket(header, payload).serialize());
  }

  sendRtcp(packets: RtcpPacket[]): void {
    if (!this.remote || this.stateValue !== 'connected' || packets.length === 0) return;
    this.send(Buffer.concat(packets.map((packet) => packet.serialize())));
  }

  /** Tells the peer the pipe ends (RTCP BYE), then closes the socket. Idempotent. */
  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    const remote = this.stateValue === 'connected' ? this.remote : undefined;
    this.setState('closed');
    this.rtpListeners.clear();
    this.rtcpListeners.clear();
    this.byeListeners.clear();
    this.stateListeners.clear();
    await new Promise<void>((resolve) => {
      if (!remote) return resolve();
      this.socket.send(BYE_PACKET, remote.port, remote.address, () => resolve());
    });
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private send(data: Buffer): void {
    const remote = this.remote;
    if (!remote) return;
    this.socket.send(data, remote.port, remote.address, (error) => {
      if (error && this.stateValue === 'connected') this.fail();
    });
  }

  private receive(data: Buffer, from: { address: string; port: number }): void {
    const remote = this.remote;
    if (!remote || this.stateValue !== 'connected') return;
    if (from.address !== remote.address || from.port !== remote.port) return;
    this.packetsReceived++;
    this.lastReceivedAt = performance.now();
    try {
      if (!isRtcp(data)) {
        const packet = RtpPacket.deSerialize(data);
        for (const listener of this.rtpListeners) listener(packet);
        return;
      }
      if (holdsBye(data)) {
        for (const listener of [...this.byeListeners]) listener();
        return;
      }
      for (const packet of RtcpPacketConverter.deSerialize(data)) {
        for (const listener of this.rtcpListeners) listener(packet);
      }
    } catch {
      // A datagram that does not parse is dropped, as a browser's transport drops it.
    }
  }

  private fail(): void {
    if (this.stateValue === 'closed' || this.stateValue === 'failed') return;
    this.setState('failed');
  }

  private setState(state: TransportState): void {
    this.stateValue = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}
