import { type StageState, StageStore } from '@onair/core/stage';
import type { RaisedHand, Stage, StageRole } from '@onair/protocol/stage';
import { useMemo } from 'react';
import { useOnAirClient } from './provider.js';
import { useStore } from './use-external-store.js';

/** Options of {@link useStage}. */
export interface UseStageOptions {
  /**
   * The signed-in user's id (the `sub` of their token), or null when signed
   * out: the client does not read its token, so `onStage`, `myRole`,
   * `handRaised`, `leave` and `lowerHand()` need it from you.
   */
  userId: string | null;
}

/** What {@link useStage} returns. */
export interface UseStageResult extends StageState {
  /** Brings a user on stage as a co-host or guest, or changes their role (owner, moderators). */
  invite: StageStore['invite'];
  /** Mutes a member's microphone for everyone, or lets them speak again (owner, moderators). */
  setMuted: StageStore['setMuted'];
  /** Takes a member off the stage (owner, moderators). */
  remove: StageStore['remove'];
  /** Leaves the stage (a member). */
  leave: StageStore['leave'];
  /** Raises the signed-in user's hand to come on stage. */
  raiseHand: StageStore['raiseHand'];
  /** Lowers a hand: one's own by default, anyone's for the owner and moderators. */
  lowerHand: StageStore['lowerHand'];
  /** The store behind the hook. */
  store: StageStore;
}

/**
 * A stream's stage, live: its co-hosts and guests, raised hands and the
 * signed-in user's place, with the actions of the owner, moderators,
 * members and viewers. Actions reject with the server's typed `OnAirError`
 * (also in `error`).
 *
 * @example
 * ```tsx
 * const { onStage, handRaised, raiseHand, leave } = useStage(streamId, { userId: me.id });
 * return onStage ? <button onClick={leave}>Leave</button>
 *   : <button disabled={handRaised} onClick={raiseHand}>Raise hand</button>;
 * ```
 */
export function useStage(streamId: string, options: UseStageOptions): UseStageResult {
  const client = useOnAirClient();
  const { userId } = options;
  const store = useMemo(
    () => new StageStore(client, streamId, { userId }),
    [client, streamId, userId],
  );
  const state = useStore(store);
  return useMemo(
    () => ({
      ...state,
      invite: (id: string, role: StageRole) => store.invite(id, role),
      setMuted: (id: string, mutedByHost: boolean) => store.setMuted(id, mutedByHost),
      remove: (id: string) => store.remove(id),
      leave: () => store.leave(),
      raiseHand: () => store.raiseHand(),
      lowerHand: (id?: string) => store.lowerHand(id),
      store,
    }),
    [state, store],
  );
}

/** What {@link useRaisedHands} returns. */
export interface UseRaisedHandsResult {
  /** Raised hands, first raised first (all of them for the owner and moderators). */
  hands: readonly RaisedHand[];
  status: StageState['status'];
  error: StageState['error'];
  /** Brings a user on stage (a guest by default) and lowers their hand; resolves with the stage. */
  bringOnStage: (userId: string, role?: StageRole) => Promise<Stage>;
  /** Lowers a user's hand without bringing them on stage. */
  dismiss: (userId: string) => Promise<void>;
}

const NO_HANDS: readonly RaisedHand[] = [];

/**
 * The raised hands of a stream, for its owner and moderators to bring
 * people on stage or dismiss them. Others see their own hand only.
 *
 * @example
 * ```tsx
 * const { hands, bringOnStage, dismiss } = useRaisedHands(streamId);
 * hands.map((h) => <li key={h.user.id}>{h.user.displayName}
 *   <button onClick={() => bringOnStage(h.user.id)}>Bring on stage</button></li>);
 * ```
 */
export function useRaisedHands(streamId: string): UseRaisedHandsResult {
  const client = useOnAirClient();
  // Managing hands needs no "self": the caller's own place is not read here.
  const store = useMemo(
    () => new StageStore(client, streamId, { userId: null }),
    [client, streamId],
  );
  const { stage, status, error } = useStore(store);
  const hands = stage?.hands ?? NO_HANDS;
  return useMemo(
    () => ({
      hands,
      status,
      error,
      bringOnStage: (userId: string, role: StageRole = 'guest') => store.invite(userId, role),
      dismiss: (userId: string) => store.lowerHand(userId),
    }),
    [hands, status, error, store],
  );
}
