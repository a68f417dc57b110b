import { OnAirError, type Stream } from '@onair/protocol';
import { TokenBuckets } from '../http/rate-limit.js';

/** Default chat rate limit per user: bursts of 3, one more every 2/3 s (3 per 2 s). */
export const DEFAULT_CHAT_RATE = { capacity: 3, refillPerSecond: 1.5 };

// Pictographic emoji with their modifiers and joiners, or a channel emote `:code:`.
const EMOJI_OR_EMOTE =
  /(:[A-Za-z0-9_]{2,25}:|\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f|\s)/gu;

/** Whether `text` holds only emoji and the channel's emotes (`:code:`). */
export function isEmoteOnly(text: string, emoteCodes: ReadonlySet<string>): boolean {
  const parts = text.match(EMOJI_OR_EMOTE)?.join('') ?? '';
  if (parts !== text) return false;
  for (const match of text.matchAll(/:([A-Za-z0-9_]{2,25}):/g)) {
    if (!emoteCodes.has(match[1] as string)) return false;
  }
  return /\S/.test(text);
}

/**
 * Per-user chat pacing on one server: a token-bucket rate limit and slow
 * mode. Moderators are exempt (the caller decides). State is in memory;
 * shared limits across servers come with the Redis work.
 */
export class ChatPacing {
  private readonly buckets: TokenBuckets;
  private readonly lastMessage = new Map<string, number>();

  constructor(
    rate = DEFAULT_CHAT_RATE,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.buckets = new TokenBuckets(rate, now);
  }

  /** Throws `RATE_LIMITED` (with `retryAfterSeconds`) when `userId` may not post in `stream` yet. */
  check(stream: Stream, userId: string): void {
    const key = `${stream.id}:${userId}`;
    const slowMs = stream.chat.slowModeSeconds * 1000;
    const last = this.lastMessage.get(key);
    if (slowMs > 0 && last !== undefined && this.now() - last < slowMs) {
      const wait = Math.ceil((slowMs - (this.now() - last)) / 1000);
      throw new OnAirError('RATE_LIMITED', `Slow mode is on: wait ${wait} s`, {
        retryAfterSeconds: wait,
        slowModeSeconds: stream.chat.slowModeSeconds,
      });
    }
    const wait = this.buckets.take(key);
    if (wait > 0) {
      throw new OnAirError('RATE_LIMITED', 'You are sending messages too fast', {
        retryAfterSeconds: wait,
      });
    }
    this.lastMessage.set(key, this.now());
    if (this.lastMessage.size > 100_000) this.lastMessage.clear();
  }
}
