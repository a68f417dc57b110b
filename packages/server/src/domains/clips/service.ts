import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clip, type ClipPage, OnAirError, type Stream } from '@onair/protocol';
import type { CreateClipInputSchema } from '@onair/protocol/clips';
import type { z } from 'zod/mini';
import type { ClipRange, CutClip } from '../../media/clips/cutter.js';
import { canModerate, type Identity } from '../../platform/auth/identity.js';
import type { InternalBus } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { type SharedState, takeToken } from '../../platform/shared-state/shared-state.js';
import type { RateLimit } from '../../platform/shared-state/token-buckets.js';
import type { ModerationService } from '../moderation/service.js';
import type { StreamService } from '../streams/service.js';
import type { ClipRepository, StoredClip } from './repository.js';

/** Path prefix of clips' media and share pages. */
export const CLIPS_PREFIX = '/clips';

/** A parsed `POST /v1/streams/:id/clips` body. */
export type ClipRequest = z.output<typeof CreateClipInputSchema>;

/** What the clip service needs. */
export interface ClipServiceDeps {
  clips: ClipRepository;
  streams: StreamService;
  /** Records the caller as a user (a clip names its creator). */
  upsertUser: (who: Identity) => Promise<void>;
  moderation: ModerationService;
  state: Pick<SharedState, 'take'>;
  /** Where `clip:created` goes (webhooks). */
  bus: InternalBus;
  /** How often one user may clip. */
  rate: RateLimit;
  /**
   * Clips one user may make a day (of a stream they do not run: its owner
   * and moderators have no daily allowance). Each may be a minute of the
   * top rendition on disk. Default {@link DEFAULT_CLIPS_PER_DAY}.
   */
  perDay?: number;
  /** Folder of every clip's files (`<dir>/<clip id>/clip.mp4`, `poster.jpg`). */
  dir: string;
  /**
   * Cuts a clip of a stream's media into `outDir`; undefined when this
   * server runs no media (clips can then be listed, not made).
   */
  cut?: ((streamId: string, outDir: string, range: ClipRange) => Promise<CutClip>) | undefined;
  /** Where peers reach this node, when it has peers: stored with the clips it cuts. */
  nodeUrl?: (() => string | undefined) | undefined;
  /** The other nodes (servers sharing Redis): absent on a single node. */
  peers?: ClipPeers | undefined;
  /**
   * Where what is left of a clip's files is reported: on a node that did
   * not delete them (it does when back: {@link ClipService.sweepTombstones}),
   * a tombstone that could not be written, a folder that could not be deleted.
   */
  log?: ((message: string) => void) | undefined;
  /** Most cuts at once on this server; more wait in line. Default 2. */
  concurrency?: number;
  /** Most cuts waiting in line; more are refused (`RATE_LIMITED`). Default 16. */
  queue?: number;
}

/**
 * Clips across a deployment's nodes, each with its own media folder: the
 * node with a stream's media cuts its clips and keeps their files
 * (`domains/clips/node-routes.ts`).
 */
export interface ClipPeers {
  /** The other node with a stream's media (its URL), when this node has none of it. */
  mediaNodeOf(streamId: string): Promise<string | undefined>;
  /** Has the node at `url` cut a clip into its own folder. */
  cut(url: string, streamId: string, clipId: string, range: ClipRange): Promise<CutClip>;
  /**
   * Deletes a clip's files on the node at `url`; false when it did not: it
   * did not answer, or refused (the clip is still being cut there).
   */
  drop(url: string, clipId: string): Promise<boolean>;
}

/** Tombstones read at a time by {@link ClipService.sweepTombstones}. */
const TOMBSTONE_BATCH = 200;
/** A clip's id ({@link newId}): a folder name of its own, never a path. */
const CLIP_ID = /^clp_[A-Za-z0-9_-]{1,60}$/;

const notFound = () => new OnAirError('NOT_FOUND', 'Clip not found');

/** Default of {@link ClipServiceDeps.perDay}. */
export const DEFAULT_CLIPS_PER_DAY = 50;
const DAY_SECONDS = 86_400;

/**
 * What a clip's playback token is for: that clip alone (a link shared opens
 * the clip, never the rest of the stream).
 */
export const clipScope = (clipId: string): string => `clip:${clipId}`;

/** A clip's URLs as stored (unsigned). */
type ClipUrls = { url: string; posterUrl: string | null; pageUrl: string };

