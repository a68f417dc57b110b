/**
 * `@onair/elements/notifications`: registers `<onair-notifications>` (the signed-in user's
 * notification bell) and no other (in browsers only): a page loads the code of the elements it
 * imports, not all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/notifications'; // defines <onair-notifications>
 * ```
 * @packageDocumentation
 */
import type { NotificationOpenDetail } from '../internal/events.js';
import {
  defineNotifications,
  type NotificationStoreLike,
  OnAirNotificationsElement,
} from './notifications.component.js';

defineNotifications();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export {
  defineNotifications,
  type NotificationOpenDetail,
  type NotificationStoreLike,
  OnAirNotificationsElement,
};
