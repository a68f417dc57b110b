/**
 * The strings of `<onair-analytics>` and `<onair-stream-summary>`, kept out
 * of the main catalog (`internal/i18n.ts`) so the main entries do not carry
 * them. Units (time, percent, bitrate) come from `Intl.NumberFormat`.
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
  viewersChart: 'Concurrent viewers per minute',
  rebufferChart: 'Rebuffering per minute (% of time)',
  bitrateChart: 'Bitrate per minute',
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
} as const;

/** Keys of the analytics strings. */
export type AnalyticsMessageKey = keyof typeof en;

/** The analytics strings in another language. */
export type AnalyticsMessages = Record<AnalyticsMessageKey, string>;

const es: AnalyticsMessages = {
  analytics: 'Estadísticas de la emisión',
  summary: 'Resumen de la emisión',
  audience: 'Audiencia',
  engagement: 'Participación',
  quality: 'Experiencia de visionado',
  peakViewers: 'Máximo de espectadores',
  averageViewers: 'Espectadores de media',
  uniqueViewers: 'Espectadores únicos',
  totalWatch: 'Tiempo visto en total',
  averageView: 'Tiempo medio por visionado',
  chatMessages: 'Mensajes de chat',
  chatters: 'Personas en el chat',
  reactions: 'Reacciones',
  questions: 'Preguntas',
  pollVotes: 'Votos en encuestas',
  followsGained: 'Nuevos seguidores',
  score: 'Puntuación de experiencia',
  startupMedian: 'Tiempo de arranque (mediana)',
  startupP95: 'Tiempo de arranque (percentil 95)',
  rebuffering: 'Tiempo en carga',
  failures: 'Reproducciones fallidas',
  viewersChart: 'Espectadores simultáneos por minuto',
  rebufferChart: 'Tiempo en carga por minuto (% del tiempo)',
  bitrateChart: 'Tasa de bits por minuto',
  viewersSparkline: 'Espectadores a lo largo del tiempo',
  minute: 'Minuto',
  chartSummary: '{count} minutos de {from} a {to}; máximo {max} a las {at}.',
  chartEmpty: 'Aún no hay minutos.',
  downloadCsv: 'Descargar CSV',
  preparingCsv: 'Preparando el CSV…',
  live: 'EN VIVO',
  updatedJustNow: 'Actualizado ahora mismo',
  updatedAgo: 'Actualizado hace {time}',
  loading: 'Cargando estadísticas…',
  empty: 'Aún no hay visionados: las cifras aparecen cuando el público empieza a ver.',
  forbidden: 'Solo quien emite y sus moderadores pueden ver las estadísticas',
  failed: 'No se pudieron cargar las estadísticas: {message}',
  retry: 'Reintentar',
};

/** Every analytics catalog by language; English is the fallback. */
export const ANALYTICS_MESSAGES: Readonly<Record<string, AnalyticsMessages>> & {
  en: AnalyticsMessages;
} = { en, es };
