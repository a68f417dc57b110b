import type { ChannelAnalytics, QoeSummary } from '@onair/protocol/analytics';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OnAirError } from '../errors.js';
import { OnAirClient } from '../transport/client.js';
import {
  channelAnalytics,
  channelAnalyticsCsv,
  channelAnalyticsQuery,
  streamAnalyticsCsv,
  streamViewerHistory,
} from './reports.js';

/* The report readers against their HTTP boundary (msw answering as the server does). */

const BASE = 'http://onair.test';
const api = setupServer();
beforeAll(() => api.listen({ onUnhandledFrame: 'error' }));
afterEach(() => api.resetHandlers());
afterAll(() => api.close());

const clients: OnAirClient[] = [];
afterAll(() => {
  for (const client of clients) client.destroy();
});

/** A client whose token provider hands out `tokens` in turn (the last one from then on). */
function client(...tokens: string[]) {
  let calls = 0;
  const made = new OnAirClient({
    baseUrl: BASE,
    token: async () => tokens[Math.min(calls++, tokens.length - 1)] ?? null,
  });
  clients.push(made);
  return made;
}

const QOE: QoeSummary = {
  views: 3,
  startedViews: 2,
  startupMsMedian: 900,
  startupMsP95: 1800,
  rebufferPercent: 1.5,
  rebufferPerMinute: 0.2,
  failurePercent: 0,
  exitBeforeStartPercent: 33.3,
  bitrateKbps: 2400,
  latencyMean: 2.1,
  score: 91,
  byEngine: { hls: 3 },
};

const REPORT: ChannelAnalytics = {
  channelId: 'usr_host',
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-11-29T00:00:00.000Z',
  uniqueViewers: 2,
  totalWatchMs: 120_000,
  followsGained: 1,
  qoe: QOE,
  streams: [
    {
      streamId: 'str_1',
      title: 'Office hours',
      startedAt: '2026-11-22T10:00:00.000Z',
      endedAt: '2026-11-22T11:00:00.000Z',
      views: 3,
      uniqueViewers: 2,
      peakViewers: 2,
      totalWatchMs: 120_000,
    },
  ],
};

const CSV = 'minute,average_viewers\r\n2026-11-22T10:00:00.000Z,2\r\n';

describe('channelAnalytics', () => {
  it('sends the range as ISO strings with the token and parses the report', async () => {
    let seen: { url: URL; auth: string | null } | undefined;
    api.use(
      http.get(`${BASE}/v1/channels/:id/analytics`, ({ request }) => {
        seen = { url: new URL(request.url), auth: request.headers.get('authorization') };
        return HttpResponse.json(REPORT);
      }),
    );
    const report = await channelAnalytics(client('tok'), 'usr_host', {
      from: new Date('2026-11-01T00:00:00Z'),
      to: '2026-11-29T00:00:00.000Z',
    });
    expect(report).toEqual(REPORT);
    expect(seen?.auth).toBe('Bearer tok');
    expect(seen?.url.pathname).toBe('/v1/channels/usr_host/analytics');
    expect(Object.fromEntries(seen?.url.searchParams ?? [])).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-29T00:00:00.000Z',
    });
  });

  it("sends no query without a range (the server's 28 days)", async () => {
    let search: string | undefined;
    api.use(
      http.get(`${BASE}/v1/channels/:id/analytics`, ({ request }) => {
        search = new URL(request.url).search;
        return HttpResponse.json(REPORT);
      }),
    );
    await channelAnalytics(client('tok'), 'usr_host');
    expect(search).toBe('');
  });

  it('turns a refusal into a typed error and rejects a report off the protocol', async () => {
    api.use(
      http.get(`${BASE}/v1/channels/:id/analytics`, () =>
        HttpResponse.json({ code: 'FORBIDDEN', message: 'Not yours' }, { status: 403 }),
      ),
    );
    const refused = await channelAnalytics(client('tok'), 'usr_other').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OnAirError);
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: 'Not yours' });

    api.use(
      http.get(`${BASE}/v1/channels/:id/analytics`, () =>
        HttpResponse.json({ ...REPORT, uniqueViewers: -1 }),
      ),
    );
    await expect(channelAnalytics(client('tok'), 'usr_host')).rejects.toMatchObject({
      code: 'INTERNAL',
    });
  });
});

