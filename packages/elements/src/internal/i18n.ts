import type { AnalyticsMessages } from '../analytics/analytics-messages.js';
import type { ReplayMessages } from '../chat-replay/replay-messages.js';
import type { ClipMessages } from '../clip-button/clip-messages.js';
import type { FollowerMessages } from '../followers/follower-messages.js';
import {
  notificationMessages,
  type ReminderMessages,
} from '../notifications/notification-messages.js';
import { stageMessages } from '../stage/stage-messages.js';

/** Every user-visible string of the elements, in English, but the stage elements' (`stageMessages`). */
const en = {
  play: 'Play',
  pause: 'Pause',
  mute: 'Mute',
  unmute: 'Unmute',
  tapToUnmute: 'Tap to unmute',
  live: 'LIVE',
  loading: 'Loading…',
  buffering: 'Buffering…',
  offline: 'This stream is not live',
  playbackError: 'Playback failed',
  goToLive: 'Go to live',
  skippedToLive: 'Skipped ahead to live',
  volume: 'Volume',
  seek: 'Seek',
  behindLive: '{n} s behind live',
  atLive: 'At the live edge',
  player: 'Live video player',
  liveStats: 'Live figures',
  statsWaiting: 'No figures yet',
  statsBitrate: 'Bitrate',
  statsPicture: 'Picture',
  statsLoss: 'Packet loss',
  statsRoundTrip: 'Round trip',
  statsLimitedBy: 'Limited by',
  statsMode: 'Mode',
  statsRealtime: 'Real time',
  statsLatency: 'Latency',
  statsBuffer: 'Buffer',
  statsEstimate: 'Bandwidth',
  statsLost: 'Packets lost',
  statsDropped: 'Dropped frames',
  auto: 'Auto',
  layer: 'Layer {n} of {of}',
  fullscreen: 'Full screen',
  pictureInPicture: 'Picture in picture',
  publisherReconnecting: 'The broadcaster is reconnecting…',
  streamEnded: 'This stream has ended',
  replaySoon: 'The replay will be ready soon',
  watchReplay: 'Watch the replay',
  startsOn: 'Starts {time}',
  notStarted: 'This stream has not started yet',
  replayBadge: 'REPLAY',
  chatClosed: 'Chat is closed: the stream has ended',
  qnaClosed: 'Questions are closed: the stream has ended',
  preview: 'Start camera',
  goLive: 'Go live',
  goingLiveIn: 'Going live in {n}…',
  cancel: 'Cancel',
  cancelGoLive: 'Cancel going live',
  endStream: 'End stream',
  confirmEnd: 'End the stream for everyone?',
  confirmEndDetail: 'Viewers see that the stream has ended. It cannot go live again.',
  keepStreaming: 'Keep streaming',
  notNow: 'Not now',
  connecting: 'Connecting…',
  onAir: 'On air',
  reconnecting: 'Reconnecting…',
  onAirFor: 'On air · {time}',
  camera: 'Camera',
  microphone: 'Microphone',
  muteMic: 'Mute microphone',
  unmuteMic: 'Unmute microphone',
  cameraOff: 'Turn camera off',
  cameraOn: 'Turn camera on',
  shareScreen: 'Share screen',
  stopSharing: 'Stop sharing',
  cameraInCorner: 'Camera in the corner',
  devices: 'Devices',
  health: 'Health: {state}',
  healthGood: 'good',
  healthFair: 'fair',
  healthPoor: 'poor',
  ended: 'Stream ended',
  broadcaster: 'Broadcaster',
  lobby: 'Check your camera and microphone, then go live.',
  cameraPreview: 'Camera preview',
  chat: 'Chat',
  chatPlaceholder: 'Say something…',
  send: 'Send',
  viewers: '{count} watching',
  noMessages: 'No messages yet',
  sending: 'sending…',
  failed: 'not sent',
  retry: 'Dismiss',
  streams: 'Streams',
  noStreams: 'No streams here yet',
  loadMore: 'Load more',
  searchStreams: 'Search streams',
  liveStreams: 'Live now',
  popularStreams: 'Most watched',
  scheduledStreams: 'Upcoming',
  pastStreams: 'Past',
  followingOnly: 'Following',
  scheduledFor: 'Starts {time}',
  endedAt: 'Ended {time}',
  cancelled: 'Cancelled',
  watching: '{count} watching',
  recording: 'Replay available',
  scheduler: 'Schedule a stream',
  title: 'Title',
  description: 'Description',
  category: 'Category',
  tags: 'Tags (comma-separated)',
  privacy: 'Who can watch',
  privacyPublic: 'Everyone',
  privacyUnlisted: 'Anyone with the link',
  privacyFollowers: 'Followers',
  privacySubscribers: 'Subscribers',
  privacyPrivate: 'Invited people',
  minTier: 'Minimum tier',
  startsAt: 'Start time (leave empty to go live when ready)',
  thumbnail: 'Thumbnail (JPEG, PNG or WebP)',
  create: 'Create stream',
  created: 'Stream created',
  streamKey: 'Stream key',
  keyShownOnce: 'Copy it now: it will not be shown again.',
  settings: 'Stream settings',
  save: 'Save',
  saved: 'Saved',
  quality: 'Quality',
  recordStream: 'Record the stream',
  viewerLimit: 'Viewer limit (empty for none)',
  chatEnabled: 'Chat on',
  chatMode: 'Who can chat',
  chatModeOpen: 'Everyone',
  chatModeFollowers: 'Followers',
  chatModeSubscribers: 'Subscribers',
  slowMode: 'Slow mode (seconds)',
  emoteOnly: 'Emote-only chat',
  reactions: 'Reactions',
  qna: 'Questions & answers',
  rotateKey: 'Rotate stream key',
  confirmRotate: 'Rotate the key? A live encoder using the old key is disconnected.',
  cancelStream: 'Cancel stream',
  confirmCancel: 'Cancel this scheduled stream?',
  invites: 'Invited user ids (one per line or comma-separated)',
  badgeOwner: 'Streamer',
  badgeModerator: 'Moderator',
  badgeAdmin: 'Admin',
  badgeSubscriber: 'Subscriber (tier {tier})',
  pinned: 'Pinned',
  unpin: 'Unpin',
  pin: 'Pin',
  deleteMessage: 'Delete',
  loadEarlier: 'Load earlier messages',
  messageActions: 'Message actions for {author}',
  timeoutUser: 'Time out 10 min',
  banUser: 'Ban',
  emotes: 'Emotes',
  insertEmote: 'Insert {emote}',
  slowModeWait: 'Slow mode: you can send again in {seconds} s',
  timedOut: 'You are timed out until {time}',
  banned: 'You are banned from this chat',
  jumpToLatest: 'Jump to latest',
  mention: 'Mentions you',
  react: 'React with {emoji}',
  questions: 'Questions',
  askPlaceholder: 'Ask a question…',
  ask: 'Ask',
  upvote: 'Upvote',
  upvotes: '{count} votes',
  sortTop: 'Top',
  sortNewest: 'Newest',
  sortQuestions: 'Sort questions',
  newQuestionFrom: 'New question from {name}',
  markAnswered: 'Mark answered',
  answered: 'Answered',
  answeringNow: 'Answering now',
  answerNow: 'Answer now',
  writeAnswer: 'Write an answer',
  hide: 'Hide',
  noQuestions: 'No questions yet',
  poll: 'Poll',
  noPoll: 'No poll right now',
  votes: '{count} votes',
  pollClosed: 'Poll closed',
  closePoll: 'Close poll',
  pollQuestion: 'Question',
  pollOptions: 'Options, one per line (2 to 10)',
  startPoll: 'Start poll',
  yourVote: 'your vote',
  peakViewers: 'peak {count}',
  showViewers: 'Show viewers',
  anonymousViewers: 'and {count} anonymous',
} as const;

