/**
 * `@onair/react/notifications`: the signed-in user's notifications in React
 * — `useNotifications` (the inbox, live), `useReminder` ("remind me" on a
 * scheduled stream), `useNotifyLevel` (what a follower is told about a
 * channel) — and the wrappers of `<onair-notifications>` (the bell) and
 * `<onair-follow-button>` (`OnAirRemindButton`, the ready-made "Remind me",
 * is `@onair/react/remind-button`). Not in `@onair/react`: an app without
 * notifications carries none of it.
 *
 * @example
 * ```tsx
 * import { useReminder } from '@onair/react/notifications';
 *
 * function RemindMe({ streamId }: { streamId: string }) {
 *   const { reminded, setReminded } = useReminder(streamId);
 *   return <button onClick={() => setReminded(!reminded)}>{reminded ? 'Reminder set' : 'Remind me'}</button>;
 * }
 * ```
 * @packageDocumentation
 */
import type { EventName } from '@lit/react';
import { type NotificationState, NotificationStore } from '@onair/core/notifications';
import type { OnAirEventMap } from '@onair/elements/components';
import { defineFollowButton, OnAirFollowButtonElement } from '@onair/elements/follow-button';
import { defineNotifications, OnAirNotificationsElement } from '@onair/elements/notifications';
import type { NotifyLevel } from '@onair/protocol';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useOnAirClient } from './provider.js';
import { useStore } from './use-external-store.js';
import { type ActionState, useAction } from './use-streams.js';
import { wrap } from './wrap.js';

/** What {@link useNotifications} returns. */
export interface UseNotificationsResult extends NotificationState {
  /** Marks some notifications read, or all of them without `ids`. */
  markRead: NotificationStore['markRead'];
  /** Loads the next older page. */
  more: NotificationStore['more'];
  /** The store, to share with `<OnAirNotifications store>`. */
  store: NotificationStore;
}

/** The signed-in user's notifications, newest first, kept current live. */
export function useNotifications(): UseNotificationsResult {
  const client = useOnAirClient();
  const store = useMemo(() => new NotificationStore(client), [client]);
  const state = useStore(store);
  return useMemo(
    () => ({
      ...state,
      markRead: (ids?: readonly string[]) => store.markRead(ids),
      more: () => store.more(),
      store,
    }),
    [state, store],
  );
}

/** What {@link useReminder} returns. */
export interface UseReminderResult extends ActionState {
  /** Null until known. */
  reminded: boolean | null;
  setReminded: (reminded: boolean) => Promise<void>;
}

/** Whether the signed-in user is reminded of a scheduled stream, and the switch. */
export function useReminder(streamId: string): UseReminderResult {
  const client = useOnAirClient();
  const [reminded, setState] = useState<boolean | null>(null);
  const [state, run] = useAction();
  useEffect(() => {
    let live = true;
    setState(null);
    client.notifications.reminder(streamId).then(
      (value) => live && setState(value),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, streamId]);
  const setReminded = useCallback(
    (value: boolean) =>
      run(async () => {
        setState((await client.notifications.setReminder(streamId, value)).reminded);
      }),
    [client, streamId, run],
  );
  return { ...state, reminded, setReminded };
}

/** What {@link useNotifyLevel} returns. */
export interface UseNotifyLevelResult extends ActionState {
  /** Null until known; `none` unless the user follows the channel. */
  level: NotifyLevel | null;
  setLevel: (level: NotifyLevel) => Promise<void>;
}

/** What the signed-in follower is told about a channel, and the picker's setter. */
export function useNotifyLevel(channelId: string): UseNotifyLevelResult {
  const client = useOnAirClient();
  const [level, setState] = useState<NotifyLevel | null>(null);
  const [state, run] = useAction();
  useEffect(() => {
    let live = true;
    setState(null);
    client.notifications.level(channelId).then(
      (value) => live && setState(value),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, channelId]);
  const setLevel = useCallback(
    (value: NotifyLevel) =>
      run(async () => {
        setState((await client.notifications.setLevel(channelId, value)).level);
      }),
    [client, channelId, run],
  );
  return { ...state, level, setLevel };
}

/** React wrapper of `<onair-notifications>`: the bell (`onNotificationOpen` when one is chosen). */
export const OnAirNotifications = /* @__PURE__ */ wrap(
  'OnAirNotifications',
  'onair-notifications',
  OnAirNotificationsElement,
  defineNotifications,
  {
    onNotificationOpen: 'onair-notification-open' as EventName<
      OnAirEventMap['onair-notification-open']
    >,
  },
);

/** React wrapper of `<onair-follow-button>` (`channelId`; `onFollowChange`). */
export const OnAirFollowButton = /* @__PURE__ */ wrap(
  'OnAirFollowButton',
  'onair-follow-button',
  OnAirFollowButtonElement,
  defineFollowButton,
  {
    onFollowChange: 'onair-follow-change' as EventName<OnAirEventMap['onair-follow-change']>,
  },
);
