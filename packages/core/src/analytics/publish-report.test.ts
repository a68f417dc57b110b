import type { PublishReport } from '@onair/protocol/analytics';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PUBLISHER_IDLE_STATE, type PublisherState } from '../publish/publisher-state.js';
import type { PublisherStats } from '../publish/stats.js';
import { Subscribable } from '../subscribable.js';
import { OnAirClient } from '../transport/client.js';
import { reportPublishing } from './publish-report.js';

/* A Publisher's reports against their HTTP boundary (msw answering as the server does). */

const BASE = 'http://onair.test';
const api = setupServer();
beforeAll(() => api.listen({ onUnhandledFrame: 'error' }));
afterEach(() => api.resetHandlers());
afterAll(() => api.close());

/** The reports the server received, with the token each came with. */
function reportsEndpoint() {
  const received: Array<{ report: PublishReport; authorization: string | null; path: string }> = [];
  api.use(
    http.post(`${BASE}/v1/streams/:id/publish-report`, async ({ request }) => {
      received.push({
        report: (await request.json()) as PublishReport,
        authorization: request.headers.get('authorization'),
        path: new URL(request.url).pathname,
      });
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return received;
}

/** A stand-in with a Publisher's state, driven by the test. */
class StandInPublisher extends Subscribable<PublisherState> {
  protected snapshot: PublisherState = PUBLISHER_IDLE_STATE;
  set(patch: Partial<PublisherState>) {
    this.setSnapshot({ ...this.snapshot, ...patch });
  }
}

const stats = (
  kbps: number,
  frameRate: number,
  height: number,
  packetLoss: number | null,
  qualityLimitationReason = 'none',
): PublisherStats => ({
  videoBitrate: (kbps - 64) * 1000,
  audioBitrate: 64_000,
  frameRate,
  width: (height * 16) / 9,
  height,
  packetLoss,
  roundTripTime: packetLoss === null ? null : 0.04,
  qualityLimitationReason,
});

const clients: OnAirClient[] = [];
const client = (analytics: ConstructorParameters<typeof OnAirClient>[0]['analytics'] = {}) => {
  const made = new OnAirClient({ baseUrl: BASE, token: 'tok_host', analytics });
  clients.push(made);
  return made;
};
afterAll(() => {
  for (const made of clients) made.destroy();
});

beforeEach(() => {
  // Real timeouts (msw and fetch use them); the clock and the report interval are the test's.
  vi.useFakeTimers({ now: 1_800_000_000_000, toFake: ['Date', 'setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('reportPublishing', () => {
  it("reports a publish session's time-weighted means every interval and at its end", async () => {
    const received = reportsEndpoint();
    const publisher = new StandInPublisher();
    const stop = reportPublishing(client(), publisher, 'str_live');
    publisher.set({ status: 'connecting' });
    publisher.set({ status: 'live' });
    const startedAt = Date.now();
    const read = async (reading: PublisherStats, patch: Partial<PublisherState> = {}) => {
      await vi.advanceTimersByTimeAsync(1000);
      publisher.set({ stats: reading, ...patch });
    };
    for (let i = 0; i < 3; i++) await read(stats(1064, 30, 720, null));
    for (let i = 0; i < 2; i++) await read(stats(500, 15, 360, 0.02, 'bandwidth'));
    // The connection drops for 2 s; that time is not measured.
    await vi.advanceTimersByTimeAsync(1000);
    publisher.set({ status: 'reconnecting', reconnectAttempt: 1 });
    await vi.advanceTimersByTimeAsync(2000);
    publisher.set({ status: 'live', reconnectAttempt: 0 });
    await read(stats(1064, 30, 720, 0, 'cpu'));
    expect(received).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(1000); // 10 s live: the first report
    await vi.waitFor(() => expect(received).toHaveLength(1));
    const expected: PublishReport = {
      sessionId: expect.any(String) as unknown as string,
      startedAt,
      sampledMs: 6000,
      // (1064 × 3 + 500 × 2 + 1064) / 6 s
      bitrateKbps: 876,
      frameRate: 25,
      height: 600,
      // Measured over the 3 s it was known: (0.02 + 0.02 + 0) / 3
      packetLoss: 0.0133,
      limitedMs: { cpu: 1000, bandwidth: 2000, other: 0 },
      reconnects: 1,
      ended: false,
    };
    expect(received[0]).toEqual({
      report: expected,
      authorization: 'Bearer tok_host',
      path: '/v1/streams/str_live/publish-report',
    });
    expect(received[0]?.report.sessionId).toMatch(/^[\w-]{16,}$/);

    publisher.set({ status: 'ended', stats: null });
    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(received[1]?.report).toEqual({ ...expected, ended: true });
    expect(received[1]?.report.sessionId).toBe(received[0]?.report.sessionId);

    // Live again (another publish): a new session.
    publisher.set({ status: 'live' });
    await read(stats(2000, 30, 1080, 0));
    stop();
    await vi.waitFor(() => expect(received).toHaveLength(3));
    expect(received[2]?.report).toMatchObject({ sampledMs: 1000, bitrateKbps: 2000, ended: true });
    expect(received[2]?.report.sessionId).not.toBe(received[0]?.report.sessionId);
    // Stopped: nothing more.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(received).toHaveLength(3);
  });

  it('counts a long gap between readings (a throttled background tab) as 2 s at most', async () => {
    const received = reportsEndpoint();
    const publisher = new StandInPublisher();
    const stop = reportPublishing(client(), publisher, 'str_live');
    publisher.set({ status: 'live' });
    await vi.advanceTimersByTimeAsync(1000);
    publisher.set({ stats: stats(1000, 30, 720, 0) });
    await vi.advanceTimersByTimeAsync(7000);
    publisher.set({ stats: stats(1000, 30, 720, 0) });
    stop();
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(received[0]?.report.sampledMs).toBe(3000);
  });

  it("sends nothing when the client's analytics are off", async () => {
    const received = reportsEndpoint();
    const publisher = new StandInPublisher();
    const stop = reportPublishing(client({ enabled: false }), publisher, 'str_live');
    publisher.set({ status: 'live' });
    await vi.advanceTimersByTimeAsync(1000);
    publisher.set({ stats: stats(1000, 30, 720, 0) });
    await vi.advanceTimersByTimeAsync(20_000);
    publisher.set({ status: 'ended' });
    stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toHaveLength(0);
  });
});
