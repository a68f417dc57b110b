import type { OnAirError, PlayerState, PublisherState } from '@onair/core';
import type {
  Chapter,
  ChatMessage,
  Clip,
  CreatedStream,
  Notification,
  Poll,
  Question,
  Stream,
} from '@onair/protocol';

/** Detail of `onair-player-status`. */
export interface PlayerStatusDetail {
  status: PlayerState['status'];
  error: OnAirError | null;
}

/** Detail of `onair-player-quality`: the quality playing and whether it was chosen automatically. */
export interface PlayerQualityDetail {
  level: number;
  height: number | null;
  auto: boolean;
}

/** Detail of `onair-player-skipped-to-live`. */
export interface PlayerSkippedToLiveDetail {
  /** Seconds of the stream skipped. */
  seconds: number;
}

/** Detail of `onair-broadcaster-status`. */
export interface BroadcasterStatusDetail {
  status: PublisherState['status'];
  error: OnAirError | null;
}

/** Detail of `onair-chat-sent`. */
export interface ChatSentDetail {
  message: ChatMessage;
}

/** Detail of `onair-chat-error`. */
export interface ChatErrorDetail {
  error: OnAirError;
}

/** Detail of `onair-poll-voted`. */
export interface PollVotedDetail {
  poll: Poll;
  option: number;
}

/** Detail of `onair-question-asked`. */
export interface QuestionAskedDetail {
  question: Question;
}

/** Detail of `onair-reaction-sent`. */
export interface ReactionSentDetail {
  emoji: string;
}

/** Detail of `onair-stream-created`. */
export type StreamCreatedDetail = CreatedStream;

/** Detail of `onair-stream-saved`. */
export interface StreamSavedDetail {
  stream: Stream;
}

/** Detail of `onair-notification-open`. */
export interface NotificationOpenDetail {
  notification: Notification;
}

/** Detail of `onair-follow-change`. */
export interface FollowChangeDetail {
  channelId: string;
  following: boolean;
}

/** Detail of `onair-reminder-change`: the stream and whether the caller is now reminded of it. */
export interface ReminderChangeDetail {
  streamId: string;
  reminded: boolean;
}

/** Detail of `onair-clip-created`. */
export interface ClipCreatedDetail {
  clip: Clip;
}

/** Detail of `onair-chapter-created`. */
export interface ChapterCreatedDetail {
  chapter: Chapter;
}

/** Detail of `onair-stream-select`. */
export interface StreamSelectDetail {
  stream: Stream;
}

/**
 * The names of the elements' DOM events. Every one bubbles and is composed
 * (it crosses shadow roots), so a listener on `document` hears them all.
 * (`onair-clip-created`, `onair-chapter-created` and `onair-reminder-change`,
 * of the separately imported clip, chapter and remind buttons, are named in
 * {@link OnAirEventMap} only.) The elements emit by name, not through this
 * object: a bundle carries it only when the app reads it.
 *
 * @example
 * ```ts
 * import { OnAirEvents } from '@onair/elements';
 * player.addEventListener(OnAirEvents.PLAYER_STATUS, (e) => console.log(e.detail.status));
 * ```
 */
export const OnAirEvents = {
  PLAYER_STATUS: 'onair-player-status',
  PLAYER_QUALITY: 'onair-player-quality',
  /** The latency to the live edge changed (HLS, about once a second). Detail: seconds. */
  PLAYER_LATENCY: 'onair-player-latency',
  /** Playback resumed after a stall too far behind the live edge and skipped ahead to it. */
  PLAYER_SKIPPED_TO_LIVE: 'onair-player-skipped-to-live',
  BROADCASTER_STATUS: 'onair-broadcaster-status',
  CHAT_SENT: 'onair-chat-sent',
  CHAT_ERROR: 'onair-chat-error',
  POLL_VOTED: 'onair-poll-voted',
  QUESTION_ASKED: 'onair-question-asked',
  REACTION_SENT: 'onair-reaction-sent',
  STREAM_CREATED: 'onair-stream-created',
  STREAM_SAVED: 'onair-stream-saved',
  STREAM_SELECT: 'onair-stream-select',
  NOTIFICATION_OPEN: 'onair-notification-open',
  FOLLOW_CHANGE: 'onair-follow-change',
} as const;

/** The event of each name in {@link OnAirEvents}, as `addEventListener` sees it. */
export interface OnAirEventMap {
  [OnAirEvents.PLAYER_STATUS]: CustomEvent<PlayerStatusDetail>;
  [OnAirEvents.PLAYER_QUALITY]: CustomEvent<PlayerQualityDetail>;
  [OnAirEvents.PLAYER_LATENCY]: CustomEvent<number>;
  [OnAirEvents.PLAYER_SKIPPED_TO_LIVE]: CustomEvent<PlayerSkippedToLiveDetail>;
  [OnAirEvents.BROADCASTER_STATUS]: CustomEvent<BroadcasterStatusDetail>;
  [OnAirEvents.CHAT_SENT]: CustomEvent<ChatSentDetail>;
  [OnAirEvents.CHAT_ERROR]: CustomEvent<ChatErrorDetail>;
  [OnAirEvents.POLL_VOTED]: CustomEvent<PollVotedDetail>;
  [OnAirEvents.QUESTION_ASKED]: CustomEvent<QuestionAskedDetail>;
  [OnAirEvents.REACTION_SENT]: CustomEvent<ReactionSentDetail>;
  [OnAirEvents.STREAM_CREATED]: CustomEvent<StreamCreatedDetail>;
  [OnAirEvents.STREAM_SAVED]: CustomEvent<StreamSavedDetail>;
  [OnAirEvents.STREAM_SELECT]: CustomEvent<StreamSelectDetail>;
  [OnAirEvents.NOTIFICATION_OPEN]: CustomEvent<NotificationOpenDetail>;
  [OnAirEvents.FOLLOW_CHANGE]: CustomEvent<FollowChangeDetail>;
  /**
   * `<onair-clip-button>` made a clip. Named here only, not in {@link OnAirEvents}: the
   * button has an entry of its own (`@onair/elements/clip-button`) and the main entries
   * carry no byte of it.
   */
  'onair-clip-created': CustomEvent<ClipCreatedDetail>;
  /**
   * `<onair-chapter-button>` set a chapter marker. Named here only, like
   * `onair-clip-created`: the button's entry is `@onair/elements/chat-replay`.
   */
  'onair-chapter-created': CustomEvent<ChapterCreatedDetail>;
  /**
   * `<onair-remind-button>` set or cleared the caller's reminder of a stream. Named here
   * only, like `onair-clip-created`: the button's entry is `@onair/elements/remind-button`.
   */
  'onair-reminder-change': CustomEvent<ReminderChangeDetail>;
}

/** The name of an OnAir element event. */
export type OnAirEventName = keyof OnAirEventMap;

declare global {
  interface GlobalEventHandlersEventMap extends OnAirEventMap {}
}
