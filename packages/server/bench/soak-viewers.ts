// The soak's audience (`pnpm soak`): realtime viewers that join, leave,
// switch streams, reconnect, chat and poll HLS playlists, counting what they
// did and every failure. The generator only picks who does what, and when.
import type { ClientToServerEvents, ServerToClientEvents } from '@onair/protocol';
import { io as connect, type Socket } from 'socket.io-client';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** An acknowledgement slower than this is a failure. */
const ACK_TIMEOUT_MS = 10_000;

/** One viewer: a browser tab, signed in when it has a token. */
interface Viewer {
  token: string | undefined;
  socket: Client | undefined;
  streamId: string | undefined;
  /** Something (connecting, joining, leaving, a chat message) is under way. */
  busy: boolean;
}

/** What the viewers have done so far. */
export interface SoakCounters {
  chatSent: number;
  chatAcked: number;
  /** Refused by the per-user chat limit: expected now and then, not a failure. */
  chatRateLimited: number;
  /** Chat messages received, over all viewers. */
  deliveries: number;
  joins: number;
  leaves: number;
  reconnects: number;
  switches: number;
  hlsRequests: number;
  /** Actions not started because too many were in flight (the generator fell behind). */
  skipped: number;
}

const pick = <T>(items: readonly T[]): T | undefined =>
  items[Math.floor(Math.random() * items.length)];
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The soak's viewers, against one server and its live streams. */
export class SoakViewers {
  readonly counters: SoakCounters = {
    chatSent: 0,
    chatAcked: 0,
    chatRateLimited: 0,
    deliveries: 0,
    joins: 0,
    leaves: 0,
    reconnects: 0,
    switches: 0,
    hlsRequests: 0,
    skipped: 0,
  };
  /** What went wrong, by kind: every one fails the soak. */
  readonly errors = new Map<string, number>();
  /** Requests and fetches awaiting an answer. */
  inFlight = 0;
  private readonly viewers: Viewer[] = [];
  private closing = false;

  /**
   * @param url the server
   * @param streams the live streams, each with the URI of a variant playlist (relative to its master)
   * @param maxInFlight requests in flight beyond which an action is skipped rather than piled up
   */
  constructor(
    private readonly url: string,
    private readonly streams: ReadonlyMap<string, string>,
    private readonly maxInFlight = 200,
  ) {}

