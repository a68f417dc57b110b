import type { EventName } from '@lit/react';
import {
  defineBroadcaster,
  defineChat,
  definePlayer,
  definePoll,
  defineQna,
  defineReactions,
  defineScheduler,
  defineStats,
  defineStreamCard,
  defineStreamList,
  defineStreamSettings,
  defineViewerCount,
  OnAirBroadcasterElement,
  OnAirChatElement,
  type OnAirEventMap,
  OnAirPlayerElement,
  OnAirPollElement,
  OnAirQnaElement,
  OnAirReactionsElement,
  OnAirSchedulerElement,
  OnAirStatsElement,
  OnAirStreamCardElement,
  OnAirStreamListElement,
  OnAirStreamSettingsElement,
  OnAirViewerCountElement,
} from '@onair/elements/components';
import { wrap } from './wrap.js';

/**
 * An element event's name, typed with its event for `createComponent`.
 * Names are literals (checked against `OnAirEventMap`), not `OnAirEvents.X`:
 * bundlers keep a statement that reads another module's object, and so
 * would keep every wrapper, used or not.
 */
const event = /* @__NO_SIDE_EFFECTS__ */ <K extends keyof OnAirEventMap>(name: K) =>
  name as EventName<OnAirEventMap[K]>;

/** React wrapper of `<onair-player>`. */
export const OnAirPlayer = /* @__PURE__ */ wrap(
  'OnAirPlayer',
  'onair-player',
  OnAirPlayerElement,
  definePlayer,
  {
    onStatusChange: event('onair-player-status'),
    onQualityChange: event('onair-player-quality'),
    onLatencyChange: event('onair-player-latency'),
    onSkippedToLive: event('onair-player-skipped-to-live'),
  },
);

/** React wrapper of `<onair-broadcaster>`. */
export const OnAirBroadcaster = /* @__PURE__ */ wrap(
  'OnAirBroadcaster',
  'onair-broadcaster',
  OnAirBroadcasterElement,
  defineBroadcaster,
  {
    onStatusChange: event('onair-broadcaster-status'),
  },
);

/** React wrapper of `<onair-chat>`. */
export const OnAirChat = /* @__PURE__ */ wrap(
  'OnAirChat',
  'onair-chat',
  OnAirChatElement,
  defineChat,
  {
    onSent: event('onair-chat-sent'),
    onError: event('onair-chat-error'),
  },
);

/** React wrapper of `<onair-stream-list>`. */
export const OnAirStreamList = /* @__PURE__ */ wrap(
  'OnAirStreamList',
  'onair-stream-list',
  OnAirStreamListElement,
  defineStreamList,
  { onSelect: event('onair-stream-select') },
);

/** React wrapper of `<onair-stream-card>`. */
export const OnAirStreamCard = /* @__PURE__ */ wrap(
  'OnAirStreamCard',
  'onair-stream-card',
  OnAirStreamCardElement,
  defineStreamCard,
  { onSelect: event('onair-stream-select') },
);

/** React wrapper of `<onair-scheduler>`. */
export const OnAirScheduler = /* @__PURE__ */ wrap(
  'OnAirScheduler',
  'onair-scheduler',
  OnAirSchedulerElement,
  defineScheduler,
  { onCreated: event('onair-stream-created') },
);

/** React wrapper of `<onair-stream-settings>`. */
export const OnAirStreamSettings = /* @__PURE__ */ wrap(
  'OnAirStreamSettings',
  'onair-stream-settings',
  OnAirStreamSettingsElement,
  defineStreamSettings,
  { onSaved: event('onair-stream-saved') },
);

/** React wrapper of `<onair-reactions>`. */
export const OnAirReactions = /* @__PURE__ */ wrap(
  'OnAirReactions',
  'onair-reactions',
  OnAirReactionsElement,
  defineReactions,
  {
    onSent: event('onair-reaction-sent'),
  },
);

/** React wrapper of `<onair-qna>`. */
export const OnAirQna = /* @__PURE__ */ wrap('OnAirQna', 'onair-qna', OnAirQnaElement, defineQna, {
  onAsked: event('onair-question-asked'),
});

/** React wrapper of `<onair-poll>`. */
export const OnAirPoll = /* @__PURE__ */ wrap(
  'OnAirPoll',
  'onair-poll',
  OnAirPollElement,
  definePoll,
  {
    onVoted: event('onair-poll-voted'),
  },
);

/** React wrapper of `<onair-viewer-count>`. */
export const OnAirViewerCount = /* @__PURE__ */ wrap(
  'OnAirViewerCount',
  'onair-viewer-count',
  OnAirViewerCountElement,
  defineViewerCount,
);

/** `<onair-stats>`: the live figures of a broadcaster or viewer (`publisher`, `player` or `for`). */
export const OnAirStats = /* @__PURE__ */ wrap(
  'OnAirStats',
  'onair-stats',
  OnAirStatsElement,
  defineStats,
);
