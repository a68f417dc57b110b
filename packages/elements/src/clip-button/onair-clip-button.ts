/**
 * `@onair/elements/clip-button`: registers `<onair-clip-button>` (clip the last seconds of a
 * live stream, then open or share the clip) and no other (in browsers only). Not in
 * `@onair/elements` nor the CDN build's `onair.js` (its `clip-button.js` is this entry): a page
 * without clips carries none of it.
 *
 * @example
 * ```ts
 * import '@onair/elements/clip-button'; // defines <onair-clip-button>
 *
 * const button = document.createElement('onair-clip-button');
 * button.client = client;
 * button.streamId = 'str_123';
 * button.duration = 20; // the last 20 s
 * button.addEventListener('onair-clip-created', (event) => console.log(event.detail.clip.title));
 * document.body.append(button);
 * ```
 * @packageDocumentation
 */
import type { ClipCreatedDetail } from '../internal/events.js';
import { defineClipButton, OnAirClipButtonElement } from './clip-button.component.js';
import type { ClipMessageKey, ClipMessages } from './clip-messages.js';

defineClipButton();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export {
  type ClipCreatedDetail,
  type ClipMessageKey,
  type ClipMessages,
  defineClipButton,
  OnAirClipButtonElement,
};