const urlsOf = (clip: StoredClip): ClipUrls => ({
  url: `${CLIPS_PREFIX}/${clip.id}/clip.mp4`,
  posterUrl: clip.hasPoster ? `${CLIPS_PREFIX}/${clip.id}/poster.jpg` : null,
  pageUrl: `${CLIPS_PREFIX}/${clip.id}`,
});

const toClip = (clip: StoredClip, urls: ClipUrls): Clip => ({
  id: clip.id,
  streamId: clip.streamId,
  title: clip.title,
  createdBy: clip.createdBy,
  startSeconds: clip.startSeconds,
  durationSeconds: clip.durationSeconds,
  ...urls,
  createdAt: clip.createdAt.toISOString(),
});

/**
 * Clips of streams: anyone who may see a stream may clip it (not a user the
 * channel banned), as often as the rate allows; its clips are seen by whoever
 * may see the stream, with URLs signed like the stream's; the clip's
 * creator, the stream's owner, its moderators and admins may delete one.
 * Cuts run a few at a time (ffmpeg copies, it does not encode).
 */
export class ClipService {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Clips being cut on this node (their tombstones wait). */
  private readonly beingCut = new Set<string>();

  constructor(private readonly deps: ClipServiceDeps) {}

  /** The folder of a clip's files. */
  dirOf(id: string): string {
    return join(this.deps.dir, id);
  }

  /** Cuts a clip of a live stream or a recording; see {@link ClipRequest}. */
  async create(streamId: string, who: Identity | undefined, input: ClipRequest): Promise<Clip> {
    if (!who) throw new OnAirError('UNAUTHORIZED', 'Sign in to make clips');
    const stream = await this.deps.streams.get(streamId, who);
    await this.deps.moderation.assertNotRestricted(stream, who, 'ban');
    const recorded = stream.status === 'ended' && stream.recordingUrl !== null;
    if (stream.status !== 'live' && !recorded) {
      throw new OnAirError(
        'STREAM_NOT_LIVE',
        stream.status === 'ended'
          ? 'This stream was not recorded: there is nothing to clip'
          : 'This stream has not started: there is nothing to clip yet',
        { status: stream.status },
      );
    }
    // Another node has the stream's media (holding it live, or keeping its recording): it cuts.
    const there = await this.deps.peers?.mediaNodeOf(stream.id);
    if (!there && !this.deps.cut) {
      throw new OnAirError('MEDIA_UNAVAILABLE', 'This server does not cut clips');
    }
    // The burst first: a refused press while too fast costs none of the day's clips.
    await takeToken(
      this.deps.state,
      `clip:${who.userId}`,
      this.deps.rate,
      'You are making clips too fast: wait a moment',
    );
    const staff = this.deps.streams.isManager(stream, who) || canModerate(who, stream.owner.id);
    if (!staff) {
      const perDay = this.deps.perDay ?? DEFAULT_CLIPS_PER_DAY;
      await takeToken(
        this.deps.state,
        `clipday:${who.userId}`,
        { capacity: perDay, refillPerSecond: perDay / DAY_SECONDS },
        `You made ${perDay} clips in a day: that is the most`,
      );
    }
    const range: ClipRange =
      input.startSeconds === undefined
        ? { last: input.durationSeconds }
        : { start: input.startSeconds, seconds: input.durationSeconds };
    const id = newId('clp');
    const made =
      there && this.deps.peers
        ? await this.deps.peers.cut(there, stream.id, id, range).catch(async (error) => {
            // No answer, or none it could read: that node may have cut it all the same.
            if (error instanceof OnAirError && error.code === 'MEDIA_UNAVAILABLE') {
              await this.discard(id, there);
            }
            throw error;
          })
        : await this.cutHere(stream.id, id, range);
    const stored: StoredClip = {
      id,
      streamId: stream.id,
      createdBy: { id: who.userId, displayName: who.displayName },
      title: input.title ?? stream.title,
      startSeconds: made.startSeconds,
      durationSeconds: made.durationSeconds,
      hasPoster: made.poster,
      node: there ?? this.deps.nodeUrl?.() ?? null,
      // Milliseconds, as keyset cursors carry them.
      createdAt: new Date(),
    };
    try {
      await this.deps.upsertUser(who);
      await this.deps.clips.create({ ...stored, createdBy: who.userId });
    } catch (error) {
      await this.discard(id, this.elsewhere(stored.node));
      throw error;
    }
    // The host's backend gets the stream as stored: no viewer's token in its logs.
    const unsigned = (await this.deps.streams.find(stream.id)) ?? stream;
    this.deps.bus.emit('clip:created', { stream: unsigned, clip: toClip(stored, urlsOf(stored)) });
    const [clip] = await this.present(stream, who, [stored]);
    return clip as Clip;
  }

