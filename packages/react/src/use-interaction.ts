import {
  type PollState,
  PollStore,
  type PresenceState,
  PresenceStore,
  type QuestionState,
  QuestionStore,
  type ReactionState,
  ReactionStore,
} from '@onair/core';
import type { ModerationResult, ViewerList } from '@onair/protocol';
import { useMemo } from 'react';
import { useOnAirClient } from './provider.js';
import { useStreamStore } from './use-external-store.js';
import { type ActionState, useAction } from './use-streams.js';

/** What {@link useStreamReactions} returns. */
export interface StreamReactions extends ReactionState {
  /** Sends a reaction (`x`: 0 left to 1 right of the video). */
  send: ReactionStore['send'];
  /** The store, to share with `<OnAirReactions store>`. */
  store: ReactionStore;
}

/**
 * Live reactions of a stream, aggregated per window by the server.
 *
 * @example
 * ```tsx
 * const { bursts, send } = useStreamReactions(streamId);
 * <button onClick={() => send('🎉')}>🎉</button>
 * ```
 */
export function useStreamReactions(streamId: string): StreamReactions {
  return useStreamStore(ReactionStore, streamId, (store) => ({
    send: (emoji: string, x?: number) => store.send(emoji, x),
  }));
}

/** What {@link useQuestions} returns. */
export interface StreamQuestions extends QuestionState {
  ask: QuestionStore['ask'];
  upvote: QuestionStore['upvote'];
  answer: QuestionStore['answer'];
  /** Puts a question on air (`answering`), or none with null. */
  setAnswering: QuestionStore['setAnswering'];
  hide: QuestionStore['hide'];
  setSort: QuestionStore['setSort'];
  /** The store, to share with `<OnAirQna store>`. */
  store: QuestionStore;
}

/**
 * A stream's Q&A, live.
 *
 * @example
 * ```tsx
 * const { questions, answering, ask, upvote } = useQuestions(streamId);
 * ```
 */
export function useQuestions(streamId: string): StreamQuestions {
  return useStreamStore(QuestionStore, streamId, (store) => ({
    ask: (text: string) => store.ask(text),
    upvote: (id: string) => store.upvote(id),
    answer: (id: string, answered?: boolean, text?: string) => store.answer(id, answered, text),
    setAnswering: (id: string | null) => store.setAnswering(id),
    hide: (id: string) => store.hide(id),
    setSort: (sort: QuestionState['sort']) => store.setSort(sort),
  }));
}

/** What {@link usePoll} returns. */
export interface StreamPoll extends PollState {
  vote: PollStore['vote'];
  create: PollStore['create'];
  close: PollStore['close'];
  /** The store, to share with `<OnAirPoll store>`. */
  store: PollStore;
}

/**
 * A stream's polls with live results; `current` is the newest.
 *
 * @example
 * ```tsx
 * const { current, myVotes, vote } = usePoll(streamId);
 * ```
 */
export function usePoll(streamId: string): StreamPoll {
  return useStreamStore(PollStore, streamId, (store) => ({
    vote: (pollId: string, option: number) => store.vote(pollId, option),
    create: (question: string, options: string[]) => store.create(question, options),
    close: (pollId: string) => store.close(pollId),
  }));
}

/** What {@link useViewerCount} returns. */
export interface StreamViewers extends PresenceState {
  /** Loads the signed-in viewers (owner and moderators). */
  loadViewers: () => Promise<ViewerList>;
  /** The store, to share with `<OnAirViewerCount store>`. */
  store: PresenceStore;
}

/**
 * Live viewer count and peak of a stream.
 *
 * @example
 * ```tsx
 * const { count, peak } = useViewerCount(streamId);
 * ```
 */
export function useViewerCount(streamId: string): StreamViewers {
  return useStreamStore(PresenceStore, streamId, (store) => ({
    loadViewers: () => store.loadViewers(),
  }));
}

/** What {@link useModeration} returns. */
export interface Moderation extends ActionState {
  /** Runs a chat command such as `/slow 30` or `/ban name`; resolves with its notice. */
  command: (command: string) => Promise<ModerationResult>;
  timeout: (userId: string, seconds: number) => Promise<void>;
  ban: (userId: string, reason?: string) => Promise<void>;
  unban: (userId: string) => Promise<void>;
  deleteMessage: (messageId: string) => Promise<void>;
  pin: (messageId: string | null) => Promise<void>;
}

/**
 * Moderation of a stream's chat for its owner and moderators. The server
 * checks every action; others get `FORBIDDEN`.
 *
 * @example
 * ```tsx
 * const { ban, pending, error } = useModeration(streamId);
 * ```
 */
export function useModeration(streamId: string): Moderation {
  const client = useOnAirClient();
  const [state, run] = useAction();
  return useMemo(() => {
    const { realtime } = client;
    const done = async (work: Promise<unknown>) => {
      await work;
    };
    return {
      ...state,
      command: (command: string) =>
        run(() => realtime.request('moderation:command', { streamId, command })),
      timeout: (userId: string, seconds: number) =>
        run(() => done(realtime.request('moderation:timeout', { streamId, userId, seconds }))),
      ban: (userId: string, reason?: string) =>
        run(() =>
          done(
            realtime.request('moderation:ban', { streamId, userId, ...(reason ? { reason } : {}) }),
          ),
        ),
      unban: (userId: string) =>
        run(() => done(realtime.request('moderation:unban', { streamId, userId }))),
      deleteMessage: (messageId: string) =>
        run(() => done(realtime.request('chat:delete', { streamId, messageId }))),
      pin: (messageId: string | null) =>
        run(() => done(realtime.request('chat:pin', { streamId, messageId }))),
    };
  }, [client, streamId, state, run]);
}