/** Keys of translatable strings. */
export type MessageKey =
  | keyof typeof en
  | keyof typeof stageMessages
  | keyof typeof notificationMessages;

/** Every main string in another language (`@onair/elements/translations/es` is one). */
export type Messages = Record<MessageKey, string>;

/**
 * Strings of one language for {@link registerTranslation}: any of the main
 * keys ({@link MessageKey}), of the analytics keys (`analytics.` and an
 * `AnalyticsMessageKey`), of the clip button's (`clips.` and a
 * `ClipMessageKey`), of the chat replay's (`replay.` and a
 * `ReplayMessageKey`), of the remind button's (`reminders.` and a
 * `ReminderMessageKey`) and of the followers list's (`followers.` and a
 * `FollowerMessageKey`). A key left out falls back to the base language, then
 * to English.
 *
 * @example
 * ```ts
 * import { registerTranslation, type Translation } from '@onair/elements';
 *
 * const french: Translation = { play: 'Lire', pause: 'Pause', 'analytics.retry': 'Réessayer' };
 * registerTranslation('fr', french);
 * ```
 */
export type Translation = Partial<
  Messages & AnalyticsMessages & ClipMessages & ReplayMessages & ReminderMessages & FollowerMessages
>;

/** Registered strings by lower-cased language (`es`, `es-mx`). */
const translations = new Map<string, Translation>();

/** The connected OnAir elements (`OnAirElement` adds itself), rendered again when strings register. */
export const connectedElements = new Set<{ requestUpdate(): void }>();

