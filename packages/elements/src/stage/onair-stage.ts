/**
 * `@onair/elements/stage`: registers `<onair-stage>` (everyone publishing on a stream, in tiles)
 * and no other (in browsers only): a page loads the code of the elements it imports.
 *
 * @example
 * ```ts
 * import '@onair/elements/stage'; // defines <onair-stage>
 * ```
 * @packageDocumentation
 */
import {
  defineStage,
  OnAirStageElement,
  type ParticipantSource,
  type StageLayout,
  type StageSource,
} from './stage.component.js';

defineStage();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export {
  defineStage,
  OnAirStageElement,
  type ParticipantSource,
  type StageLayout,
  type StageSource,
};
