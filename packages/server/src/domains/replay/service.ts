import {
  type Chapter,
  OnAirError,
  type ReplayReaction,
  type ReplayWindow,
  type Stream,
} from '@onair/protocol';
import { offsetAt, type RecordingSpan, wallRanges } from '../../media/recording/timeline.js';
import { canModerate, type Identity } from '../../platform/auth/identity.js';
import { newId } from '../../platform/ids.js';
import { TtlCache } from '../../platform/ttl-cache.js';
import type { ChatRepository } from '../chat/repository.js';
import type { QuestionRepository } from '../interaction/question-repository.js';
import type { ReactionRepository } from '../interaction/reaction-repository.js';
import type { ModerationService } from '../moderation/service.js';
import type { StreamService } from '../streams/service.js';
import type { MarkerRepository, StoredMarker } from './repository.js';

/** Most chat messages one replay window holds. */
export const REPLAY_MESSAGE_LIMIT = 500;
/** Most markers a stream may have. */
export const MAX_MARKERS = 200;
const MINUTE_MS = 60_000;

/** What the replay service needs. */
export interface ReplayServiceDeps {
  streams: StreamService;
  /** Refuses a user banned from the stream's channel (`BANNED`), as its live chat does. */
  moderation: Pick<ModerationService, 'assertNotRestricted'>;
  markers: MarkerRepository;
  /** Records the caller as a user (a marker names who set it). */
  upsertUser: (who: Identity) => Promise<void>;
  chat: Pick<ChatRepository, 'between'>;
  questions: Pick<QuestionRepository, 'between'>;
  reactions: Pick<ReactionRepository, 'between'>;
  /** The runs of a stream's recording on this server ({@link recordingSpans}). */
  spans: (streamId: string) => Promise<RecordingSpan[]>;
}

/**
 * Replay with chat: what happened during a stream placed on its recording's
 * timeline (chat, questions and their answers, reactions by minute), and
 * chapters from the markers its owner and moderators set while live. Whoever
 * may see a stream may replay it, unless banned from its channel; its owner,
 * moderators and admins set markers.
 */
export class ReplayService {
  /** A recording's runs: a finished one never changes, a growing one is read again soon. */
  private readonly finished = new TtlCache<RecordingSpan[]>(60_000);
  private readonly growing = new TtlCache<RecordingSpan[]>(2_000);

  constructor(private readonly deps: ReplayServiceDeps) {}

  private spansOf(stream: Stream): Promise<RecordingSpan[]> {
    const cache = stream.status === 'ended' ? this.finished : this.growing;
    return cache.get(stream.id, () => this.deps.spans(stream.id));
  }

  /** The stream, if `who` may see it (`NOT_FOUND`) and is not banned from its channel (`BANNED`). */
  private async audience(streamId: string, who: Identity | undefined): Promise<Stream> {
    const stream = await this.deps.streams.get(streamId, who);
    if (who) await this.deps.moderation.assertNotRestricted(stream, who, 'ban');
    return stream;
  }

  /** The stream's recording runs; `STREAM_NOT_LIVE` when it has no recording to replay. */
  private async recorded(stream: Stream): Promise<RecordingSpan[]> {
    const spans =
      stream.status === 'live' || stream.recordingUrl !== null ? await this.spansOf(stream) : [];
    if (spans.length === 0) {
      throw new OnAirError('STREAM_NOT_LIVE', 'This stream has no recording to replay', {
        status: stream.status,
      });
    }
    return spans;
  }

  /** What happened in `[from, to)` of a stream's recording. */
  async window(
    streamId: string,
    who: Identity | undefined,
    from: number,
    to: number,
  ): Promise<ReplayWindow> {
    const stream = await this.audience(streamId, who);
    const spans = await this.recorded(stream);
    const ranges = wallRanges(spans, from, to);
    const placed = <T>(at: number, item: T) => {
      const offset = offsetAt(spans, at);
      return offset === undefined || offset < from || offset >= to
        ? []
        : [{ ...item, offsetSeconds: offset }];
    };
    const [messages, questions, reactions] = await Promise.all([
      this.deps.chat.between(stream.id, ranges, REPLAY_MESSAGE_LIMIT + 1),
      this.deps.questions.between(stream.id, ranges),
      this.reactionsIn(stream.id, spans, from, to),
    ]);
    return {
      streamId: stream.id,
      from,
      to,
      messages: messages
        .slice(0, REPLAY_MESSAGE_LIMIT)
        .flatMap((message) => placed(Date.parse(message.createdAt), message)),
      questions: questions.flatMap((question) =>
        placed(Date.parse(question.createdAt), {
          ...question,
          answering: false,
          answerOffsetSeconds: question.answer
            ? (offsetAt(spans, Date.parse(question.answer.at)) ?? null)
            : null,
        }),
      ),
      reactions,
      truncated: messages.length > REPLAY_MESSAGE_LIMIT,
    };
  }

