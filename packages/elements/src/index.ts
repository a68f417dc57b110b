/**
 * `@onair/elements`: OnAir web components. Importing this entry registers all
 * of them (in browsers only): `<onair-player>`, `<onair-broadcaster>`,
 * `<onair-chat>`, `<onair-reactions>`, `<onair-qna>`, `<onair-qna-highlight>`, `<onair-poll>`,
 * `<onair-viewer-count>`, `<onair-stream-list>`, `<onair-stream-card>`,
 * `<onair-scheduler>`, `<onair-stream-settings>`, `<onair-stage>`, `<onair-stats>`,
 * `<onair-notifications>` and `<onair-follow-button>`. A page
 * that uses a few imports their own entries instead (`@onair/elements/chat`,
 * `@onair/elements/player`, ...: each registers one element) and loads none
 * of the others. Their strings are English unless a language is registered:
 * `import '@onair/elements/translations/es'` for Spanish, `registerTranslation`
 * for any other; each element follows its closest `lang` attribute.
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
import './follow-button/onair-follow-button.js';
import './notifications/onair-notifications.js';
import './player/onair-player.js';
import './poll/onair-poll.js';
import './qna/onair-qna.js';
import './qna-highlight/onair-qna-highlight.js';
import './reactions/onair-reactions.js';
import './scheduler/onair-scheduler.js';
import './stream-card/onair-stream-card.js';
import './stream-list/onair-stream-list.js';
import './stage/onair-stage.js';
import './stats/onair-stats.js';
import './stream-settings/onair-stream-settings.js';
import './viewer-count/onair-viewer-count.js';

export * from './components.js';
