/*
 * The course platform's own HTTP API (`/api/…`), shared by the backend and the pages.
 * OnAir knows nothing of it: it only sees the tokens the backend signs.
 */

/** What a user does on the platform. */
export type AppRole = 'teacher' | 'student';

/** A user of the platform (kept in the backend's memory). */
export interface AppUser {
  /** Also the OnAir user id (`sub`): `A-Z a-z 0-9 _ -`, at most 64. */
  id: string;
  name: string;
  role: AppRole;
}

/** Where a lesson is in its life, from its OnAir stream's status. */
export type LessonState = 'upcoming' | 'live' | 'past' | 'unknown';

/** A lesson: the platform's record, with the state of its OnAir stream. */
export interface Lesson {
  id: string;
  title: string;
  /** The OnAir stream the lesson is broadcast on (its `externalId` is the lesson id). */
  streamId: string;
  teacherId: string;
  state: LessonState;
  /** Whether the stream has a replay (ended and recorded). */
  hasRecording: boolean;
}

/** `GET /api/config`: what the pages need to reach OnAir. */
export interface AppConfig {
  /** Base URL of the OnAir server (another port: it allows this app's origin in CORS). */
  onairUrl: string;
}

/** Body of every error answer: the same shape as OnAir's errors. */
export interface ApiErrorBody {
  code: string;
  message: string;
}
