import type { DtlsParameters, TransportOptions } from '@onair/protocol';
import {
  IceCandidate,
  RTCDtlsFingerprint,
  RTCDtlsParameters,
  RTCDtlsTransport,
  RTCIceGatherer,
  RTCIceTransport,
  type RtpHeader,
} from 'werift';

/*
 * The client side of one SFU transport, as a browser's would be: a full ICE
 * agent (controlling) and a DTLS client over werift's transport classes,
 * on loopback. It sends RTP (a publisher) and counts the RTP it decrypts
 * (a viewer).
 */

/** A connected-or-connecting WebRTC peer of one SFU transport. */
export interface WeriftPeer {
  /** What the SFU's `connectTransport` takes. */
  dtlsParameters: DtlsParameters;
  /** Runs ICE and DTLS against the transport; resolves once DTLS is up. */
  start(): Promise<void>;
  /** Sends one RTP packet (SRTP) once started. */
  send(payload: Buffer, header: RtpHeader): void;
  /** RTP packets received. */
  readonly received: number;
  close(): Promise<void>;
}

/** Prepares a peer of the SFU transport described by `remote` (call `start` after connecting it). */
export async function weriftPeer(remote: TransportOptions): Promise<WeriftPeer> {
  const gatherer = new RTCIceGatherer({ useIpv4: true, useIpv6: false, useTcp: false });
  await gatherer.gather();
  const ice = new RTCIceTransport(gatherer);
  const dtls = new RTCDtlsTransport({}, ice, await RTCDtlsTransport.SetupCertificate(), [7, 1]);
  let received = 0;
  dtls.onRtp.subscribe(() => {
    received++;
  });
  return {
    dtlsParameters: {
      role: 'client',
      fingerprints: dtls.localParameters.fingerprints.map((f) => ({
        algorithm: f.algorithm as 'sha-256',
        value: f.value,
      })),
    },
    async start() {
      ice.setRemoteParams({
        usernameFragment: remote.iceParameters.usernameFragment,
        password: remote.iceParameters.password,
        iceLite: true,
      } as never);
      for (const c of remote.iceCandidates.filter((c) => c.address === '127.0.0.1')) {
        await ice.addRemoteCandidate(
          new IceCandidate(1, c.foundation, c.address, c.port, c.priority, 'udp', 'host'),
        );
      }
      await ice.addRemoteCandidate(undefined);
      dtls.setRemoteParams(
        new RTCDtlsParameters(
          remote.dtlsParameters.fingerprints.map(
            (f) => new RTCDtlsFingerprint(f.algorithm, f.value),
          ),
          'server',
        ),
      );
      dtls.role = 'client';
      await ice.start();
      await dtls.start();
    },
    send(payload, header) {
      dtls.sendRtp(payload, header).catch(() => undefined);
    },
    get received() {
      return received;
    },
    async close() {
      await dtls.stop().catch(() => undefined);
      await ice.stop().catch(() => undefined);
    },
  };
}
