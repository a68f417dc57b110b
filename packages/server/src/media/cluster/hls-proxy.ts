import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { OnAirError } from '@onair/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MediaNode } from './media-node.js';

/**
 * Marks a request one node forwards to another (its value: the forwarding
 * node's id). A node answers such a request itself and never forwards it
 * again, so a stale registry entry cannot make a loop.
 */
export const PROXIED_HEADER = 'x-onair-proxied-by';

/**
 * Request headers the holder needs to answer as it would answer the viewer.
 * Never `authorization`: media is opened by the token in its query, and a
 * stored node URL may have changed hands since.
 */
const FORWARDED_HEADERS = [
  'accept',
  'accept-encoding',
  'if-modified-since',
  'if-none-match',
  'range',
  'user-agent',
] as const;

/** Connection-level headers (RFC 9110 §7.6.1): they describe one hop, never the response. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * How long the holder may stay silent, ms: longer than it may hold a request
 * itself (the master playlist waits up to 10 s for the first segments, a
 * blocking playlist reload three target durations).
 */
const SILENCE_TIMEOUT_MS = 15_000;

/**
 * How long a connection to another node may take, ms, waiting for a free
 * socket included. The silence timeout above starts only once connected: a
 * node whose address no longer answers would otherwise hold the viewer
 * until the operating system gives up (minutes).
 */
const CONNECT_TIMEOUT_MS = 3_000;

/**
 * HLS from any node: a request for a stream whose media another node holds
 * (found through {@link MediaNode.peerHolding}) is sent to that node and its
 * answer streamed back as it comes, status and headers (content type, cache
 * policy, CORS) included; so is a request for a recording this node's disk
 * lacks, to the node that recorded it ({@link HlsProxy.fromRecorder}). The
 * request line goes as it came, query and all, so the other node checks the
 * viewer's token itself. A request that already came from another node
 * ({@link PROXIED_HEADER}) is never sent on.
 */
export class HlsProxy {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 256 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 256 });

  /**
   * @param recorderOf - The URL of the node whose disk holds a stream's
   *   recording, if it was kept (the stream's stored `recording_node`).
   */
  constructor(
    private readonly node: Pick<MediaNode, 'id' | 'peerHolding' | 'forget' | 'holder'>,
    private readonly recorderOf: (streamId: string) => Promise<string | undefined> = async () =>
      undefined,
  ) {}

  /**
   * Answers `request` from the node holding `streamId`: true once the
   * holder's answer is being streamed back; false (answer it here) when this
   * node holds it, no node does, or the request was forwarded already. A
   * holder that does not answer is `MEDIA_UNAVAILABLE`.
   */
  async forward(streamId: string, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (request.headers[PROXIED_HEADER] !== undefined) return false;
    const holder = await this.node.peerHolding(streamId);
    if (!holder) return false;
    await this.relay(
      holder.url,
      request,
      reply,
      'The server holding this stream did not answer; retry',
      () => this.node.forget(streamId),
    );
    return true;
  }

  /**
   * Answers a request for a file of an ended stream's recording that this
   * node's media folder lacks from the node that recorded it: true once its
   * answer is being streamed back; false (a 404 here) when the recording is
   * this node's, none was kept, or the request was forwarded already. A
   * recorder that does not answer (it is down) is `MEDIA_UNAVAILABLE`.
   */
  async fromRecorder(
    streamId: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<boolean> {
    if (request.headers[PROXIED_HEADER] !== undefined) return false;
    const recorder = await this.recorderOf(streamId);
    if (!recorder || recorder === this.node.holder?.url) return false;
    await this.relay(
      recorder,
      request,
      reply,
      'The server keeping this recording did not answer; retry',
    );
    return true;
  }

  /**
   * Answers a request for a file from the node at `url` (where a clip's
   * files are), unless the request came from another node already or `url`
   * is this node's (false: answer it here). It not answering is
   * `MEDIA_UNAVAILABLE` with `unanswered` as its message.
   */
  async forwardTo(
    url: string,
    request: FastifyRequest,
    reply: FastifyReply,
    unanswered: string,
  ): Promise<boolean> {
    if (request.headers[PROXIED_HEADER] !== undefined || url === this.node.holder?.url) {
      return false;
    }
    await this.relay(url, request, reply, unanswered);
    return true;
  }

  /** Closes idle connections to other nodes. */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }

  /**
   * Streams the answer of the node at `url` to `request` back; it not
   * answering is `MEDIA_UNAVAILABLE` with `unanswered` as its message.
   */
  private async relay(
    url: string,
    request: FastifyRequest,
    reply: FastifyReply,
    unanswered: string,
    onSilence?: () => void,
  ): Promise<void> {
    let upstream: IncomingMessage;
    try {
      upstream = await this.send(url, request, reply);
    } catch (error) {
      onSilence?.();
      throw new OnAirError('MEDIA_UNAVAILABLE', unanswered, undefined, { cause: error });
    }
    reply.status(upstream.statusCode ?? 502);
    for (const [name, value] of Object.entries(upstream.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) reply.header(name, value);
    }
    // Not the reply itself: it is thenable, and awaiting it would wait for the whole body.
    reply.send(upstream);
  }

  /** Sends the request on; resolves with the holder's response once its head arrives. */
  private send(
    url: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<IncomingMessage> {
    // Origin-form only (`/hls/…`): an absolute-form request line names no other host here.
    if (!request.url.startsWith('/'))
      return Promise.reject(new Error('not an origin-form request'));
    const target = new URL(`${url}${request.url}`);
    const headers: Record<string, string> = { [PROXIED_HEADER]: this.node.id };
    for (const name of FORWARDED_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const secure = target.protocol === 'https:';
    const outgoing = (secure ? httpsRequest : httpRequest)(target, {
      method: request.method === 'HEAD' ? 'HEAD' : 'GET',
      headers,
      agent: secure ? this.https : this.http,
    });
    outgoing.setTimeout(SILENCE_TIMEOUT_MS, () =>
      outgoing.destroy(new Error(`no answer from ${target.host} in ${SILENCE_TIMEOUT_MS} ms`)),
    );
    const connecting = setTimeout(
      () =>
        outgoing.destroy(new Error(`no connection to ${target.host} in ${CONNECT_TIMEOUT_MS} ms`)),
      CONNECT_TIMEOUT_MS,
    );
    outgoing.once('socket', (socket) => {
      if (socket.connecting) socket.once('connect', () => clearTimeout(connecting));
      else clearTimeout(connecting);
    });
    outgoing.once('close', () => clearTimeout(connecting));
    // The viewer went away (a blocked reload it gave up on): stop asking the holder.
    const onClose = () => {
      if (!reply.raw.writableFinished) outgoing.destroy();
    };
    reply.raw.once('close', onClose);
    return new Promise((resolve, reject) => {
      outgoing.once('response', resolve);
      // \`on\`, not \`once\`: a connection that fails mid-body errors again after the head came.
      outgoing.on('error', (error) => {
        reply.raw.off('close', onClose);
        reject(error);
      });
      outgoing.end();
    });
  }
}
