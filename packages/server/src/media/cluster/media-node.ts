import { newId } from '../../platform/ids.js';
import { TtlCache } from '../../platform/ttl-cache.js';
import {
  type MediaHolder,
  type MediaRegistry,
  REGISTRY_HEARTBEAT_MS,
  REGISTRY_TTL_MS,
  type StreamHoldings,
} from './registry.js';

/** Options of {@link MediaNode}. */
export interface MediaNodeOptions {
  registry: MediaRegistry;
  /** Renewal interval of this node's entries, ms. Default {@link REGISTRY_HEARTBEAT_MS}. */
  heartbeatMs?: number;
  /** Lifetime of an entry without renewal, ms. Default {@link REGISTRY_TTL_MS}. */
  ttlMs?: number;
  /** How long a looked-up holder is trusted before the registry is asked again, ms. Default 1000. */
  lookupCacheMs?: number;
  log: (message: string) => void;
}

/**
 * This server process as a holder of streams' media in the
 * {@link MediaRegistry}: claims a stream when its publisher arrives here,
 * renews its entries on a heartbeat while it holds them, releases them when
 * their media ends or the node closes, and tells where another node's
 * streams are. Claims wait for {@link MediaNode.start} (the URL peers reach
 * is known once the HTTP server listens).
 *
 * @example
 * ```ts
 * const node = new MediaNode({ registry: new RedisMediaRegistry(redis), log: console.warn });
 * node.start('http://10.0.0.2:8080');
 * node.hold('str_…'); // a publisher arrived here
 * await node.peerHolding('str_…'); // undefined: this node holds it
 * await node.close();
 * ```
 */
export class MediaNode implements StreamHoldings {
  /** This process's id in the registry (a restart is a new node). */
  readonly id = newId('node', 9);
  private url: string | undefined;
  private readonly held = new Set<string>();
  /** Streams another node took over from this one, until their media ends here or returns. */
  private readonly taken = new Set<string>();
  private readonly lookups: TtlCache<MediaHolder | undefined>;
  private readonly heartbeatMs: number;
  private readonly ttlMs: number;
  private timer: NodeJS.Timeout | undefined;
  private renewing = false;
  /** The registry failed on the last attempt (reported once per streak). */
  private failing = false;
  private closed = false;

  constructor(private readonly options: MediaNodeOptions) {
    this.heartbeatMs = options.heartbeatMs ?? REGISTRY_HEARTBEAT_MS;
    this.ttlMs = options.ttlMs ?? REGISTRY_TTL_MS;
    if (!(this.ttlMs > this.heartbeatMs)) {
      throw new Error('MediaNode: ttlMs must be longer than heartbeatMs');
    }
    this.lookups = new TtlCache(options.lookupCacheMs ?? 1_000);
  }

  /** This node's entry, once started. */
  get holder(): MediaHolder | undefined {
    return this.url === undefined ? undefined : { nodeId: this.id, url: this.url };
  }

  /** Starts announcing: `url` is where peers reach this node's HTTP server. Claims what is held. */
  start(url: string): void {
    if (this.closed || this.url !== undefined) return;
    this.url = url.replace(/\/+$/, '');
    for (const streamId of this.held) this.claim(streamId);
    this.timer = setInterval(() => void this.renew(), this.heartbeatMs);
    this.timer.unref();
  }

  /** A stream's media arrived here: this node is its holder from now on. */
  hold(streamId: string): void {
    if (this.closed || this.held.has(streamId)) return;
    this.held.add(streamId);
    this.taken.delete(streamId);
    this.lookups.delete(streamId);
    if (this.url !== undefined) this.claim(streamId);
  }

  /** A stream's media ended here: its entry goes (unless another node took it meanwhile). */
  release(streamId: string): void {
    this.taken.delete(streamId);
    if (!this.held.delete(streamId)) return;
    if (this.url === undefined) return;
    this.options.registry
      .release(streamId, this.id)
      .catch((error: Error) => this.report(`releasing ${streamId}`, error));
  }

  /** Whether another node took the stream's media over since this node held it. */
  superseded(streamId: string): boolean {
    return this.taken.has(streamId);
  }

  /** Whether this node holds the stream's media. */
  holds(streamId: string): boolean {
    return this.held.has(streamId);
  }

  /**
   * The other node holding a stream's media; undefined when this node holds
   * it or nobody does. Answers are cached briefly ({@link forget} drops one).
   */
  async peerHolding(streamId: string): Promise<MediaHolder | undefined> {
    if (this.held.has(streamId)) return undefined;
    const holder = await this.lookups.get(streamId, () => this.options.registry.holderOf(streamId));
    return holder && holder.nodeId !== this.id ? holder : undefined;
  }

  /** Drops the cached holder of a stream (it did not answer). */
  forget(streamId: string): void {
    this.lookups.delete(streamId);
  }

  /** Stops the heartbeat and releases every entry of this node. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const streams = [...this.held];
    this.held.clear();
    if (this.url === undefined) return;
    await Promise.all(
      streams.map((streamId) =>
        this.options.registry
          .release(streamId, this.id)
          .catch((error: Error) => this.report(`releasing ${streamId}`, error)),
      ),
    );
  }

  private claim(streamId: string): void {
    const holder = this.holder;
    if (!holder) return;
    this.options.registry
      .claim(streamId, holder, this.ttlMs)
      .then(() => this.recovered())
      .catch((error: Error) => this.report(`claiming ${streamId}`, error));
  }

  private async renew(): Promise<void> {
    const holder = this.holder;
    if (!holder || this.held.size === 0 || this.renewing || this.closed) return;
    this.renewing = true;
    try {
      const lost = await this.options.registry.renew([...this.held], holder, this.ttlMs);
      this.recovered();
      // Its publisher reconnected to another node, which claimed the stream: this node no longer
      // holds it (it answers for it from there) until a publisher arrives here again.
      for (const streamId of lost) {
        if (!this.held.delete(streamId)) continue;
        this.taken.add(streamId);
        this.lookups.delete(streamId);
        this.options.log(`media registry: another node now holds the media of ${streamId}`);
      }
    } catch (error) {
      this.report('renewing', error as Error);
    } finally {
      this.renewing = false;
    }
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.options.log('media registry: reachable again');
  }

  private report(what: string, error: Error): void {
    if (this.failing) return;
    this.failing = true;
    this.options.log(`media registry: ${what} failed (${error.message})`);
  }
}
