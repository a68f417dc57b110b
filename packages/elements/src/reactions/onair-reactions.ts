/**
 * `@onair/elements/reactions`: registers `<onair-reactions>` (the reaction buttons and the
 * reactions floating over a stream) and no other (in browsers only): a page loads the code of the
 * elements it imports, not all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/reactions'; // defines <onair-reactions>
 * ```
 * @packageDocumentation
 */
import type { ReactionSentDetail } from '../internal/events.js';
import {
  DEFAULT_REACTIONS,
  defineReactions,
  OnAirReactionsElement,
  type ReactionStoreLike,
} from './reactions.component.js';

defineReactions();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export {
  DEFAULT_REACTIONS,
  defineReactions,
  OnAirReactionsElement,
  type ReactionSentDetail,
  type ReactionStoreLike,
};
