import type { ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { PublisherState } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../../test/harness.js';
import { publishRtmp } from '../../../../test/rtmp-publisher.js';
import { exitOf } from '../../../../test/services.js';

/*
 * Fault: the publisher's network is cut. An encoder publishes over RTMP
 * through a TCP proxy the test controls; cutting it destroys both sides.
 * The stream stays live through the grace period and the publisher, coming
 * back through the proxy, continues it; cut for good, the stream ends once
 * the grace period is over and its recording is kept.
 */
const GRACE_SECONDS = 6;

/** A TCP proxy to `target` that can cut, or silently freeze, every connection through it. */
class CuttableProxy {
  private readonly server: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  private readonly frozen = new WeakSet<[Socket, Socket]>();
  connections = 0;

  constructor(target: number) {
    this.server = createServer((client) => {
      this.connections++;
      const upstream = createConnection(target, '127.0.0.1');
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      for (const [from, to] of [pair, [upstream, client] as const]) {
        from.on('error', () => undefined);
        from.on('close', () => {
          // A frozen connection tells the other side nothing, not even that this one closed.
          if (this.frozen.has(pair)) return;
          this.pairs.delete(pair);
          to.destroy();
        });
        from.pipe(to);
      }
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (typeof address !== 'object' || !address) throw new Error('proxy has no port');
    return address.port;
  }

  /** Destroys both sides of every open connection (each side sees it close). */
  cut(): void {
    for (const pair of this.pairs) {
      this.frozen.delete(pair);
      pair[0].destroy();
      pair[1].destroy();
    }
  }

  /**
   * Stops forwarding on every open connection without closing it: packets
   * stop, nobody is told (a pulled cable, a dead NAT mapping, a Wi-Fi drop).
   */
  freeze(): void {
    for (const pair of this.pairs) {
      const [client, upstream] = pair;
      this.frozen.add(pair);
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let server: TestServer;
let proxy: CuttableProxy;
let proxyUrl: string;
const publishers: ChildProcess[] = [];

beforeAll(async () => {
  server = await startTestServer({
    media: { rtmpPort: 0, ladder: ['240p'], reconnectGraceSeconds: GRACE_SECONDS },
  });
  const rtmpPort = Number(new URL((server.rtmpUrl ?? '').replace('rtmp:', 'http:')).port);
  proxy = new CuttableProxy(rtmpPort);
  proxyUrl = `rtmp://127.0.0.1:${await proxy.listen()}/live`;
}, 60_000);
afterAll(async () => {
  for (const publisher of publishers) publisher.kill('SIGKILL');
  await proxy?.close();
  await server?.close();
});

const json = async (path: string) => (await server.request(path)).json() as Promise<never>;
const status = async (id: string) =>
  ((await json(`/v1/streams/${id}`)) as { status: string }).status;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function publish(key: string): ChildProcess {
  const publisher = publishRtmp(`${proxyUrl}/${key}`, { seconds: 90 });
  publisher.stderr?.resume();
  publishers.push(publisher);
  return publisher;
}

/** Nothing new from the server for this long after a silent cut means it never noticed. */
const SILENT_CUT_NOTICED_MS = 20_000;

/** A live stream published through the proxy, its HLS up, and its owner listening for publisher states. */
async function liveThroughProxy(title: string) {
  const owner = await server.token(`${title} owner`, { roles: ['broadcaster'] });
  const created = await server.request('/v1/streams', {
    method: 'POST',
    token: owner.token,
    json: { title, recording: true },
  });
  const { stream, streamKey } = (await created.json()) as {
    stream: { id: string };
    streamKey: string;
  };
  const id = stream.id;
  const encoder = publish(streamKey);
  await expect
    .poll(async () => (await server.request(`/hls/${id}/master.m3u8`)).status, {
      timeout: 30_000,
      interval: 500,
    })
    .toBe(200);
  const socket = await server.socket(owner.token);
  const states: PublisherState[] = [];
  socket.on('stream:publisher', (state) => states.push(state));
  expect((await socket.emitWithAck('stream:join', { streamId: id })).ok).toBe(true);
  return { id, streamKey, encoder, states };
}

/** Whether the stream's top rendition shows a discontinuity (a new publisher's media). */
const continued = async (id: string) =>
  (await (await server.request(`/hls/${id}/360p/index.m3u8`)).text()).includes(
    '\n#EXT-X-DISCONTINUITY\n',
  );

describe('the publisher’s network cut (a proxy between encoder and server)', () => {
  it('stays live through the grace period, continues on reconnect, ends after a cut for good', async () => {
    const live = await liveThroughProxy('Flaky uplink');
    const { id, states } = live;
    const connectionsBefore = proxy.connections;

    // Cut: the server sees the publisher go and says so; the encoder gives up.
    proxy.cut();
    const cutAt = Date.now();
    await expect.poll(() => states.at(-1)?.state, { timeout: 5_000 }).toBe('reconnecting');
    const endsAt = Date.parse(states.at(-1)?.endsAt ?? '');
    expect(endsAt - cutAt).toBeGreaterThan((GRACE_SECONDS - 1) * 1000);
    expect(endsAt - cutAt).toBeLessThanOrEqual((GRACE_SECONDS + 1) * 1000);
    await exitOf(live.encoder);
    expect(await status(id)).toBe('live');

    // The encoder reconnects through the proxy, within the grace period: the same stream goes on.
    const encoder = publish(live.streamKey);
    await expect.poll(() => states.at(-1)?.state, { timeout: 10_000 }).toBe('connected');
    expect(proxy.connections).toBe(connectionsBefore + 1);
    await wait(GRACE_SECONDS * 1000);
    expect(await status(id)).toBe('live');
    await expect.poll(() => continued(id), { timeout: 20_000, interval: 500 }).toBe(true);

    // Cut for good: live until the grace period is over, then ended with its recording.
    proxy.cut();
    const lastCut = Date.now();
    await exitOf(encoder);
    await expect.poll(() => states.at(-1)?.state, { timeout: 5_000 }).toBe('reconnecting');
    expect(await status(id)).toBe('live');
    await expect
      .poll(() => status(id), { timeout: GRACE_SECONDS * 1000 + 10_000, interval: 250 })
      .toBe('ended');
    expect(Date.now() - lastCut).toBeGreaterThanOrEqual((GRACE_SECONDS - 1) * 1000);
    await expect
      .poll(
        async () =>
          ((await json(`/v1/streams/${id}`)) as { recordingUrl: string | null }).recordingUrl,
        { timeout: 15_000 },
      )
      .toBe(`/hls/${id}/master.m3u8`);
    expect((await server.request('/healthz')).status).toBe(200);
  }, 90_000);

  it('notices a silent cut (no FIN, no RST) and lets the reconnecting publisher in', async () => {
    const live = await liveThroughProxy('Silent uplink');
    const { id, states } = live;

    // Packets stop both ways and nobody is told. The encoder, on its side, gives up and
    // retries every 2 s (as OBS does) through the proxy, which now forwards again.
    proxy.freeze();
    live.encoder.kill('SIGKILL');
    const frozenAt = Date.now();
    const seen = states.length;
    let encoder: ChildProcess | undefined;
    const back = () => states.slice(seen).some((s) => s.state === 'connected');
    while (!back() && Date.now() - frozenAt < SILENT_CUT_NOTICED_MS) {
      if (!encoder || encoder.exitCode !== null || encoder.signalCode !== null) {
        encoder = publish(live.streamKey);
      }
      await wait(2_000);
    }
    expect(back(), 'the reconnecting publisher was let in').toBe(true);
    expect(await status(id)).toBe('live');
    await expect.poll(() => continued(id), { timeout: 20_000, interval: 500 }).toBe(true);
  }, 90_000);
});