  /** A clip `who` may see (its stream's privacy); `NOT_FOUND` otherwise. */
  async get(id: string, who: Identity | undefined): Promise<Clip> {
    const { stored, stream } = await this.visible(id, who);
    const [clip] = await this.present(stream, who, [stored]);
    return clip as Clip;
  }

  /** A stream's clips, newest first. */
  async list(
    streamId: string,
    who: Identity | undefined,
    limit: number,
    cursor?: string,
  ): Promise<ClipPage> {
    const stream = await this.deps.streams.get(streamId, who);
    const page = await this.deps.clips.list(stream.id, limit, cursor);
    return { items: await this.present(stream, who, page.items), nextCursor: page.nextCursor };
  }

  /** Deletes a clip and its files: its creator, the stream's owner, moderators, admins. */
  async delete(id: string, who: Identity | undefined): Promise<void> {
    if (!who) throw new OnAirError('UNAUTHORIZED', 'Sign in first');
    const { stored, stream } = await this.visible(id, who);
    const mine = stored.createdBy.id === who.userId;
    if (!mine && !this.deps.streams.isManager(stream, who) && !canModerate(who, stream.owner.id)) {
      throw new OnAirError(
        'FORBIDDEN',
        "Only the clip's creator, the stream's owner or a moderator may delete it",
      );
    }
    const there = this.elsewhere(stored.node);
    // The row goes with a tombstone for the files on another node, at once: whatever happens
    // next (that node down, this process killed while asking), they are deleted in the end.
    if (!(await this.deps.clips.delete(id, there))) throw notFound();
    await this.dropFiles(id, there);
  }

  /**
   * Cuts a clip of a stream's media on this node's disk into the clip's
   * folder, in turn with the other cuts here (for this node, or asked by
   * another: `domains/clips/node-routes.ts`).
   */
  async cutHere(streamId: string, clipId: string, range: ClipRange): Promise<CutClip> {
    const { cut } = this.deps;
    if (!cut) throw new OnAirError('MEDIA_UNAVAILABLE', 'This server does not cut clips');
    this.beingCut.add(clipId);
    try {
      return await this.inTurn(() => cut(streamId, this.dirOf(clipId), range));
    } finally {
      this.beingCut.delete(clipId);
    }
  }

  /** Whether a clip is being cut on this node (waiting its turn, or cut now). */
  cutting(clipId: string): boolean {
    return this.beingCut.has(clipId);
  }

  /**
   * Deletes a clip's files from this node's folder (none there is no error);
   * false, deleting nothing, for what is not a clip's id (a tombstone edited
   * by hand: `..` or an empty id would name the media folder).
   */
  async dropFilesHere(clipId: string): Promise<boolean> {
    if (!CLIP_ID.test(clipId)) return false;
    await rm(this.dirOf(clipId), { recursive: true, force: true });
    return true;
  }

  /** The other node keeping a clip's files; undefined when this one does, or it has no peers. */
  private elsewhere(node: string | null | undefined): string | undefined {
    return node && node !== this.deps.nodeUrl?.() && this.deps.peers ? node : undefined;
  }

  /**
   * A clip that will not be stored (its cut failed, or its row could not be
   * written): a tombstone for its files on `node`, then they are deleted.
   */
  private async discard(clipId: string, node: string | undefined): Promise<void> {
    try {
      if (node) await this.deps.clips.tombstone(clipId, node);
    } catch (error) {
      this.deps.log?.(`clip ${clipId}: no tombstone for its files on ${node}: ${String(error)}`);
    }
    await this.dropFiles(clipId, node);
  }

  /**
   * Deletes a clip's files here and on `node` (its tombstone written before),
   * whose tombstone then goes. Never throws: the clip is gone either way,
   * what is left is logged (and, there, deleted by that node later).
   */
  private async dropFiles(clipId: string, node: string | undefined): Promise<void> {
    try {
      await this.dropFilesHere(clipId);
      if (!node || !this.deps.peers) return;
      if (await this.deps.peers.drop(node, clipId)) {
        await this.deps.clips.forgetTombstones([clipId]);
      } else {
        this.deps.log?.(
          `clip ${clipId}: ${node} did not delete its files (down, or cutting): later`,
        );
      }
    } catch (error) {
      this.deps.log?.(`clip ${clipId}: deleting its files failed: ${String(error)}`);
    }
  }

