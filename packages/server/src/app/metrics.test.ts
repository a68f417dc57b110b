import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorEnvelopeSchema } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { parsePrometheusText } from '../../test/prometheus-text.js';
import { viewBeacon } from '../../test/view-beacons.js';
import { parseCli } from './cli-options.js';
import { resolveOptions } from './config.js';
import { parseServerConfig } from './config-file.js';
import { viewersByEngine } from './metrics.js';

/*
 * GET /metrics on real servers (PGlite, no media): the gauges follow what
 * happens (a stream goes live and ends, a viewer joins), the counters count
 * beacons, chat deliveries and requests, a token guards the endpoint, and
 * two servers in one process keep counts of their own.
 */

const TOKEN = `metrics-${randomBytes(12).toString('hex')}`;

let open: TestServer;
let guarded: TestServer;
let off: TestServer;

beforeAll(async () => {
  [open, guarded, off] = await Promise.all([
    startTestServer({ devAuth: true }),
    startTestServer({ metrics: { token: TOKEN } }),
    startTestServer({ metrics: { enabled: false } }),
  ]);
});
afterAll(async () => {
  await Promise.all([open?.close(), guarded?.close(), off?.close()]);
});

async function scrape(server: TestServer, token?: string) {
  const response = await server.request('/metrics', token ? { token } : {});
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4\b/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return parsePrometheusText(await response.text());
}

const beacons = (streamId: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    viewBeacon(`vs_${randomBytes(12).toString('base64url')}`, streamId, 0, {
      session: { engine: i % 2 === 0 ? 'hls' : 'realtime' },
    }),
  );

const postBeacons = (server: TestServer, batch: unknown[]) =>
  server.request('/v1/analytics/beacons', { method: 'POST', json: { beacons: batch } });

