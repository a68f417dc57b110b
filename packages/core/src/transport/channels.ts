import {
  type Channel,
  ChannelSchema,
  type FollowState,
  FollowStateSchema,
  type UpdateChannelInput,
} from '@onair/protocol';
import type { QueryClient } from '@tanstack/query-core';
import type { RestTransport } from './rest.js';

/** Stable TanStack Query keys of channel queries. */
export const channelKeys = {
  all: ['onair', 'channels'] as const,
  detail: (id: string) => [...channelKeys.all, 'detail', id] as const,
};

/** Channels and follows. */
export class ChannelsApi {
  constructor(
    private readonly rest: RestTransport,
    private readonly queryClient: QueryClient,
  ) {}

  /** A channel, with whether the signed-in user follows it. */
  get(id: string, signal?: AbortSignal): Promise<Channel> {
    return this.rest.request(ChannelSchema, `/v1/channels/${encodeURIComponent(id)}`, { signal });
  }

  /** Edits the signed-in user's channel. */
  async updateMine(patch: UpdateChannelInput): Promise<Channel> {
    const channel = await this.rest.request(ChannelSchema, '/v1/channels/me', {
      method: 'PATCH',
      body: patch,
    });
    this.queryClient.setQueryData(channelKeys.detail(channel.id), channel);
    return channel;
  }

  /**
   * Follows or unfollows, optimistically: the cached channel flips at once and
   * is restored if the server refuses.
   */
  async setFollowing(id: string, following: boolean): Promise<FollowState> {
    const key = channelKeys.detail(id);
    const previous = this.queryClient.getQueryData<Channel>(key);
    if (previous && previous.following !== following) {
      this.queryClient.setQueryData<Channel>(key, {
        ...previous,
        following,
        followerCount: Math.max(0, previous.followerCount + (following ? 1 : -1)),
      });
    }
    try {
      const state = await this.rest.request(
        FollowStateSchema,
        `/v1/channels/${encodeURIComponent(id)}/follow`,
        {
          method: following ? 'PUT' : 'DELETE',
        },
      );
      const current = this.queryClient.getQueryData<Channel>(key);
      if (current) {
        this.queryClient.setQueryData<Channel>(key, {
          ...current,
          following: state.following,
          followerCount: state.followerCount,
        });
      }
      return state;
    } catch (error) {
      if (previous) this.queryClient.setQueryData(key, previous);
      throw error;
    }
  }

  /** Query options for a channel. */
  detailQuery(id: string) {
    return {
      queryKey: channelKeys.detail(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => this.get(id, signal),
    };
  }
}
