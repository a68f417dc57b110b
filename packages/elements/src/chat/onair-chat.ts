import { defineChat, OnAirChatElement } from './chat.component.js';

defineChat();

export { OnAirChatElement };

declare global {
  interface HTMLElementTagNameMap {
    'onair-chat': OnAirChatElement;
  }
}
