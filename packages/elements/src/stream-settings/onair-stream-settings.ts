/**
 * `@onair/elements/stream-settings`: registers `<onair-stream-settings>` (the form that edits a
 * stream) and no other (in browsers only): a page loads the code of the elements it imports, not
 * all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/stream-settings'; // defines <onair-stream-settings>
 * ```
 * @packageDocumentation
 */
import type { StreamSavedDetail } from '../internal/events.js';
import {
  defineStreamSettings,
  OnAirStreamSettingsElement,
  settingsPatch,
} from './stream-settings.component.js';

defineStreamSettings();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { defineStreamSettings, OnAirStreamSettingsElement, type StreamSavedDetail, settingsPatch };
