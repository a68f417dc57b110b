/**
 * `@onair/elements/chat-replay`: registers `<onair-chat-replay>` (a recording's chat, questions,
 * reactions and chapters, played back with it) and `<onair-chapter-button>` ("Add chapter" for a
 * live stream's staff), and no other (in browsers only). Not in `@onair/elements` nor the CDN
 * build's `onair.js` (its `chat-replay.js` is this entry): a page without replays carries none
 * of it.
 *
 * @example
 * ```ts
 * import '@onair/elements/chat-replay'; // defines <onair-chat-replay> and <onair-chapter-button>
 *
 * // <onair-player id="vod" stream-id="str_123"></onair-player>
 * const replay = document.createElement('onair-chat-replay');
 * replay.client = client;
 * replay.streamId = 'str_123';
 * replay.for = 'vod'; // follows that player's video
 * document.body.append(replay);
 * ```
 * @packageDocumentation
 */
import type { ChapterCreatedDetail } from '../internal/events.js';
import { defineChapterButton, OnAirChapterButtonElement } from './chapter-button.component.js';
import {
  defineChatReplay,
  OnAirChatReplayElement,
  type ReplayStoreLike,
} from './chat-replay.component.js';
import type { ReplayMessageKey, ReplayMessages } from './replay-messages.js';

defineChatReplay();
defineChapterButton();

// The tag names are typed in HTMLElementTagNameMap by the component modules.
export {
  type ChapterCreatedDetail,
  defineChapterButton,
  defineChatReplay,
  OnAirChapterButtonElement,
  OnAirChatReplayElement,
  type ReplayMessageKey,
  type ReplayMessages,
  type ReplayStoreLike,
};
