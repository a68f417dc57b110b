import { OnAirError } from '@onair/protocol';
import {
  type HlsTokens,
  type PlaybackGrant,
  SIGNED_PRIVACY,
  tokenQuery,
} from '../../media/hls/tokens.js';
import type { SharedCaches } from '../../platform/caches.js';
import type { ChannelRepository } from '../channels/repository.js';
import type { ModerationService } from '../moderation/service.js';
import type { PlaybackAccess, StreamRepository } from './repository.js';

/** Name of the cache of streams' playback access in {@link SharedCaches} (dropped on every change). */
export const PLAYBACK_CACHE = 'playback';
/** Name of the cache of private streams' invite lists in {@link SharedCaches}. */
export const INVITES_CACHE = 'invites';
/** Name of the cache of follows looked up for followers-only streams' media in {@link SharedCaches}. */
export const FOLLOWS_CACHE = 'follows';

/** Key of `userId`'s follow of `channelId` in the {@link FOLLOWS_CACHE}. */
export const followKey = (channelId: string, userId: string): string => `${channelId}:${userId}`;

/** What {@link mediaAuthorizer} needs. */
export interface MediaAuthorizerDeps {
  streams: StreamRepository;
  channels: ChannelRepository;
  moderation: ModerationService;
  hlsTokens: HlsTokens;
  caches: SharedCaches;
}

/**
 * How long a follow looked up for a followers-only stream's media is trusted,
 * ms: an unfollow drops it at once, on every server.
 */
const FOLLOW_TTL_MS = 10_000;

const refused = (message: string) => new OnAirError('UNAUTHORIZED', message);

/**
 * Who may fetch a stream's media over HTTP (HLS, WHEP): anyone for public
 * and unlisted streams; for followers-only and private ones, the holder of
 * their own valid playback token ({@link HlsTokens}) who may still watch:
 * signed under the stream's current access version (a privacy change voids
 * older tokens), not banned from the channel, and still invited (private)
 * or following (followers-only; a follow is cached for 10 s and dropped on
 * every server when it changes) unless they are the owner or were staff
 * (admins; moderators, but for private streams) when it was signed; a subscribers-only
 * stream's token stands for the tier its viewer held when it was signed. The stream's access and
 * invite list are cached and dropped on every server when they change.
 * Returns the query to pass on to the URIs of its playlists; throws
 * `UNAUTHORIZED` otherwise. `scope` is what the token was signed for: the
 * stream (its id, the default), or one thing of it (`clip:<id>`), whose
 * token opens nothing else of the stream.
 */
export function mediaAuthorizer(
  deps: MediaAuthorizerDeps,
): (id: string, token: string | undefined, scope?: string) => Promise<string> {
  const { streams, channels, moderation, hlsTokens, caches } = deps;
  const access = caches.register<PlaybackAccess | undefined>(PLAYBACK_CACHE, 5_000);
  const invites = caches.register<ReadonlySet<string>>(INVITES_CACHE, 30_000);
  const follows = caches.register<boolean>(FOLLOWS_CACHE, FOLLOW_TTL_MS);

  const mayWatch = async (id: string, stream: PlaybackAccess, grant: PlaybackGrant) => {
    const { subject } = grant;
    if (subject === stream.ownerId) return true;
    if ((await moderation.active(stream.ownerId, subject))?.kind === 'ban') return false;
    if (grant.staff) return true;
    // A subscription lives in the host app's tokens, not here: the viewer's tier was checked
    // when their URL was signed, under this access version (a change of tier bumps it), and
    // their URL lasts as long as a playback token does.
    if (stream.privacy === 'subscribers') return true;
    if (stream.privacy === 'private') {
      const list = await invites.get(id, async () => new Set(await streams.invites(id)));
      return list.has(subject);
    }
    return follows.get(followKey(stream.ownerId, subject), () =>
      channels.isFollowing(subject, stream.ownerId),
    );
  };

  return async (id, token, scope = id) => {
    const stream = await access.get(id, () => streams.playbackAccess(id));
    if (!stream || !SIGNED_PRIVACY.has(stream.privacy)) return '';
    const grant = hlsTokens.verify(scope, token);
    if (!grant) {
      throw refused('This stream needs a signed URL: use the hlsUrl of the stream resource');
    }
    if (grant.version !== stream.accessVersion) {
      throw refused("This stream's access changed: fetch the stream again for a new URL");
    }
    if (!(await mayWatch(id, stream, grant))) {
      throw refused('You may no longer watch this stream');
    }
    return tokenQuery(token as string);
  };
}