  /**
   * Deletes the files of clips deleted while this node did not answer (the
   * tombstones naming it), then forgets those tombstones; how many (one
   * that names no clip's id is forgotten, deleting nothing). Once `stop` is
   * aborted it starts no other batch. Only
   * what a tombstone names goes: a folder no clip row names may belong to a
   * clip of another database, or to one being cut.
   */
  async sweepTombstones(stop?: AbortSignal): Promise<number> {
    const here = this.deps.nodeUrl?.();
    if (!here) return 0;
    let swept = 0;
    let after: string | undefined;
    while (!stop?.aborted) {
      const ids = await this.deps.clips.tombstonesOf(here, TOMBSTONE_BATCH, after);
      const done: string[] = [];
      for (const id of ids) {
        // Being cut here (asked again after a timeout): kept for the next round.
        if (this.beingCut.has(id)) continue;
        try {
          if (!(await this.dropFilesHere(id)))
            this.deps.log?.(`clips: tombstone ${id} names no clip`);
          done.push(id);
        } catch (error) {
          // Kept for the next round; the others go on.
          this.deps.log?.(`clips: deleting the files of clip ${id} failed: ${String(error)}`);
        }
      }
      await this.deps.clips.forgetTombstones(done);
      swept += done.length;
      after = ids.at(-1);
      if (ids.length < TOMBSTONE_BATCH) break;
    }
    return swept;
  }

  /** A clip as stored, whoever asks (its media is checked like its stream's); `NOT_FOUND` otherwise. */
  async stored(id: string): Promise<StoredClip> {
    const stored = await this.deps.clips.find(id);
    if (!stored) throw notFound();
    return stored;
  }

  /** The stored clip and its stream (unsigned: for checks), when `who` may see them. */
  async visible(
    id: string,
    who: Identity | undefined,
  ): Promise<{ stored: StoredClip; stream: Stream }> {
    const stored = await this.stored(id);
    const stream = await this.deps.streams.find(stored.streamId);
    if (!stream || !(await this.deps.streams.canSee(stream, who))) throw notFound();
    return { stored, stream };
  }

  private async present(
    stream: Stream,
    who: Identity | undefined,
    list: readonly StoredClip[],
  ): Promise<Clip[]> {
    const urls = await this.deps.streams.signUrls(stream, who, list.map(urlsOf), (index) =>
      clipScope(list[index]?.id ?? ''),
    );
    return list.map((clip, index) => {
      const signed = urls[index];
      return toClip(clip, {
        url: signed?.url ?? '',
        posterUrl: signed?.posterUrl ?? null,
        pageUrl: signed?.pageUrl ?? '',
      });
    });
  }

  /** Runs `task` when fewer than `concurrency` cuts run; `RATE_LIMITED` when the line is full. */
  private async inTurn<T>(task: () => Promise<T>): Promise<T> {
    const { concurrency = 2, queue = 16 } = this.deps;
    if (this.running >= concurrency) {
      if (this.waiting.length >= queue) {
        throw new OnAirError('RATE_LIMITED', 'The server is busy cutting clips: try again', {
          retryAfterSeconds: 5,
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes to the next in line, or frees.
      if (next) next();
      else this.running--;
    }
  }
}

/** How often a node deletes the files of clips deleted while it was away, ms. */
export const TOMBSTONE_SWEEP_MS = 10 * 60_000;

/**
 * Runs {@link ClipService.sweepTombstones} now (a node coming back deletes
 * what was deleted while it was down) and every `everyMs`; returns how to
 * stop, which ends a round under way after its batch and waits for it.
 */
export function startTombstoneSweep(
  clips: Pick<ClipService, 'sweepTombstones'>,
  log: (message: string) => void,
  everyMs = TOMBSTONE_SWEEP_MS,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const stopping = new AbortController();
  const sweep = async () => {
    try {
      const swept = await clips.sweepTombstones(stopping.signal);
      if (swept > 0) log(`clips: forgot ${swept} tombstone(s) of clips deleted while away`);
    } catch (error) {
      log(`clips: deleting the files of clips deleted while away failed: ${String(error)}`);
    } finally {
      running = undefined;
    }
  };
  const round = () => {
    running ??= sweep();
  };
  const timer = setInterval(round, everyMs);
  timer.unref();
  round();
  // Stopping waits for a round under way (it uses the database, closed next).
  return async () => {
    clearInterval(timer);
    stopping.abort();
    await running;
  };
}
