import { parseMessage } from 'werift';

const STUN_MAGIC_COOKIE = 0x2112a442;

/** Whether a datagram is a STUN request (RFC 8489 §5: class bits 00, magic cookie). */
export function isStunRequest(data: Buffer): boolean {
  if (data.length < 20 || (data[0] ?? 0xff) > 3) return false;
  const type = data.readUInt16BE(0);
  return (type & 0x0110) === 0 && data.readUInt32BE(4) === STUN_MAGIC_COOKIE;
}

/**
 * Whether a STUN binding request is addressed to this agent and signed with
 * its password: USERNAME must start with our username fragment and
 * MESSAGE-INTEGRITY must verify with the short-term credential (RFC 8445
 * §7.3). werift answers any request, and in ICE-lite any USE-CANDIDATE
 * nominates the pair, so without this check a third party could take over a
 * transport.
 */
export function isAuthenticStunRequest(
  data: Buffer,
  localUfrag: string,
  localPassword: string,
): boolean {
  const message = parseMessage(data, Buffer.from(localPassword, 'utf8'));
  if (!message) return false;
  const username: unknown = message.getAttributeValue('USERNAME');
  return typeof username === 'string' && username.startsWith(`${localUfrag}:`);
}

interface DatagramReceiver {
  datagramReceived(data: Buffer, addr: unknown): void;
}

/**
 * Puts the check in front of each of the agent's UDP sockets: requests that
 * fail it are dropped unanswered; everything else (DTLS, SRTP, responses)
 * passes untouched.
 */
export function guardStunRequests(
  protocols: readonly DatagramReceiver[],
  credentials: () => { ufrag: string; password: string },
): void {
  for (const protocol of protocols) {
    const receive = protocol.datagramReceived.bind(protocol);
    protocol.datagramReceived = (data, addr) => {
      if (isStunRequest(data)) {
        const { ufrag, password } = credentials();
        if (!isAuthenticStunRequest(data, ufrag, password)) return;
      }
      receive(data, addr);
    };
  }
}
