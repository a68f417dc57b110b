/**
 * Viewers for `bench:sfu` in their own process: each is a WebRTC receive
 * endpoint built from werift's ICE (full agent, controlling) and DTLS
 * (client) classes, as a browser's would be, that counts the RTP it
 * decrypts. Talks to the benchmark over IPC.
 */

import type { TransportOptions } from '@onair/protocol';
import {
  IceCandidate,
  type RTCCertificate,
  RTCDtlsFingerprint,
  RTCDtlsParameters,
  RTCDtlsTransport,
  RTCIceGatherer,
  RTCIceTransport,
} from 'werift';

interface Viewer {
  dtls: RTCDtlsTransport;
  ice: RTCIceTransport;
  packets: number;
  bytes: number;
}

const viewers = new Map<string, Viewer>();
const certificate = await RTCDtlsTransport.SetupCertificate();

async function connect(options: TransportOptions): Promise<void> {
  const gatherer = new RTCIceGatherer({ useIpv4: true, useIpv6: false, useTcp: false });
  await gatherer.gather();
  const ice = new RTCIceTransport(gatherer);
  const dtls = new RTCDtlsTransport({}, ice, certificate as RTCCertificate, [7, 1]);
  const viewer: Viewer = { dtls, ice, packets: 0, bytes: 0 };
  viewers.set(options.id, viewer);
  dtls.onRtp.subscribe((packet) => {
    viewer.packets++;
    viewer.bytes += packet.payload.length;
  });
  process.send?.({
    type: 'fingerprints',
    id: options.id,
    fingerprints: dtls.localParameters.fingerprints.map((f) => ({
      algorithm: f.algorithm,
      value: f.value,
    })),
  });
  ice.setRemoteParams({
    usernameFragment: options.iceParameters.usernameFragment,
    password: options.iceParameters.password,
    iceLite: true,
  } as never);
  for (const c of options.iceCandidates) {
    await ice.addRemoteCandidate(
      new IceCandidate(1, c.foundation, c.address, c.port, c.priority, 'udp', 'host'),
    );
  }
  await ice.addRemoteCandidate(undefined);
  dtls.setRemoteParams(
    new RTCDtlsParameters(
      options.dtlsParameters.fingerprints.map((f) => new RTCDtlsFingerprint(f.algorithm, f.value)),
      'server',
    ),
  );
  dtls.role = 'client';
  await ice.start();
  await dtls.start();
  process.send?.({ type: 'connected', id: options.id });
}

process.on('message', (message: { type: string; options?: TransportOptions }) => {
  if (message.type === 'connect' && message.options) {
    const id = message.options.id;
    connect(message.options).catch((error: unknown) =>
      process.send?.({ type: 'failed', id, error: String(error) }),
    );
  } else if (message.type === 'count') {
    const counts: Record<string, { packets: number; bytes: number }> = {};
    for (const [id, v] of viewers) counts[id] = { packets: v.packets, bytes: v.bytes };
    process.send?.({ type: 'counts', counts, cpu: process.cpuUsage() });
  } else if (message.type === 'exit') {
    process.exit(0);
  }
});
process.send?.({ type: 'ready' });
