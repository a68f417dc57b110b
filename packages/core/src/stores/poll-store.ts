import type { Poll } from '@onair/protocol';
import { OnAirError } from '../errors.js';
import type { OnAirClient } from '../transport/client.js';
import { RoomStore } from './room-store.js';

/** Snapshot of a {@link PollStore}. */
export interface PollState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** The stream's polls, newest first. */
  polls: readonly Poll[];
  /** The newest poll (open or just closed), or null. */
  current: Poll | null;
  /** Option index the caller chose, per poll id. */
  myVotes: Readonly<Record<string, number>>;
  error: OnAirError | null;
}

const INITIAL: PollState = { status: 'idle', polls: [], current: null, myVotes: {}, error: null };

/**
 * A stream's polls with live results: vote once, and for the owner and
 * moderators create (2–10 options) and close.
 *
 * @example
 * ```ts
 * const polls = new PollStore(client, streamId);
 * polls.subscribe(({ current }) => render(current));
 * await polls.vote(pollId, 1);
 * ```
 */
export class PollStore extends RoomStore<PollState> {
  constructor(client: OnAirClient, streamId: string) {
    super(client, streamId, INITIAL);
  }

  protected listen(): Array<() => void> {
    return [
      this.client.realtime.on('poll:updated', (poll) => {
        if (poll.streamId === this.streamId) this.#upsert(poll);
      }),
    ];
  }

  protected joined(): void {
    void this.load();
  }

  protected override joinFailed(error: OnAirError): void {
    this.update({ status: 'error', error });
  }

  /** Reloads the polls from the server. */
  async load(): Promise<void> {
    if (this.snapshot.status !== 'ready') this.update({ status: 'loading' });
    try {
      const list = await this.client.realtime.request('poll:list', { streamId: this.streamId });
      if (!this.hasListeners()) return;
      this.update({
        status: 'ready',
        polls: list.items,
        current: list.items[0] ?? null,
        myVotes: list.myVotes,
        error: null,
      });
    } catch (error) {
      this.update({ status: 'error', error: OnAirError.from(error) });
    }
  }

  /** Creates a poll (owner and moderators); an open poll is closed first. */
  create(question: string, options: string[]): Promise<Poll> {
    return this.run(async () =>
      this.#upsert(
        await this.client.realtime.request('poll:create', {
          streamId: this.streamId,
          question,
          options,
        }),
      ),
    );
  }

  /** Votes once for option `option` (0-based): shown at once, taken back if the server refuses. */
  vote(pollId: string, option: number): Promise<Poll> {
    const before = this.snapshot;
    const known = before.polls.find((p) => p.id === pollId);
    if (known && before.myVotes[pollId] === undefined) {
      this.#upsert({
        ...known,
        totalVotes: known.totalVotes + 1,
        options: known.options.map((o, i) => (i === option ? { ...o, votes: o.votes + 1 } : o)),
      });
      this.update({ myVotes: { ...before.myVotes, [pollId]: option } });
    }
    return this.run(
      async () => {
        const poll = await this.client.realtime.request('poll:vote', {
          streamId: this.streamId,
          pollId,
          option,
        });
        this.update({ myVotes: { ...this.snapshot.myVotes, [pollId]: option } });
        return this.#upsert(poll, true);
      },
      () => {
        if (!known) return;
        this.#upsert(known, true);
        const { [pollId]: _undone, ...myVotes } = this.snapshot.myVotes;
        this.update({ myVotes: before.myVotes[pollId] === undefined ? myVotes : before.myVotes });
      },
    );
  }

  /** Closes a poll (owner and moderators). */
  close(pollId: string): Promise<Poll> {
    return this.run(async () =>
      this.#upsert(
        await this.client.realtime.request('poll:close', { streamId: this.streamId, pollId }),
      ),
    );
  }

  #upsert(poll: Poll, force = false): Poll {
    const others = this.snapshot.polls.filter((p) => p.id !== poll.id);
    const known = this.snapshot.polls.find((p) => p.id === poll.id);
    // Results only grow: an older snapshot arriving late is ignored.
    const stale = known && (known.totalVotes > poll.totalVotes || (known.closed && !poll.closed));
    const latest = stale && !force ? known : poll;
    const polls = [latest, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    this.update({ polls, current: polls[0] ?? null });
    return latest;
  }
}
