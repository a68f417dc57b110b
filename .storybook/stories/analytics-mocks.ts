import type { Stream } from '@onair/protocol';
import type {
  AnalyticsMinute,
  BroadcastSummary,
  StreamAnalytics,
  ViewerHistory,
} from '@onair/protocol/analytics';
import { HttpResponse, http } from 'msw';
import { MOCK_BASE, mockStream } from './mocks.js';

/** Which report a story shows. */
export type AnalyticsScenario = 'live' | 'ended' | 'empty' | 'bad-qoe';

/** A repeatable wobble in 0–1 (stories render the same every time). */
const wobble = (i: number) => (Math.sin(i * 12.9898) * 43758.5453) % 1;

/** `minutes` of a plausible audience, rising then easing off, ending `endsAt`. */
function timeline(minutes: number, endsAt: number, poor: boolean): AnalyticsMinute[] {
  const start = Math.floor(endsAt / 60_000) * 60_000 - (minutes - 1) * 60_000;
  return Array.from({ length: minutes }, (_, i) => {
    const curve = Math.sin((Math.PI * (i + 1)) / (minutes + 4));
    const viewers = Math.max(0, Math.round((120 * curve + 12 * Math.abs(wobble(i))) * 100) / 100);
    const watchMs = Math.round(viewers * 60_000);
    const stall = poor ? 0.04 + 0.08 * Math.abs(wobble(i + 7)) : 0.003 * Math.abs(wobble(i + 3));
    const rebufferMs = Math.round(watchMs * stall);
    return {
      at: new Date(start + i * 60_000).toISOString(),
      viewers,
      watchMs,
      rebufferMs,
      rebufferCount: Math.round(rebufferMs / 2500),
      bitrateKbps: watchMs === 0 ? null : Math.round((poor ? 900 : 2800) + 400 * wobble(i + 11)),
      chatMessages: Math.round(viewers * (poor ? 0.05 : 0.4) * (1 + Math.abs(wobble(i + 5)))),
    };
  });
}

/** The broadcast side: nothing published yet, a clean browser Publisher, or one held down by its network. */
function broadcastOf(scenario: AnalyticsScenario): BroadcastSummary {
  if (scenario === 'empty') {
    return {
      sessions: 0,
      sampledMs: 0,
      bitrateKbps: null,
      frameRate: null,
      height: null,
      packetLoss: null,
      limitedPercent: { cpu: 0, bandwidth: 0, other: 0 },
      reconnects: 0,
      ingest: {
        reports: 0,
        bitrateKbps: null,
        frameRate: null,
        packetLoss: null,
        score: null,
        lowestScore: null,
      },
    };
  }
  const poor = scenario === 'bad-qoe';
  const liveMs = (scenario === 'live' ? 38 : 95) * 60_000;
  return {
    sessions: poor ? 3 : 1,
    sampledMs: liveMs - (poor ? 95_000 : 0),
    bitrateKbps: poor ? 1180 : 2510,
    frameRate: poor ? 21.4 : 29.9,
    height: poor ? 522 : 720,
    packetLoss: poor ? 0.031 : 0.0004,
    limitedPercent: { cpu: poor ? 12.5 : 0, bandwidth: poor ? 41.2 : 0.3, other: 0 },
    reconnects: poor ? 2 : 0,
    ingest: {
      reports: liveMs / 5000,
      bitrateKbps: poor ? 1105 : 2498,
      frameRate: poor ? 20.9 : 29.8,
      packetLoss: poor ? 0.034 : 0.0004,
      score: poor ? 58.5 : 99.2,
      lowestScore: poor ? 20 : 90,
    },
  };
}

