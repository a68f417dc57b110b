/**
 * `@onair/elements/stream-card`: registers `<onair-stream-card>` (one stream's card) and no other
 * (in browsers only): a page loads the code of the elements it imports, not all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/stream-card'; // defines <onair-stream-card>
 * ```
 * @packageDocumentation
 */
import type { StreamSelectDetail } from '../internal/events.js';
import { defineStreamCard, OnAirStreamCardElement } from './stream-card.component.js';

defineStreamCard();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { defineStreamCard, OnAirStreamCardElement, type StreamSelectDetail };
