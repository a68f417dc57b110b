import { PipeTransport } from '../sfu/pipe-transport.js';
import type { SfuRouter } from '../sfu/router.js';
import type { MediaNode } from './media-node.js';
import type { NodeLinks } from './node-links.js';
import { PIPE_PATH, type PipeAnswer, PipeAnswerSchema } from './pipe-routes.js';

/** How long a relay outlives its stream's last real-time viewer here, ms. */
export const RELAY_LINGER_MS = 10_000;
/** How often relays are looked after (opened for viewers, closed without), ms. */
const SWEEP_MS = 1_000;
/** How long the holder may take to answer a pipe request, ms. */
const ASK_TIMEOUT_MS = 5_000;

/** Options of {@link MediaRelays}. */
export interface MediaRelaysOptions {
  router: Pick<SfuRouter, 'pipeIn' | 'hasReceivers' | 'localProducers' | 'pipesOf'>;
  node: Pick<MediaNode, 'holds' | 'holder' | 'peerHolding' | 'forget'>;
  links: NodeLinks;
  /** Default {@link RELAY_LINGER_MS}. */
  lingerMs?: number | undefined;
  log: (message: string) => void;
}

interface Relay {
  pipe: PipeTransport | undefined;
  /** The pipe being asked for. */
  opening: Promise<void> | undefined;
  /** When a real-time viewer of the stream was last seen here (`performance.now()`). */
  wantedAt: number;
  /** No new attempt before this (`performance.now()`), after one that failed. */
  retryAt: number;
  /** The last attempt failed (logged once per streak: a holder waiting for its publisher says no every time). */
  failing: boolean;
}

/**
 * Real-time viewing of streams whose publisher is on another node: when a
 * viewer here wants such a stream, this node asks the holder (found in the
 * media registry) for a pipe of its tracks and makes them relayed producers
 * of its own router ({@link SfuRouter.pipeIn}), which its viewers consume as
 * any other. One pipe per stream per node, however many viewers; it is
 * asked for again when it ends while viewers remain (the publisher
 * reconnected, here or on a third node), and closed once the stream has had
 * no viewer here for {@link RELAY_LINGER_MS}.
 */
export class MediaRelays {
  private readonly relays = new Map<string, Relay>();
  private readonly lingerMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: MediaRelaysOptions) {
    this.lingerMs = options.lingerMs ?? RELAY_LINGER_MS;
  }

  /** A viewer here wants the stream in real time: its relay opens unless its publisher is here. */
  want(streamId: string): void {
    void this.ensure(streamId);
  }

  /**
   * Opens the stream's relay if it needs one and has none; resolves once it
   * is open, or it could not be (no holder, the holder refused or did not
   * answer: the caller finds no producers). Never rejects.
   */
  async ensure(streamId: string): Promise<void> {
    if (this.closed) return;
    let relay = this.relays.get(streamId);
    if (!relay) {
      relay = {
        pipe: undefined,
        opening: undefined,
        wantedAt: performance.now(),
        retryAt: 0,
        failing: false,
      };
      this.relays.set(streamId, relay);
    }
    relay.wantedAt = performance.now();
    this.startSweep();
    if (relay.pipe && relay.pipe.state !== 'closed') return;
    relay.opening ??= this.open(streamId, relay).finally(() => {
      if (relay) relay.opening = undefined;
    });
    await relay.opening;
  }

  /** Whether another node holds the stream's media now (its publisher is there). */
  async holderElsewhere(streamId: string): Promise<boolean> {
    return (await this.options.node.peerHolding(streamId).catch(() => undefined)) !== undefined;
  }

  /** Streams relayed here now (their pipe is open). */
  get relayed(): string[] {
    return [...this.relays.entries()]
      .filter(([, relay]) => relay.pipe?.state === 'connected')
      .map(([streamId]) => streamId);
  }

  /** Closes every relay (each pipe tells its holder). Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const pipes = [...this.relays.values()].flatMap((relay) => (relay.pipe ? [relay.pipe] : []));
    this.relays.clear();
    await Promise.all(pipes.map((pipe) => pipe.close()));
  }

  private async open(streamId: string, relay: Relay): Promise<void> {
    const { router, node, links, log } = this.options;
    if (node.holds(streamId) || router.localProducers(streamId).length) return;
    const self = node.holder;
    const holder = await node.peerHolding(streamId).catch(() => undefined);
    if (!self || !holder || this.closed) return;
    const pipe = await PipeTransport.create();
    let answer: PipeAnswer;
    try {
      answer = await this.ask(
        holder.url,
        links.pipeRequest(holder.url, streamId, hostOf(self.url), pipe.port),
      );
      await pipe.connect(answer.host, answer.port);
      if (this.closed || this.relays.get(streamId) !== relay) throw new Error('relay closed');
      router.pipeIn(streamId, pipe, answer.tracks);
    } catch (error) {
      await pipe.close();
      relay.retryAt = performance.now() + SWEEP_MS * 2;
      if (error instanceof TypeError) node.forget(streamId); // the holder did not answer
      if (!relay.failing) {
        log(`[media ${streamId}] relay from ${holder.nodeId} failed: ${(error as Error).message}`);
      }
      relay.failing = true;
      return;
    }
    relay.pipe = pipe;
    relay.failing = false;
  }

  /** Asks the holder for a pipe; the answer is checked (another process wrote it). */
  private async ask(base: string, body: object): Promise<PipeAnswer> {
    const response = await fetch(`${base}${PIPE_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ASK_TIMEOUT_MS),
    });
    const json: unknown = await response.json().catch(() => undefined);
    if (response.status !== 201) {
      const code = (json as { code?: unknown } | undefined)?.code;
      throw new Error(`the holder answered ${response.status}${code ? ` ${String(code)}` : ''}`);
    }
    return PipeAnswerSchema.parse(json);
  }

  private startSweep(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  /**
   * Keeps each relay as its viewers need it: asked for again when it ended
   * while viewers remain, closed once none has been here for the linger.
   */
  private sweep(): void {
    const now = performance.now();
    for (const [streamId, relay] of this.relays) {
      const viewers = this.options.router.hasReceivers(streamId);
      if (viewers) relay.wantedAt = now;
      const open = relay.pipe !== undefined && relay.pipe.state !== 'closed';
      if (now - relay.wantedAt >= this.lingerMs) {
        this.relays.delete(streamId);
        if (open) void relay.pipe?.close();
        continue;
      }
      if (!open && viewers && !relay.opening && now >= relay.retryAt) {
        relay.pipe = undefined;
        void this.ensure(streamId);
      }
    }
    if (this.relays.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

/** The host part of a node URL (where its peers reach it), brackets of an IPv6 address dropped. */
function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
}