describe('/metrics', () => {
  it('counts live streams as they go live and end', async () => {
    const owner = await open.token('Live owner');
    const live = async () => (await scrape(open)).value('onair_live_streams') ?? Number.NaN;
    const before = await live();
    const first = await open.liveStream(owner.token, { title: 'One' });
    const second = await open.liveStream(owner.token, { title: 'Two' });
    await open.liveStream(owner.token, { title: 'Scheduled' }, false);
    expect(await live()).toBe(before + 2);
    await open.request(`/v1/streams/${first}/end`, { method: 'POST', token: owner.token });
    expect(await live()).toBe(before + 1);
    await open.request(`/v1/streams/${second}/end`, { method: 'POST', token: owner.token });
    expect(await live()).toBe(before);
    // Without a media plane nothing publishes here.
    expect((await scrape(open)).value('onair_publishing_streams')).toBe(0);
  });

  it('counts the beacons it stores and those it refuses', async () => {
    const owner = await open.token('Beacon owner');
    const streamId = await open.liveStream(owner.token, { title: 'Beacons' });
    const count = (text: Awaited<ReturnType<typeof scrape>>, result: string) =>
      text.value('onair_view_beacons_total', { result }) ?? Number.NaN;
    const before = await scrape(open);

    expect((await postBeacons(open, beacons(streamId, 3))).status).toBe(204);
    expect((await postBeacons(open, beacons(streamId, 2))).status).toBe(204);
    // A stream that does not exist: the whole batch is refused.
    expect((await postBeacons(open, beacons('str_doesnotexist', 4))).status).toBe(404);
    // Not a batch at all: no beacon to count (it shows as a 400 among the requests).
    expect((await postBeacons(open, [{ seq: 'x' }])).status).toBe(400);

    const after = await scrape(open);
    expect(count(after, 'accepted') - count(before, 'accepted')).toBe(5);
    expect(count(after, 'rejected') - count(before, 'rejected')).toBe(4);
    const requests = (status: string) =>
      after.value('onair_http_requests_total', {
        method: 'POST',
        route: '/v1/analytics/beacons',
        status,
      });
    expect(requests('204')).toBe(2);
    expect(requests('404')).toBe(1);
    expect(requests('400')).toBe(1);
  });

  it('counts a chat message once per connection it is delivered to', async () => {
    const owner = await open.token('Chat owner');
    const streamId = await open.liveStream(owner.token, { title: 'Chat' });
    const viewerUser = await open.token('Chatty viewer');
    const [host, viewer, anonymous, elsewhere] = await Promise.all([
      open.socket(owner.token),
      open.socket(viewerUser.token),
      open.socket(),
      open.socket(),
    ]);
    for (const socket of [host, viewer, anonymous]) {
      expect(await socket.emitWithAck('stream:join', { streamId })).toMatchObject({ ok: true });
    }
    // Joined no stream: it gets no chat.
    let strayMessages = 0;
    elsewhere.on('chat:message', () => strayMessages++);
    const deliveries = async () =>
      (await scrape(open)).value('onair_chat_deliveries_total') ?? Number.NaN;
    const before = await deliveries();

    const received = [host, viewer, anonymous].map(
      (socket) => new Promise<void>((resolve) => socket.once('chat:message', () => resolve())),
    );
    const sent = await viewer.emitWithAck('chat:send', { streamId, text: 'hello, metrics' });
    expect(sent.ok).toBe(true);
    await Promise.all(received);
    expect((await deliveries()) - before).toBe(3);

    const twice = [host, viewer, anonymous].map(
      (socket) =>
        new Promise<void>((resolve) => {
          let seen = 0;
          socket.on('chat:message', () => {
            if (++seen === 2) resolve();
          });
        }),
    );
    await viewer.emitWithAck('chat:send', { streamId, text: 'one' });
    await host.emitWithAck('chat:send', { streamId, text: 'two' });
    await Promise.all(twice);
    expect((await deliveries()) - before).toBe(9);
    expect(strayMessages).toBe(0);
  });

  it('counts the viewers in streams’ rooms as HLS viewers, the broadcaster left out', async () => {
    const owner = await open.token('Viewed owner');
    const streamId = await open.liveStream(owner.token, { title: 'Viewers' });
    const hls = async () =>
      (await scrape(open)).value('onair_viewers', { engine: 'hls' }) ?? Number.NaN;
    const before = await hls();
    const host = await open.socket(owner.token);
    await host.emitWithAck('stream:join', { streamId });
    expect(await hls()).toBe(before);
    const viewers = await Promise.all([open.socket(), open.socket()]);
    for (const socket of viewers) await socket.emitWithAck('stream:join', { streamId });
    expect(await hls()).toBe(before + 2);
    await viewers[0]?.emitWithAck('stream:leave', { streamId });
    expect(await hls()).toBe(before + 1);
    const text = await scrape(open);
    // No SFU on this server: nobody watches in real time.
    expect(text.value('onair_viewers', { engine: 'realtime' })).toBe(0);
    expect(text.value('onair_viewers', { engine: 'whep' })).toBe(0);
  });

  it('includes the process’s event-loop delay', async () => {
    const text = await scrape(open);
    expect(text.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(text.value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(text.types.get('process_resident_memory_bytes')).toBe('gauge');
  });

  it('answers 401 without the configured token, and never counts another server’s events', async () => {
    for (const init of [{}, { token: 'not-the-metrics-token' }, { token: `${TOKEN}x` }]) {
      const response = await guarded.request('/metrics', init);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(ErrorEnvelopeSchema.parse(await response.json()).code).toBe('UNAUTHORIZED');
    }
    const response = await guarded.request('/metrics', {
      headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
    });
    expect(response.status).toBe(401);

    // The other tests' streams, beacons and messages all happened on `open`.
    const mine = await scrape(guarded, TOKEN);
    expect(mine.value('onair_live_streams')).toBe(0);
    expect(mine.value('onair_view_beacons_total', { result: 'accepted' })).toBe(0);
    expect(mine.value('onair_chat_deliveries_total')).toBe(0);
    const theirs = await scrape(open);
    expect(theirs.value('onair_view_beacons_total', { result: 'accepted' })).toBeGreaterThan(0);
    expect(theirs.value('onair_chat_deliveries_total')).toBeGreaterThan(0);
    // The refused scrapes above were counted, on this server only.
    const refused = { method: 'GET', route: '/metrics', status: '401' };
    expect(mine.value('onair_http_requests_total', refused)).toBe(4);
    expect(theirs.value('onair_http_requests_total', refused)).toBeUndefined();
  });

  it('is not served when turned off', async () => {
    const response = await off.request('/metrics');
    expect(response.status).toBe(404);
    expect(ErrorEnvelopeSchema.parse(await response.json()).code).toBe('NOT_FOUND');
  });
});

describe('viewers by engine', () => {
  let media: TestServer;
  beforeAll(async () => {
    media = await startTestServer({ media: { rtmpPort: false } });
  });
  afterAll(() => media?.close());

  it('counts a viewer with a real-time receive transport as realtime, not HLS', async () => {
    const owner = await media.token('Real-time owner');
    const streamId = await media.liveStream(owner.token, { title: 'Real time' });
    const viewers = async () => {
      const text = await scrape(media);
      return ['hls', 'realtime', 'whep'].map((engine) => text.value('onair_viewers', { engine }));
    };
    const [watcher, other] = await Promise.all([media.socket(), media.socket()]);
    for (const socket of [watcher, other]) await socket.emitWithAck('stream:join', { streamId });
    expect(await viewers()).toEqual([2, 0, 0]);
    const transport = await watcher.emitWithAck('media:createTransport', {
      streamId,
      direction: 'recv',
    });
    if (!transport.ok) throw new Error(transport.error.message);
    expect(await viewers()).toEqual([1, 1, 0]);
    await watcher.emitWithAck('media:close', { transportId: transport.data.id });
    expect(await viewers()).toEqual([2, 0, 0]);
  });

  it('tells WHEP sessions from realtime connections by their transports’ owners', () => {
    const socket = (id: string, rooms: string[]) =>
      [id, { id, rooms: new Set([id, ...rooms]) }] as const;
    const io = {
      sockets: {
        sockets: new Map([
          socket('a', ['stream:s1']),
          socket('b', ['stream:s1', 'stream:s2']),
          socket('c', ['stream:s2', 'broadcaster:s2']),
        ]),
      },
    } as unknown as Parameters<typeof viewersByEngine>[0];
    const router = {
      receivers: () => [
        { streamId: 's1', owner: 'b' },
        { streamId: 's2', owner: 'whep:x1' },
        { streamId: 's1', owner: 'whep:x2' },
      ],
    };
    // a in s1 and b in s2 watch HLS; b in s1 in real time; c broadcasts s2.
    expect(viewersByEngine(io, router)).toEqual({ hls: 2, realtime: 1, whep: 2 });
    expect(viewersByEngine(io, undefined)).toEqual({ hls: 3, realtime: 0, whep: 0 });
  });
});

describe('metrics options', () => {
  it('defaults to served without a token, and rejects weak or contradictory settings', () => {
    expect(resolveOptions({ devAuth: true }).metrics).toEqual({ enabled: true, token: undefined });
    expect(resolveOptions({ devAuth: true, metrics: { token: TOKEN } }).metrics).toEqual({
      enabled: true,
      token: TOKEN,
    });
    for (const token of ['short', 'sixteen chars!!!', `${TOKEN}\n`]) {
      expect(() => resolveOptions({ devAuth: true, metrics: { token } })).toThrow(
        'OnAir server: metrics.token must be at least 16 visible ASCII characters, without spaces',
      );
    }
    expect(() =>
      resolveOptions({ devAuth: true, metrics: { enabled: false, token: TOKEN } }),
    ).toThrow('OnAir server: metrics.token is set but metrics.enabled is false');
  });

  it('reads a config file’s metrics and the token from ONAIR_METRICS_TOKEN, never echoing it', () => {
    expect(() => parseServerConfig({ metrics: { enabled: 'yes' } }, 'config.json')).toThrow(
      'config.json: metrics.enabled:',
    );
    expect(() => parseServerConfig({ metrics: { tokn: TOKEN } }, 'config.json')).toThrow(
      'config.json: metrics.tokn: unknown option',
    );
    const dir = mkdtempSync(join(tmpdir(), 'onair-metrics-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ metrics: { enabled: true } }));
    const command = parseCli(['--config', file, '--dev'], { ONAIR_METRICS_TOKEN: TOKEN });
    expect(command.kind === 'run' && command.options.metrics).toEqual({
      enabled: true,
      token: TOKEN,
    });
    let message = '';
    try {
      parseCli(['--dev'], { ONAIR_METRICS_TOKEN: 'too short' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^ONAIR_METRICS_TOKEN: metrics\.token: must be at least 16/);
    expect(message).not.toContain('too short');
  });
});
