import { defineQna, OnAirQnaElement } from './qna.component.js';

defineQna();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { OnAirQnaElement };
