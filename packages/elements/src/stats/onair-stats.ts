/**
 * `@onair/elements/stats`: registers `<onair-stats>` (the live figures of a broadcaster or viewer)
 * and no other (in browsers only): a page loads the code of the elements it imports, not all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/stats'; // defines <onair-stats>
 * ```
 * @packageDocumentation
 */
import { defineStats, OnAirStatsElement } from './stats.component.js';

defineStats();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { defineStats, OnAirStatsElement };
