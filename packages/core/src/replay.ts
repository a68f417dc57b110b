/**
 * `@onair/core/replay`: a recording played back with its stream's chat,
 * questions and reactions at the moment they happened, and its chapters
 * ({@link ReplayStore}, following a `<video>`'s time), over the replay REST
 * API ({@link ReplayApi}). Its own entry: apps without replays load none of it.
 *
 * @example
 * ```ts
 * import { ReplayStore } from '@onair/core/replay';
 * const replay = new ReplayStore(client, streamId);
 * const detach = replay.attach(video);
 * replay.subscribe(({ messages, chapter }) => render(messages, chapter));
 * ```
 * @packageDocumentation
 */
import {
  type Chapter,
  ChapterListSchema,
  ChapterSchema,
  type ReplayMessage,
  type ReplayQuestion,
  type ReplayReaction,
  type ReplayWindow,
  ReplayWindowSchema,
} from '@onair/protocol/replay';
import { OnAirError } from './errors.js';
import { Subscribable } from './subscribable.js';
import type { OnAirClient } from './transport/client.js';

const streamPath = (id: string) => `/v1/streams/${encodeURIComponent(id)}`;

/**
 * The replay REST API: windows of what happened during a stream, placed on
 * its recording, and chapters (markers the stream's owner and moderators set
 * while it is live).
 */
export class ReplayApi {
  readonly #client: OnAirClient;

  constructor(client: OnAirClient) {
    this.#client = client;
  }

  /** What happened in `[from, to)` seconds of the recording (at most 300 s). */
  window(streamId: string, from: number, to: number): Promise<ReplayWindow> {
    return this.#client.request(
      ReplayWindowSchema,
      `${streamPath(streamId)}/replay?from=${from}&to=${to}`,
    );
  }

  /** A stream's chapters in the recording's order. */
  async chapters(streamId: string): Promise<Chapter[]> {
    return (await this.#client.request(ChapterListSchema, `${streamPath(streamId)}/chapters`))
      .items;
  }

  /**
   * Sets a chapter marker at the live moment (the stream's owner, moderators,
   * admins); `STREAM_NOT_LIVE` once the stream ended.
   */
  mark(streamId: string, title: string): Promise<Chapter> {
    return this.#client.request(ChapterSchema, `${streamPath(streamId)}/markers`, {
      method: 'POST',
      body: { title },
    });
  }

  /** Deletes a chapter marker. */
  async unmark(streamId: string, markerId: string): Promise<void> {
    await this.#client.requestText(
      `${streamPath(streamId)}/markers/${encodeURIComponent(markerId)}`,
      { method: 'DELETE' },
    );
  }
}

/** Snapshot of a {@link ReplayStore}. */
export interface ReplayState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** The playback position this snapshot shows, seconds. */
  time: number;
  /** Chat sent up to `time` (the newest {@link REPLAY_MESSAGES_SHOWN}), oldest first. */
  messages: readonly ReplayMessage[];
  /**
   * Questions asked up to `time` (within the last two windows), oldest first;
   * `answer` is null until the moment it was answered.
   */
  questions: readonly ReplayQuestion[];
  /**
   * Reactions of the minute playing at `time`: spread their `count` over
   * `spanSeconds` from `offsetSeconds` to show them as they came.
   */
  reactions: readonly ReplayReaction[];
  chapters: readonly Chapter[];
  /** The chapter playing at `time`. */
  chapter: Chapter | null;
  error: OnAirError | null;
}

/** Most chat messages a {@link ReplayState} holds. */
export const REPLAY_MESSAGES_SHOWN = 150;
/** Seconds of the recording one request loads. */
const WINDOW_SECONDS = 60;
/** Windows kept around the playing one (others are dropped, and loaded again when needed). */
const WINDOWS_KEPT = 3;

/** Errors a window's request gets again if asked again: not retried until the next listener. */
const FINAL_ERRORS = new Set(['NOT_FOUND', 'STREAM_NOT_LIVE', 'UNAUTHORIZED', 'FORBIDDEN']);
/** How long a window that failed otherwise waits before it is asked again, ms. */
const RETRY_MS = 5_000;

const INITIAL: ReplayState = {
  status: 'idle',
  time: 0,
  messages: [],
  questions: [],
  reactions: [],
  chapters: [],
  chapter: null,
  error: null,
};

/**
 * A recording's chat, questions, reactions and chapters as of a playback
 * position. Attach it to the `<video>` playing the recording ({@link attach})
 * or move it yourself ({@link seek}); it loads the minute playing, the one
 * before (what a viewer who seeks sees scrolled back) and the next one.
 */
export class ReplayStore extends Subscribable<ReplayState> {
  protected snapshot = INITIAL;
  /** The REST calls the store makes. */
  readonly api: ReplayApi;
  readonly #windows = new Map<number, ReplayWindow>();
  readonly #loading = new Map<number, Promise<void>>();
  /** Windows that failed: when to try again (never, for an answer that will not change). */
  readonly #retryAt = new Map<number, number>();
  #chapters: Promise<void> | undefined;
  #generation = 0;

  readonly #streamId: string;

  constructor(client: OnAirClient, streamId: string) {
    super();
    this.#streamId = streamId;
    this.api = new ReplayApi(client);
  }

  protected override onSubscribe(): void {
    this.seek(this.snapshot.time);
  }

