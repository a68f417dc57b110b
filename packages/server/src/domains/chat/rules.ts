import { OnAirError, type Stream } from '@onair/protocol';
import { type SharedState, takeToken } from '../../platform/shared-state/shared-state.js';
import type { RateLimit } from '../../platform/shared-state/token-buckets.js';

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
 * Per-user chat pacing: slow mode, then a token-bucket rate limit. State lives
 * in {@link SharedState}, so it holds across servers when Redis is used.
 * Moderators are exempt (the caller decides).
 */
export class ChatPacing {
  constructor(
    private readonly state: SharedState,
    private readonly rate: RateLimit = DEFAULT_CHAT_RATE,
  ) {}

  /** Throws `RATE_LIMITED` (with `retryAfterSeconds`) when `userId` may not post in `stream` yet. */
  async check(stream: Pick<Stream, 'id' | 'chat'>, userId: string): Promise<void> {
    const key = `chat:${stream.id}:${userId}`;
    await takeToken(this.state, key, this.rate, 'You are sending messages too fast');
    const slowMs = stream.chat.slowModeSeconds * 1000;
    if (slowMs > 0) {
      const left = await this.state.slowMode(key, slowMs);
      if (left > 0) {
        const seconds = Math.ceil(left / 1000);
        throw new OnAirError('RATE_LIMITED', `Slow mode is on: wait ${seconds} s`, {
          retryAfterSeconds: seconds,
          slowModeSeconds: stream.chat.slowModeSeconds,
        });
      }
    }
  }
}
