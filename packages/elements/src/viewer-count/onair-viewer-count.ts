/**
 * `@onair/elements/viewer-count`: registers `<onair-viewer-count>` (the live viewer count) and no
 * other (in browsers only): a page loads the code of the elements it imports, not all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/viewer-count'; // defines <onair-viewer-count>
 * ```
 * @packageDocumentation
 */
import {
  defineViewerCount,
  OnAirViewerCountElement,
  type PresenceStoreLike,
} from './viewer-count.component.js';

defineViewerCount();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { defineViewerCount, OnAirViewerCountElement, type PresenceStoreLike };
