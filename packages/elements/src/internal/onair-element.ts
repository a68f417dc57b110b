import { OnAirElementBase } from './element-base.js';
import { mainEnglish } from './i18n.js';

export { defineElement } from './element-base.js';

/**
 * Base of the OnAir elements but the stage's: {@link OnAirElementBase} (the
 * `client` property, strings in the element's language, the typed `onair-*`
 * events, the light and dark palette) with the main catalog's English. Extend
 * it for an element of your own that shows OnAir's strings.
 *
 * @example
 * ```ts
 * class MyLiveBadge extends OnAirElement {
 *   override render() {
 *     return html`<button @click=${() => this.emit(OnAirEvents.REACTION_SENT, { emoji: '👏' })}>
 *       ${this.t('live')}
 *     </button>`;
 *   }
 * }
 * ```
 */
export class OnAirElement extends OnAirElementBase {
  protected static override english = mainEnglish;
}
