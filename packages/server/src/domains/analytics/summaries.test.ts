import { randomBytes } from 'node:crypto';
import { type WebhookEvent, WebhookEventSchema } from '@onair/protocol';
import { StreamAnalyticsSchema } from '@onair/protocol/analytics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { viewBeacon } from '../../../test/view-beacons.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/webhook-receiver.js';

/*
 * The stream.summary webhook: after a stream ends and its viewers' last
 * beacons are in, the host app receives the stream's report.
 */

let receiver: WebhookReceiver;
const received: WebhookEvent[] = [];
let server: TestServer;

beforeAll(async () => {
  receiver = await startWebhookReceiver((body) => {
    received.push(WebhookEventSchema.parse(JSON.parse(body)));
    return 204;
  });
  server = await startTestServer({
    webhooks: [
      {
        url: receiver.url,
        secret: 'whsec_summary_0123456789',
        events: ['stream.ended', 'stream.summary'],
      },
    ],
    analytics: { summaryDelayMs: 1000 },
  });
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

const sessionId = () => `vs_${randomBytes(12).toString('base64url')}`;

describe('stream.summary webhook', () => {
  it("follows stream.ended with the stream's report, last beacons included", async () => {
    const owner = await server.token('Summarised');
    const streamId = await server.liveStream(owner.token, { title: 'Summary' });
    const [a, b] = [sessionId(), sessionId()];
    const post = (beacons: unknown[]) =>
      server.request('/v1/analytics/beacons', { method: 'POST', json: { beacons } });
    expect(
      (
        await post([
          viewBeacon(a, streamId, 0, {
            metrics: { startupMs: 500, watchMs: 20_000 },
            interval: { watchMs: 20_000 },
          }),
          viewBeacon(b, streamId, 0, {
            metrics: { startupMs: 900, watchMs: 10_000 },
            interval: { watchMs: 10_000 },
          }),
        ])
      ).status,
    ).toBe(204);
    const ended = await server.request(`/v1/streams/${streamId}/end`, {
      method: 'POST',
      token: owner.token,
    });
    expect(ended.status).toBe(200);
    // A viewer's last beacon arrives just after the end: the summary waits for it.
    expect(
      (
        await post([
          viewBeacon(b, streamId, 1, {
            metrics: { startupMs: 900, watchMs: 12_000, ended: true },
            interval: { watchMs: 2000 },
          }),
        ])
      ).status,
    ).toBe(204);

    await expect
      .poll(() => received.map((event) => event.type), { timeout: 10_000 })
      .toEqual(['stream.ended', 'stream.summary']);
    const [endEvent, summaryEvent] = received as [WebhookEvent, WebhookEvent];
    expect(endEvent.data.summary).toBeUndefined();
    expect(summaryEvent.data.stream.id).toBe(streamId);
    expect(summaryEvent.data.stream.status).toBe('ended');
    const summary = StreamAnalyticsSchema.parse(summaryEvent.data.summary);
    expect(summary.streamId).toBe(streamId);
    expect(summary.qoe.views).toBe(2);
    expect(summary.totalWatchMs).toBe(32_000);
    expect(summary.uniqueViewers).toBe(2);
    expect(summary.qoe.startupMsMedian).toBe(700);
  });
});
