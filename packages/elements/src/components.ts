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
export { type MessageKey, type Messages, SUPPORTED_LANGUAGES, translate } from './internal/i18n.js';
export { type ExternalStore, StoreController } from './internal/store-controller.js';
export {
  definePlayer,
  OnAirPlayerElement,
  type PlayerStatusDetail,
} from './player/player.component.js';
