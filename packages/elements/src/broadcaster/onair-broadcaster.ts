import { defineBroadcaster, OnAirBroadcasterElement } from './broadcaster.component.js';

defineBroadcaster();

export { OnAirBroadcasterElement };

declare global {
  interface HTMLElementTagNameMap {
    'onair-broadcaster': OnAirBroadcasterElement;
  }
}