/** The report of a scenario, for `str_story`. */
export function mockAnalytics(scenario: AnalyticsScenario, now = Date.now()): StreamAnalytics {
  if (scenario === 'empty') {
    return {
      streamId: 'str_story',
      uniqueViewers: 0,
      peakViewers: 0,
      averageViewers: 0,
      totalWatchMs: 0,
      averageViewMs: 0,
      engagement: {
        chatMessages: 0,
        chatters: 0,
        reactions: 0,
        questions: 0,
        pollVotes: 0,
        followsGained: 0,
      },
      qoe: {
        views: 0,
        startedViews: 0,
        startupMsMedian: null,
        startupMsP95: null,
        rebufferPercent: 0,
        rebufferPerMinute: 0,
        failurePercent: 0,
        exitBeforeStartPercent: 0,
        bitrateKbps: null,
        latencyMean: null,
        score: null,
        byEngine: {},
      },
      broadcast: broadcastOf(scenario),
      timeline: [],
    };
  }
  const poor = scenario === 'bad-qoe';
  const minutes = scenario === 'live' ? 38 : 95;
  const line = timeline(minutes, scenario === 'live' ? now : now - 3_600_000, poor);
  const totalWatchMs = line.reduce((sum, m) => sum + m.watchMs, 0);
  const totalRebufferMs = line.reduce((sum, m) => sum + m.rebufferMs, 0);
  const views = Math.round(totalWatchMs / 1_140_000);
  return {
    streamId: 'str_story',
    uniqueViewers: Math.round(views * 0.85),
    peakViewers: Math.ceil(Math.max(...line.map((m) => m.viewers)) * 1.08),
    averageViewers: Math.round((totalWatchMs / (minutes * 60_000)) * 100) / 100,
    totalWatchMs,
    averageViewMs: Math.round(totalWatchMs / views),
    engagement: {
      chatMessages: poor ? 212 : 1843,
      chatters: poor ? 40 : 266,
      reactions: poor ? 95 : 4120,
      questions: poor ? 3 : 27,
      pollVotes: poor ? 0 : 311,
      followsGained: poor ? 1 : 58,
    },
    qoe: {
      views,
      startedViews: Math.round(views * (poor ? 0.81 : 0.97)),
      startupMsMedian: poor ? 6400 : 820,
      startupMsP95: poor ? 14_800 : 2100,
      rebufferPercent:
        Math.round((totalRebufferMs / (totalWatchMs + totalRebufferMs)) * 10_000) / 100,
      rebufferPerMinute: poor ? 1.6 : 0.04,
      failurePercent: poor ? 8.5 : 0.4,
      exitBeforeStartPercent: poor ? 10.5 : 2.1,
      bitrateKbps: poor ? 950 : 2870,
      latencyMean: poor ? 9.8 : 2.4,
      score: poor ? 31.4 : 94.2,
      byEngine: poor
        ? { hls: views }
        : { hls: Math.round(views * 0.7), realtime: views - Math.round(views * 0.7) },
    },
    broadcast: broadcastOf(scenario),
    timeline: line,
  };
}

/** The stream of a scenario: live for `live` and `empty`, ended an hour ago otherwise. */
function streamOf(scenario: AnalyticsScenario): Stream {
  if (scenario === 'live' || scenario === 'empty') return mockStream('live');
  const now = Date.now();
  return {
    ...mockStream('ended'),
    startedAt: new Date(now - 3_600_000 - 95 * 60_000).toISOString(),
    endedAt: new Date(now - 3_600_000).toISOString(),
  };
}

const CSV_HEADER =
  'minute,average_viewers,watch_ms,rebuffer_ms,rebuffers,bitrate_kbps,chat_messages';

/** Who watched a mock stream: a few signed-in viewers, the longest first, and anonymous visits. */
export function mockViewerHistory(scenario: AnalyticsScenario): ViewerHistory {
  if (scenario === 'empty') {
    return { items: [], nextCursor: null, totals: { viewers: 0, anonymousVisits: 0 } };
  }
  const start = Date.parse('2026-11-30T18:00:00Z');
  const people = [
    'Ada Lovelace',
    'Grace Hopper',
    'Alan Turing',
    'Katherine Johnson',
    'Edsger Dijkstra',
  ];
  const items = people.map((displayName, i) => ({
    user: { id: `usr_${i + 1}`, displayName },
    firstJoinedAt: new Date(start + i * 95_000).toISOString(),
    lastSeenAt: new Date(start + 3_600_000 - i * 400_000).toISOString(),
    watchedSeconds: 3_540 - i * 610,
    visits: 1 + (i % 3),
  }));
  return { items, nextCursor: null, totals: { viewers: 5, anonymousVisits: 37 } };
}

/**
 * msw handlers for a stream's report: `GET /v1/streams/:id`, its analytics,
 * who watched and the CSV export, or a 403 for every analytics route
 * (`forbidden`).
 */
export function analyticsHandlers(
  scenario: AnalyticsScenario,
  options: { forbidden?: boolean } = {},
) {
  const refused = () =>
    HttpResponse.json(
      { code: 'FORBIDDEN', message: "Only this channel's owner and moderators read its analytics" },
      { status: 403 },
    );
  return [
    http.get(`${MOCK_BASE}/v1/streams/:id/analytics`, () =>
      options.forbidden ? refused() : HttpResponse.json(mockAnalytics(scenario)),
    ),
    http.get(`${MOCK_BASE}/v1/streams/:id/viewers/history`, () =>
      options.forbidden ? refused() : HttpResponse.json(mockViewerHistory(scenario)),
    ),
    http.get(`${MOCK_BASE}/v1/streams/:id/analytics.csv`, ({ params }) => {
      if (options.forbidden) return refused();
      const rows = mockAnalytics(scenario).timeline.map((m) =>
        [
          m.at,
          m.viewers,
          m.watchMs,
          m.rebufferMs,
          m.rebufferCount,
          m.bitrateKbps ?? '',
          m.chatMessages,
        ].join(','),
      );
      return new HttpResponse(`${[CSV_HEADER, ...rows].join('\r\n')}\r\n`, {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="stream-${String(params.id)}-analytics.csv"`,
        },
      });
    }),
    http.get(`${MOCK_BASE}/v1/streams/:id`, () => HttpResponse.json(streamOf(scenario))),
  ];
}
