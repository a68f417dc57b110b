import { OnAirError, type Poll, type Stream } from '@onair/protocol';
import type { Identity } from '../../platform/auth/identity.js';
import type { ModerationService } from '../moderation/service.js';
import type { PollRepository } from './poll-repository.js';

/**
 * Polls: moderators open one at a time (opening one closes the previous)
 * and close it; signed-in viewers vote once.
 */
export class PollService {
  constructor(
    private readonly polls: PollRepository,
    private readonly moderation: ModerationService,
  ) {}

  /** A poll of the stream (`NOT_FOUND` otherwise). */
  async find(streamId: string, pollId: string): Promise<Poll> {
    const found = await this.polls.find(streamId, pollId);
    if (!found) throw new OnAirError('NOT_FOUND', 'Poll not found');
    return found;
  }

  /** Opens a poll; returns it and the previous open one, now closed. */
  async create(
    stream: Stream,
    by: Identity,
    question: string,
    options: string[],
  ): Promise<{ created: Poll; closed: Poll | undefined }> {
    if (stream.status === 'ended' || stream.status === 'cancelled') {
      throw new OnAirError('STREAM_NOT_LIVE', `The stream is ${stream.status}`);
    }
    const previous = (await this.polls.list(stream.id)).find((p) => !p.closed);
    const created = await this.polls.create(stream.id, by.userId, question, options);
    return { created, closed: previous ? { ...previous, closed: true } : undefined };
  }

  /** Votes once (`CONFLICT` on a second vote or a closed poll). */
  async vote(stream: Stream, pollId: string, option: number, who: Identity): Promise<Poll> {
    await this.moderation.assertNotRestricted(stream, who, 'ban');
    const found = await this.find(stream.id, pollId);
    if (found.closed) throw new OnAirError('CONFLICT', 'This poll is closed');
    if (option >= found.options.length) {
      throw new OnAirError('VALIDATION_FAILED', `This poll has ${found.options.length} options`);
    }
    if (!(await this.polls.vote(pollId, who.userId, option))) {
      throw new OnAirError('CONFLICT', 'You already voted in this poll');
    }
    return this.find(stream.id, pollId);
  }

  /** Closes a poll. */
  async close(streamId: string, pollId: string): Promise<Poll> {
    await this.find(streamId, pollId);
    await this.polls.close(pollId);
    return this.find(streamId, pollId);
  }

  /** The stream's polls, and `who`'s vote in each. */
  async list(
    streamId: string,
    who: Identity | undefined,
  ): Promise<{ items: Poll[]; myVotes: Record<string, number> }> {
    const items = await this.polls.list(streamId);
    return {
      items,
      myVotes: who
        ? await this.polls.votesOf(
            who.userId,
            items.map((p) => p.id),
          )
        : {},
    };
  }
}
