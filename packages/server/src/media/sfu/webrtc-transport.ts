import type { DtlsParameters, TransportOptions } from '@onair/protocol';
import { OnAirError } from '@onair/protocol';
import {
  type RTCCertificate,
  RTCDtlsFingerprint,
  RTCDtlsParameters,
  RTCDtlsTransport,
  RTCIceGatherer,
  RTCIceTransport,
  type RtcpPacket,
  type RtpHeader,
  type RtpPacket,
} from 'werift';
import { newId } from '../../platform/ids.js';
import type { MediaTransport, TransportState } from './media-transport.js';
import { guardStunRequests } from './stun-guard.js';

export type { TransportState } from './media-transport.js';

/** Options of {@link WebRtcTransport.create}. */
export interface WebRtcTransportOptions {
  certificate: RTCCertificate;
  /** Extra addresses to announce as host candidates (public IP behind NAT, loopback). */
  announcedAddresses?: string[] | undefined;
}

type Listener<A extends unknown[]> = (...args: A) => void;

/*
 * SRTP profiles offered to browsers, strongest first.
 * 7 = SRTP_AEAD_AES_128_GCM, 1 = SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764, RFC 7714).
 */
const SRTP_PROFILES = [7, 1] as const;

/**
 * One WebRTC transport of the embedded SFU: an ICE-lite agent, a DTLS server
 * and SRTP, built from werift's transport classes. Like a mediasoup
 * WebRtcTransport, it hands out ICE and DTLS parameters up front and never
 * sees SDP.
 */
export class WebRtcTransport implements MediaTransport {
  readonly id = newId('tr');
  private stateValue: TransportState = 'new';
  private readonly rtpListeners = new Set<Listener<[RtpPacket]>>();
  private readonly rtcpListeners = new Set<Listener<[RtcpPacket]>>();
  private readonly stateListeners = new Set<Listener<[TransportState]>>();
  /** RTP packets handed to DTLS/SRTP for the peer (the router's idle check). */
  packetsSent = 0;

  private constructor(
    private readonly gatherer: RTCIceGatherer,
    private readonly ice: RTCIceTransport,
    private readonly dtls: RTCDtlsTransport,
  ) {
    dtls.onRtp.subscribe((packet) => {
      for (const listener of this.rtpListeners) listener(packet);
    });
    dtls.onRtcp.subscribe((packet) => {
      for (const listener of this.rtcpListeners) listener(packet);
    });
  }

  /** Opens a UDP socket, gathers host candidates and prepares DTLS. */
  static async create(options: WebRtcTransportOptions): Promise<WebRtcTransport> {
    const gatherer = new RTCIceGatherer({
      iceLite: true,
      useIpv4: true,
      useIpv6: false,
      useTcp: false,
      ...(options.announcedAddresses
        ? { additionalHostAddresses: options.announcedAddresses }
        : {}),
    });
    await gatherer.gather();
    // werift does not authenticate binding requests: check them before it sees them.
    const connection = gatherer.connection as unknown as {
      protocols?: Array<{ datagramReceived(data: Buffer, addr: unknown): void }>;
      localUsername: string;
      localPassword: string;
    };
    guardStunRequests(connection.protocols ?? [], () => ({
      ufrag: connection.localUsername,
      password: connection.localPassword,
    }));
    if (!connection.protocols?.length) {
      throw new OnAirError('MEDIA_UNAVAILABLE', 'No UDP socket could be opened for media');
    }
    const ice = new RTCIceTransport(gatherer);
    const dtls = new RTCDtlsTransport({}, ice, options.certificate, [...SRTP_PROFILES]);
    return new WebRtcTransport(gatherer, ice, dtls);
  }

  /** Current state. */
  get state(): TransportState {
    return this.stateValue;
  }

  /** Parameters the client builds its side of the transport from. */
  get options(): TransportOptions {
    const { usernameFragment, password } = this.gatherer.localParameters;
    return {
      id: this.id,
      iceParameters: { usernameFragment, password, iceLite: true },
      iceCandidates: this.gatherer.localCandidates
        .filter((c) => c.protocol === 'udp')
        .map((c) => ({
          foundation: c.foundation,
          priority: c.priority,
          address: c.ip,
          ip: c.ip,
          protocol: 'udp' as const,
          port: c.port,
          type: 'host' as const,
        })),
      dtlsParameters: {
        role: 'auto',
        fingerprints: this.dtls.localParameters.fingerprints.map((f) => ({
          algorithm: f.algorithm as 'sha-256',
          value: f.value,
        })),
      },
    };
  }

  /**
   * Applies the client's DTLS parameters and starts ICE and DTLS in the
   * background (as mediasoup's `connect` does). The client is always the
   * DTLS client; the peer certificate must match its fingerprint.
   */
  connect(remote: DtlsParameters): void {
    if (this.stateValue !== 'new') {
      throw new OnAirError('CONFLICT', 'Transport is already connected');
    }
    if (remote.role === 'server') {
      throw new OnAirError('BAD_REQUEST', 'The client must take the DTLS client role');
    }
    this.setState('connecting');
    // In ICE-lite the remote credentials are never used to send checks; werift
    // still wants them set before it starts.
    this.ice.setRemoteParams({
      iceLite: false,
      usernameFragment: 'remote',
      password: 'remote-password-unused-in-lite-mode',
    } as never);
    this.dtls.setRemoteParams(
      new RTCDtlsParameters(
        remote.fingerprints.map((f) => new RTCDtlsFingerprint(f.algorithm, f.value)),
        'client',
      ),
    );
    this.dtls.role = 'server';
    void this.start();
  }

  private async start(): Promise<void> {
    try {
      await this.ice.start();
      await this.dtls.start();
      if (this.stateValue === 'connecting') this.setState('connected');
    } catch {
      if (this.stateValue !== 'closed') this.setState('failed');
    }
  }

  /** Subscribes to decrypted RTP. Returns an unsubscribe function. */
  onRtp(listener: Listener<[RtpPacket]>): () => void {
    this.rtpListeners.add(listener);
    return () => this.rtpListeners.delete(listener);
  }

  /** Subscribes to decrypted RTCP. */
  onRtcp(listener: Listener<[RtcpPacket]>): () => void {
    this.rtcpListeners.add(listener);
    return () => this.rtcpListeners.delete(listener);
  }

  /** Subscribes to state changes. */
  onStateChange(listener: Listener<[TransportState]>): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Sends an RTP packet (to a viewer) once connected; dropped before that. */
  sendRtp(payload: Buffer, header: RtpHeader): void {
    if (this.stateValue !== 'connected') return;
    this.packetsSent++;
    this.dtls.sendRtp(payload, header).catch(() => undefined);
  }

  /** Sends RTCP (keyframe requests, REMB) once connected; dropped before that. */
  sendRtcp(packets: RtcpPacket[]): void {
    if (this.stateValue !== 'connected') return;
    this.dtls.sendRtcp(packets).catch(() => undefined);
  }

  /** Closes the transport and its socket. Idempotent. */
  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    this.setState('closed');
    this.rtpListeners.clear();
    this.rtcpListeners.clear();
    await this.dtls.stop().catch(() => undefined);
    await this.ice.stop().catch(() => undefined);
    this.stateListeners.clear();
  }

  private setState(state: TransportState): void {
    this.stateValue = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
