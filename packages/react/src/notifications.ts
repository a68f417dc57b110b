/**
 * `@onair/react/notifications`: the signed-in user's notifications in React
 * — `useNotifications` (the inbox, live), `useReminder` ("remind me" on a
 * scheduled stream), `useNotifyLevel` (what a follower is told about a
 * channel), `useFollowers` (a channel's followers, for its staff), `usePush`
 * (Web Push on and off in this browser) — and the wrappers of `<onair-notifications>` (the bell),
 * `<onair-follow-button>` and `<onair-followers>` (`OnAirRemindButton`, the ready-made "Remind me",
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
import { OnAirError } from '@onair/core';
import {
  disablePush,
  enablePush,
  type NotificationState,
  NotificationStore,
} from '@onair/core/notifications';
import type { OnAirEventMap } from '@onair/elements/components';
import { defineFollowButton, OnAirFollowButtonElement } from '@onair/elements/follow-button';
import { defineFollowers, OnAirFollowersElement } from '@onair/elements/followers';
import { defineNotifications, OnAirNotificationsElement } from '@onair/elements/notifications';
import type { FollowerPage, NotifyLevel } from '@onair/protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
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

/** One follower of a channel: who, and since when. */
export type Follower = FollowerPage['items'][number];

/** Options of {@link useFollowers}. */
export interface UseFollowersOptions {
  /** Followers per page. Default 20. */
  pageSize?: number;
}

/** What {@link useFollowers} returns. */
export interface UseFollowersResult {
  /** Newest first: the pages loaded so far, each follower once. */
  followers: readonly Follower[];
  /** Older followers remain: call `loadMore()`. */
  hasMore: boolean;
  /** A page is loading (the first, a refresh or the next). */
  loading: boolean;
  /** Why the last load failed: `FORBIDDEN` for anyone but the owner, moderators and admins. */
  error: OnAirError | null;
  /** Loads the next older page, if any; resolves once it is in (or failed, in `error`). */
  loadMore: () => Promise<void>;
  /** Loads the first page again, replacing the list. */
  refresh: () => Promise<void>;
}

interface FollowersState extends Omit<UseFollowersResult, 'loadMore' | 'refresh'> {
  channelId: string;
}

const NO_FOLLOWERS: readonly Follower[] = [];

const firstLoad = (channelId: string): FollowersState => ({
  channelId,
  followers: NO_FOLLOWERS,
  hasMore: false,
  loading: true,
  error: null,
});

/**
 * A channel's followers, newest first, a page at a time: for its owner,
 * moderators and admins (anyone else gets `FORBIDDEN` in `error`). Another
 * `channelId` starts again from its first page; answers for the one before
 * are dropped.
 *
 * @example
 * ```tsx
 * const { followers, hasMore, loadMore, error } = useFollowers(channelId, { pageSize: 50 });
 * ```
 */
export function useFollowers(
  channelId: string,
  options: UseFollowersOptions = {},
): UseFollowersResult {
  const client = useOnAirClient();
  const { pageSize = 20 } = options;
  const [state, setState] = useState(() => firstLoad(channelId));
  // The load answers belong to: another channel, a refresh or unmounting moves it on.
  const run = useRef({ generation: 0, cursor: null as string | null, busy: false });

  const load = useCallback(
    async (more: boolean) => {
      const current = run.current;
      if (more && (current.busy || !current.cursor)) return;
      const generation = more ? current.generation : ++current.generation;
      current.busy = true;
      setState((s) =>
        s.channelId === channelId ? { ...s, loading: true, error: null } : firstLoad(channelId),
      );
      try {
        const page = await client.notifications.followers(
          channelId,
          pageSize,
          more ? (current.cursor ?? undefined) : undefined,
        );
        if (generation !== current.generation) return;
        current.cursor = page.nextCursor;
        setState((s) => {
          const byId = new Map<string, Follower>();
          for (const follower of more ? s.followers : []) byId.set(follower.user.id, follower);
          // Each follower once, whatever the pages hold (one who followed again between them).
          for (const follower of page.items) {
            if (!byId.has(follower.user.id)) byId.set(follower.user.id, follower);
          }
          return {
            channelId,
            followers: [...byId.values()],
            hasMore: page.nextCursor !== null,
            loading: false,
            error: null,
          };
        });
      } catch (error) {
        if (generation !== current.generation) return;
        setState((s) => ({ ...s, loading: false, error: OnAirError.from(error) }));
      } finally {
        if (generation === current.generation) current.busy = false;
      }
    },
    [client, channelId, pageSize],
  );

  useEffect(() => {
    const current = run.current;
    void load(false);
    return () => {
      current.generation++;
      current.cursor = null;
      current.busy = false;
    };
  }, [load]);

  // Until the new channel's first answer, not the previous channel's list.
  const shown = state.channelId === channelId ? state : firstLoad(channelId);
  return useMemo(
    () => ({
      followers: shown.followers,
      hasMore: shown.hasMore,
      loading: shown.loading,
      error: shown.error,
      loadMore: () => load(true),
      refresh: () => load(false),
    }),
    [shown.followers, shown.hasMore, shown.loading, shown.error, load],
  );
}

