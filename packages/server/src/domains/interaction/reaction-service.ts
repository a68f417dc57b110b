import { OnAirError, type ReactionStats, type Stream } from '@onair/protocol';
import type { Identity } from '../../platform/auth/identity.js';
import { type SharedState, takeToken } from '../../platform/shared-state/shared-state.js';
import type { RateLimit } from '../../platform/shared-state/token-buckets.js';
import type { ChannelRepository } from '../channels/repository.js';
import type { ModerationService } from '../moderation/service.js';
import type { ReactionRepository } from './reaction-repository.js';

/** How often reaction totals are written for analytics, ms. */
const REACTION_FLUSH_MS = 5_000;
/** How long a channel's emote codes are trusted, ms. */
const EMOTE_CACHE_MS = 10_000;

/** What {@link ReactionService} needs. */
export interface ReactionServiceDeps {
  reactions: ReactionRepository;
  channels: ChannelRepository;
  moderation: ModerationService;
  state: SharedState;
  rate: RateLimit;
  log: (message: string) => void;
}

/**
 * Live reactions: who may react (turned on, live, not restricted, a known
 * emote, within the rate limit), and the totals kept for analytics (summed
 * per batch window, written every few seconds). Start with {@link start},
 * stop with {@link close}.
 */
export class ReactionService {
  private readonly totals = new Map<string, Map<string, number>>();
  private readonly emotes = new Map<string, { codes: Set<string>; at: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: ReactionServiceDeps) {}

  /** Starts writing totals. */
  start(): void {
    this.timer = setInterval(() => void this.flush(), REACTION_FLUSH_MS);
    this.timer.unref();
  }

  /**
   * Checks a reaction of `who` (undefined: an anonymous viewer); the rate
   * limit keys on `callerKey` (the user, or an anonymous viewer's client
   * address, which outlives its connection); throws what refuses it.
   */
  async accept(
    stream: Stream,
    emoji: string,
    who: Identity | undefined,
    callerKey: string,
  ): Promise<void> {
    if (!stream.reactionsEnabled) {
      throw new OnAirError('FORBIDDEN', 'Reactions are turned off for this stream');
    }
    if (stream.status !== 'live') throw new OnAirError('STREAM_NOT_LIVE', 'The stream is not live');
    if (who) await this.deps.moderation.assertNotRestricted(stream, who);
    if (emoji.startsWith(':') && !(await this.emotesOf(stream.owner.id)).has(emoji.slice(1, -1))) {
      throw new OnAirError('VALIDATION_FAILED', `Unknown emote ${emoji}`);
    }
    await takeToken(
      this.deps.state,
      `react:${stream.id}:${callerKey}`,
      this.deps.rate,
      'You are sending reactions too fast',
    );
  }

  private async emotesOf(channelId: string): Promise<ReadonlySet<string>> {
    const cached = this.emotes.get(channelId);
    if (cached && Date.now() - cached.at < EMOTE_CACHE_MS) return cached.codes;
    const channel = await this.deps.channels.require(channelId, undefined);
    const codes = new Set(channel.emotes.map((e) => e.code));
    this.emotes.set(channelId, { codes, at: Date.now() });
    return codes;
  }

  /** Adds a batch window's reactions of a stream to the totals. */
  record(streamId: string, counts: ReadonlyMap<string, number>): void {
    const totals = this.totals.get(streamId) ?? new Map<string, number>();
    for (const [emoji, n] of counts) totals.set(emoji, (totals.get(emoji) ?? 0) + n);
    this.totals.set(streamId, totals);
  }

  /** Totals by emoji and per minute. */
  stats(streamId: string): Promise<ReactionStats> {
    return this.deps.reactions.stats(streamId);
  }

  private async flush(): Promise<void> {
    const pending = [...this.totals];
    this.totals.clear();
    for (const [streamId, counts] of pending) {
      await this.deps.reactions
        .add(streamId, new Date(), counts)
        .catch((error: unknown) =>
          this.deps.log(`reaction stats failed: ${(error as Error).message}`),
        );
    }
  }

  /** Stops the timer and writes what is pending. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
