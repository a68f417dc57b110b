/**
 * The browser build for pages without a bundler (`dist/cdn/onair.js`):
 * registers every OnAir element and the Spanish strings, and exports the
 * element classes, `registerTranslation` (for other languages) and the
 * parts of `@onair/core` a page needs to give them a client. Its
 * dependencies are inlined, in chunks next to it (`chunks/`, from the same
 * version); hls.js and mediasoup-client load on first use like in the npm
 * build, so real-time viewing and publishing work without an import map. The elements outside
 * `@onair/elements` but the analytics dashboards are modules next to it
 * (`chat-replay.js`, `clip-button.js`, `remind-button.js`, `followers.js`),
 * imported after it: they share its chunks.
 *
 * @example
 * ```html
 * <script type="module">
 *   import { OnAirClient } from 'https://cdn.jsdelivr.net/npm/@onair/elements@VERSION/dist/cdn/onair.js'; // VERSION: an exact release
 *   const client = new OnAirClient({ baseUrl: 'https://live.example.com', token: getToken });
 *   document.querySelector('onair-player').client = client;
 * </script>
 * <onair-player stream-id="str_123" realtime muted></onair-player>
 * ```
 * @packageDocumentation
 */
import './index.js';
import { registerTranslation } from './internal/i18n.js';
import { SPANISH } from './translations/es-strings.js';

// Spanish for every element here (the analytics elements, not in this build, have theirs in
// `translations/es`).
registerTranslation('es', SPANISH);

export {
  ChatStore,
  endStream,
  findStreamPlayback,
  goLive,
  OnAirClient,
  OnAirError,
  Player,
  PollStore,
  PresenceStore,
  Publisher,
  playStream,
  QuestionStore,
  ReactionStore,
  RealtimeViewer,
  StreamListStore,
  watchStream,
} from '@onair/core';
export * from './components.js';
