/**
 * `@onair/elements/scheduler`: registers `<onair-scheduler>` (the form that schedules a stream)
 * and no other (in browsers only): a page loads the code of the elements it imports, not all of them.
 *
 * @example
 * ```ts
 * import '@onair/elements/scheduler'; // defines <onair-scheduler>
 * ```
 * @packageDocumentation
 */
import type { StreamCreatedDetail } from '../internal/events.js';
import { defineScheduler, OnAirSchedulerElement } from './scheduler.component.js';

defineScheduler();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { defineScheduler, OnAirSchedulerElement, type StreamCreatedDetail };
