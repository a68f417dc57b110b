import { ChatTextSchema, OnAirError, type UserSummary } from '@onair/protocol';

/** What a review hook decides about a message. */
export type ReviewVerdict =
  | { action: 'allow' }
  | { action: 'deny'; reason?: string }
  | { action: 'rewrite'; text: string };

/** A message as the review hook sees it. */
export interface ReviewedMessage {
  streamId: string;
  author: UserSummary;
  text: string;
}

/** The host app's moderation service (for example an ML classifier), called before a message is stored. */
export type ChatReviewHook = (message: ReviewedMessage) => Promise<ReviewVerdict> | ReviewVerdict;

/** Word filter options. */
export interface WordFilterOptions {
  /** Words and phrases to catch, matched whole and case-insensitively. */
  words: string[];
  /** `mask` replaces each letter with `*` (default); `deny` refuses the message with `MESSAGE_REJECTED`. */
  action?: 'mask' | 'deny';
}

/** Review hook options. */
export interface ChatReviewOptions {
  review: ChatReviewHook;
  /** Longest wait for a verdict, ms. Default 1000. */
  timeoutMs?: number;
  /** Verdict when the hook fails or times out. Default `allow` (chat keeps flowing). */
  fallback?: 'allow' | 'deny';
}

const escapeRegExp = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The server's checks on a message's words: the configured word filter, then
 * the host app's review hook with a timeout and a fallback.
 */
export class ChatFilter {
  private readonly pattern: RegExp | null;

  constructor(
    private readonly words: WordFilterOptions | undefined,
    private readonly hook: ChatReviewOptions | undefined,
    private readonly log: (message: string) => void,
  ) {
    const list = (words?.words ?? []).map((w) => w.trim()).filter(Boolean);
    this.pattern = list.length
      ? new RegExp(
          `(?<![\\p{L}\\p{N}])(?:${list.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
          'giu',
        )
      : null;
  }

  /** The text to store, or throws `MESSAGE_REJECTED`. */
  async apply(message: ReviewedMessage): Promise<string> {
    let text = message.text;
    if (this.pattern) {
      this.pattern.lastIndex = 0;
      if (this.pattern.test(text)) {
        if (this.words?.action === 'deny') {
          throw new OnAirError('MESSAGE_REJECTED', 'Your message contains a blocked word');
        }
        text = text.replace(this.pattern, (w) => w.replace(/[\p{L}\p{N}]/gu, '*'));
      }
    }
    if (!this.hook) return text;
    const verdict = await this.review({ ...message, text });
    if (verdict.action === 'deny') {
      throw new OnAirError('MESSAGE_REJECTED', verdict.reason ?? 'Your message was not allowed');
    }
    if (verdict.action === 'rewrite') {
      const parsed = ChatTextSchema.safeParse(verdict.text);
      if (!parsed.success) {
        throw new OnAirError('MESSAGE_REJECTED', 'Your message was not allowed');
      }
      return parsed.data;
    }
    return text;
  }

  private async review(message: ReviewedMessage): Promise<ReviewVerdict> {
    const hook = this.hook as ChatReviewOptions;
    const timeoutMs = hook.timeoutMs ?? 1000;
    const fallback: ReviewVerdict =
      hook.fallback === 'deny'
        ? { action: 'deny', reason: 'Chat review is unavailable; try again' }
        : { action: 'allow' };
    let timer: NodeJS.Timeout | undefined;
    try {
      const verdict = await Promise.race([
        Promise.resolve().then(() => hook.review(message)),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        }),
      ]);
      if (verdict === 'timeout') {
        this.log(`chat review timed out after ${timeoutMs} ms; using fallback ${fallback.action}`);
        return fallback;
      }
      if (!verdict || !['allow', 'deny', 'rewrite'].includes(verdict.action)) {
        this.log('chat review returned no verdict; using fallback');
        return fallback;
      }
      return verdict;
    } catch (error) {
      this.log(
        `chat review failed (${(error as Error).message}); using fallback ${fallback.action}`,
      );
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }
}