/** What {@link usePush} returns. */
export interface UsePushResult extends ActionState {
  /** This browser has Web Push (`PushManager` and `Notification`). */
  supported: boolean;
  /** Whether this browser is subscribed; null until known (and without a registration). */
  subscribed: boolean | null;
  /**
   * Turns Web Push on: call it from a click. Asks for permission when the
   * user has not answered yet. Never rejects: a refusal is
   * `PERMISSION_DENIED` in `error`, the server's errors keep their code
   * (`NOT_FOUND` when it does not push).
   */
  enable: () => Promise<void>;
  /** Turns Web Push off in this browser; never rejects (errors in `error`). */
  disable: () => Promise<void>;
}

const pushSupported = () =>
  typeof PushManager !== 'undefined' && typeof Notification !== 'undefined';

/** An error from the browser or the server as an {@link OnAirError}. */
function pushError(error: unknown): OnAirError {
  const refused = error instanceof DOMException && error.name === 'NotAllowedError';
  return OnAirError.from(error, refused ? 'PERMISSION_DENIED' : 'INTERNAL');
}

/**
 * Web Push of the signed-in user's notifications to this browser, on and
 * off: `enablePush` and `disablePush` of `@onair/core/notifications` with
 * the permission prompt, the state and typed errors. `registration` is your
 * service worker's (it shows each push; docs/notifications.md).
 *
 * @example
 * ```tsx
 * const { supported, subscribed, enable, disable, pending } = usePush(registration);
 * if (!supported) return null;
 * return (
 *   <button disabled={pending} onClick={() => (subscribed ? disable() : enable())}>
 *     {subscribed ? 'Stop notifying me' : 'Notify me in this browser'}
 *   </button>
 * );
 * ```
 */
export function usePush(registration: ServiceWorkerRegistration | undefined): UsePushResult {
  const client = useOnAirClient();
  const supported = pushSupported();
  const [known, setKnown] = useState<{
    registration: ServiceWorkerRegistration;
    subscribed: boolean;
  }>();
  const [state, run] = useAction();
  useEffect(() => {
    if (!registration?.pushManager) return;
    let live = true;
    registration.pushManager.getSubscription().then(
      (subscription) => live && setKnown({ registration, subscribed: subscription !== null }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [registration]);

  const attempt = useCallback(
    (action: () => Promise<void>) =>
      run(async () => {
        try {
          await action();
        } catch (error) {
          throw pushError(error);
        }
      }).catch(() => undefined),
    [run],
  );
  const enable = useCallback(
    () =>
      attempt(async () => {
        if (!registration || !pushSupported()) {
          throw new OnAirError(
            'NOT_SUPPORTED',
            'No Web Push here: no service worker or push manager',
          );
        }
        // Asked at once, still inside the click that called enable().
        const permission =
          Notification.permission === 'default'
            ? await Notification.requestPermission()
            : Notification.permission;
        if (permission !== 'granted') {
          throw new OnAirError('PERMISSION_DENIED', 'Notifications are blocked for this site');
        }
        await enablePush(client, registration);
        setKnown({ registration, subscribed: true });
      }),
    [attempt, client, registration],
  );
  const disable = useCallback(
    () =>
      attempt(async () => {
        if (!registration) return;
        await disablePush(client, registration);
        setKnown({ registration, subscribed: false });
      }),
    [attempt, client, registration],
  );
  // A registration's answer, never the one before's.
  const subscribed = known && known.registration === registration ? known.subscribed : null;
  return { ...state, supported, subscribed, enable, disable };
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

/**
 * React wrapper of `<onair-followers>` (`channelId`, `pageSize`): a
 * channel's followers, ready-made, for its owner and moderators
 * ({@link useFollowers} to draw them yourself).
 */
export const OnAirFollowers = /* @__PURE__ */ wrap(
  'OnAirFollowers',
  'onair-followers',
  OnAirFollowersElement,
  defineFollowers,
);
