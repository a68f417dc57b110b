import { defineBroadcaster, OnAirBroadcasterElement } from './broadcaster.component.js';

defineBroadcaster();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { OnAirBroadcasterElement };
