/*
 * The team chat's own HTTP API (`/api/…`), shared by the backend and the pages.
 * OnAir knows nothing of it: it only sees the tokens the backend signs.
 */

/** A member of the team (kept in the backend's memory). */
export interface Member {
  /** Also the OnAir user id (`sub`). */
  id: string;
  name: string;
}

/** A message of a channel: a member's, or the app's own (`system`) about streams. */
export interface Message {
  /** Increasing across all channels: `?after=<id>` asks for newer ones. */
  id: number;
  channelId: string;
  kind: 'member' | 'system';
  /** The member who wrote it (null for system messages). */
  authorId: string | null;
  authorName: string;
  text: string;
  /** ISO time. */
  at: string;
}

/** A stream of a channel: the one live in it, or one scheduled or past. */
export interface LiveStream {
  streamId: string;
  title: string;
  hostId: string;
  hostName: string;
}

/** A stream scheduled in a channel, not started yet. */
export interface ScheduledStream extends LiveStream {
  /** ISO time. */
  scheduledAt: string;
}

/** A stream that ended in a channel. */
export interface PastStream extends LiveStream {
  /** ISO time. */
  endedAt: string;
  /** Whether it was recorded: it has (or soon has) a replay. */
  recorded: boolean;
}

/** A channel, with what is live in it now, what is scheduled and its latest replays. */
export interface Channel {
  id: string;
  name: string;
  live: LiveStream | null;
  /** Streams scheduled in the channel, soonest first. */
  upcoming: ScheduledStream[];
  /** The channel's latest ended streams, newest first (at most five). */
  past: PastStream[];
}

/** A stream created in a channel (`POST /api/channels/:id/streams`). */
export interface CreatedChannelStream {
  streamId: string;
  title: string;
  /** ISO time, for a scheduled stream. */
  scheduledAt: string | null;
}

/** `GET /api/config`: what the pages need to reach OnAir. */
export interface AppConfig {
  onairUrl: string;
}

/** Body of every error answer: the same shape as OnAir's errors. */
export interface ApiErrorBody {
  code: string;
  message: string;
}

/** Longest message, in characters. */
export const MAX_MESSAGE_LENGTH = 2000;
