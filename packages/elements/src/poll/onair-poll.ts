import { definePoll, OnAirPollElement } from './poll.component.js';

definePoll();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { OnAirPollElement };
