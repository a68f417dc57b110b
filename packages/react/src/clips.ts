/**
 * `@onair/react/clips`: a stream's clips in React — `useClips` (the list,
 * and making and deleting clips) — and the wrapper of `<onair-clip-button>`.
 * Not in `@onair/react`: an app without clips carries none of it.
 *
 * @example
 * ```tsx
 * import { OnAirClipButton, useClips } from '@onair/react/clips';
 *
 * function Clips({ streamId }: { streamId: string }) {
 *   const { items } = useClips(streamId);
 *   return (
 *     <>
 *       <OnAirClipButton streamId={streamId} duration={20} />
 *       <ul>{items.map((clip) => <li key={clip.id}>{clip.title}</li>)}</ul>
 *     </>
 *   );
 * }
 * ```
 * @packageDocumentation
 */
import type { EventName } from '@lit/react';
import { type ClipState, ClipStore } from '@onair/core/clips';
import { defineClipButton, OnAirClipButtonElement } from '@onair/elements/clip-button';
import type { OnAirEventMap } from '@onair/elements/components';
import type { Clip, CreateClipInput } from '@onair/protocol';
import { useMemo } from 'react';
import { useOnAirClient } from './provider.js';
import { useStore } from './use-external-store.js';
import { wrap } from './wrap.js';

/** What {@link useClips} returns. */
export interface UseClipsResult extends ClipState {
  /**
   * Cuts a clip (the last 30 s of a live stream without `startSeconds`) and
   * puts it first in `items`; rejects with the typed error `error` also holds.
   */
  create: (input?: CreateClipInput) => Promise<Clip>;
  /** Deletes a clip; it leaves `items` at once and comes back if the server refuses. */
  remove: (id: string) => Promise<void>;
  /** Loads the next older page. */
  more: () => Promise<void>;
  /** The store, to share with other components. */
  store: ClipStore;
}

/**
 * A stream's clips, newest first (the first page loads on mount), with the
 * clips made or deleted through it changing the list at once.
 */
export function useClips(streamId: string): UseClipsResult {
  const client = useOnAirClient();
  const store = useMemo(() => new ClipStore(client, streamId), [client, streamId]);
  const state = useStore(store);
  return useMemo(
    () => ({
      ...state,
      create: (input?: CreateClipInput) => store.create(input),
      remove: (id: string) => store.remove(id),
      more: () => store.more(),
      store,
    }),
    [state, store],
  );
}

/**
 * React wrapper of `<onair-clip-button>` (`streamId`, `duration` in seconds;
 * `onClipCreated` with the clip made).
 */
export const OnAirClipButton = /* @__PURE__ */ wrap(
  'OnAirClipButton',
  'onair-clip-button',
  OnAirClipButtonElement,
  defineClipButton,
  {
    onClipCreated: 'onair-clip-created' as EventName<OnAirEventMap['onair-clip-created']>,
  },
);
