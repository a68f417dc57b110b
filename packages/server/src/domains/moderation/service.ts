import {
  MAX_SLOW_MODE_SECONDS,
  MAX_TIMEOUT_SECONDS,
  OnAirError,
  type Stream,
  type UserSummary,
} from '@onair/protocol';
import type { Identity } from '../../platform/auth/identity.js';
import {
  type GatewayContext,
  handle,
  type OnAirSocket,
  requireModerator,
  roomOf,
  userRoom,
} from '../../transport/realtime/context.js';

/** Default length of `/timeout user` without seconds. */
const DEFAULT_TIMEOUT_SECONDS = 600;

/**
 * Bans (no end) or times out a user in the stream's channel: their messages in
 * this stream are removed for everyone, they are told, and a banned user's
 * connections to the stream are closed. The channel's owner cannot be restricted.
 */
export async function restrictUser(
  ctx: GatewayContext,
  stream: Stream,
  by: Identity,
  userId: string,
  restriction: { kind: 'ban' } | { kind: 'timeout'; seconds: number },
  reason?: string,
): Promise<void> {
  const { restrictions, chat } = ctx.deps;
  if (userId === stream.owner.id) {
    throw new OnAirError('FORBIDDEN', "The channel's owner cannot be banned or timed out");
  }
  if (userId === by.userId) throw new OnAirError('FORBIDDEN', 'You cannot restrict yourself');
  const until =
    restriction.kind === 'timeout' ? new Date(Date.now() + restriction.seconds * 1000) : null;
  await restrictions.restrict(stream.owner.id, userId, {
    kind: restriction.kind,
    until,
    by: by.userId,
    reason,
  });
  ctx.invalidate('restriction', `${stream.owner.id}:${userId}`);
  const room = roomOf(stream.id);
  await chat.removeAll(stream.id, userId, by.userId);
  ctx.batcher.emit(room, 'chat:userCleared', { streamId: stream.id, userId });
  const pinned = await chat.pinned(stream.id);
  if (!pinned) ctx.batcher.emit(room, 'chat:pinned', { streamId: stream.id, message: null });
  ctx.io.to(userRoom(userId)).emit('moderation:restricted', {
    streamId: stream.id,
    kind: restriction.kind,
    until: until?.toISOString() ?? null,
  });
  if (restriction.kind === 'ban') {
    // fetchSockets reaches this user's connections on every server (Redis adapter).
    for (const remote of await ctx.io.in(userRoom(userId)).fetchSockets()) {
      if (remote.rooms.has(room)) remote.disconnect(true);
    }
  }
}

type Command = (
  args: string[],
  context: { stream: Stream; who: Identity; ctx: GatewayContext },
) => Promise<string>;

const setChat =
  (patch: Partial<Stream['chat']>, notice: string): Command =>
  async (_args, { stream, who, ctx }) => {
    await ctx.deps.service.update(stream.id, who, { chat: patch });
    return notice;
  };

const resolve = async (ctx: GatewayContext, name: string | undefined): Promise<UserSummary> => {
  if (!name) throw new OnAirError('VALIDATION_FAILED', 'Name a user: /command username');
  return ctx.deps.restrictions.resolveUser(name);
};

