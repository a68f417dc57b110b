import { createComponent, type EventName, type ReactWebComponent } from '@lit/react';
import type { OnAirClient } from '@onair/core';
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
  type OnAirElement,
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
import * as React from 'react';
import { useProvidedClient } from './provider.js';

/**
 * An element event's name, typed with its event for `createComponent`.
 * Names are literals (checked against `OnAirEventMap`), not `OnAirEvents.X`:
 * bundlers keep a statement that reads another module's object, and so
 * would keep every wrapper, used or not.
 */
const event = /* @__NO_SIDE_EFFECTS__ */ <K extends keyof OnAirEventMap>(name: K) =>
  name as EventName<OnAirEventMap[K]>;

type EventNames = Record<string, EventName>;
interface WrapperProps {
  client?: OnAirClient | undefined;
  [prop: string]: unknown;
}

/**
 * A React wrapper of an OnAir element (`createComponent`) that registers the
 * element when it first renders, not when the module loads, so an app's
 * bundle keeps only the wrappers (and elements) it uses; registering is a
 * no-op outside browsers, so server rendering stays safe. The element's
 * `client` is the `client` prop, else the one of the nearest `OnAirProvider`.
 */
function wrap<I extends OnAirElement, E extends EventNames = Record<never, never>>(
  displayName: string,
  tagName: string,
  elementClass: new () => I,
  define: () => void,
  events?: E,
): ReactWebComponent<I, E> {
  // Typed loosely inside: the wrapper passes every prop through and adds `client`.
  const Element = createComponent({
    react: React,
    tagName,
    elementClass,
    displayName: `${displayName}Element`,
    ...(events ? { events } : {}),
  }) as unknown as React.ComponentType<WrapperProps & React.RefAttributes<HTMLElement>>;
  // biome-ignore lint/correctness/noComponentHookFactories: runs once per element at module level, like createComponent
  const Wrapper = React.forwardRef<HTMLElement, WrapperProps>((props, ref) => {
    define();
    const provided = useProvidedClient();
    // (PropsWithoutRef loses the prop's type on an index-signature interface.)
    const client = (props.client as OnAirClient | undefined) ?? provided;
    const elementProps: WrapperProps = client ? { ...props, client } : props;
    return React.createElement(Element, { ...elementProps, ref });
  });
  Wrapper.displayName = displayName;
  return Wrapper as unknown as ReactWebComponent<I, E>;
}

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
