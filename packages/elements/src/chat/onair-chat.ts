/**
 * `@onair/elements/chat`: registers `<onair-chat>` (the live chat of a stream) and no other (in
 * browsers only): a page loads the code of the elements it imports, not all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/chat'; // defines <onair-chat>
 * ```
 * @packageDocumentation
 */
import type { ChatErrorDetail, ChatSentDetail } from '../internal/events.js';
import { type ChatStoreLike, defineChat, OnAirChatElement } from './chat.component.js';

defineChat();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export {
  type ChatErrorDetail,
  type ChatSentDetail,
  type ChatStoreLike,
  defineChat,
  OnAirChatElement,
};
