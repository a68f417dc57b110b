/**
 * Element classes and `define*` functions without side effects: import from
 * here for SSR, React wrappers, or to register under your own timing.
 * @packageDocumentation
 */
export {
  type BroadcasterStatusDetail,
  defineBroadcaster,
  OnAirBroadcasterElement,
} from './broadcaster/broadcaster.component.js';
export {
  type ChatErrorDetail,
  type ChatSentDetail,
  type ChatStoreLike,
  defineChat,
  OnAirChatElement,
} from './chat/chat.component.js';
export {
  formatDateTime,
  type MessageKey,
  type Messages,
  SUPPORTED_LANGUAGES,
  translate,
} from './internal/i18n.js';
export { type ExternalStore, StoreController } from './internal/store-controller.js';
export {
  definePlayer,
  OnAirPlayerElement,
  type PlayerQualityDetail,
  type PlayerStatusDetail,
} from './player/player.component.js';
export {
  definePoll,
  OnAirPollElement,
  type PollStoreLike,
  type PollVotedDetail,
} from './poll/poll.component.js';
export {
  defineQna,
  OnAirQnaElement,
  type QuestionAskedDetail,
  type QuestionStoreLike,
} from './qna/qna.component.js';
export {
  DEFAULT_REACTIONS,
  defineReactions,
  OnAirReactionsElement,
  type ReactionSentDetail,
  type ReactionStoreLike,
} from './reactions/reactions.component.js';
export {
  defineScheduler,
  OnAirSchedulerElement,
  type StreamCreatedDetail,
} from './scheduler/scheduler.component.js';
export { defineStats, OnAirStatsElement } from './stats/stats.component.js';
export {
  defineStreamCard,
  OnAirStreamCardElement,
  type StreamSelectDetail,
} from './stream-card/stream-card.component.js';
export { defineStreamList, OnAirStreamListElement } from './stream-list/stream-list.component.js';
export {
  defineStreamSettings,
  OnAirStreamSettingsElement,
  type StreamSavedDetail,
  settingsPatch,
} from './stream-settings/stream-settings.component.js';
export {
  defineViewerCount,
  OnAirViewerCountElement,
  type PresenceStoreLike,
} from './viewer-count/viewer-count.component.js';
