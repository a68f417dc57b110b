/**
 * `@onair/elements/player`: registers `<onair-player>` (the live player: HLS, real time or
 * WHEP) and no other (in browsers only): a page loads the code of the elements it imports, not
 * all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/player'; // defines <onair-player>
 * ```
 * @packageDocumentation
 */
import type { PlayerQualityDetail, PlayerStatusDetail } from '../internal/events.js';
import { definePlayer, OnAirPlayerElement } from './player.component.js';

definePlayer();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { definePlayer, OnAirPlayerElement, type PlayerQualityDetail, type PlayerStatusDetail };
