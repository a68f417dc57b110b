import type {
  Channel,
  LiveStream,
  Member,
  Message,
  PastStream,
  ScheduledStream,
} from '../shared/api.js';

/** What the app keeps of a channel: its messages and its streams. */
interface ChannelRecord extends Channel {
  messages: Message[];
}

/** Messages kept per channel (older ones are dropped). */
const KEPT_MESSAGES = 500;
/** Ended streams listed per channel. */
const KEPT_PAST = 5;

/** The team's channels, their messages and their streams, in memory. */
export class ChannelStore {
  private readonly channels = new Map<string, ChannelRecord>();
  private lastId = 0;

  constructor(channels: readonly { id: string; name: string }[]) {
    for (const { id, name } of channels) {
      this.channels.set(id, { id, name, live: null, upcoming: [], past: [], messages: [] });
    }
  }

  /** Every channel, with its streams. */
  list(): Channel[] {
    return [...this.channels.values()].map(({ id, name, live, upcoming, past }) => ({
      id,
      name,
      live,
      upcoming,
      past,
    }));
  }

  has(id: string): boolean {
    return this.channels.has(id);
  }

  /** A channel's messages newer than `after` (all kept ones without it), oldest first. */
  messages(channelId: string, after = 0): Message[] {
    return (this.channels.get(channelId)?.messages ?? []).filter((message) => message.id > after);
  }

  /** Adds a member's message (`author`) or a system one (null). */
  post(channelId: string, author: Member | null, text: string): Message {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`No channel ${channelId}`);
    this.lastId += 1;
    const message: Message = {
      id: this.lastId,
      channelId,
      kind: author ? 'member' : 'system',
      authorId: author?.id ?? null,
      authorName: author?.name ?? 'Team chat',
      text,
      at: new Date().toISOString(),
    };
    channel.messages.push(message);
    if (channel.messages.length > KEPT_MESSAGES) channel.messages.shift();
    return message;
  }

  /** The stream live in a channel. */
  live(channelId: string): LiveStream | null {
    return this.channels.get(channelId)?.live ?? null;
  }

  /** Lists a scheduled stream (until it starts or ends); false when it is known already. */
  schedule(channelId: string, stream: ScheduledStream): boolean {
    const channel = this.channels.get(channelId);
    if (!channel || this.knows(channel, stream.streamId)) return false;
    channel.upcoming = [...channel.upcoming, stream].sort((a, b) =>
      a.scheduledAt.localeCompare(b.scheduledAt),
    );
    return true;
  }

  /**
   * Records the stream live in a channel; false when nothing changed (it is
   * live already, or ended before: a late delivery).
   */
  start(channelId: string, stream: LiveStream): boolean {
    const channel = this.channels.get(channelId);
    if (!channel || channel.live?.streamId === stream.streamId) return false;
    if (channel.past.some((past) => past.streamId === stream.streamId)) return false;
    channel.upcoming = channel.upcoming.filter((next) => next.streamId !== stream.streamId);
    channel.live = stream;
    return true;
  }

  /**
   * Records a stream's end: no longer live or upcoming, first of the past
   * ones. Returns whether it was the channel's live stream.
   */
  end(channelId: string, stream: PastStream): boolean {
    const channel = this.channels.get(channelId);
    if (!channel || channel.past.some((past) => past.streamId === stream.streamId)) return false;
    const wasLive = channel.live?.streamId === stream.streamId;
    if (wasLive) channel.live = null;
    channel.upcoming = channel.upcoming.filter((next) => next.streamId !== stream.streamId);
    channel.past = [stream, ...channel.past].slice(0, KEPT_PAST);
    return wasLive;
  }

  /** Whether a stream is the channel's, live, upcoming or past. */
  private knows(channel: ChannelRecord, streamId: string): boolean {
    return (
      channel.live?.streamId === streamId ||
      channel.upcoming.some((next) => next.streamId === streamId) ||
      channel.past.some((past) => past.streamId === streamId)
    );
  }
}