  /**
   * Reactions of the minutes that overlap `[from, to)` of the recording, each
   * minute's count placed where the minute (or its first recorded part) starts
   * and spread over its recorded part; a minute starting before `from` belongs
   * to an earlier window.
   */
  private async reactionsIn(
    streamId: string,
    spans: readonly RecordingSpan[],
    from: number,
    to: number,
  ): Promise<ReplayReaction[]> {
    const ranges = wallRanges(spans, from, to);
    const first = ranges[0];
    const last = ranges.at(-1);
    if (!first || !last) return [];
    const rows = await this.deps.reactions.between(streamId, first.from - MINUTE_MS, last.to);
    const reactions: ReplayReaction[] = [];
    for (const row of rows) {
      const start = row.minute.getTime();
      for (const span of spans) {
        const spanEnd = span.wallStart + span.seconds * 1000;
        const overlapStart = Math.max(start, span.wallStart);
        const overlapEnd = Math.min(start + MINUTE_MS, spanEnd);
        if (overlapEnd <= overlapStart) continue;
        const offset = span.start + (overlapStart - span.wallStart) / 1000;
        if (offset >= from && offset < to) {
          reactions.push({
            emoji: row.emoji,
            count: row.count,
            offsetSeconds: offset,
            spanSeconds: (overlapEnd - overlapStart) / 1000,
          });
        }
        break;
      }
    }
    return reactions.sort((a, b) => a.offsetSeconds - b.offsetSeconds);
  }

  /** A stream's chapters, in the recording's order (markers set while nothing was recorded last). */
  async chapters(streamId: string, who: Identity | undefined): Promise<Chapter[]> {
    const stream = await this.audience(streamId, who);
    const markers = await this.deps.markers.list(stream.id);
    const spans = markers.length > 0 ? await this.spansOf(stream) : [];
    return markers
      .map((marker) => this.chapterOf(marker, spans))
      .sort(
        (a, b) =>
          (a.offsetSeconds ?? Number.POSITIVE_INFINITY) -
          (b.offsetSeconds ?? Number.POSITIVE_INFINITY),
      );
  }

  private chapterOf(marker: StoredMarker, spans: readonly RecordingSpan[]): Chapter {
    return {
      id: marker.id,
      title: marker.title,
      offsetSeconds: offsetAt(spans, marker.at.getTime()) ?? null,
      createdBy: marker.createdBy,
      at: marker.at.toISOString(),
    };
  }

  private async staffed(streamId: string, who: Identity | undefined): Promise<Stream> {
    if (!who) throw new OnAirError('UNAUTHORIZED', 'Sign in first');
    const stream = await this.deps.streams.get(streamId, who);
    if (!this.deps.streams.isManager(stream, who) && !canModerate(who, stream.owner.id)) {
      throw new OnAirError('FORBIDDEN', "Only the stream's owner or a moderator may set chapters");
    }
    return stream;
  }

  /**
   * Sets a marker now, on a live stream: a chapter of its recording. Its
   * `offsetSeconds` is null until the recording has written that moment
   * (a segment or two later).
   */
  async mark(streamId: string, who: Identity | undefined, title: string): Promise<Chapter> {
    const stream = await this.staffed(streamId, who);
    if (stream.status !== 'live') {
      throw new OnAirError('STREAM_NOT_LIVE', 'Markers are set while the stream is live', {
        status: stream.status,
      });
    }
    if ((await this.deps.markers.count(stream.id)) >= MAX_MARKERS) {
      throw new OnAirError('UNPROCESSABLE', `A stream has at most ${MAX_MARKERS} chapters`);
    }
    const me = who as Identity;
    await this.deps.upsertUser(me);
    const marker: StoredMarker = {
      id: newId('mrk'),
      streamId: stream.id,
      title,
      createdBy: { id: me.userId, displayName: me.displayName },
      at: new Date(),
    };
    await this.deps.markers.create({ ...marker, createdBy: me.userId });
    return this.chapterOf(marker, await this.spansOf(stream));
  }

  /** Deletes a marker (the stream's owner, moderators, admins). */
  async unmark(streamId: string, who: Identity | undefined, markerId: string): Promise<void> {
    const stream = await this.staffed(streamId, who);
    if (!(await this.deps.markers.delete(stream.id, markerId))) {
      throw new OnAirError('NOT_FOUND', 'Marker not found');
    }
  }
}
