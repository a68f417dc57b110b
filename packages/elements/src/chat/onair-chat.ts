import { defineChat, OnAirChatElement } from './chat.component.js';

defineChat();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { OnAirChatElement };
