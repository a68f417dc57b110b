import type { JoinedStream } from '@onair/protocol';
import { OnAirError } from '../errors.js';
import { Subscribable } from '../subscribable.js';
import type { OnAirClient } from '../transport/client.js';
import type { RoomLease } from '../transport/realtime.js';

/**
 * Base of the stores that follow one stream's room (reactions, questions,
 * polls, presence): the room is held from the first listener to the last,
 * shared with the other stores of the stream; errors land in `error`.
 */
export abstract class RoomStore<T extends { error: OnAirError | null }> extends Subscribable<T> {
  protected snapshot: T;
  private cleanups: Array<() => void> = [];

  constructor(
    protected readonly client: OnAirClient,
    /** The stream whose room this store follows. */
    readonly streamId: string,
    private readonly initial: T,
  ) {
    super();
    this.snapshot = initial;
  }

  /** Registers the store's realtime listeners; returns their cleanups. */
  protected abstract listen(lease: RoomLease): Array<() => void>;

  /** Called with the join answer (the first one and each rejoin's). */
  protected abstract joined(answer: JoinedStream): void;

  /** Called when joining fails. */
  protected joinFailed(error: OnAirError): void {
    this.update({ error } as Partial<T>);
  }

  /** Called when the last listener leaves: drops state and returns the snapshot to start from. */
  protected reset(): T {
    return this.initial;
  }

  protected override onSubscribe(): void {
    const lease = this.client.realtime.holdRoom(this.streamId);
    this.cleanups = [
      () => lease.release(),
      lease.onRejoin((answer) => this.joined(answer)),
      lease.onRejoinError((error) => this.joinFailed(error)),
      ...this.listen(lease),
    ];
    lease.joined.then(
      (answer) => {
        if (this.hasListeners()) this.joined(answer);
      },
      (error: unknown) => this.joinFailed(OnAirError.from(error)),
    );
  }

  protected override onUnsubscribe(): void {
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups = [];
    this.setSnapshot(this.reset());
  }

  /** Runs a request; on failure rolls back, records the typed error and rethrows it. */
  protected async run<R>(work: () => Promise<R>, rollback?: () => void): Promise<R> {
    try {
      return await work();
    } catch (error) {
      rollback?.();
      const failure = OnAirError.from(error);
      this.update({ error: failure } as Partial<T>);
      throw failure;
    }
  }
}
