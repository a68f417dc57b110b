import type { BatchedEvent } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../test/prometheus-text.js';
import { ServerMetrics } from './metrics.js';

/* The metrics on their own: what each counter counts and what the gauges read when scraped. */

const scrape = async (metrics: ServerMetrics) => parsePrometheusText(await metrics.scrape());

const chat = (id: string) => ['chat:message', { id }] as unknown as BatchedEvent;
const viewers = ['viewers:count', { count: 1 }] as unknown as BatchedEvent;

describe('ServerMetrics', () => {
  it('names every metric with a help text and a type, counters ending in _total', async () => {
    const text = await new ServerMetrics({ processMetrics: false }).scrape();
    const parsed = parsePrometheusText(text);
    const families = [...parsed.types.keys()];
    expect(families.sort()).toEqual([
      'onair_chat_deliveries_total',
      'onair_ffmpeg_restarts_total',
      'onair_http_requests_total',
      'onair_ingest_bitrate_bits_per_second',
      'onair_live_streams',
      'onair_publishing_streams',
      'onair_view_beacons_total',
      'onair_viewers',
    ]);
    for (const name of families) {
      expect(text).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
      if (parsed.types.get(name) === 'counter') expect(name).toMatch(/_total$/);
    }
    // Series that exist before anything happened, so that rate() sees the first one.
    expect(parsed.value('onair_view_beacons_total', { result: 'accepted' })).toBe(0);
    expect(parsed.value('onair_view_beacons_total', { result: 'rejected' })).toBe(0);
    for (const engine of ['hls', 'realtime', 'whep']) {
      expect(parsed.value('onair_viewers', { engine })).toBe(0);
    }
  });

  it('counts each connection a batch is written to, once per chat message in it', async () => {
    const metrics = new ServerMetrics({ processMetrics: false });
    const batch = [chat('a'), viewers, chat('b')];
    // One broadcast to three connections: the same batch three times.
    for (let i = 0; i < 3; i++) metrics.outgoing('batch', batch);
    metrics.outgoing('stream:publisher', { streamId: 's' });
    metrics.outgoing('batch', [viewers]);
    metrics.outgoing('batch', [chat('c')]);
    expect((await scrape(metrics)).value('onair_chat_deliveries_total')).toBe(7);
    // A counter: the next scrape adds to it.
    metrics.outgoing('batch', [chat('d'), chat('e')]);
    expect((await scrape(metrics)).value('onair_chat_deliveries_total')).toBe(9);
    expect((await scrape(metrics)).value('onair_chat_deliveries_total')).toBe(9);
  });

  it('keeps separate counts per instance', async () => {
    const a = new ServerMetrics({ processMetrics: false });
    const b = new ServerMetrics({ processMetrics: false });
    a.ffmpegRestarted();
    a.ffmpegRestarted();
    a.beaconsHandled('accepted', 5);
    b.beaconsHandled('rejected', 2);
    const [textA, textB] = [await scrape(a), await scrape(b)];
    expect(textA.value('onair_ffmpeg_restarts_total')).toBe(2);
    expect(textB.value('onair_ffmpeg_restarts_total')).toBe(0);
    expect(textA.value('onair_view_beacons_total', { result: 'accepted' })).toBe(5);
    expect(textA.value('onair_view_beacons_total', { result: 'rejected' })).toBe(0);
    expect(textB.value('onair_view_beacons_total', { result: 'rejected' })).toBe(2);
  });

  it('shows a stream’s ingest bitrate while it publishes and its report is fresh', async () => {
    let now = 1_000_000;
    let publishing = ['s1', 's2'];
    const metrics = new ServerMetrics({
      processMetrics: false,
      now: () => now,
      streamLabels: true,
    });
    metrics.readFrom({ publishingStreams: () => publishing });
    metrics.ingestReported({ streamId: 's1', ingest: 'rtmp', bitrateKbps: 2500.5 });
    metrics.ingestReported({ streamId: 's2', ingest: 'whip', bitrateKbps: 800 });
    let parsed = await scrape(metrics);
    expect(parsed.value('onair_publishing_streams')).toBe(2);
    const bitrate = 'onair_ingest_bitrate_bits_per_second';
    expect(parsed.value(bitrate, { stream_id: 's1', ingest: 'rtmp' })).toBe(2_500_500);
    expect(parsed.value(bitrate, { stream_id: 's2', ingest: 'whip' })).toBe(800_000);

    // s2's publisher left: its series goes at once; s1's goes once its reports stop.
    publishing = ['s1'];
    now += 10_000;
    parsed = await scrape(metrics);
    expect(parsed.samples.filter((s) => s.name === bitrate)).toHaveLength(1);
    expect(parsed.value(bitrate, { stream_id: 's1' })).toBe(2_500_500);
    now += 6_000;
    parsed = await scrape(metrics);
    expect(parsed.samples.filter((s) => s.name === bitrate)).toEqual([]);
  });

  it('sums the ingest bitrate per ingest, naming no stream, unless told to label by stream', async () => {
    const metrics = new ServerMetrics({ processMetrics: false });
    metrics.readFrom({ publishingStreams: () => ['str_unlisted1', 'str_unlisted2', 'str_3'] });
    metrics.ingestReported({ streamId: 'str_unlisted1', ingest: 'rtmp', bitrateKbps: 2000 });
    metrics.ingestReported({ streamId: 'str_unlisted2', ingest: 'rtmp', bitrateKbps: 500 });
    metrics.ingestReported({ streamId: 'str_3', ingest: 'whip', bitrateKbps: 800 });
    const parsed = await scrape(metrics);
    const bitrate = 'onair_ingest_bitrate_bits_per_second';
    expect(parsed.value(bitrate, { ingest: 'rtmp' })).toBe(2_500_000);
    expect(parsed.value(bitrate, { ingest: 'whip' })).toBe(800_000);
    expect(parsed.samples.filter((s) => s.name === bitrate)).toHaveLength(2);
    expect(await metrics.scrape()).not.toContain('str_');
  });

  it('reads the gauges’ sources when scraped; NaN when the database does not answer', async () => {
    let live = 3;
    const metrics = new ServerMetrics({ processMetrics: false, sourceTimeoutMs: 50 });
    metrics.readFrom({
      liveStreams: async () => live,
      viewers: () => ({ hls: 4, realtime: 2, whep: 1 }),
    });
    let parsed = await scrape(metrics);
    expect(parsed.value('onair_live_streams')).toBe(3);
    expect(parsed.value('onair_viewers', { engine: 'hls' })).toBe(4);
    expect(parsed.value('onair_viewers', { engine: 'realtime' })).toBe(2);
    expect(parsed.value('onair_viewers', { engine: 'whep' })).toBe(1);
    live = 1;
    expect((await scrape(metrics)).value('onair_live_streams')).toBe(1);

    metrics.readFrom({ liveStreams: () => new Promise<number>(() => undefined) });
    const started = performance.now();
    parsed = await scrape(metrics);
    expect(parsed.value('onair_live_streams')).toBeNaN();
    expect(performance.now() - started).toBeLessThan(1_000);
    metrics.readFrom({ liveStreams: () => Promise.reject(new Error('database down')) });
    expect((await scrape(metrics)).value('onair_live_streams')).toBeNaN();
  });

  it('counts HTTP responses by method, route pattern and status', async () => {
    const metrics = new ServerMetrics({ processMetrics: false });
    metrics.httpResponded('GET', '/v1/streams/:id', 200);
    metrics.httpResponded('GET', '/v1/streams/:id', 200);
    metrics.httpResponded('GET', '/v1/streams/:id', 404);
    metrics.httpResponded('GET', undefined, 404);
    const parsed = await scrape(metrics);
    const requests = 'onair_http_requests_total';
    const route = '/v1/streams/:id';
    expect(parsed.value(requests, { method: 'GET', route, status: '200' })).toBe(2);
    expect(parsed.value(requests, { method: 'GET', route, status: '404' })).toBe(1);
    expect(parsed.value(requests, { route: 'none', status: '404' })).toBe(1);
  });

  it('adds the process’s metrics, event-loop delay among them, unless told not to', async () => {
    const metrics = new ServerMetrics();
    // The CPU counter counts from its creation, in the kernel's accounting steps: spend
    // some CPU first, or a scrape a few microseconds later can read 0 (it did in CI).
    const start = process.cpuUsage();
    const deadline = Date.now() + 2000;
    while (process.cpuUsage(start).user === 0 && Date.now() < deadline) Math.sqrt(Math.random());
    const withProcess = await scrape(metrics);
    expect(withProcess.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(withProcess.types.get('nodejs_eventloop_lag_p99_seconds')).toBe('gauge');
    expect(withProcess.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(withProcess.value('onair_live_streams')).toBe(0);
    const without = await scrape(new ServerMetrics({ processMetrics: false }));
    expect(without.types.has('nodejs_eventloop_lag_seconds')).toBe(false);
  });
});