/** Chat commands of the channel's owner and moderators. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  slow: async (args, context) => {
    const seconds = args[0] === undefined ? 30 : Number(args[0]);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_SLOW_MODE_SECONDS) {
      throw new OnAirError(
        'VALIDATION_FAILED',
        `Slow mode takes whole seconds from 1 to ${MAX_SLOW_MODE_SECONDS}`,
      );
    }
    return setChat({ slowModeSeconds: seconds }, `Slow mode on: one message every ${seconds} s`)(
      args,
      context,
    );
  },
  slowoff: setChat({ slowModeSeconds: 0 }, 'Slow mode off'),
  emoteonly: setChat({ emoteOnly: true }, 'Emote-only mode on'),
  emoteonlyoff: setChat({ emoteOnly: false }, 'Emote-only mode off'),
  followers: setChat({ mode: 'followers' }, 'Followers-only chat on'),
  followersoff: setChat({ mode: 'open' }, 'Chat is open to everyone'),
  subscribers: setChat({ mode: 'subscribers' }, 'Subscribers-only chat on'),
  subscribersoff: setChat({ mode: 'open' }, 'Chat is open to everyone'),
  open: setChat({ mode: 'open' }, 'Chat is open to everyone'),
  clear: async (_args, { stream, who, ctx }) => {
    const removed = await ctx.deps.chat.removeAll(stream.id, null, who.userId);
    await ctx.deps.chat.setPinned(stream.id, null);
    ctx.batcher.emit(roomOf(stream.id), 'chat:userCleared', { streamId: stream.id, userId: null });
    ctx.batcher.emit(roomOf(stream.id), 'chat:pinned', { streamId: stream.id, message: null });
    return `Chat cleared (${removed} messages)`;
  },
  timeout: async (args, { stream, who, ctx }) => {
    const user = await resolve(ctx, args[0]);
    const seconds = args[1] === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(args[1]);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
      throw new OnAirError('VALIDATION_FAILED', 'Timeouts take whole seconds up to two weeks');
    }
    await restrictUser(ctx, stream, who, user.id, { kind: 'timeout', seconds });
    return `${user.displayName} is timed out for ${seconds} s`;
  },
  ban: async (args, { stream, who, ctx }) => {
    const user = await resolve(ctx, args[0]);
    const reason = args.slice(1).join(' ').slice(0, 200) || undefined;
    await restrictUser(ctx, stream, who, user.id, { kind: 'ban' }, reason);
    return `${user.displayName} is banned`;
  },
  unban: async (args, { stream, ctx }) => {
    const user = await resolve(ctx, args[0]);
    const lifted = await ctx.deps.restrictions.lift(stream.owner.id, user.id);
    ctx.invalidate('restriction', `${stream.owner.id}:${user.id}`);
    return lifted ? `${user.displayName} may chat again` : `${user.displayName} was not banned`;
  },
  untimeout: async (args, context) => COMMANDS.unban?.(args, context) as Promise<string>,
  pin: async (_args, { stream, ctx }) => {
    const [latest] = (await ctx.deps.chat.history(stream.id, 1)).items;
    if (!latest) throw new OnAirError('NOT_FOUND', 'There is no message to pin');
    await ctx.deps.chat.setPinned(stream.id, latest.id);
    ctx.batcher.emit(roomOf(stream.id), 'chat:pinned', { streamId: stream.id, message: latest });
    return 'Pinned the latest message';
  },
  unpin: async (_args, { stream, ctx }) => {
    await ctx.deps.chat.setPinned(stream.id, null);
    ctx.batcher.emit(roomOf(stream.id), 'chat:pinned', { streamId: stream.id, message: null });
    return 'Unpinned';
  },
};

/** Registers chat commands, timeouts and bans on a connection. */
export function registerModerationHandlers(ctx: GatewayContext, socket: OnAirSocket): void {
  handle(socket, 'moderation:command', async ({ streamId, command }) => {
    const [name = '', ...args] = command.slice(1).split(/\s+/);
    const run = COMMANDS[name.toLowerCase()];
    if (!run || !Object.hasOwn(COMMANDS, name.toLowerCase())) {
      throw new OnAirError('VALIDATION_FAILED', `Unknown command /${name}`, {
        commands: Object.keys(COMMANDS),
      });
    }
    const { who, stream } = await requireModerator(ctx, socket, streamId);
    return { notice: await run(args, { stream, who, ctx }) };
  });

  handle(socket, 'moderation:timeout', async ({ streamId, userId, seconds }) => {
    const { who, stream } = await requireModerator(ctx, socket, streamId);
    await restrictUser(ctx, stream, who, userId, { kind: 'timeout', seconds });
    return {};
  });

  handle(socket, 'moderation:ban', async ({ streamId, userId, reason }) => {
    const { who, stream } = await requireModerator(ctx, socket, streamId);
    await restrictUser(ctx, stream, who, userId, { kind: 'ban' }, reason);
    return {};
  });

  handle(socket, 'moderation:unban', async ({ streamId, userId }) => {
    const { stream } = await requireModerator(ctx, socket, streamId);
    const lifted = await ctx.deps.restrictions.lift(stream.owner.id, userId);
    ctx.invalidate('restriction', `${stream.owner.id}:${userId}`);
    if (!lifted) {
      throw new OnAirError('NOT_FOUND', 'That user is not banned or timed out');
    }
    return {};
  });
}
