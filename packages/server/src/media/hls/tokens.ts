import { createHmac, timingSafeEqual } from 'node:crypto';
import type { StreamPrivacy } from '@onair/protocol';

/** Privacy settings whose HLS needs a signed URL (public and unlisted ones are open). */
export const SIGNED_PRIVACY: ReadonlySet<StreamPrivacy> = new Set(['followers', 'private']);

/**
 * Signed, expiring tokens for the HLS of followers-only and private streams:
 * `<expiry>.<HMAC-SHA-256 of stream id and expiry>`. Whoever may read the
 * stream resource gets a URL with a token; playlists pass it on to every URI
 * they list, so players need nothing special.
 */
export class HlsTokens {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    // A key of its own, derived from the server secret: an HLS token is no stream key.
    this.key = createHmac('sha256', secret).update('onair hls tokens').digest();
  }

  private mac(streamId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${streamId}.${expires}`).digest('base64url');
  }

  /** A token for a stream, valid for the configured time. */
  sign(streamId: string): string {
    const expires = Math.floor(this.now() / 1000) + this.ttlSeconds;
    return `${expires}.${this.mac(streamId, expires)}`;
  }

  /** Whether a token is this stream's and not expired. */
  verify(streamId: string, token: string | undefined): boolean {
    const [expiresText, mac] = (token ?? '').split('.');
    const expires = Number(expiresText);
    if (!mac || !Number.isSafeInteger(expires) || expires * 1000 < this.now()) return false;
    const expected = Buffer.from(this.mac(streamId, expires));
    const presented = Buffer.from(mac);
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  }

  /** `url` with a token when the stream's privacy needs one. */
  signUrl(url: string, streamId: string, privacy: StreamPrivacy): string {
    return SIGNED_PRIVACY.has(privacy) ? `${url}?token=${this.sign(streamId)}` : url;
  }
}

/** Appends `query` to every URI of a playlist (URI lines and URI="…" attributes). */
export function playlistWithQuery(playlist: string, query: string): string {
  if (!query) return playlist;
  return playlist
    .split('\n')
    .map((line) => {
      if (line.startsWith('#')) return line.replace(/URI="([^"?]+)"/g, `URI="$1${query}"`);
      return line.trim() && !line.includes('?') ? `${line}${query}` : line;
    })
    .join('\n');
}
