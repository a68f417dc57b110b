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
 *
 * Every signature names the node it is for (the URL its peers reach it at,
 * as the registry and the stored `recording_node` and `clips.node` give
 * it): a request seen on its way to one node cannot be replayed to another.
 * One instance per server: {@link NodeLinks.self} is that server's own URL.
 */
export class NodeLinks {
  private readonly key: Buffer;

  /**
   * @param secret The secret every node of the deployment shares.
   * @param self This node's URL as its peers reach it, once known (the media
   *   plane's node, with peers); a node without one accepts no request.
   */
  constructor(
    secret: string,
    private readonly self: () => string | undefined,
  ) {
    this.key = createHmac('sha256', secret).update('onair node links v1').digest();
  }

  /** A signed request, made of the node at `to`, for a pipe of `streamId` to `host:port`. */
  pipeRequest(
    to: string,
    streamId: string,
    host: string,
    port: number,
    now = Date.now(),
  ): SignedPipeRequest {
    const expires = now + LINK_TTL_MS;
    return {
      streamId,
      host,
      port,
      expires,
      signature: this.mac(`pipe|${streamId}|${host}|${port}`, to, expires),
    };
  }

  /** Checks a pipe request made of this node: `UNAUTHORIZED` when unsigned, forged, expired or for another node. */
  verifyPipeRequest(request: SignedPipeRequest, now = Date.now()): void {
    const { streamId, host, port, expires, signature } = request;
    this.verify(`pipe|${streamId}|${host}|${port}`, expires, signature, now);
  }

  /**
   * The {@link LINK_HEADER} value of a request of `purpose` this node makes
   * of the node at `to`: what it asks, such as `spans|<stream id>`, signed
   * with an expiry.
   */
  sign(purpose: string, to: string, now = Date.now()): string {
    const expires = now + LINK_TTL_MS;
    return `${expires}.${this.mac(purpose, to, expires)}`;
  }

  /**
   * Checks a {@link LINK_HEADER} value of a request of `purpose` made of this
   * node: `UNAUTHORIZED` when missing, forged, expired or for another node.
   */
  check(purpose: string, header: string | string[] | undefined, now = Date.now()): void {
    const [expires = '', signature = ''] = typeof header === 'string' ? header.split('.') : [];
    this.verify(purpose, Number(expires), signature, now);
  }

  private verify(purpose: string, expires: number, signature: string, now: number): void {
    const self = this.self();
    const expected = Buffer.from(self === undefined ? '' : this.mac(purpose, self, expires));
    const given = Buffer.from(signature);
    const valid =
      expected.length > 0 && given.length === expected.length && timingSafeEqual(given, expected);
    if (!valid || !(expires >= now) || expires > now + 2 * LINK_TTL_MS) {
      throw new OnAirError('UNAUTHORIZED', 'Only another node of this deployment may ask this');
    }
  }

  private mac(purpose: string, to: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${purpose}|${to}|${expires}`).digest('base64url');
  }
}
