import { definePlayer, OnAirPlayerElement } from './player.component.js';

definePlayer();

export { OnAirPlayerElement };

declare global {
  interface HTMLElementTagNameMap {
    'onair-player': OnAirPlayerElement;
  }
}