describe('channelAnalyticsQuery', () => {
  it('keys the query by channel and range as ISO strings, and fetches with its signal', async () => {
    let search: string | undefined;
    api.use(
      http.get(`${BASE}/v1/channels/:id/analytics`, ({ request }) => {
        search = new URL(request.url).search;
        return HttpResponse.json(REPORT);
      }),
    );
    const c = client('tok');
    const from = new Date('2026-11-01T00:00:00Z');
    const query = channelAnalyticsQuery(c, 'usr_host', { from });
    expect(query.queryKey).toEqual([
      'onair',
      'analytics',
      'channel',
      'usr_host',
      '2026-11-01T00:00:00.000Z',
      null,
    ]);
    expect(channelAnalyticsQuery(c, 'usr_host', { from: from.toISOString() }).queryKey).toEqual(
      query.queryKey,
    );
    expect(await c.queryClient.fetchQuery(query)).toEqual(REPORT);
    expect(search).toBe('?from=2026-11-01T00%3A00%3A00.000Z');
  });
});

describe('CSV exports', () => {
  it("downloads a stream's CSV with the token, named as the server names it", async () => {
    let auth: string | null = null;
    api.use(
      http.get(`${BASE}/v1/streams/:id/analytics.csv`, ({ request, params }) => {
        auth = request.headers.get('authorization');
        return new HttpResponse(CSV, {
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="stream-${params.id}-analytics.csv"`,
          },
        });
      }),
    );
    expect(await streamAnalyticsCsv(client('tok'), 'str_1')).toEqual({
      filename: 'stream-str_1-analytics.csv',
      text: CSV,
    });
    expect(auth).toBe('Bearer tok');
  });

  it("downloads a channel's CSV over a range; without a file name it is analytics.csv", async () => {
    let search: URLSearchParams | undefined;
    api.use(
      http.get(`${BASE}/v1/channels/:id/analytics.csv`, ({ request }) => {
        search = new URL(request.url).searchParams;
        return new HttpResponse(CSV, { headers: { 'content-type': 'text/csv' } });
      }),
    );
    const exported = await channelAnalyticsCsv(client('tok'), 'usr_host', {
      from: '2026-11-01T00:00:00.000Z',
    });
    expect(exported).toEqual({ filename: 'analytics.csv', text: CSV });
    expect(search?.get('from')).toBe('2026-11-01T00:00:00.000Z');
    expect(search?.has('to')).toBe(false);
  });

  it('renews an expired token once, and types refusals and network failures', async () => {
    const seen: Array<string | null> = [];
    api.use(
      http.get(`${BASE}/v1/streams/:id/analytics.csv`, ({ request }) => {
        const auth = request.headers.get('authorization');
        seen.push(auth);
        return auth === 'Bearer fresh'
          ? new HttpResponse(CSV, { headers: { 'content-type': 'text/csv' } })
          : HttpResponse.json({ code: 'TOKEN_EXPIRED', message: 'Expired' }, { status: 401 });
      }),
    );
    expect((await streamAnalyticsCsv(client('stale', 'fresh'), 'str_1')).text).toBe(CSV);
    expect(seen).toEqual(['Bearer stale', 'Bearer fresh']);

    api.use(
      http.get(`${BASE}/v1/streams/:id/analytics.csv`, () =>
        HttpResponse.json(
          { code: 'FORBIDDEN', message: "Only the stream's owner" },
          { status: 403 },
        ),
      ),
    );
    await expect(streamAnalyticsCsv(client('tok'), 'str_1')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    api.use(http.get(`${BASE}/v1/streams/:id/analytics.csv`, () => HttpResponse.error()));
    await expect(streamAnalyticsCsv(client('tok'), 'str_1')).rejects.toMatchObject({
      code: 'NETWORK',
    });
  });

  it('passes the abort signal on', async () => {
    api.use(
      http.get(`${BASE}/v1/streams/:id/analytics.csv`, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return new HttpResponse(CSV);
      }),
    );
    const abort = new AbortController();
    const pending = streamAnalyticsCsv(client('tok'), 'str_1', abort.signal);
    abort.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('pages who watched a stream', async () => {
    const asked: string[] = [];
    api.use(
      http.get(`${BASE}/v1/streams/str_1/viewers/history`, ({ request }) => {
        asked.push(new URL(request.url).search);
        return HttpResponse.json({
          items: [
            {
              user: { id: 'usr_ada', displayName: 'Ada' },
              firstJoinedAt: '2026-12-04T20:00:00.000Z',
              lastSeenAt: '2026-12-04T20:30:00.000Z',
              watchedSeconds: 1800,
              visits: 1,
            },
          ],
          nextCursor: 'o1',
          totals: { viewers: 2, anonymousVisits: 5 },
        });
      }),
    );
    const history = await streamViewerHistory(client('tok'), 'str_1', { limit: 1, cursor: 'o0' });
    expect(asked).toEqual(['?limit=1&cursor=o0']);
    expect(history).toMatchObject({ nextCursor: 'o1', totals: { viewers: 2 } });
    expect(history.items[0]?.watchedSeconds).toBe(1800);
  });
});
