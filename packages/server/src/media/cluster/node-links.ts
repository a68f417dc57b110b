import { createHmac, timingSafeEqual } from 'node:crypto';
import { OnAirError } from '@onair/protocol';

/** Header of a signed node-to-node request ({@link NodeLinks.sign}): `<expires>.<signature>`. */
export const LINK_HEADER = 'x-onair-node-link';

/** How long a signed node-to-node request stays valid, ms. */
const LINK_TTL_MS = 30_000;

/** A request one node makes of another, signed so no one else can make it. */
export interface SignedPipeRequest {
  streamId: string;
  /** Where the asking node receives the pipe: host (address or name) and UDP port. */
  host: string;
  port: number;
  /** Epoch ms after which the request is refused. */
  expires: number;
  /** HMAC-SHA256 of the fields above, base64url. */
  signature: string;
}

/**
 * Signs and checks the requests a deployment's nodes make of each other (a
 * pipe of a stream's media to the asker). The key comes from the secret
 * the nodes share already (`streamKeySecret`: every node checks the same
 * stream keys), so nothing new is configured. A valid signature proves the
 * request came from a node: without it, anyone could make a node stream
 * media at any address, or read when a private stream's recording ran.
 */
export class NodeLinks {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('onair node links v1').digest();
  }

  /** A signed request for a pipe of `streamId` to `host:port`. */
  pipeRequest(streamId: string, host: string, port: number, now = Date.now()): SignedPipeRequest {
    const expires = now + LINK_TTL_MS;
    return {
      streamId,
      host,
      port,
      expires,
      signature: this.mac(`pipe|${streamId}|${host}|${port}|${expires}`),
    };
  }

  /** Checks a pipe request: `UNAUTHORIZED` when unsigned, forged or expired. */
  verifyPipeRequest(request: SignedPipeRequest, now = Date.now()): void {
    const { streamId, host, port, expires, signature } = request;
    this.verify(`pipe|${streamId}|${host}|${port}|${expires}`, expires, signature, now);
  }

  /**
   * The {@link LINK_HEADER} value of a request of `purpose` one node makes
   * of another: what it asks, such as `spans|<stream id>`, signed with an
   * expiry.
   */
  sign(purpose: string, now = Date.now()): string {
    const expires = now + LINK_TTL_MS;
    return `${expires}.${this.mac(`${purpose}|${expires}`)}`;
  }

  /** Checks a {@link LINK_HEADER} value for `purpose`: `UNAUTHORIZED` when missing, forged or expired. */
  check(purpose: string, header: string | string[] | undefined, now = Date.now()): void {
    const [expires = '', signature = ''] = typeof header === 'string' ? header.split('.') : [];
    this.verify(`${purpose}|${expires}`, Number(expires), signature, now);
  }

  private verify(message: string, expires: number, signature: string, now: number): void {
    const expected = Buffer.from(this.mac(message));
    const given = Buffer.from(signature);
    const valid = given.length === expected.length && timingSafeEqual(given, expected);
    if (!valid || !(expires >= now) || expires > now + 2 * LINK_TTL_MS) {
      throw new OnAirError('UNAUTHORIZED', 'Only another node of this deployment may ask this');
    }
  }

  private mac(message: string): string {
    return createHmac('sha256', this.key).update(message).digest('base64url');
  }
}
