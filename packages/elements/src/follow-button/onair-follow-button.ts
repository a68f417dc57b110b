/**
 * `@onair/elements/follow-button`: registers `<onair-follow-button>` (follow a channel and choose
 * what to be told about it) and no other (in browsers only): a page loads the code of the
 * elements it imports, not all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/follow-button'; // defines <onair-follow-button>
 * ```
 * @packageDocumentation
 */
import type { FollowChangeDetail } from '../internal/events.js';
import { defineFollowButton, OnAirFollowButtonElement } from './follow-button.component.js';

defineFollowButton();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { defineFollowButton, type FollowChangeDetail, OnAirFollowButtonElement };
