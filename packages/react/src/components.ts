import { createComponent, type EventName } from '@lit/react';
import type {
  BroadcasterStatusDetail,
  ChatErrorDetail,
  ChatSentDetail,
  PlayerStatusDetail,
} from '@onair/elements/components';
import {
  defineBroadcaster,
  defineChat,
  definePlayer,
  OnAirBroadcasterElement,
  OnAirChatElement,
  OnAirPlayerElement,
} from '@onair/elements/components';
import * as React from 'react';

// Registering is a no-op outside browsers, so importing the wrappers stays SSR-safe.
definePlayer();
defineBroadcaster();
defineChat();

/** React wrapper of `<onair-player>`. */
export const OnAirPlayer = createComponent({
  react: React,
  tagName: 'onair-player',
  elementClass: OnAirPlayerElement,
  events: {
    onStatusChange: 'onair-player-status' as EventName<CustomEvent<PlayerStatusDetail>>,
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