  protected override onUnsubscribe(): void {
    // Answers still on their way are dropped; the next listener loads again.
    this.#generation++;
    this.#loading.clear();
    this.#retryAt.clear();
    this.#chapters = undefined;
  }

  /**
   * Follows a media element's playback (`timeupdate`, `seeked`, a new
   * source). Returns the function that stops following it.
   */
  attach(media: HTMLMediaElement): () => void {
    const follow = () => this.seek(media.currentTime);
    const events = ['timeupdate', 'seeked', 'loadedmetadata'] as const;
    for (const name of events) media.addEventListener(name, follow);
    follow();
    return () => {
      for (const name of events) media.removeEventListener(name, follow);
    };
  }

  /** Shows the state at `time` seconds of the recording, loading what it needs. */
  seek(time: number): void {
    const at = Number.isFinite(time) && time > 0 ? time : 0;
    const index = Math.floor(at / WINDOW_SECONDS);
    for (const key of this.#windows.keys()) {
      if (Math.abs(key - index) > WINDOWS_KEPT) this.#windows.delete(key);
    }
    this.#loadChapters();
    const needed = [index - 1, index, index + 1].filter((i) => i >= 0);
    const now = Date.now();
    const missing = needed.filter(
      (i) => !this.#windows.has(i) && (this.#retryAt.get(i) ?? 0) <= now,
    );
    for (const i of missing) this.#load(i);
    const waiting = [index - 1, index].some((i) => i >= 0 && !this.#windows.has(i));
    this.#show(at, waiting && this.snapshot.status !== 'error' ? 'loading' : undefined);
  }

  #loadChapters(): void {
    if (this.#chapters) return;
    const generation = this.#generation;
    this.#chapters = this.api.chapters(this.#streamId).then(
      (chapters) => {
        if (generation !== this.#generation) return;
        this.update({ chapters });
        this.#show(this.snapshot.time);
      },
      () => undefined,
    );
  }

  #load(index: number): void {
    if (this.#loading.has(index)) return;
    const generation = this.#generation;
    const from = index * WINDOW_SECONDS;
    const load = this.api.window(this.#streamId, from, from + WINDOW_SECONDS).then(
      (window) => {
        if (generation !== this.#generation) return;
        this.#loading.delete(index);
        this.#windows.set(index, window);
        this.#show(this.snapshot.time, 'ready');
      },
      (error: unknown) => {
        if (generation !== this.#generation) return;
        this.#loading.delete(index);
        const typed = OnAirError.from(error);
        // Playback moves four times a second: a failure is not asked again at that pace.
        const final = FINAL_ERRORS.has(typed.code);
        this.#retryAt.set(index, final ? Number.POSITIVE_INFINITY : Date.now() + RETRY_MS);
        this.update({ status: 'error', error: typed });
      },
    );
    this.#loading.set(index, load);
  }

  /** Recomputes what shows at `time`; a new snapshot only when that changed. */
  #show(time: number, status?: ReplayState['status']): void {
    const index = Math.floor(time / WINDOW_SECONDS);
    const loaded = [index - 1, index].flatMap((i) => {
      const window = this.#windows.get(i);
      return window ? [window] : [];
    });
    const messages = loaded
      .flatMap((w) => w.messages)
      .filter((m) => m.offsetSeconds <= time)
      .slice(-REPLAY_MESSAGES_SHOWN);
    const questions = loaded
      .flatMap((w) => w.questions)
      .filter((q) => q.offsetSeconds <= time)
      .map((q) =>
        q.answerOffsetSeconds !== null && q.answerOffsetSeconds <= time
          ? q
          : { ...q, answered: false, answer: null },
      );
    const reactions = loaded
      .flatMap((w) => w.reactions)
      .filter((r) => r.offsetSeconds <= time && time < r.offsetSeconds + r.spanSeconds);
    const chapter =
      this.snapshot.chapters.findLast((c) => c.offsetSeconds !== null && c.offsetSeconds <= time) ??
      null;
    const before = this.snapshot;
    const next: ReplayState = {
      ...before,
      time,
      status: status ?? (before.status === 'idle' ? 'loading' : before.status),
      error: status === 'ready' ? null : before.error,
      messages: sameIds(before.messages, messages) ? before.messages : messages,
      questions: sameQuestions(before.questions, questions) ? before.questions : questions,
      reactions: sameReactions(before.reactions, reactions) ? before.reactions : reactions,
      chapter: before.chapter?.id === chapter?.id ? before.chapter : chapter,
    };
    const changed =
      next.messages !== before.messages ||
      next.questions !== before.questions ||
      next.reactions !== before.reactions ||
      next.chapter !== before.chapter ||
      next.status !== before.status ||
      next.error !== before.error;
    // The time alone moves on every `timeupdate`: listeners hear of it with the next change.
    if (changed) this.setSnapshot(next);
    else this.snapshot = next;
  }
}

const sameIds = (a: readonly { id: string }[], b: readonly { id: string }[]) =>
  a.length === b.length && a.every((item, i) => item.id === b[i]?.id);

const sameQuestions = (a: readonly ReplayQuestion[], b: readonly ReplayQuestion[]) =>
  sameIds(a, b) && a.every((q, i) => (q.answer === null) === (b[i]?.answer === null));

const sameReactions = (a: readonly ReplayReaction[], b: readonly ReplayReaction[]) =>
  a.length === b.length &&
  a.every((r, i) => r.emoji === b[i]?.emoji && r.offsetSeconds === b[i]?.offsetSeconds);
