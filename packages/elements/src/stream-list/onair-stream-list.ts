import { defineStreamList, OnAirStreamListElement } from './stream-list.component.js';

defineStreamList();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { OnAirStreamListElement };
