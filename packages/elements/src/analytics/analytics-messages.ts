/**
 * The strings of `<onair-analytics>` and `<onair-stream-summary>`, kept out
 * of the main catalog (`internal/i18n.ts`) so the main entries do not carry
 * them. Other languages register theirs with `registerTranslation` (Spanish:
 * `translations/es.ts`). Units (time, percent, bitrate) come from `Intl.NumberFormat`.
 */
const en = {
  analytics: 'Stream analytics',
  summary: 'Stream summary',
  audience: 'Audience',
  engagement: 'Engagement',
  quality: 'Viewer experience',
  peakViewers: 'Peak viewers',
  averageViewers: 'Average viewers',
  uniqueViewers: 'Unique viewers',
  totalWatch: 'Total watch time',
  averageView: 'Average view time',
  chatMessages: 'Chat messages',
  chatters: 'Chatters',
  reactions: 'Reactions',
  questions: 'Questions',
  pollVotes: 'Poll votes',
  followsGained: 'Follows gained',
  score: 'Experience score',
  startupMedian: 'Startup time (median)',
  startupP95: 'Startup time (95th percentile)',
  rebuffering: 'Rebuffering',
  failures: 'Playback failures',
  broadcast: 'Broadcast',
  sendBitrate: 'Bitrate sent',
  frameRate: 'Frame rate',
  picture: 'Picture',
  limitedByCpu: 'Held down by CPU',
  limitedByBandwidth: 'Held down by bandwidth',
  reconnects: 'Reconnections',
  ingestHealth: 'Ingest health',
  viewersChart: 'Concurrent viewers per minute',
  rebufferChart: 'Rebuffering per minute (% of time)',
  bitrateChart: 'Bitrate per minute',
  chatChart: 'Chat messages per minute',
  viewersSparkline: 'Viewers over time',
  minute: 'Minute',
  chartSummary: '{count} minutes from {from} to {to}; highest {max} at {at}.',
  chartEmpty: 'No minutes yet.',
  downloadCsv: 'Download CSV',
  preparingCsv: 'Preparing CSV…',
  live: 'LIVE',
  updatedJustNow: 'Updated just now',
  updatedAgo: 'Updated {time} ago',
  loading: 'Loading analytics…',
  empty: 'No views yet: the figures appear once viewers start watching.',
  forbidden: "Only the stream's owner and moderators can see analytics",
  failed: 'Analytics could not be loaded: {message}',
  retry: 'Try again',
  whoWatched: 'Who watched',
  whoWatchedTotals: 'Signed-in viewers: {viewers} · anonymous visits: {anonymous}',
  viewer: 'Viewer',
  firstJoined: 'First came',
  watched: 'Watched',
  visits: 'Visits',
  showMore: 'Show more',
} as const;

/** Keys of the analytics strings. */
export type AnalyticsMessageKey = keyof typeof en;

/**
 * Every analytics string in another language, keyed as `registerTranslation`
 * takes them: `analytics.` and the key (`analytics.retry`), apart from the main
 * strings that share a name (`retry`).
 */
export type AnalyticsMessages = Record<`analytics.${AnalyticsMessageKey}`, string>;

/** The English analytics strings: where a language has no string of its own. */
export const ANALYTICS_MESSAGES: Readonly<Record<AnalyticsMessageKey, string>> = en;
