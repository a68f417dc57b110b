import { definePlayer, OnAirPlayerElement } from './player.component.js';

definePlayer();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { OnAirPlayerElement };