  /** Counts a failure of `kind`. */
  fail(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  /** Viewers with a connection. */
  get connected(): number {
    return this.viewers.filter((v) => v.socket).length;
  }

  /** Viewers in a stream. */
  get joined(): number {
    return this.viewers.filter((v) => v.streamId).length;
  }

  /** Adds a viewer, who connects and joins a stream; resolves once it has (or failed to). */
  arrive(token: string | undefined): Promise<void> {
    const viewer: Viewer = { token, socket: undefined, streamId: undefined, busy: false };
    this.viewers.push(viewer);
    return this.churn(viewer);
  }

  /** Someone idle chats (signed-in viewers in a stream only). */
  chat(): void {
    const viewer = this.pickIdle((v) => !!v.token && !!v.streamId);
    if (viewer) void this.send(viewer);
  }

  /** Someone idle leaves and comes back, switches streams, or (if away) returns. */
  move(): void {
    const viewer = this.pickIdle(() => true);
    if (viewer) void this.churn(viewer);
  }

  /** Someone idle in a stream has their player poll its playlists. */
  poll(): void {
    const viewer = this.pickIdle((v) => !!v.streamId);
    if (viewer?.streamId) void this.fetchHls(viewer.streamId);
  }

  /** Waits (at most `ms`) for what is in flight, then disconnects everyone. */
  async close(ms: number): Promise<void> {
    this.closing = true;
    for (let waited = 0; this.inFlight > 0 && waited < ms; waited += 100) await wait(100);
    if (this.inFlight > 0) this.fail('requests still unanswered at the end');
    for (const viewer of this.viewers) viewer.socket?.disconnect();
  }

  private pickIdle(filter: (viewer: Viewer) => boolean): Viewer | undefined {
    const viewer = pick(this.viewers.filter((v) => !v.busy && filter(v)));
    if (!viewer || this.inFlight > this.maxInFlight) {
      this.counters.skipped++;
      return undefined;
    }
    return viewer;
  }

  /** The outcome of a request: `ok`, the error code, or `NO_ACK` after 10 s. */
  private async answer(
    ack: Promise<{ ok: true } | { ok: false; error: { code: string } }>,
  ): Promise<string> {
    this.inFlight++;
    try {
      const reply = await ack;
      return reply.ok ? 'ok' : reply.error.code;
    } catch {
      return 'NO_ACK';
    } finally {
      this.inFlight--;
    }
  }

  private async connect(viewer: Viewer): Promise<void> {
    const socket: Client = connect(this.url, {
      transports: ['websocket'],
      auth: viewer.token ? { token: viewer.token } : {},
      reconnection: false,
      forceNew: true,
    });
    socket.on('batch', (events) => {
      for (const [name] of events) if (name === 'chat:message') this.counters.deliveries++;
    });
    socket.on('disconnect', (reason) => {
      if (viewer.socket === socket) {
        viewer.socket = undefined;
        viewer.streamId = undefined;
      }
      if (reason !== 'io client disconnect' && !this.closing) {
        this.fail(`viewer dropped (${reason})`);
      }
    });
    await new Promise<void>((resolve) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => {
        const code = (error as Error & { data?: { code?: string } }).data?.code ?? error.message;
        this.fail(`connection refused (${code})`);
        socket.close();
        resolve();
      });
    });
    if (socket.connected) viewer.socket = socket;
  }

  private async join(viewer: Viewer, streamId: string): Promise<void> {
    const socket = viewer.socket;
    if (!socket) return;
    const result = await this.answer(
      socket.timeout(ACK_TIMEOUT_MS).emitWithAck('stream:join', { streamId }),
    );
    if (result === 'ok') {
      viewer.streamId = streamId;
      this.counters.joins++;
    } else this.fail(`stream:join ${result}`);
  }

  private async leave(viewer: Viewer): Promise<void> {
    const { socket, streamId } = viewer;
    if (!socket || !streamId) return;
    viewer.streamId = undefined;
    const result = await this.answer(
      socket.timeout(ACK_TIMEOUT_MS).emitWithAck('stream:leave', { streamId }),
    );
    if (result === 'ok') this.counters.leaves++;
    else this.fail(`stream:leave ${result}`);
  }

  private async churn(viewer: Viewer): Promise<void> {
    viewer.busy = true;
    const ids = [...this.streams.keys()];
    try {
      if (!viewer.socket) {
        await this.connect(viewer);
        await this.join(viewer, pick(ids) as string);
      } else if (Math.random() < 0.5) {
        // Closes the tab, comes back a little later on a new connection.
        await this.leave(viewer);
        viewer.socket?.disconnect();
        viewer.socket = undefined;
        await wait(1_000 + Math.random() * 4_000);
        if (this.closing) return;
        await this.connect(viewer);
        this.counters.reconnects++;
        await this.join(viewer, pick(ids) as string);
      } else {
        // Switches to another stream on the same connection.
        const next = pick(ids.filter((id) => id !== viewer.streamId)) ?? (ids[0] as string);
        await this.leave(viewer);
        await this.join(viewer, next);
        this.counters.switches++;
      }
    } finally {
      viewer.busy = false;
    }
  }

  private async send(viewer: Viewer): Promise<void> {
    const { socket, streamId } = viewer;
    if (!socket || !streamId) return;
    // Busy until answered: leaving meanwhile would lose the answer with the connection.
    viewer.busy = true;
    const n = ++this.counters.chatSent;
    const text = `soak ${n} ${'·'.repeat(Math.floor(Math.random() * 40))}`;
    const result = await this.answer(
      socket.timeout(ACK_TIMEOUT_MS).emitWithAck('chat:send', { streamId, text }),
    );
    viewer.busy = false;
    if (result === 'ok') this.counters.chatAcked++;
    else if (result === 'RATE_LIMITED') this.counters.chatRateLimited++;
    else this.fail(`chat:send ${result}`);
  }

  /** A player's poll: the master playlist, then its variant. */
  private async fetchHls(streamId: string): Promise<void> {
    this.inFlight++;
    try {
      const variant = this.streams.get(streamId);
      for (const path of [`/hls/${streamId}/master.m3u8`, `/hls/${streamId}/${variant}`]) {
        this.counters.hlsRequests++;
        const response = await fetch(`${this.url}${path}`, {
          signal: AbortSignal.timeout(ACK_TIMEOUT_MS),
        });
        await response.arrayBuffer();
        if (response.status !== 200) this.fail(`HLS ${response.status}`);
      }
    } catch {
      this.fail('HLS no answer');
    } finally {
      this.inFlight--;
    }
  }
}
