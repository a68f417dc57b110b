/**
 * Element classes and `define*` functions without side effects: import from
 * here for SSR, React wrappers, or to register under your own timing. Each
 * element is a chunk of its own, so a bundle keeps only the classes it uses.
 * @packageDocumentation
 */
export {
  defineBroadcaster,
  OnAirBroadcasterElement,
} from './broadcaster/broadcaster.component.js';
export {
  type ChatStoreLike,
  defineChat,
  OnAirChatElement,
} from './chat/chat.component.js';
export {
  defineFollowButton,
  OnAirFollowButtonElement,
} from './follow-button/follow-button.component.js';
export { OnAirElementBase } from './internal/element-base.js';
export {
  type BroadcasterStatusDetail,
  type ChapterCreatedDetail,
  type ChatErrorDetail,
  type ChatSentDetail,
  type ClipCreatedDetail,
  type FollowChangeDetail,
  type NotificationOpenDetail,
  type OnAirEventMap,
  type OnAirEventName,
  OnAirEvents,
  type PlayerQualityDetail,
  type PlayerSkippedToLiveDetail,
  type PlayerStatusDetail,
  type PollVotedDetail,
  type QuestionAskedDetail,
  type ReactionSentDetail,
  type ReminderChangeDetail,
  type StreamCreatedDetail,
  type StreamSavedDetail,
  type StreamSelectDetail,
} from './internal/events.js';
export {
  formatDateTime,
  type MessageKey,
  type Messages,
  registerTranslation,
  type Translation,
  translate,
} from './internal/i18n.js';
export { OnAirElement } from './internal/onair-element.js';
export { type ExternalStore, StoreController } from './internal/store-controller.js';
export {
  defineNotifications,
  type NotificationStoreLike,
  OnAirNotificationsElement,
} from './notifications/notifications.component.js';
export {
  definePlayer,
  OnAirPlayerElement,
} from './player/player.component.js';
export {
  definePoll,
  OnAirPollElement,
  type PollStoreLike,
} from './poll/poll.component.js';
export {
  defineQna,
  OnAirQnaElement,
  type QuestionStoreLike,
} from './qna/qna.component.js';
export {
  defineQnaHighlight,
  OnAirQnaHighlightElement,
  type QuestionHighlightStoreLike,
} from './qna-highlight/qna-highlight.component.js';
export {
  DEFAULT_REACTIONS,
  defineReactions,
  OnAirReactionsElement,
  type ReactionStoreLike,
} from './reactions/reactions.component.js';
export {
  defineScheduler,
  OnAirSchedulerElement,
} from './scheduler/scheduler.component.js';
export {
  defineStage,
  OnAirStageElement,
  type ParticipantSource,
  type StageLayout,
  type StageSource,
} from './stage/stage.component.js';
export { defineStats, OnAirStatsElement } from './stats/stats.component.js';
export {
  defineStreamCard,
  OnAirStreamCardElement,
} from './stream-card/stream-card.component.js';
export { defineStreamList, OnAirStreamListElement } from './stream-list/stream-list.component.js';
export {
  defineStreamSettings,
  OnAirStreamSettingsElement,
  settingsPatch,
} from './stream-settings/stream-settings.component.js';
export {
  defineViewerCount,
  OnAirViewerCountElement,
  type PresenceStoreLike,
} from './viewer-count/viewer-count.component.js';
