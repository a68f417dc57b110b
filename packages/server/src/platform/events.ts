import type { Stream } from '@onair/protocol';
import type { StreamAnalytics } from '@onair/protocol/analytics';
import type { Clip } from '@onair/protocol/clips';
import type { Notification } from '@onair/protocol/notifications';
import { Emitter } from './emitter.js';

/** Events passed between the server's own modules (REST → realtime, lifecycle → media). */
export interface InternalEvents {
  /** Any change of a stream (edit or lifecycle). */
  'stream:updated': Stream;
  /** A stream got a (new) scheduled time. */
  'stream:scheduled': Stream;
  'stream:started': Stream;
  'stream:ended': Stream;
  'stream:cancelled': Stream;
  /** Who may see the stream changed without an edit of it (its invite list): re-check its audience. */
  'stream:accessChanged': { streamId: string };
  /**
   * A user followed or stopped following a channel: a follow cached for media
   * is dropped, and after an unfollow their connections to the channel's
   * followers-only streams and their WHEP playback of them are checked again.
   */
  'channel:followChanged': { channelId: string; userId: string; following: boolean };
  /**
   * A user lost streams without their privacy changing (an unfollow): their
   * raised hands there go down.
   */
  'audience:lost': { userId: string; streamIds: string[] };
  /** A channel banned a user: they leave the stages of its streams. */
  'channel:banned': { channelId: string; userId: string };
  /** The key was rotated: a live publisher must be disconnected. */
  'stream:keyRotated': { streamId: string };
  'recording:ready': Stream;
  /** Part of a stream's recording could not be written (a full disk, a failed write, a crash). */
  'recording:incomplete': Stream;
  /**
   * A stream's stage changed (members, roles, muting, raised hands). `removed`
   * names a member taken off it (their tracks stop everywhere), `muted` a
   * member muted or unmuted by the host, `layout` the composed picture's new layout.
   */
  'stage:changed': {
    streamId: string;
    removed?: string;
    muted?: { userId: string; muted: boolean };
    layout?: 'grid' | 'speaker';
  };
  /** Users were just told something about a stream (at most 1000 of them an event). */
  'notifications:sent': { stream: Stream; notification: Notification; userIds: string[] };
  /** Someone made a clip of a stream (its URLs unsigned). */
  'clip:created': { stream: Stream; clip: Clip };
  /** An ended stream's report, once its viewers' last beacons are in. */
  'stream:summary': { stream: Stream; summary: StreamAnalytics };
}

/**
 * The server's internal bus (stream lifecycle → realtime, media, webhooks).
 * A throwing listener is reported to `onError` and does not stop the others.
 */
export class InternalBus extends Emitter<InternalEvents> {}
