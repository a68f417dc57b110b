import { defineStreamCard, OnAirStreamCardElement } from './stream-card.component.js';

defineStreamCard();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { OnAirStreamCardElement };
