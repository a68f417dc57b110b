/**
 * `@onair/react/stage`: the stage of a stream in React — `useStage` (the
 * co-hosts, guests and raised hands, and the calls that manage them),
 * `useRaisedHands` (the queue the owner works through) and the wrapper of
 * `<onair-stage>` (everyone publishing, in tiles). Not in `@onair/react`: an
 * app without co-hosts carries none of it.
 *
 * @example
 * ```tsx
 * import { OnAirStage, useRaisedHands } from '@onair/react/stage';
 *
 * function Hands({ streamId }: { streamId: string }) {
 *   const { hands, bringOnStage } = useRaisedHands(streamId);
 *   return hands.map((h) => (
 *     <button key={h.user.id} onClick={() => bringOnStage(h.user.id)}>{h.user.displayName}</button>
 *   ));
 * }
 * ```
 * @packageDocumentation
 */
import { defineStage, OnAirStageElement } from '@onair/elements/components';
import { defineStageJoin, OnAirStageJoinElement } from '@onair/elements/stage-join';
import { defineStageManager, OnAirStageManagerElement } from '@onair/elements/stage-manager';
import { wrap } from './wrap.js';

export {
  type UseRaisedHandsResult,
  type UseStageOptions,
  type UseStageResult,
  useRaisedHands,
  useStage,
} from './use-stage.js';

/**
 * React wrapper of `<onair-stage>`: everyone publishing on a stream, in
 * tiles (`player` or `for` an `<onair-player realtime>`, `stage` for names,
 * `layout`).
 */
export const OnAirStage = /* @__PURE__ */ wrap(
  'OnAirStage',
  'onair-stage',
  OnAirStageElement,
  defineStage,
);

/**
 * React wrapper of `<onair-stage-join>`: a viewer's "Raise hand" and, once
 * brought on stage, a device check and "Join stage" (`streamId`, `userId`).
 */
export const OnAirStageJoin = /* @__PURE__ */ wrap(
  'OnAirStageJoin',
  'onair-stage-join',
  OnAirStageJoinElement,
  defineStageJoin,
);

/**
 * React wrapper of `<onair-stage-manager>`: the owner's and moderators'
 * stage controls (raised hands, members, muting, removing, inviting).
 */
export const OnAirStageManager = /* @__PURE__ */ wrap(
  'OnAirStageManager',
  'onair-stage-manager',
  OnAirStageManagerElement,
  defineStageManager,
);
