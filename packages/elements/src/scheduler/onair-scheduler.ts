import { defineScheduler, OnAirSchedulerElement } from './scheduler.component.js';

defineScheduler();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { OnAirSchedulerElement };
