/**
 * `@onair/elements/poll`: registers `<onair-poll>` (the stream's live poll) and no other (in
 * browsers only): a page loads the code of the elements it imports, not all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/poll'; // defines <onair-poll>
 * ```
 * @packageDocumentation
 */
import type { PollVotedDetail } from '../internal/events.js';
import { definePoll, OnAirPollElement, type PollStoreLike } from './poll.component.js';

definePoll();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { definePoll, OnAirPollElement, type PollStoreLike, type PollVotedDetail };
