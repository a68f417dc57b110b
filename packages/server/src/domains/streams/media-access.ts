import { OnAirError, type StreamPrivacy } from '@onair/protocol';
import { type HlsTokens, SIGNED_PRIVACY } from '../../media/hls/tokens.js';
import { TtlCache } from '../../platform/ttl-cache.js';
import type { StreamRepository } from './repository.js';

/**
 * Who may fetch a stream's media over HTTP (HLS, WHEP): anyone for public
 * and unlisted streams, the holder of a valid signed token for the others.
 * Returns the query to pass on to the URIs of its playlists; throws
 * `UNAUTHORIZED` when a needed token is missing, wrong or expired. Privacy
 * changes reach it within the cache's 5 s.
 */
export function mediaAuthorizer(
  streams: StreamRepository,
  hlsTokens: HlsTokens,
): (id: string, token: string | undefined) => Promise<string> {
  const privacyOf = new TtlCache<StreamPrivacy | undefined>(5_000);
  return async (id, token) => {
    const privacy = await privacyOf.get(id, async () => (await streams.find(id))?.privacy);
    if (!privacy || !SIGNED_PRIVACY.has(privacy)) return '';
    if (!token || !hlsTokens.verify(id, token)) {
      throw new OnAirError(
        'UNAUTHORIZED',
        'This stream needs a signed URL: use the hlsUrl of the stream resource',
      );
    }
    return `?token=${token}`;
  };
}
