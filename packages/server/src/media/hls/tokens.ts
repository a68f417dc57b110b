import { createHmac, timingSafeEqual } from 'node:crypto';
import type { StreamPrivacy } from '@onair/protocol';

/** Privacy settings whose media needs a signed URL (public and unlisted ones are open). */
export const SIGNED_PRIVACY: ReadonlySet<StreamPrivacy> = new Set([
  'followers',
  'subscribers',
  'private',
]);

/**
 * What a playback token grants: one viewer (`subject`, the user id of the
 * token it was issued against) the media of one stream, under one access
 * version of that stream, until `expires` (Unix seconds). `staff` marks a
 * viewer who saw the stream as its channel's moderator or as an admin at
 * signing time (their access is not checked against follows or invites).
 */
export interface PlaybackGrant {
  subject: string;
  version: number;
  expires: number;
  staff: boolean;
}

/** What a token is signed with: its grant, and at the latest when it may expire (Unix seconds). */
export type SigningGrant = Omit<PlaybackGrant, 'expires'> & { notAfter?: number };

// exp . version . scope . subject . mac — every part from a fixed alphabet, so a
// token can be written into a playlist as it is and nothing else parses as one.
const TOKEN = /^([0-9]{1,12})\.([0-9]{1,9})\.([vs])\.([A-Za-z0-9_-]{1,342})\.([A-Za-z0-9_-]{43})$/;

/**
 * Signed, expiring playback tokens for the media (HLS, WHEP) of
 * followers-only and private streams, one per viewer:
 * `<expiry>.<access version>.<scope>.<subject>.<HMAC-SHA-256>`. A token is
 * never shared by a room: each viewer gets their own with the stream
 * resource, and the server checks on each request that its subject may still
 * watch (an uninvited, unfollowed or banned viewer is refused at once). A
 * privacy change bumps the stream's access version, which voids every token
 * signed before it.
 */
export class HlsTokens {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    // A key of its own, derived from the server secret: a playback token is no stream key.
    this.key = createHmac('sha256', secret).update('onair playback tokens v2').digest();
  }

  private mac(streamId: string, payload: string): string {
    return createHmac('sha256', this.key).update(`${streamId}|${payload}`).digest('base64url');
  }

  /**
   * A token for one viewer of a stream, under the stream's current access
   * version; it expires after the configured time, or at `notAfter` (Unix
   * seconds) if that is sooner.
   */
  sign(streamId: string, grant: SigningGrant): string {
    const expires = Math.min(
      Math.floor(this.now() / 1000) + this.ttlSeconds,
      grant.notAfter ?? Number.POSITIVE_INFINITY,
    );
    const subject = Buffer.from(grant.subject, 'utf8').toString('base64url');
    const payload = `${expires}.${grant.version}.${grant.staff ? 's' : 'v'}.${subject}`;
    return `${payload}.${this.mac(streamId, payload)}`;
  }

  /**
   * The grant of a token if it is well formed, this stream's, unaltered and
   * not expired; undefined otherwise. Parsing is strict: exactly five parts,
   * digits and base64url only, a 256-bit MAC.
   */
  verify(streamId: string, token: string | undefined): PlaybackGrant | undefined {
    const match = token === undefined ? null : TOKEN.exec(token);
    if (!match) return undefined;
    const [, expiresText, versionText, scope, subject, mac] = match as unknown as string[];
    const expires = Number(expiresText);
    if (expires * 1000 < this.now()) return undefined;
    const payload = `${expiresText}.${versionText}.${scope}.${subject}`;
    const expected = Buffer.from(this.mac(streamId, payload));
    const presented = Buffer.from(mac as string);
    if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) {
      return undefined;
    }
    return {
      subject: Buffer.from(subject as string, 'base64url').toString('utf8'),
      version: Number(versionText),
      expires,
      staff: scope === 's',
    };
  }

  /** `url` with a viewer's token (URL-encoded, though its alphabet needs none). */
  signUrl(url: string, streamId: string, grant: SigningGrant): string {
    return `${url}?token=${encodeURIComponent(this.sign(streamId, grant))}`;
  }
}

/**
 * The query to pass on to the URIs of a playlist for a verified token. The
 * token is URL-encoded: nothing a client sent can break a playlist's lines.
 */
export function tokenQuery(token: string): string {
  return `?token=${encodeURIComponent(token)}`;
}

/** Appends `query` to every URI of a playlist (URI lines and URI="…" attributes). */
export function playlistWithQuery(playlist: string, query: string): string {
  if (!query) return playlist;
  if (/[\s"#]/.test(query)) throw new Error('playlistWithQuery: the query must be URL-encoded');
  return playlist
    .split('\n')
    .map((line) => {
      if (line.startsWith('#')) return line.replace(/URI="([^"?]+)"/g, `URI="$1${query}"`);
      return line.trim() && !line.includes('?') ? `${line}${query}` : line;
    })
    .join('\n');
}