/**
 * Registers strings for a language (a code as in `lang`: `fr`, `pt-BR`);
 * a later call for the same language adds to them and overrides the keys it
 * repeats. An element uses the strings of its closest `lang`, then of its
 * base language (`es` for `es-MX`), then English; elements already on the
 * page render again. English is built in, and Spanish for the entries
 * outside the main one (clip, replay, remind, followers); the main
 * elements' Spanish is `import '@onair/elements/translations/es'`.
 *
 * @example
 * ```ts
 * import { registerTranslation } from '@onair/elements';
 *
 * // <div lang="fr"><onair-player></onair-player></div>: "Lire", English for the rest.
 * registerTranslation('fr', { play: 'Lire', pause: 'Pause', live: 'EN DIRECT' });
 * ```
 */
export function registerTranslation(lang: string, messages: Translation): void {
  const key = lang.toLowerCase();
  translations.set(key, { ...translations.get(key), ...messages });
  for (const element of connectedElements) element.requestUpdate();
}

/** The language that applies to `element`: its closest `lang`, else English. */
export function languageOf(element: Element | null): string {
  return element?.closest('[lang]')?.getAttribute('lang') ?? 'en';
}

/**
 * A formatter for the element's language, made once per language: making
 * one costs far more than formatting with it, and a chat formats every row.
 * A `lang` that names no locale (`""`, `en_US`) gets English's.
 */
function perLanguage<F>(make: (lang: string) => F): (element: Element | null) => F {
  const made = new Map<string, F>();
  return (element) => {
    const lang = languageOf(element);
    let format = made.get(lang);
    if (!format) {
      try {
        format = make(lang);
      } catch {
        format = make('en');
      }
      made.set(lang, format);
    }
    return format;
  };
}

const dateTimeFormat = /* @__PURE__ */ perLanguage(
  (lang) =>
    new Intl.DateTimeFormat(lang, {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    }),
);

/** A date and time in the element's language, e.g. "Sat, Nov 22, 3:00 PM". */
export function formatDateTime(element: Element | null, iso: string): string {
  return dateTimeFormat(element).format(new Date(iso));
}

const relativeFormat = /* @__PURE__ */ perLanguage(
  (lang) => new Intl.RelativeTimeFormat(lang, { numeric: 'auto', style: 'short' }),
);

/**
 * How long ago `iso` was, in the element's language: "now" under a minute
 * (and for a clock a little ahead), then "4 min. ago", "2 hr. ago", "3 days ago".
 */
export function formatAgo(element: Element | null, iso: string, now = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  const [amount, unit]: [number, Intl.RelativeTimeFormatUnit] =
    seconds > -60
      ? [0, 'second']
      : seconds > -3600
        ? [seconds / 60, 'minute']
        : seconds > -86_400
          ? [seconds / 3600, 'hour']
          : [seconds / 86_400, 'day'];
  return relativeFormat(element).format(Math.trunc(amount), unit);
}

/**
 * Translates `key` for the language of `element` (its closest `lang`
 * attribute): the strings registered for that language, then for its base
 * language, then English. `{name}` in a string is replaced by `vars.name`.
 */
export function translate(
  element: Element | null,
  key: MessageKey,
  vars?: Record<string, string | number>,
): string {
  const english =
    mainEnglish[key] ??
    stageMessages[key as StageKey] ??
    notificationMessages[key as keyof typeof notificationMessages];
  return translateWith(element, key, english, vars);
}

type StageKey = keyof typeof stageMessages;

/** The main catalog in English: what the elements but the stage's show (`OnAirElement.english`). */
export const mainEnglish: Partial<Record<MessageKey, string>> = en;

/** {@link translate} for the keys of the main catalog: what the main elements' helpers use (the chat's rows). */
export function translateMain(
  element: Element | null,
  key: MessageKey,
  vars?: Record<string, string | number>,
): string {
  return translateWith(element, key, mainEnglish[key] as string, vars);
}

/**
 * {@link translate} for strings outside the main catalog
 * (`@onair/elements/analytics`, whose English stays out of the main bundle):
 * `key` as registered (`analytics.retry`), `english` where no registered
 * language has it.
 */
export function translateWith(
  element: Element | null,
  key: keyof Translation,
  english: string,
  vars: Record<string, string | number> = {},
): string {
  const lang = languageOf(element).toLowerCase();
  const text =
    translations.get(lang)?.[key] ??
    translations.get(lang.split('-')[0] as string)?.[key] ??
    english;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/**
 * A string of an element's own catalog, kept out of the main one (the clip
 * button's, the chat replay's, the remind button's, the followers list's):
 * `prefix.key` as registered for `element`'s language, else the built-in
 * Spanish for `es` and its variants, else English.
 */
export function translateOwn<K extends string>(
  element: Element,
  prefix: string,
  key: K,
  english: Readonly<Record<K, string>>,
  spanish: Readonly<Record<K, string>>,
  vars?: Record<string, string | number>,
): string {
  const es = languageOf(element).toLowerCase().split('-')[0] === 'es';
  return translateWith(
    element,
    `${prefix}.${key}` as keyof Translation,
    (es ? spanish : english)[key],
    vars,
  );
}
