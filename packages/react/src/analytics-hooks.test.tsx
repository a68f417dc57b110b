import type { ViewBeacon } from '@onair/protocol/analytics';
import { describe, expect, it } from 'vitest';
import {
  type ChannelAnalyticsResult,
  OnAirAnalytics,
  OnAirStreamSummary,
  type StreamAnalyticsResult,
  useChannelAnalytics,
  useStreamAnalytics,
} from './analytics.js';
import { cleanUpAfterEach, render, rerender, signedIn } from './test-support.js';

cleanUpAfterEach();

/** One ended view session of `watchMs`, posted as a player posts its last beacon. */
async function watched(streamId: string, watchMs: number): Promise<void> {
  const now = Date.now();
  const beacon: ViewBeacon = {
    session: {
      id: crypto.randomUUID(),
      streamId,
      startedAt: now - watchMs - 2000,
      engine: 'hls',
      device: 'desktop',
      browser: 'Chrome',
      os: 'Linux',
    },
    seq: 0,
    sentAt: now,
    metrics: {
      startupMs: 900,
      watchMs,
      rebufferCount: 0,
      rebufferMs: 0,
      bitrateKbps: 2000,
      height: 720,
      qualitySwitches: 0,
      latencyMean: null,
      latencyP95: null,
      droppedFrames: 0,
      errors: 0,
      fallbacks: 0,
      failed: false,
      exitedBeforeStart: false,
      ended: true,
    },
    interval: { watchMs, rebufferMs: 0, rebufferCount: 0, bitrateKbps: 2000 },
    events: [{ type: 'firstFrame', at: now - watchMs }],
  };
  const response = await fetch(`${location.origin}/v1/analytics/beacons`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ beacons: [beacon] }),
  });
  expect(response.status).toBe(204);
}

const seen: { stream?: StreamAnalyticsResult; channel?: ChannelAnalyticsResult } = {};

function StreamPanel({ streamId }: { streamId: string }) {
  seen.stream = useStreamAnalytics(streamId);
  return <span data-viewers={seen.stream.analytics?.uniqueViewers ?? ''} />;
}

function ChannelPanel({ channelId, from, to }: { channelId: string; from: Date; to?: Date }) {
  seen.channel = useChannelAnalytics(channelId, { from, to });
  return <span data-streams={seen.channel.data?.streams.length ?? ''} />;
}

describe('analytics hooks', () => {
  it("useStreamAnalytics follows a live stream's report, pushed by the server", async () => {
    const { client } = await signedIn('Hook analytics host');
    const { stream } = await client.streams.create({ title: 'Hook analytics' });
    await client.streams.start(stream.id);
    await watched(stream.id, 20_000);
    const container = render(<StreamPanel streamId={stream.id} />, client);
    await expect
      .poll(() => container.querySelector('span')?.dataset.viewers, { timeout: 10_000 })
      .toBe('1');
    const first = seen.stream;
    expect(first?.loading).toBe(false);
    expect(first?.error).toBeNull();
    expect(first?.updatedAt).toBeGreaterThan(0);

    // The second viewer arrives by the live feed (every 5 s), without a refresh.
    await watched(stream.id, 10_000);
    await expect
      .poll(() => container.querySelector('span')?.dataset.viewers, { timeout: 15_000 })
      .toBe('2');
    expect(seen.stream?.store).toBe(first?.store);
    expect(seen.stream?.analytics?.totalWatchMs).toBe(30_000);
  });

  it("useStreamAnalytics reports FORBIDDEN to someone else's viewer", async () => {
    const { client: host } = await signedIn('Owner of the figures');
    const { stream } = await host.streams.create({ title: 'Not yours' });
    const { client } = await signedIn('Nosy viewer');
    render(<StreamPanel streamId={stream.id} />, client);
    await expect.poll(() => seen.stream?.error?.code, { timeout: 10_000 }).toBe('FORBIDDEN');
    expect(seen.stream?.analytics).toBeNull();
  });

  it("useChannelAnalytics reads a channel's streams over a range and refetches on a new one", async () => {
    const { client, userId } = await signedIn('Channel analytics host');
    const { stream } = await client.streams.create({ title: 'In the range' });
    await client.streams.start(stream.id);
    await watched(stream.id, 15_000);
    const hourAgo = new Date(Date.now() - 3_600_000);
    const container = render(<ChannelPanel channelId={userId} from={hourAgo} />, client);
    await expect
      .poll(() => container.querySelector('span')?.dataset.streams, { timeout: 10_000 })
      .toBe('1');
    expect(seen.channel?.data?.streams[0]).toMatchObject({
      streamId: stream.id,
      title: 'In the range',
      views: 1,
      totalWatchMs: 15_000,
    });
    expect(seen.channel?.data?.from).toBe(hourAgo.toISOString());
    expect(seen.channel?.loading).toBe(false);

    // A range that ended before the stream started: no stream in it.
    const before = new Date(hourAgo.getTime() - 3_600_000);
    rerender(<ChannelPanel channelId={userId} from={before} to={hourAgo} />, client);
    await expect.poll(() => container.querySelector('span')?.dataset.streams).toBe('0');

    const { client: stranger } = await signedIn('Channel stranger');
    rerender(<ChannelPanel channelId={userId} from={hourAgo} />, stranger);
    await expect.poll(() => seen.channel?.error?.code, { timeout: 10_000 }).toBe('FORBIDDEN');
  });

  it('wraps <onair-analytics> and <onair-stream-summary> with the provider’s client', async () => {
    const { client } = await signedIn('Wrapped analytics host');
    const { stream } = await client.streams.create({ title: 'Wrapped analytics' });
    await client.streams.start(stream.id);
    await watched(stream.id, 8_000);
    const container = render(
      <>
        <OnAirAnalytics streamId={stream.id} />
        <OnAirStreamSummary streamId={stream.id} />
      </>,
      client,
    );
    const state = (tag: string) => (container.querySelector(tag) as HTMLElement).dataset.state;
    await expect.poll(() => state('onair-analytics'), { timeout: 10_000 }).toBe('ready');
    await expect.poll(() => state('onair-stream-summary')).toBe('ready');
    expect(
      (container.querySelector('onair-analytics') as HTMLElement).hasAttribute('data-live'),
    ).toBe(true);
  });
});
