import { defineReactions, OnAirReactionsElement } from './reactions.component.js';

defineReactions();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { OnAirReactionsElement };
