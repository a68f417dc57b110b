import { randomBytes } from 'node:crypto';
import type { Stream } from '@onair/protocol';
import type { Lesson, LessonState } from '../shared/api.js';

/** What the platform keeps of a lesson; its state lives in OnAir. */
export interface LessonRecord {
  id: string;
  title: string;
  streamId: string;
  teacherId: string;
}

/** A new lesson id (also the stream's `externalId`). */
export function newLessonId(): string {
  return `les_${randomBytes(8).toString('hex')}`;
}

/** The platform's lessons, in memory, newest first. */
export class LessonStore {
  private readonly lessons: LessonRecord[] = [];

  add(lesson: LessonRecord): void {
    this.lessons.unshift(lesson);
  }

  list(): readonly LessonRecord[] {
    return this.lessons;
  }

  get(id: string): LessonRecord | undefined {
    return this.lessons.find((lesson) => lesson.id === id);
  }
}

/** A lesson's state from its stream's status (`unknown` when OnAir could not say). */
export function lessonState(stream: Stream | undefined): LessonState {
  switch (stream?.status) {
    case 'live':
      return 'live';
    case 'scheduled':
      return 'upcoming';
    case 'ended':
    case 'cancelled':
      return 'past';
    default:
      return 'unknown';
  }
}

/** The lesson as the API answers it: the record and its stream's state. */
export function toLesson(record: LessonRecord, stream: Stream | undefined): Lesson {
  return {
    ...record,
    state: lessonState(stream),
    hasRecording: Boolean(stream?.recordingUrl),
  };
}
