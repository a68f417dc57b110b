/**
 * `@onair/elements/stage-join`: registers `<onair-stage-join>` (a viewer's "Raise hand" and
 * "Join stage") and no other. Not in `@onair/elements` or the CDN build: a page without a stage
 * loads none of it.
 *
 * @example
 * ```ts
 * import '@onair/elements/stage-join'; // defines <onair-stage-join>
 * ```
 * @packageDocumentation
 */
import {
  defineStageJoin,
  OnAirStageJoinElement,
  type StageJoinStep,
  type StageJoinStoreLike,
} from './stage-join.component.js';

defineStageJoin();

// The tag name is typed in HTMLElementTagNameMap by the component module.
export { defineStageJoin, OnAirStageJoinElement, type StageJoinStep, type StageJoinStoreLike };
