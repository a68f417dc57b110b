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
  /** Every stream live in the channel now, the latest last (`live` is the latest). */
  onAir: LiveStream[];
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
      this.channels.set(id, {
        id,
        name,
        live: null,
        onAir: [],
        upcoming: [],
        past: [],
        messages: [],
      });
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

  /**
   * Lists a scheduled stream until it starts, ends or is cancelled; a stream
   * listed already takes its new time (rescheduled). Nothing changes for a
   * stream live or past.
   */
  schedule(channelId: string, stream: ScheduledStream): void {
    const channel = this.channels.get(channelId);
    if (!channel || this.isLiveOrPast(channel, stream.streamId)) return;
    channel.upcoming = [
      ...channel.upcoming.filter((next) => next.streamId !== stream.streamId),
      stream,
    ].sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  }

  /** Takes a cancelled stream off the channel's list. */
  cancel(channelId: string, streamId: string): void {
    const channel = this.channels.get(channelId);
    if (channel) channel.upcoming = channel.upcoming.filter((next) => next.streamId !== streamId);
  }

  /**
   * Records the stream live in a channel; false when nothing changed (it is
   * live already, or ended before: a late delivery).
   */
  start(channelId: string, stream: LiveStream): boolean {
    const channel = this.channels.get(channelId);
    if (!channel || this.isLiveOrPast(channel, stream.streamId)) return false;
    channel.upcoming = channel.upcoming.filter((next) => next.streamId !== stream.streamId);
    channel.onAir.push(stream);
    channel.live = stream;
    return true;
  }

  /**
   * Records a stream's end: no longer live or upcoming, first of the past
   * ones; the channel's live stream is then the latest still live, if any.
   * Returns whether it was live in the channel.
   */
  end(channelId: string, stream: PastStream): boolean {
    const channel = this.channels.get(channelId);
    if (!channel || channel.past.some((past) => past.streamId === stream.streamId)) return false;
    const wasLive = channel.onAir.some((live) => live.streamId === stream.streamId);
    channel.onAir = channel.onAir.filter((live) => live.streamId !== stream.streamId);
    channel.live = channel.onAir.at(-1) ?? null;
    channel.upcoming = channel.upcoming.filter((next) => next.streamId !== stream.streamId);
    channel.past = [stream, ...channel.past].slice(0, KEPT_PAST);
    return wasLive;
  }

  /** Whether a stream is live in the channel, or ended there. */
  private isLiveOrPast(channel: ChannelRecord, streamId: string): boolean {
    return (
      channel.onAir.some((live) => live.streamId === streamId) ||
      channel.past.some((past) => past.streamId === streamId)
    );
  }
}
