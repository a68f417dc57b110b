import type { Stream } from '@onair/protocol';
import { OnAirError } from '../errors.js';
import { isStreamOver } from '../stream-status.js';
import { Subscribable } from '../subscribable.js';
import type { OnAirClient } from '../transport/client.js';
import type { RoomLease } from '../transport/realtime.js';
import type { Player } from './player.js';
import { playbackOf, playStream, streamPosterUrl, type WatchOptions } from './stream-viewer.js';

/**
 * Where a stream is, as a viewer sees it:
 * - `loading`: looking it up;
 * - `scheduled`: not started (see `stream.scheduledAt`);
 * - `live`: playing live;
 * - `reconnecting`: live, but the broadcaster dropped and the grace period
 *   runs (until `reconnectingUntil`);
 * - `ended`: ended or cancelled, with no replay (yet: a recording may still
 *   be finishing, and then the phase moves to `replay`);
 * - `replay`: the recording is loaded (VOD: a seek bar from 0);
 * - `error`: the lookup failed (`error`: `NOT_FOUND`, `FORBIDDEN`, ...).
 */
export type StreamPhase =
  | 'loading'
  | 'scheduled'
  | 'live'
  | 'reconnecting'
  | 'ended'
  | 'replay'
  | 'error';

/** Snapshot of a {@link StreamSession}. */
export interface StreamSessionState {
  phase: StreamPhase;
  /** The stream as last seen (REST, then realtime updates); null before the lookup answers. */
  stream: Stream | null;
  /** While `reconnecting`: when the stream ends unless the broadcaster returns (ISO 8601). */
  reconnectingUntil: string | null;
  /** Image to show before and instead of the picture (absolute URL), when there is one. */
  poster: string | null;
  error: OnAirError | null;
}

/** Options of {@link StreamSession}. */
export interface StreamSessionOptions extends WatchOptions {
  /** Start a replay without waiting for `play()`. Default false (it shows its poster). */
  autoplayReplay?: boolean;
  /**
   * Reports each playback as a view session: pass
   * `viewAnalyticsOf(client)` from `@onair/core/analytics` (the client's
   * `analytics` option sets sampling and opt-out). `<onair-player>` and
   * `useLiveStream` pass it; the headless core leaves it to you, so pages
   * that never report do not ship the reporter.
   */
  analytics?: { track(player: Player, streamId: string): () => void };
}

const INITIAL: StreamSessionState = {
  phase: 'loading',
  stream: null,
  reconnectingUntil: null,
  poster: null,
  error: null,
};

/**
 * Watches one stream by id for its whole life in a {@link Player}: a
 * scheduled stream waits (its poster and start time in the state) and starts
 * playing when it goes live; a live one plays (real time or HLS); when the
 * broadcaster drops, the state says `reconnecting` for the grace period only;
 * when the stream ends, playback stops at once (no more playlist requests)
 * and the replay loads when the recording is ready; an ended stream opens on
 * its replay. Status changes arrive over realtime (the stream's room), so
 * every viewer sees the end within a round trip.
 *
 * The session drives the Player but does not own it: {@link destroy} stops
 * following, the caller destroys the Player.
 *
 * @example
 * ```ts
 * const session = new StreamSession(new Player(video), client, streamId, { realtime: true });
 * session.subscribe(({ phase }) => console.log(phase));
 * await session.start();
 * ```
 */
export class StreamSession extends Subscribable<StreamSessionState> {
  protected snapshot: StreamSessionState = INITIAL;
  #lease: RoomLease | undefined;
  #offs: Array<() => void> = [];
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the Player was told to play. */
  #playing: 'live' | 'replay' | null = null;
  #started = false;
  #destroyed = false;

  constructor(
    /** The Player the session drives. */
    readonly player: Player,
    private readonly client: OnAirClient,
    /** The stream watched. */
    readonly streamId: string,
    private readonly options: StreamSessionOptions = {},
  ) {
    super();
  }

