/**
 * `@onair/elements/stage-manager`: registers `<onair-stage-manager>` (the
 * stage controls of a stream's owner and moderators: raised hands, the people
 * on stage, inviting a co-host) and no other (in browsers only): a page loads
 * the code of the elements it imports.
 *
 * @example
 * ```ts
 * import '@onair/elements/stage-manager'; // defines <onair-stage-manager>
 *
 * const manager = document.createElement('onair-stage-manager');
 * Object.assign(manager, { client, streamId: 'str_123', userId: 'usr_owner' });
 * document.body.append(manager);
 * ```
 * @packageDocumentation
 */
import {
  defineStageManager,
  OnAirStageManagerElement,
  type StageManagerStoreLike,
} from './stage-manager.component.js';

defineStageManager();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { defineStageManager, OnAirStageManagerElement, type StageManagerStoreLike };
