/**
 * `@onair/core/stage`: the stage of a stream — its co-hosts, guests and
 * raised hands ({@link StageStore}, kept current over realtime), and the
 * REST calls that manage it ({@link StageApi}). Not in `@onair/core`: an app
 * without co-hosts carries none of it. Everyone's tracks, for a stage
 * layout, are the `Player`'s `participants` in real-time mode.
 *
 * @example
 * ```ts
 * import { StageStore } from '@onair/core/stage';
 * const stage = new StageStore(client, streamId, { userId });
 * stage.subscribe(({ stage, handRaised }) => render(stage, handRaised));
 * await stage.raiseHand();
 * ```
 * @packageDocumentation
 */
export { type StageState, StageStore, type StageStoreOptions } from './stores/stage-store.js';
export { StageApi } from './transport/stage.js';