  /**
   * Looks the stream up, follows its room and plays what there is to play.
   * Resolves once the lookup answered (a failed lookup is the `error` phase,
   * not a rejection). Call once.
   */
  async start(): Promise<void> {
    if (this.#started || this.#destroyed) return;
    this.#started = true;
    const { realtime } = this.client;
    const mine = (streamId: string) => streamId === this.streamId;
    this.#offs = [
      realtime.on('stream:updated', (stream) => {
        if (mine(stream.id)) this.#apply(stream);
      }),
      realtime.on('stream:publisher', ({ streamId, state, endsAt }) => {
        if (!mine(streamId)) return;
        if (state === 'reconnecting' && endsAt) this.#reconnecting(endsAt);
        else this.#reconnected();
      }),
      realtime.on('stream:access-revoked', ({ streamId }) => {
        if (!mine(streamId)) return;
        this.#stopPlaying();
        this.#update({
          phase: 'error',
          error: new OnAirError('FORBIDDEN', 'You can no longer watch this stream'),
        });
      }),
    ];
    // The room brings status changes; without it (refused, offline) the lookup still plays.
    const lease = realtime.holdRoom(this.streamId);
    this.#lease = lease;
    this.#track();
    this.#offs.push(lease.onRejoin((answer) => this.#apply(answer.stream)));
    lease.joined.then(
      (answer) => this.#apply(answer.stream),
      () => undefined,
    );
    try {
      this.#apply(await this.client.streams.get(this.streamId));
    } catch (error) {
      if (this.#destroyed || this.snapshot.stream) return;
      this.#update({ phase: 'error', error: OnAirError.from(error) });
    }
  }

  /** Every playback is a view session, when the options ask for it. */
  #track(): void {
    const { analytics } = this.options;
    if (analytics) this.#offs.push(analytics.track(this.player, this.streamId));
  }

  /** Plays the replay now (for a "watch the replay" button). No effect without one. */
  async playReplay(): Promise<void> {
    if (this.snapshot.phase !== 'replay') return;
    await this.player.play().catch(() => undefined);
  }

  #apply(stream: Stream): void {
    if (this.#destroyed) return;
    const held = this.snapshot.stream;
    // Updates may cross (a join answer and a push): never step back to an older copy.
    if (held && Date.parse(stream.updatedAt) < Date.parse(held.updatedAt)) return;
    const poster = streamPosterUrl(this.client, stream);
    if (stream.status === 'scheduled') {
      this.#update({ stream, poster, phase: 'scheduled', error: null });
      return;
    }
    if (stream.status === 'live') {
      const phase = this.snapshot.phase === 'reconnecting' ? 'reconnecting' : 'live';
      this.#update({ stream, poster, phase, error: null });
      if (this.#playing !== 'live') this.#play(stream);
      return;
    }
    // Ended or cancelled: stop the live playback at once, then the replay if there is one.
    clearTimeout(this.#graceTimer);
    if (this.#playing === 'live') this.#stopPlaying();
    const replay = isStreamOver(stream.status) && stream.recordingUrl !== null;
    this.#update({
      stream,
      poster,
      phase: replay ? 'replay' : 'ended',
      reconnectingUntil: null,
      error: null,
    });
    if (replay && this.#playing !== 'replay') this.#play(stream);
  }

  #play(stream: Stream): void {
    const playback = playbackOf(this.client, stream, this.options);
    if (!playback) return;
    this.#playing = playback.mode === 'replay' ? 'replay' : 'live';
    void playStream(this.player, playback).then(() => {
      if (playback.mode === 'replay' && this.options.autoplayReplay && !this.#destroyed) {
        return this.player.play().catch(() => undefined);
      }
    });
  }

  #stopPlaying(): void {
    this.#playing = null;
    this.player.stop();
  }

  #reconnecting(endsAt: string): void {
    const left = Date.parse(endsAt) - Date.now();
    clearTimeout(this.#graceTimer);
    if (this.snapshot.stream?.status !== 'live' || !(left > 0)) return;
    this.#update({ phase: 'reconnecting', reconnectingUntil: endsAt });
    // Past the grace period the server ends the stream: "reconnecting" is no longer true.
    this.#graceTimer = setTimeout(() => this.#reconnected(), left);
  }

  #reconnected(): void {
    clearTimeout(this.#graceTimer);
    if (this.snapshot.phase !== 'reconnecting') return;
    this.#update({ phase: 'live', reconnectingUntil: null });
  }

  /** Stops following the stream (the Player is the caller's to destroy). Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    clearTimeout(this.#graceTimer);
    for (const off of this.#offs) off();
    this.#offs = [];
    this.#lease?.release();
    this.#lease = undefined;
  }

  #update(patch: Partial<StreamSessionState>): void {
    this.setSnapshot({ ...this.snapshot, ...patch });
  }
}
