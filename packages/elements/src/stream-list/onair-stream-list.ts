/**
 * `@onair/elements/stream-list`: registers `<onair-stream-list>` (a list of streams) and no other
 * (in browsers only): a page loads the code of the elements it imports, not all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/stream-list'; // defines <onair-stream-list>
 * ```
 * @packageDocumentation
 */
import type { StreamSelectDetail } from '../internal/events.js';
import { defineStreamList, OnAirStreamListElement } from './stream-list.component.js';

defineStreamList();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { defineStreamList, OnAirStreamListElement, type StreamSelectDetail };
