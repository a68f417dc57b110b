import { createComponent, type EventName } from '@lit/react';
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
  OnAirEvents,
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
import * as React from 'react';

/** An element event's name, typed with its event for `createComponent`. */
const event = <K extends keyof OnAirEventMap>(name: K) => name as EventName<OnAirEventMap[K]>;

// Registering is a no-op outside browsers, so importing the wrappers stays SSR-safe.
definePlayer();
defineBroadcaster();
defineChat();
defineStreamCard();
defineStreamList();
defineScheduler();
defineStreamSettings();
defineReactions();
defineQna();
definePoll();
defineViewerCount();
defineStats();

/** React wrapper of `<onair-player>`. */
export const OnAirPlayer = createComponent({
  react: React,
  tagName: 'onair-player',
  elementClass: OnAirPlayerElement,
  events: {
    onStatusChange: event(OnAirEvents.PLAYER_STATUS),
    onQualityChange: event(OnAirEvents.PLAYER_QUALITY),
    onLatencyChange: event(OnAirEvents.PLAYER_LATENCY),
  },
});

/** React wrapper of `<onair-broadcaster>`. */
export const OnAirBroadcaster = createComponent({
  react: React,
  tagName: 'onair-broadcaster',
  elementClass: OnAirBroadcasterElement,
  events: {
    onStatusChange: event(OnAirEvents.BROADCASTER_STATUS),
  },
});

/** React wrapper of `<onair-chat>`. */
export const OnAirChat = createComponent({
  react: React,
  tagName: 'onair-chat',
  elementClass: OnAirChatElement,
  events: {
    onSent: event(OnAirEvents.CHAT_SENT),
    onError: event(OnAirEvents.CHAT_ERROR),
  },
});

/** React wrapper of `<onair-stream-list>`. */
export const OnAirStreamList = createComponent({
  react: React,
  tagName: 'onair-stream-list',
  elementClass: OnAirStreamListElement,
  events: { onSelect: event(OnAirEvents.STREAM_SELECT) },
});

/** React wrapper of `<onair-stream-card>`. */
export const OnAirStreamCard = createComponent({
  react: React,
  tagName: 'onair-stream-card',
  elementClass: OnAirStreamCardElement,
  events: { onSelect: event(OnAirEvents.STREAM_SELECT) },
});

/** React wrapper of `<onair-scheduler>`. */
export const OnAirScheduler = createComponent({
  react: React,
  tagName: 'onair-scheduler',
  elementClass: OnAirSchedulerElement,
  events: { onCreated: event(OnAirEvents.STREAM_CREATED) },
});

/** React wrapper of `<onair-stream-settings>`. */
export const OnAirStreamSettings = createComponent({
  react: React,
  tagName: 'onair-stream-settings',
  elementClass: OnAirStreamSettingsElement,
  events: { onSaved: event(OnAirEvents.STREAM_SAVED) },
});

/** React wrapper of `<onair-reactions>`. */
export const OnAirReactions = createComponent({
  react: React,
  tagName: 'onair-reactions',
  elementClass: OnAirReactionsElement,
  events: {
    onSent: event(OnAirEvents.REACTION_SENT),
  },
});

/** React wrapper of `<onair-qna>`. */
export const OnAirQna = createComponent({
  react: React,
  tagName: 'onair-qna',
  elementClass: OnAirQnaElement,
  events: {
    onAsked: event(OnAirEvents.QUESTION_ASKED),
  },
});

/** React wrapper of `<onair-poll>`. */
export const OnAirPoll = createComponent({
  react: React,
  tagName: 'onair-poll',
  elementClass: OnAirPollElement,
  events: {
    onVoted: event(OnAirEvents.POLL_VOTED),
  },
});

/** React wrapper of `<onair-viewer-count>`. */
export const OnAirViewerCount = createComponent({
  react: React,
  tagName: 'onair-viewer-count',
  elementClass: OnAirViewerCountElement,
});

/** `<onair-stats>`: the live figures of a broadcaster or viewer (`publisher`, `player` or `for`). */
export const OnAirStats = createComponent({
  react: React,
  tagName: 'onair-stats',
  elementClass: OnAirStatsElement,
});
