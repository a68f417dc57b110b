import type { BatchedEvent, StreamHealth } from '@onair/protocol';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** How a viewer watches: the Player's engines, as `onair_viewers` labels them. */
export const VIEWER_ENGINES = ['hls', 'realtime', 'whep'] as const;
/** One of {@link VIEWER_ENGINES}. */
export type ViewerEngine = (typeof VIEWER_ENGINES)[number];

/** What became of the beacons of a well-formed batch. */
export type BeaconResult = 'accepted' | 'rejected';

/**
 * What the gauges read when they are scraped, from state the server keeps
 * anyway; a part the server does not run (no media plane) is left out and
 * its gauges stay at 0.
 */
export interface MetricSources {
  /** Streams whose status is live, deployment-wide (the database). */
  liveStreams?: () => Promise<number>;
  /** Streams whose publisher is connected to this server. */
  publishingStreams?: () => readonly string[];
  /** This server's viewers by engine. */
  viewers?: () => Record<ViewerEngine, number>;
}

/** Options of {@link ServerMetrics}. */
export interface ServerMetricsOptions {
  /**
   * Add the process's own metrics (`process_*`, `nodejs_*`: CPU, memory,
   * event-loop delay, GC). Default `true`.
   */
  processMetrics?: boolean;
  /**
   * A stream's ingest bitrate is shown while its newest health report is
   * younger than this, ms (reports come every 5 s). Default 15000.
   */
  ingestStaleMs?: number;
  /** Longest wait for a gauge's source (the database) during a scrape, ms. Default 2000. */
  sourceTimeoutMs?: number;
  /**
   * Label the ingest bitrate with each stream's id. Only where `/metrics`
   * needs a token: an unlisted stream is found by its id. Otherwise the
   * bitrate is summed per ingest. Default `false`.
   */
  streamLabels?: boolean;
  now?: () => number;
}

/** The event of a stream's room that carries a chat message. */
const CHAT_MESSAGE: BatchedEvent[0] = 'chat:message';

/**
 * One server's Prometheus metrics, in a registry of its own (several servers
 * may run in one process): gauges read their sources when scraped, counters
 * are bumped where their events happen. Served by `GET /metrics`.
 *
 * @example
 * ```ts
 * const metrics = new ServerMetrics();
 * metrics.readFrom({ liveStreams: async () => 3 });
 * const text = await metrics.scrape(); // "# HELP onair_live_streams …"
 * ```
 */
export class ServerMetrics {
  /** The media type of {@link scrape}'s text (Prometheus text format 0.0.4). */
  readonly contentType: string = Registry.PROMETHEUS_CONTENT_TYPE;
  private readonly registry = new Registry();
  private sources: MetricSources = {};
  private readonly now: () => number;
  private readonly processMetrics: boolean;
  private readonly ingestStaleMs: number;
  /** When stale ingest reports were last dropped outside a scrape. */
  private ingestPrunedAt = 0;
  /** Newest ingest bitrate per stream, from its health reports. */
  private readonly ingest = new Map<
    string,
    { bitsPerSecond: number; ingest: string; at: number }
  >();
  private readonly ffmpegRestarts: Counter;
  private readonly beacons: Counter<'result'>;
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  /**
   * Chat deliveries not yet added to their counter: counted per connection
   * on the hot path as a plain number, handed to prom-client at scrape.
   */
  private chatDeliveries = 0;
  /** Every connection of a broadcast gets the same batch: its chat messages are counted once. */
  private lastBatch: unknown;
  private lastBatchMessages = 0;

