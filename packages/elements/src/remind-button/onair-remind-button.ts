/**
 * `@onair/elements/remind-button`: registers `<onair-remind-button>` ("Remind me" on a
 * scheduled stream) and no other (in browsers only). Not in `@onair/elements` nor the CDN
 * build's `onair.js` (its `remind-button.js` is this entry): a page without reminders carries
 * none of it.
 *
 * @example
 * ```ts
 * import '@onair/elements/remind-button'; // defines <onair-remind-button>
 *
 * const button = document.createElement('onair-remind-button');
 * button.client = client; // signed in
 * button.stream = stream; // or button.streamId = 'str_123'
 * button.addEventListener('onair-reminder-change', (event) => console.log(event.detail.reminded));
 * document.body.append(button);
 * ```
 * @packageDocumentation
 */
import type { ReminderChangeDetail } from '../internal/events.js';
import type {
  ReminderMessageKey,
  ReminderMessages,
} from '../notifications/notification-messages.js';
import { defineRemindButton, OnAirRemindButtonElement } from './remind-button.component.js';

defineRemindButton();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export {
  defineRemindButton,
  OnAirRemindButtonElement,
  type ReminderChangeDetail,
  type ReminderMessageKey,
  type ReminderMessages,
};
