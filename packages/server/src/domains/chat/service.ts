import {
  type ChatMessage,
  MAX_RESYNC_MESSAGES,
  OnAirError,
  type Page,
  type Stream,
} from '@onair/protocol';
import {
  badgesIn,
  canModerate,
  type Identity,
  subscriptionTier,
  userOf,
} from '../../platform/auth/identity.js';
import type { ChannelRepository } from '../channels/repository.js';
import type { ModerationService } from '../moderation/service.js';
import type { ChatFilter } from './filter.js';
import type { ChatRepository } from './repository.js';
import { type ChatPacing, isEmoteOnly } from './rules.js';

/** Messages a joining client gets when it has none yet. */
const RECENT_MESSAGES = 50;

/** What {@link ChatService} needs. */
export interface ChatServiceDeps {
  messages: ChatRepository;
  channels: ChannelRepository;
  moderation: ModerationService;
  filter: ChatFilter;
  pacing: ChatPacing;
}

/** The chat a client gets when it joins: recent messages or a resync, and the pinned one. */
export interface ChatSnapshot {
  recentMessages: ChatMessage[];
  /** The resync could not cover everything since the client's last message. */
  gap: boolean;
  historyCursor: string | null;
  pinned: ChatMessage | null;
}

/**
 * The rules of a stream's chat: who may post what and how fast (chat on or
 * off, followers-only, subscribers-only, emote-only, slow mode, rate limit,
 * bans), the word filter and review hook, history, deleting and pinning.
 */
export class ChatService {
  constructor(private readonly deps: ChatServiceDeps) {}

  /**
   * Chat settings the server enforces. The channel's owner, moderators and
   * admins are exempt.
   */
  private async assertMayChat(stream: Stream, who: Identity, text: string): Promise<void> {
    const { channels, moderation, pacing } = this.deps;
    if (canModerate(who, stream.owner.id)) return;
    await moderation.assertNotRestricted(stream, who);
    if (!stream.chat.enabled)
      throw new OnAirError('FORBIDDEN', 'Chat is turned off for this stream');
    if (stream.chat.mode === 'subscribers' && subscriptionTier(who, stream.owner.id) === 0) {
      throw new OnAirError('FORBIDDEN', 'Only subscribers can chat right now');
    }
    if (
      stream.chat.mode === 'followers' &&
      !(await channels.isFollowing(who.userId, stream.owner.id))
    ) {
      throw new OnAirError('FORBIDDEN', 'Only followers can chat right now');
    }
    if (stream.chat.emoteOnly) {
      const channel = await channels.require(stream.owner.id, undefined);
      if (!isEmoteOnly(text.trim(), new Set(channel.emotes.map((e) => e.code)))) {
        throw new OnAirError('FORBIDDEN', 'Emote-only chat: send emoji or the channel’s emotes');
      }
    }
    await pacing.check(stream, who.userId);
  }

  /** Posts a message: checked, filtered (or refused with `MESSAGE_REJECTED`) and stored. */
  async send(stream: Stream, who: Identity, text: string): Promise<ChatMessage> {
    if (stream.status === 'ended' || stream.status === 'cancelled') {
      throw new OnAirError('STREAM_NOT_LIVE', `Chat is closed: the stream is ${stream.status}`);
    }
    await this.assertMayChat(stream, who, text);
    const author = userOf(who);
    const reviewed = await this.deps.filter.apply({ streamId: stream.id, author, text });
    return this.deps.messages.append(
      stream.id,
      { ...author, badges: badgesIn(who, stream.owner.id) },
      reviewed,
    );
  }

  /** What a joining client gets: a resync from `since` (its last message id) or the latest page. */
  async snapshot(streamId: string, since: string | undefined): Promise<ChatSnapshot> {
    const { messages } = this.deps;
    const resync = since ? await messages.after(streamId, since, MAX_RESYNC_MESSAGES) : undefined;
    const page = resync ? undefined : await messages.history(streamId, RECENT_MESSAGES);
    return {
      recentMessages: resync?.items ?? page?.items ?? [],
      gap: resync?.gap ?? since !== undefined,
      historyCursor: page?.nextCursor ?? null,
      pinned: await messages.pinned(streamId),
    };
  }

  /** A page of history, newest first, before `before`. */
  history(streamId: string, limit: number, before?: string): Promise<Page<ChatMessage>> {
    return this.deps.messages.history(streamId, limit, before);
  }

  /** Deletes a message (`NOT_FOUND` if it is not there); says whether it was the pinned one. */
  async delete(streamId: string, messageId: string, by: Identity): Promise<{ wasPinned: boolean }> {
    const { messages } = this.deps;
    const wasPinned = (await messages.pinned(streamId))?.id === messageId;
    if (!(await messages.delete(streamId, messageId, by.userId))) {
      throw new OnAirError('NOT_FOUND', 'Message not found');
    }
    return { wasPinned };
  }

  /** Pins a message (`NOT_FOUND` if it is not there), or unpins with null; returns the pinned one. */
  async pin(streamId: string, messageId: string | null): Promise<ChatMessage | null> {
    const { messages } = this.deps;
    const message = messageId ? await messages.find(streamId, messageId) : null;
    if (messageId && !message) throw new OnAirError('NOT_FOUND', 'Message not found');
    await messages.setPinned(streamId, messageId);
    return message ?? null;
  }

  /** Pins the latest message (`NOT_FOUND` when there is none). */
  async pinLatest(streamId: string): Promise<ChatMessage> {
    const [latest] = (await this.deps.messages.history(streamId, 1)).items;
    if (!latest) throw new OnAirError('NOT_FOUND', 'There is no message to pin');
    await this.deps.messages.setPinned(streamId, latest.id);
    return latest;
  }

  /**
   * Removes a user's messages in a stream (a ban or timeout), or with null
   * everyone's (`/clear`, which also unpins). Returns how many went and
   * whether the stream is left without a pinned message.
   */
  async clear(
    streamId: string,
    authorId: string | null,
    by: Identity,
  ): Promise<{ removed: number; unpinned: boolean }> {
    const { messages } = this.deps;
    const removed = await messages.removeAll(streamId, authorId, by.userId);
    if (authorId === null) {
      await messages.setPinned(streamId, null);
      return { removed, unpinned: true };
    }
    return { removed, unpinned: !(await messages.pinned(streamId)) };
  }
}