  constructor(options: ServerMetricsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.processMetrics = options.processMetrics ?? true;
    const staleMs = options.ingestStaleMs ?? 15_000;
    this.ingestStaleMs = staleMs;
    const timeoutMs = options.sourceTimeoutMs ?? 2_000;
    const registers = [this.registry];
    const self = this;

    new Gauge({
      name: 'onair_live_streams',
      help: 'Streams whose status is live, across the deployment (from the database; NaN while it does not answer).',
      registers,
      async collect() {
        const count = self.sources.liveStreams;
        if (!count) return;
        this.set(await within(count(), timeoutMs).catch(() => Number.NaN));
      },
    });
    new Gauge({
      name: 'onair_publishing_streams',
      help: 'Streams whose publisher (browser, WHIP or RTMP) is connected to this server.',
      registers,
      collect() {
        this.set(self.sources.publishingStreams?.().length ?? 0);
      },
    });
    new Gauge({
      name: 'onair_viewers',
      help: "Viewers on this server by engine: hls (joined a stream's room without a real-time transport), realtime (SFU receive transports of realtime connections), whep (WHEP sessions).",
      labelNames: ['engine'],
      registers,
      collect() {
        const viewers = self.sources.viewers?.();
        for (const engine of VIEWER_ENGINES) this.set({ engine }, viewers?.[engine] ?? 0);
      },
    });
    const streamLabels = options.streamLabels ?? false;
    new Gauge({
      name: 'onair_ingest_bitrate_bits_per_second',
      help: streamLabels
        ? 'Ingest bitrate of each stream published to this server, from its newest health report (a stream leaves when its publisher does).'
        : 'Ingest bitrate of the streams published to this server, summed per ingest, from their newest health reports (per stream where /metrics needs a token).',
      labelNames: streamLabels ? ['stream_id', 'ingest'] : ['ingest'],
      registers,
      collect() {
        this.reset();
        const publishing = new Set(self.sources.publishingStreams?.() ?? []);
        const fresh = self.now() - staleMs;
        for (const [streamId, report] of self.ingest) {
          if (!publishing.has(streamId) || report.at < fresh) {
            self.ingest.delete(streamId);
          } else if (streamLabels) {
            this.set({ stream_id: streamId, ingest: report.ingest }, report.bitsPerSecond);
          } else {
            this.inc({ ingest: report.ingest }, report.bitsPerSecond);
          }
        }
      },
    });
    this.ffmpegRestarts = new Counter({
      name: 'onair_ffmpeg_restarts_total',
      help: "Times an HLS packager's ffmpeg exited on its own while its stream was live and was restarted.",
      registers,
    });
    new Counter({
      name: 'onair_chat_deliveries_total',
      help: 'Chat messages written to realtime connections (one message to 100 viewers counts 100).',
      registers,
      collect() {
        this.inc(self.chatDeliveries);
        self.chatDeliveries = 0;
      },
    });
    this.beacons = new Counter({
      name: 'onair_view_beacons_total',
      help: "Players' view beacons in well-formed batches: accepted (stored) or rejected (unknown stream, session over its rate, storage down).",
      labelNames: ['result'],
      registers,
    });
    for (const result of ['accepted', 'rejected'] as const) this.beacons.inc({ result }, 0);
    this.httpRequests = new Counter({
      name: 'onair_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern (none: no route matched) and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
  }

  /** Sets where the gauges read from (merged with the sources set before). */
  readFrom(sources: MetricSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** An HLS packager's ffmpeg was restarted after it exited on its own. */
  ffmpegRestarted(): void {
    this.ffmpegRestarts.inc();
  }

  /** `count` view beacons were accepted or rejected. */
  beaconsHandled(result: BeaconResult, count: number): void {
    if (count > 0) this.beacons.inc({ result }, count);
  }

  /** An HTTP request was answered (`route`: its pattern, undefined when none matched). */
  httpResponded(method: string, route: string | undefined, status: number): void {
    this.httpRequests.inc({ method, route: route ?? 'none', status: String(status) });
  }

  /** A stream's health report (every 5 s while it has a publisher). */
  ingestReported(health: Pick<StreamHealth, 'streamId' | 'ingest' | 'bitrateKbps'>): void {
    const now = this.now();
    this.ingest.set(health.streamId, {
      bitsPerSecond: health.bitrateKbps * 1000,
      ingest: health.ingest,
      at: now,
    });
    // Ended streams' reports go at scrape; a server nobody scrapes drops them here.
    if (now - this.ingestPrunedAt > this.ingestStaleMs) {
      this.ingestPrunedAt = now;
      for (const [streamId, report] of this.ingest) {
        if (report.at < now - this.ingestStaleMs) this.ingest.delete(streamId);
      }
    }
  }

  /**
   * Counts the chat messages of a `batch` a connection is sent. Register it
   * on each connection with `socket.onAnyOutgoing(metrics.outgoing)`: it is
   * called once per connection and packet, so it only adds to a number.
   */
  readonly outgoing = (event: string, payload?: unknown): void => {
    if (event !== 'batch') return;
    if (payload !== this.lastBatch) {
      this.lastBatch = payload;
      this.lastBatchMessages = 0;
      if (Array.isArray(payload)) {
        for (const entry of payload as BatchedEvent[]) {
          if (entry[0] === CHAT_MESSAGE) this.lastBatchMessages++;
        }
      }
    }
    this.chatDeliveries += this.lastBatchMessages;
  };

  /** The metrics in Prometheus text format (see {@link contentType}). */
  async scrape(): Promise<string> {
    const own = await this.registry.metrics();
    if (!this.processMetrics) return own;
    return `${own}\n${await processRegistry().metrics()}`;
  }
}

/**
 * Rejects when `promise` has not settled within `ms`: a scrape does not
 * wait on a database that stopped answering.
 */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

let processMetrics: Registry | undefined;

/**
 * prom-client's default metrics (`process_*`, `nodejs_*`, among them
 * `nodejs_eventloop_lag_seconds` and its percentiles) in one registry per
 * process, shared by every server in it. They describe the process, not a
 * server, and prom-client cannot stop the event-loop monitor and the GC
 * observer they start: made per server, each closed server would leave
 * them running. Not prefixed, so that the usual Node.js dashboards read them.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}
