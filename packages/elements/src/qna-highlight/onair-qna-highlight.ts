/**
 * `@onair/elements/qna-highlight`: registers `<onair-qna-highlight>` (the question a stream is
 * answering now, for the player's overlay slot) and no other (in browsers only): a page loads
 * the code of the elements it imports, not all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/qna-highlight'; // defines <onair-qna-highlight>
 * ```
 * @packageDocumentation
 */
import {
  defineQnaHighlight,
  OnAirQnaHighlightElement,
  type QuestionHighlightStoreLike,
} from './qna-highlight.component.js';

defineQnaHighlight();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { defineQnaHighlight, OnAirQnaHighlightElement, type QuestionHighlightStoreLike };
