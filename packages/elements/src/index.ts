/**
 * `@onair/elements`: OnAir web components. Importing this entry registers
 * `<onair-player>`, `<onair-broadcaster>` and `<onair-chat>` (in browsers only).
 *
 * @example
 * ```html
 * <script type="module">
 *   import '@onair/elements';
 *   document.querySelector('onair-chat').client = client;
 * </script>
 * <onair-chat stream-id="str_123"></onair-chat>
 * ```
 * @packageDocumentation
 */
import './broadcaster/onair-broadcaster.js';
import './chat/onair-chat.js';
import './player/onair-player.js';

export * from './components.js';
