/**
 * `@onair/elements/broadcaster`: registers `<onair-broadcaster>` (camera and microphone preview,
 * going live and the broadcaster's controls) and no other (in browsers only): a page loads the
 * code of the elements it imports, not all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/broadcaster'; // defines <onair-broadcaster>
 * ```
 * @packageDocumentation
 */
import type { BroadcasterStatusDetail } from '../internal/events.js';
import { defineBroadcaster, OnAirBroadcasterElement } from './broadcaster.component.js';

defineBroadcaster();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { type BroadcasterStatusDetail, defineBroadcaster, OnAirBroadcasterElement };
