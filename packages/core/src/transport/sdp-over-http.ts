import { type ErrorCode, errorEnvelopeOf } from '@onair/protocol';
import { OnAirError } from '../errors.js';

/** How a WHIP or WHEP endpoint is reached. */
export interface SdpEndpoint {
  /** Its URL (relative URLs resolve against the page). */
  url: string;
  /** Bearer token: a stream key (WHIP), or the signed token of a stream's `hlsUrl` (WHEP). */
  token?: string | undefined;
  /** What it is called in error messages. */
  name: 'WHIP' | 'WHEP';
  /** The error code of a refusal that carries no OnAir error envelope. */
  refusal(status: number): ErrorCode;
}

/** How long to wait for ICE candidates before offering: the endpoints take no trickle. */
const GATHERING_TIMEOUT_MS = 2000;

/**
 * One session with a WHIP (RFC 9725) or WHEP endpoint: the SDP offer is
 * POSTed, a `201` brings the answer and a `Location` for the session, and
 * `close()` DELETEs that resource. Refusals become typed errors, from the
 * OnAir error envelope when the endpoint sends one.
 */
export class SdpOverHttpSession {
  /** The session's resource (from `Location`), once the endpoint accepted the offer. */
  #resource: string | undefined;
  readonly #headers: Record<string, string>;
  readonly #endpoint: SdpEndpoint;

  constructor(endpoint: SdpEndpoint) {
    this.#endpoint = endpoint;
    this.#headers = endpoint.token ? { authorization: `Bearer ${endpoint.token}` } : {};
  }

  /** Offers `pc`'s local description (once its candidates are gathered) and applies the answer. */
  async negotiate(pc: RTCPeerConnection): Promise<void> {
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const { url, name } = this.#endpoint;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp', ...this.#headers },
        body: pc.localDescription?.sdp ?? '',
      });
    } catch (cause) {
      throw new OnAirError('NETWORK', `The ${name} endpoint could not be reached`, undefined, {
        cause,
      });
    }
    if (response.status !== 201) throw await this.#refusal(response);
    const location = response.headers.get('location');
    // Known before the answer is applied: a session that fails from here is still deleted.
    this.#resource = location
      ? new URL(location, new URL(url, globalThis.location?.href)).href
      : undefined;
    await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
  }

  /** Ends the session on the endpoint (DELETE), if it was accepted. */
  async close(): Promise<void> {
    const resource = this.#resource;
    this.#resource = undefined;
    if (resource) await fetch(resource, { method: 'DELETE', headers: this.#headers });
  }

  async #refusal(response: Response): Promise<OnAirError> {
    const { name, refusal } = this.#endpoint;
    const text = await response.text().catch(() => '');
    const envelope = errorEnvelopeOf(jsonOf(text));
    const answered = `${name} endpoint answered ${response.status}`;
    if (envelope) {
      const { code, message, details } = envelope;
      return new OnAirError(code, `${answered}: ${message}`, details);
    }
    // Not an OnAir server: the status says it, with the start of the body.
    return new OnAirError(refusal(response.status), `${answered}: ${text.slice(0, 200)}`);
  }
}

/** The JSON value of `text`, or undefined when it is not JSON. */
function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Resolves once ICE gathering completes, or after a short wait (host candidates come first). */
function gathered(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const timer = setTimeout(resolve, GATHERING_TIMEOUT_MS);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState !== 'complete') return;
      clearTimeout(timer);
      resolve();
    });
  });
}
