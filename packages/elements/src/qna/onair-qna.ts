/**
 * `@onair/elements/qna`: registers `<onair-qna>` (the questions viewers ask and upvote) and no
 * other (in browsers only): a page loads the code of the elements it imports, not all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/qna'; // defines <onair-qna>
 * ```
 * @packageDocumentation
 */
import type { QuestionAskedDetail } from '../internal/events.js';
import { defineQna, OnAirQnaElement, type QuestionStoreLike } from './qna.component.js';

defineQna();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { defineQna, OnAirQnaElement, type QuestionAskedDetail, type QuestionStoreLike };
