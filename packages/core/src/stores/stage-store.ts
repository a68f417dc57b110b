import type { JoinedStream } from '@onair/protocol';
import { type Stage, type StageLayout, type StageRole, StageSchema } from '@onair/protocol/stage';
import { OnAirError } from '../errors.js';
import type { OnAirClient } from '../transport/client.js';
import { StageApi } from '../transport/stage.js';
import { RoomStore } from './room-store.js';

/** Snapshot of a {@link StageStore}. */
export interface StageState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** The stage as last loaded or pushed; null until the first load. */
  stage: Stage | null;
  /** The caller is on stage: the stream's owner (always on it), or a member. */
  onStage: boolean;
  /** The caller's place on stage: `host` for the stream's owner, else their member role; null off stage. */
  myRole: 'host' | StageRole | null;
  /** The caller's own hand is raised. */
  handRaised: boolean;
  error: OnAirError | null;
}

/** Options of {@link StageStore}. */
export interface StageStoreOptions {
  /**
   * The caller's user id: the `sub` of the token the client sends (your
   * backend minted it), or null when signed out. The client does not read
   * its token's claims, so the store is told; `onStage`, `myRole`,
   * `handRaised`, `leave()` and `lowerHand()` depend on it.
   */
  userId: string | null;
}

const INITIAL: StageState = {
  status: 'idle',
  stage: null,
  onStage: false,
  myRole: null,
  handRaised: false,
  error: null,
};

/**
 * A stream's stage, live: its co-hosts and guests, the raised hands, and the
 * caller's own place. Loaded when the stream's room is joined (and again
 * after a rejoin, when pushes may have been missed), then kept current by
 * `stage:updated`. The owner and moderators invite, mute and remove; a
 * member leaves; a signed-in viewer raises and lowers their hand. Actions
 * reject with the server's typed `OnAirError`, also kept in `error`.
 *
 * @example
 * ```ts
 * const stage = new StageStore(client, streamId, { userId: 'usr_ana' });
 * stage.subscribe(({ onStage, handRaised }) => render(onStage, handRaised));
 * await stage.raiseHand();
 * ```
 */
export class StageStore extends RoomStore<StageState> {
  readonly #api: StageApi;
  readonly #userId: string | null;
  #ownerId: string | null = null;
  /**
   * Counts the pushes applied: an answer (of a load or an action) that a push
   * overtook may be older than that push, and every change is pushed anyway,
   * so such an answer is dropped.
   */
  #pushes = 0;

  constructor(client: OnAirClient, streamId: string, options: StageStoreOptions) {
    super(client, streamId, INITIAL);
    this.#api = new StageApi(client);
    this.#userId = options.userId;
  }

  protected listen(): Array<() => void> {
    return [
      this.client.realtime.on('stage:updated', (payload) => {
        // The event map does not check this payload (kept out of the main protocol entry).
        const parsed = StageSchema.safeParse(payload);
        if (!parsed.success || parsed.data.streamId !== this.streamId) return;
        this.#pushes++;
        this.show(parsed.data);
      }),
    ];
  }

  protected joined(answer: JoinedStream): void {
    this.#ownerId = answer.stream.owner.id;
    // A push may have come before the answer: its `myRole` is due again now the owner is known.
    if (this.snapshot.stage) this.show(this.snapshot.stage);
    void this.load();
  }

  protected override joinFailed(error: OnAirError): void {
    this.update({ status: 'error', error });
  }

  protected override reset(): StageState {
    this.#ownerId = null;
    return INITIAL;
  }

  /** Reloads the stage from the server. */
  async load(): Promise<void> {
    if (this.snapshot.status !== 'ready') this.update({ status: 'loading' });
    const pushes = this.#pushes;
    try {
      const stage = await this.#api.get(this.streamId);
      if (!this.hasListeners() || this.#pushes !== pushes) return;
      this.show(stage, { error: null });
    } catch (error) {
      if (this.hasListeners()) this.update({ status: 'error', error: OnAirError.from(error) });
    }
  }

  /**
   * Brings a user on stage as a co-host or guest, or changes their role, and
   * lowers their hand (owner, moderators). `STREAM_FULL` past the limit.
   */
  invite(userId: string, role: StageRole): Promise<Stage> {
    return this.change(() => this.#api.invite(this.streamId, userId, role));
  }

  /** Sets the layout of the picture HLS viewers see: `grid` or `speaker` (owner, moderators). */
  setLayout(layout: StageLayout): Promise<Stage> {
    return this.change(() => this.#api.setLayout(this.streamId, layout));
  }

  /** Mutes a member's microphone for everyone, or lets them speak again (owner, moderators). */
  setMuted(userId: string, mutedByHost: boolean): Promise<Stage> {
    return this.change(() => this.#api.setMuted(this.streamId, userId, mutedByHost));
  }

  /** Takes a member off the stage (owner, moderators); their tracks stop at once. */
  remove(userId: string): Promise<void> {
    return this.run(async () => {
      const pushes = this.#pushes;
      await this.#api.remove(this.streamId, userId);
      this.edit(pushes, (stage) => ({
        ...stage,
        members: stage.members.filter((m) => m.user.id !== userId),
      }));
    });
  }

  /** Leaves the stage (a member taking themselves off it). */
  leave(): Promise<void> {
    const me = this.#userId;
    if (me === null) return this.refuse('leave the stage');
    return this.remove(me);
  }

  /**
   * Raises the caller's hand (signed in, not banned, the stream live);
   * `handRaised` turns true with the `stage:updated` that follows.
   */
  raiseHand(): Promise<void> {
    return this.run(() => this.#api.raiseHand(this.streamId));
  }

  /** Lowers a hand: the caller's own by default, anyone's for the owner and moderators. */
  lowerHand(userId: string | undefined = this.#userId ?? undefined): Promise<void> {
    if (userId === undefined) return this.refuse('lower their hand');
    return this.run(async () => {
      const pushes = this.#pushes;
      await this.#api.lowerHand(this.streamId, userId);
      this.edit(pushes, (stage) => ({
        ...stage,
        hands: stage.hands.filter((h) => h.user.id !== userId),
      }));
    });
  }

  /** Runs a change whose answer is the stage after it, and shows that answer. */
  private change(work: () => Promise<Stage>): Promise<Stage> {
    return this.run(async () => {
      const pushes = this.#pushes;
      const stage = await work();
      if (this.hasListeners() && this.#pushes === pushes) this.show(stage);
      return stage;
    });
  }

  /** Applies a change the server confirmed without an answer, unless a push came meanwhile. */
  private edit(pushes: number, apply: (stage: Stage) => Stage): void {
    const { stage } = this.snapshot;
    if (stage && this.hasListeners() && this.#pushes === pushes) this.show(apply(stage));
  }

  /** Rejects an action on the caller's own behalf made without their user id. */
  private refuse(action: string): Promise<never> {
    const error = new OnAirError(
      'BAD_REQUEST',
      `StageStore needs the caller's user id (options.userId) to ${action}`,
    );
    this.update({ error });
    return Promise.reject(error);
  }

  /** Shows `stage` with the caller's place in it (and `extra` in the same snapshot). */
  private show(stage: Stage, extra: Partial<StageState> = {}): void {
    const me = this.#userId;
    const host = me !== null && me === this.#ownerId;
    const member = me === null ? undefined : stage.members.find((m) => m.user.id === me);
    this.update({
      status: 'ready',
      stage,
      onStage: host || member !== undefined,
      myRole: host ? 'host' : (member?.role ?? null),
      handRaised: me !== null && stage.hands.some((h) => h.user.id === me),
      ...extra,
    });
  }
}
