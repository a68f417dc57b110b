import { MAX_RESYNC_MESSAGES, OnAirError, type Stream } from '@onair/protocol';
import { badgesIn, canModerate, type Identity, subscriptionTier } from '../../platform/auth/identity.js';
import { isEmoteOnly } from './rules.js';
import {
  assertNotRestricted,
  type GatewayContext,
  handle,
  identityOf,
  joinedStream,
  managersRoomOf,
  type OnAirSocket,
  PUBLIC_STREAMS_ROOM,
  requireIdentity,
  requireModerator,
  roomOf,
  visibleStream,
} from '../../transport/realtime/context.js';

const RECENT_MESSAGES = 50;

/** Registers joining, leaving and the chat requests on a connection. */
export function registerChatHandlers(ctx: GatewayContext, socket: OnAirSocket): void {
  const { deps, batcher } = ctx;
  const { chat, channels, restrictions, state } = deps;

  handle(socket, 'stream:join', async ({ streamId, since }) => {
    const stream = await visibleStream(ctx, socket, streamId);
    const who = identityOf(socket);
    if (who) await assertNotRestricted(ctx, stream, who, 'ban', true);
    const room = roomOf(streamId);
    if (
      !socket.rooms.has(room) &&
      stream.viewerLimit !== null &&
      !canModerate(who, stream.owner.id) &&
      (await state.count(streamId)).count >= stream.viewerLimit
    ) {
      throw new OnAirError('STREAM_FULL', 'This stream has reached its viewer limit', {
        viewerLimit: stream.viewerLimit,
      });
    }
    await socket.join(room);
    if (deps.service.isManager(stream, who)) await socket.join(managersRoomOf(streamId));
    await state.present(streamId, [
      {
        socketId: socket.id,
        user: who ? { id: who.userId, displayName: who.displayName } : null,
      },
    ]);
    ctx.countChanged(streamId);
    const resync = since ? await chat.after(streamId, since, MAX_RESYNC_MESSAGES) : undefined;
    const page = resync ? undefined : await chat.history(streamId, RECENT_MESSAGES);
    const restriction = who ? await restrictions.active(stream.owner.id, who.userId) : null;
    return {
      stream,
      recentMessages: resync?.items ?? page?.items ?? [],
      gap: resync?.gap ?? since !== undefined,
      historyCursor: page?.nextCursor ?? null,
      viewers: { streamId, ...(await state.count(streamId)) },
      restricted: restriction
        ? { streamId, kind: restriction.kind, until: restriction.until?.toISOString() ?? null }
        : null,
      pinned: await chat.pinned(streamId),
      producers: deps.media?.producersOf(streamId) ?? [],
    };
  });

  handle(socket, 'stream:leave', async ({ streamId }) => {
    await socket.leave(roomOf(streamId));
    await socket.leave(managersRoomOf(streamId));
    await state.absent(streamId, socket.id);
    ctx.countChanged(streamId);
    return {};
  });

  handle(socket, 'streams:watch', async () => {
    await socket.join(PUBLIC_STREAMS_ROOM);
    return {};
  });

  handle(socket, 'streams:unwatch', async () => {
    await socket.leave(PUBLIC_STREAMS_ROOM);
    return {};
  });

  /**
   * Chat settings the server enforces: chat on or off, followers-only,
   * subscribers-only, emote-only, slow mode and the per-user rate limit.
   * The channel's owner, moderators and admins are exempt.
   */
  const assertMayChat = async (stream: Stream, who: Identity, text: string) => {
    if (canModerate(who, stream.owner.id)) return;
    await assertNotRestricted(ctx, stream, who);
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
    await ctx.pacing.check(stream, who.userId);
  };

  handle(socket, 'chat:send', async ({ streamId, text }) => {
    const identity = requireIdentity(socket, 'chat');
    const stream = await joinedStream(ctx, socket, streamId);
    if (stream.status === 'ended' || stream.status === 'cancelled') {
      throw new OnAirError('STREAM_NOT_LIVE', `Chat is closed: the stream is ${stream.status}`);
    }
    await assertMayChat(stream, identity, text);
    const author = { id: identity.userId, displayName: identity.displayName };
    const reviewed = await deps.filter.apply({ streamId, author, text });
    const message = await chat.append(
      streamId,
      { ...author, badges: badgesIn(identity, stream.owner.id) },
      reviewed,
    );
    batcher.emit(roomOf(streamId), 'chat:message', message);
    return message;
  });

  handle(socket, 'chat:history', async ({ streamId, before, limit }) => {
    await visibleStream(ctx, socket, streamId);
    return chat.history(streamId, limit, before);
  });

  handle(socket, 'chat:delete', async ({ streamId, messageId }) => {
    const { who } = await requireModerator(ctx, socket, streamId);
    const wasPinned = (await chat.pinned(streamId))?.id === messageId;
    if (!(await chat.delete(streamId, messageId, who.userId))) {
      throw new OnAirError('NOT_FOUND', 'Message not found');
    }
    batcher.emit(roomOf(streamId), 'chat:deleted', { streamId, messageId });
    if (wasPinned) batcher.emit(roomOf(streamId), 'chat:pinned', { streamId, message: null });
    return {};
  });

  handle(socket, 'chat:pin', async ({ streamId, messageId }) => {
    await requireModerator(ctx, socket, streamId);
    const message = messageId ? await chat.find(streamId, messageId) : null;
    if (messageId && !message) throw new OnAirError('NOT_FOUND', 'Message not found');
    await chat.setPinned(streamId, messageId);
    batcher.emit(roomOf(streamId), 'chat:pinned', { streamId, message: message ?? null });
    return {};
  });
}
