import { type QueryState, QueryStore } from '@onair/core';
import type { Channel, FollowState } from '@onair/protocol';
import { useCallback, useMemo } from 'react';
import { useOnAirClient } from './provider.js';
import { useStore } from './use-external-store.js';
import { type ActionState, useAction } from './use-streams.js';

/** A channel (profile, emotes, follower count, whether you follow it). */
export function useChannel(id: string): QueryState<Channel> {
  const client = useOnAirClient();
  const store = useMemo(
    () => new QueryStore(client.queryClient, client.channels.detailQuery(id)),
    [client, id],
  );
  return useStore(store);
}

/** What {@link useFollow} returns. */
export interface UseFollowResult extends ActionState {
  /** Null until the channel has loaded (or for anonymous users). */
  following: boolean | null;
  followerCount: number | null;
  follow: () => Promise<FollowState>;
  unfollow: () => Promise<FollowState>;
  toggle: () => Promise<FollowState>;
}

/**
 * Follow state of a channel, with optimistic follow and unfollow.
 *
 * @example
 * ```tsx
 * const { following, followerCount, toggle } = useFollow(channelId);
 * ```
 */
export function useFollow(channelId: string): UseFollowResult {
  const client = useOnAirClient();
  const channel = useChannel(channelId);
  const [state, run] = useAction();
  const set = useCallback(
    (following: boolean) => run(() => client.channels.setFollowing(channelId, following)),
    [client, channelId, run],
  );
  const following = channel.data?.following ?? null;
  return {
    ...state,
    following,
    followerCount: channel.data?.followerCount ?? null,
    follow: () => set(true),
    unfollow: () => set(false),
    toggle: () => set(!following),
  };
}
