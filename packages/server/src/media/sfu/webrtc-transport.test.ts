import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classes, Message, methods, parseMessage, RTCDtlsTransport } from 'werift';
import { WebRtcTransport } from './webrtc-transport.js';

let transport: WebRtcTransport;

beforeAll(async () => {
  transport = await WebRtcTransport.create({
    certificate: await RTCDtlsTransport.SetupCertificate(),
    announcedAddresses: ['127.0.0.1'],
  });
});
afterAll(() => transport?.close());

/** Sends one binding request to the transport's loopback candidate; resolves with the answer or null. */
async function bindingRequest(username: string, password: string | null): Promise<Message | null> {
  const candidate = transport.options.iceCandidates.find((c) => c.address === '127.0.0.1');
  if (!candidate) throw new Error('no loopback candidate');
  const request = new Message(methods.BINDING, classes.REQUEST)
    .setAttribute('USERNAME', username)
    .setAttribute('PRIORITY', 1853817087)
    .setAttribute('ICE-CONTROLLING', 42n)
    .setAttribute('USE-CANDIDATE', null);
  if (password !== null) request.addMessageIntegrity(Buffer.from(password, 'utf8'));
  request.addFingerprint();
  const socket = createSocket('udp4');
  try {
    return await new Promise<Message | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 700);
      socket.on('message', (data) => {
        clearTimeout(timer);
        resolve(parseMessage(data) ?? null);
      });
      socket.send(request.bytes, candidate.port, candidate.address);
    });
  } finally {
    socket.close();
  }
}

describe('WebRtcTransport', () => {
  it('hands out ICE-lite, DTLS and host candidate parameters', () => {
    const { iceParameters, iceCandidates, dtlsParameters } = transport.options;
    expect(iceParameters.iceLite).toBe(true);
    expect(iceParameters.password.length).toBeGreaterThanOrEqual(22);
    expect(iceCandidates.some((c) => c.address === '127.0.0.1' && c.protocol === 'udp')).toBe(true);
    expect(dtlsParameters.fingerprints[0]?.algorithm).toBe('sha-256');
  });

  it('answers a binding request signed with its password', async () => {
    const { usernameFragment, password } = transport.options.iceParameters;
    const answer = await bindingRequest(`${usernameFragment}:peer`, password);
    expect(answer?.messageClass).toBe(classes.RESPONSE);
  });

  it('drops requests with a wrong password, no integrity or another username fragment', async () => {
    const { usernameFragment, password } = transport.options.iceParameters;
    expect(
      await bindingRequest(`${usernameFragment}:peer`, 'not-the-password-at-all-123'),
    ).toBeNull();
    expect(await bindingRequest(`${usernameFragment}:peer`, null)).toBeNull();
    expect(await bindingRequest(`someoneelse:peer`, password)).toBeNull();
    expect(transport.state).toBe('new');
  });

  it('refuses a second connect and a client that wants the DTLS server role', () => {
    const fingerprints = [{ algorithm: 'sha-256' as const, value: 'AB:CD' }];
    expect(() => transport.connect({ role: 'server', fingerprints })).toThrow(/DTLS client role/);
  });
});
