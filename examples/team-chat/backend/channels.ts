import type { Channel, LiveStream, Member, Message } from '../shared/api.js';

/** What the app keeps of a channel: its messages and the stream live in it. */
interface ChannelRecord {
  id: string;
  name: string;
  live: LiveStream | null;
  messages: Message[];
}

/** Messages kept per channel (older ones are dropped). */
const KEPT_MESSAGES = 500;

/** The team's channels and their messages, in memory. */
export class ChannelStore {
  private readonly channels = new Map<string, ChannelRecord>();
  private lastId = 0;

  constructor(channels: readonly { id: string; name: string }[]) {
    for (const { id, name } of channels) {
      this.channels.set(id, { id, name, live: null, messages: [] });
    }
  }

  /** Every channel, with its live stream. */
  list(): Channel[] {
    return [...this.channels.values()].map(({ id, name, live }) => ({ id, name, live }));
  }

  /** The ids of the channels. */
  ids(): string[] {
    return [...this.channels.keys()];
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

  /** Records the stream live in a channel (null: none). */
  setLive(channelId: string, live: LiveStream | null): void {
    const channel = this.channels.get(channelId);
    if (channel) channel.live = live;
  }
}
