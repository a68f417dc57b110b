/**
 * `@onair/react/replay`: a recording played back with its stream's chat in
 * React — `useReplay` (the messages, questions, reactions and chapters as of
 * the playback position of your `<video>`) — and the wrappers of
 * `<onair-chat-replay>` and `<onair-chapter-button>`. Not in `@onair/react`:
 * an app without replays carries none of it.
 *
 * @example
 * ```tsx
 * import { useReplay } from '@onair/react/replay';
 * import { useState } from 'react';
 *
 * function Replay({ streamId, src }: { streamId: string; src: string }) {
 *   const [video, setVideo] = useState<HTMLVideoElement | null>(null);
 *   const { messages, chapters, chapter, seek } = useReplay(streamId, video);
 *   return (
 *     <>
 *       <video ref={setVideo} src={src} controls />
 *       {chapters.map((c) => (
 *         <button key={c.id} aria-current={c.id === chapter?.id} onClick={() => seek(c.offsetSeconds ?? 0)}>
 *           {c.title}
 *         </button>
 *       ))}
 *       <ol>{messages.map((m) => <li key={m.id}>{m.author.displayName}: {m.text}</li>)}</ol>
 *     </>
 *   );
 * }
 * ```
 * @packageDocumentation
 */
import type { EventName } from '@lit/react';
import { type ReplayState, ReplayStore } from '@onair/core/replay';
import {
  defineChapterButton,
  defineChatReplay,
  OnAirChapterButtonElement,
  OnAirChatReplayElement,
} from '@onair/elements/chat-replay';
import type { OnAirEventMap } from '@onair/elements/components';
import { useEffect, useMemo } from 'react';
import { useOnAirClient } from './provider.js';
import { useStore } from './use-external-store.js';
import { wrap } from './wrap.js';

/** What {@link useReplay} returns. */
export interface UseReplayResult extends ReplayState {
  /**
   * Moves playback to `time` seconds of the recording: the media's
   * `currentTime` (the store follows it), or the store alone without media.
   */
  seek: (time: number) => void;
  /** The store, to share with `<OnAirChatReplay store>`. */
  store: ReplayStore;
}

/**
 * A recording's chat, questions (answered once playback reaches the
 * answer), the minute's reactions and the chapters, as of the playback
 * position of `media` (null until your `<video>` is mounted). The snapshot
 * changes when what shows changes; its `time` is the position of that change.
 */
export function useReplay(streamId: string, media: HTMLMediaElement | null): UseReplayResult {
  const client = useOnAirClient();
  const store = useMemo(() => new ReplayStore(client, streamId), [client, streamId]);
  const state = useStore(store);
  useEffect(() => (media ? store.attach(media) : undefined), [store, media]);
  return useMemo(
    () => ({
      ...state,
      seek: (time: number) => {
        if (media) media.currentTime = time;
        store.seek(time);
      },
      store,
    }),
    [state, store, media],
  );
}

/**
 * React wrapper of `<onair-chat-replay>` (`streamId`, and `for` or `media`:
 * the player or `<video>` playing the recording; or a `store` from `useReplay`).
 */
export const OnAirChatReplay = /* @__PURE__ */ wrap(
  'OnAirChatReplay',
  'onair-chat-replay',
  OnAirChatReplayElement,
  defineChatReplay,
);

/** React wrapper of `<onair-chapter-button>` (`streamId`; `onChapterCreated` with the chapter set). */
export const OnAirChapterButton = /* @__PURE__ */ wrap(
  'OnAirChapterButton',
  'onair-chapter-button',
  OnAirChapterButtonElement,
  defineChapterButton,
  {
    onChapterCreated: 'onair-chapter-created' as EventName<OnAirEventMap['onair-chapter-created']>,
  },
);
