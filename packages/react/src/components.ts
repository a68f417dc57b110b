import { createComponent, type EventName } from '@lit/react';
import type {
  BroadcasterStatusDetail,
  ChatErrorDetail,
  ChatSentDetail,
  PlayerQualityDetail,
  PlayerStatusDetail,
  PollVotedDetail,
  QuestionAskedDetail,
  ReactionSentDetail,
  StreamCreatedDetail,
  StreamSavedDetail,
  StreamSelectDetail,
} from '@onair/elements/components';
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
    onStatusChange: 'onair-player-status' as EventName<CustomEvent<PlayerStatusDetail>>,
    onQualityChange: 'onair-player-quality' as EventName<CustomEvent<PlayerQualityDetail>>,
    onLatencyChange: 'onair-player-latency' as EventName<CustomEvent<number>>,
  },
});

/** React wrapper of `<onair-broadcaster>`. */
export const OnAirBroadcaster = createComponent({
  react: React,
  tagName: 'onair-broadcaster',
  elementClass: OnAirBroadcasterElement,
  events: {
    onStatusChange: 'onair-broadcaster-status' as EventName<CustomEvent<BroadcasterStatusDetail>>,
  },
});

/** React wrapper of `<onair-chat>`. */
export const OnAirChat = createComponent({
  react: React,
  tagName: 'onair-chat',
  elementClass: OnAirChatElement,
  events: {
    onSent: 'onair-chat-sent' as EventName<CustomEvent<ChatSentDetail>>,
    onError: 'onair-chat-error' as EventName<CustomEvent<ChatErrorDetail>>,
  },
});

/** React wrapper of `<onair-stream-list>`. */
export const OnAirStreamList = createComponent({
  react: React,
  tagName: 'onair-stream-list',
  elementClass: OnAirStreamListElement,
  events: { onSelect: 'onair-stream-select' as EventName<CustomEvent<StreamSelectDetail>> },
});

/** React wrapper of `<onair-stream-card>`. */
export const OnAirStreamCard = createComponent({
  react: React,
  tagName: 'onair-stream-card',
  elementClass: OnAirStreamCardElement,
  events: { onSelect: 'onair-stream-select' as EventName<CustomEvent<StreamSelectDetail>> },
});

/** React wrapper of `<onair-scheduler>`. */
export const OnAirScheduler = createComponent({
  react: React,
  tagName: 'onair-scheduler',
  elementClass: OnAirSchedulerElement,
  events: { onCreated: 'onair-stream-created' as EventName<CustomEvent<StreamCreatedDetail>> },
});

/** React wrapper of `<onair-stream-settings>`. */
export const OnAirStreamSettings = createComponent({
  react: React,
  tagName: 'onair-stream-settings',
  elementClass: OnAirStreamSettingsElement,
  events: { onSaved: 'onair-stream-saved' as EventName<CustomEvent<StreamSavedDetail>> },
});

/** React wrapper of `<onair-reactions>`. */
export const OnAirReactions = createComponent({
  react: React,
  tagName: 'onair-reactions',
  elementClass: OnAirReactionsElement,
  events: {
    onSent: 'onair-reaction-sent' as EventName<CustomEvent<ReactionSentDetail>>,
  },
});

/** React wrapper of `<onair-qna>`. */
export const OnAirQna = createComponent({
  react: React,
  tagName: 'onair-qna',
  elementClass: OnAirQnaElement,
  events: {
    onAsked: 'onair-question-asked' as EventName<CustomEvent<QuestionAskedDetail>>,
  },
});

/** React wrapper of `<onair-poll>`. */
export const OnAirPoll = createComponent({
  react: React,
  tagName: 'onair-poll',
  elementClass: OnAirPollElement,
  events: {
    onVoted: 'onair-poll-voted' as EventName<CustomEvent<PollVotedDetail>>,
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
