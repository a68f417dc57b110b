import {
  MAX_SLOW_MODE_SECONDS,
  MAX_TIMEOUT_SECONDS,
  OnAirError,
  type Stream,
  type UserSummary,
} from '@onair/protocol';
import type { Identity } from '../../platform/auth/identity.js';
import type { InternalBus } from '../../platform/events.js';
import type { RoomEvents } from '../../transport/realtime/room-events.js';
import type { ChatService } from '../chat/service.js';
import type { StreamAccess } from '../streams/access.js';
import type { StreamService } from '../streams/service.js';
import type { ModerationService, RestrictionRequest } from './service.js';

/** What the moderation handlers and chat commands need. */
export interface ModerationDeps {
  moderation: ModerationService;
  chat: ChatService;
  streamService: StreamService;
  access: StreamAccess;
  events: RoomEvents;
  /** Told of a ban (`channel:banned`: the stages let the user go). */
  bus: InternalBus;
  /**
   * Re-checks the stream's playback outside realtime (WHEP sessions), on
   * every server: only `userId`'s sessions when given. Undefined when no
   * server of the deployment plays WHEP (media off, not clustered).
   */
  recheckPlayback: ((streamId: string, userId?: string) => Promise<void>) | undefined;
}

/**
 * Bans (no end) or times out a user in the stream's channel: their messages in
 * this stream are removed for everyone, they are told, and a banned user's
 * connections to any of the channel's streams are closed.
 */
export async function restrictUser(
  deps: ModerationDeps,
  stream: Stream,
  by: Identity,
  userId: string,
  restriction: RestrictionRequest,
  reason?: string,
): Promise<void> {
  const { events } = deps;
  const until = await deps.moderation.restrict(stream, by, userId, restriction, reason);
  const { unpinned } = await deps.chat.clear(stream.id, userId, by);
  events.toStream(stream.id, 'chat:userCleared', { streamId: stream.id, userId });
  if (unpinned) events.toStream(stream.id, 'chat:pinned', { streamId: stream.id, message: null });
  events.toUser(userId, 'moderation:restricted', {
    streamId: stream.id,
    kind: restriction.kind,
    until: until?.toISOString() ?? null,
  });
  if (restriction.kind === 'ban') await banFromChannel(deps, stream, userId);
}

/**
 * A ban covers the channel (its id is its owner's): the user leaves the
 * stages of its streams that have not ended (`channel:banned`), their
 * connections in any of its streams' rooms close, on every server, and their
 * WHEP playback of its live streams ends. Each step runs whatever became of
 * the others (the ban itself is stored already).
 */
async function banFromChannel(deps: ModerationDeps, stream: Stream, userId: string) {
  const channelId = stream.owner.id;
  deps.bus.emit('channel:banned', { channelId, userId });
  const steps = await Promise.allSettled([
    deps.events.disconnectFromStreams(userId, async (joined) => {
      const ofChannel = new Set([stream.id]);
      for (const id of joined) {
        if ((await deps.access.stored(id))?.owner.id === channelId) ofChannel.add(id);
      }
      return ofChannel;
    }),
    (async () => {
      const { recheckPlayback } = deps;
      if (!recheckPlayback) return;
      const live = new Set([stream.id, ...(await deps.access.liveStreamsOf(channelId))]);
      await Promise.all([...live].map((id) => recheckPlayback(id, userId)));
    })(),
  ]);
  const failed = steps.find((step) => step.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Default length of `/timeout user` without seconds. */
const DEFAULT_TIMEOUT_SECONDS = 600;

type Command = (
  args: string[],
  context: { stream: Stream; who: Identity; deps: ModerationDeps },
) => Promise<string>;

const setChat =
  (patch: Partial<Stream['chat']>, notice: string): Command =>
  async (_args, { stream, who, deps }) => {
    await deps.streamService.update(stream.id, who, { chat: patch });
    return notice;
  };

const resolve = async (deps: ModerationDeps, name: string | undefined): Promise<UserSummary> => {
  if (!name) throw new OnAirError('VALIDATION_FAILED', 'Name a user: /command username');
  return deps.moderation.resolveUser(name);
};

const unban: Command = async (args, { stream, deps }) => {
  const user = await resolve(deps, args[0]);
  const lifted = await deps.moderation.lift(stream.owner.id, user.id);
  return lifted ? `${user.displayName} may chat again` : `${user.displayName} was not banned`;
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
  clear: async (_args, { stream, who, deps }) => {
    const { removed } = await deps.chat.clear(stream.id, null, who);
    deps.events.toStream(stream.id, 'chat:userCleared', { streamId: stream.id, userId: null });
    deps.events.toStream(stream.id, 'chat:pinned', { streamId: stream.id, message: null });
    return `Chat cleared (${removed} messages)`;
  },
  timeout: async (args, { stream, who, deps }) => {
    const user = await resolve(deps, args[0]);
    const seconds = args[1] === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(args[1]);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
      throw new OnAirError('VALIDATION_FAILED', 'Timeouts take whole seconds up to two weeks');
    }
    await restrictUser(deps, stream, who, user.id, { kind: 'timeout', seconds });
    return `${user.displayName} is timed out for ${seconds} s`;
  },
  ban: async (args, { stream, who, deps }) => {
    const user = await resolve(deps, args[0]);
    const reason = args.slice(1).join(' ').slice(0, 200) || undefined;
    await restrictUser(deps, stream, who, user.id, { kind: 'ban' }, reason);
    return `${user.displayName} is banned`;
  },
  unban,
  untimeout: unban,
  pin: async (_args, { stream, deps }) => {
    const latest = await deps.chat.pinLatest(stream.id);
    deps.events.toStream(stream.id, 'chat:pinned', { streamId: stream.id, message: latest });
    return 'Pinned the latest message';
  },
  unpin: async (_args, { stream, deps }) => {
    await deps.chat.pin(stream.id, null);
    deps.events.toStream(stream.id, 'chat:pinned', { streamId: stream.id, message: null });
    return 'Unpinned';
  },
};
