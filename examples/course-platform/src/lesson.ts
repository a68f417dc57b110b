import type { OnAirClient } from '@onair/core';
import '@onair/elements';
import type { Stream } from '@onair/protocol';
import type { AppUser, Lesson } from '../shared/api.js';
import { AppError, api, createOnAirClient } from './api.js';
import './style.css';
import { byId, guarded } from './ui.js';

const STATE_TEXT: Record<Lesson['state'], string> = {
  upcoming: 'Not started yet',
  live: 'Live now',
  past: 'This lesson is over',
  unknown: 'Status unknown',
};

/** The lesson's state from a stream update (the same mapping as the backend's). */
function stateOf(stream: Stream): Lesson['state'] {
  if (stream.status === 'live') return 'live';
  if (stream.status === 'scheduled') return 'upcoming';
  return 'past';
}

/**
 * The teacher's studio while the lesson is not over: preview, go live, end.
 * Everyone else (and everyone once it is over) gets the player: live, then the replay.
 */
function mountMedia(client: OnAirClient, lesson: Lesson, teaching: boolean): void {
  const media = teaching
    ? document.createElement('onair-broadcaster')
    : Object.assign(document.createElement('onair-player'), { muted: true });
  media.client = client;
  media.streamId = lesson.streamId;
  byId('media').replaceChildren(media);
}

/** Q&A, poll and viewer count; the teacher moderates them. */
function mountPanels(client: OnAirClient, lesson: Lesson, isTeacher: boolean): void {
  const qna = byId<HTMLElementTagNameMap['onair-qna']>('qna');
  qna.canModerate = isTeacher;
  // Students ask and upvote while the lesson is not over.
  qna.readonly = isTeacher || lesson.state === 'past';
  const poll = byId<HTMLElementTagNameMap['onair-poll']>('poll');
  poll.canModerate = isTeacher;
  const viewers = byId<HTMLElementTagNameMap['onair-viewer-count']>('viewers');
  viewers.canModerate = isTeacher;
  for (const element of [qna, poll, viewers]) {
    element.client = client;
    element.streamId = lesson.streamId;
  }
}

/**
 * The teacher's analytics of the lesson (audience, engagement, viewer
 * experience, who watched), live and after it: its code loads for teachers only.
 */
async function mountAnalytics(client: OnAirClient, lesson: Lesson): Promise<void> {
  await import('@onair/elements/analytics');
  const dashboard = document.createElement('onair-analytics');
  dashboard.client = client;
  dashboard.streamId = lesson.streamId;
  const section = byId('analytics');
  section.replaceChildren(dashboard);
  section.hidden = false;
}

function showState(state: Lesson['state']): void {
  const status = byId('lesson-status');
  status.dataset.state = state;
  status.textContent = STATE_TEXT[state];
}

async function main(user: AppUser, lessonId: string): Promise<void> {
  const [config, lesson] = await Promise.all([api.config(), api.lesson(lessonId)]);
  const client = createOnAirClient(config);
  const isTeacher = user.id === lesson.teacherId;
  byId('me-name').textContent = `Signed in as ${user.name}`;
  byId('lesson-title').textContent = lesson.title;
  document.title = `${lesson.title} · Course platform`;
  showState(lesson.state);
  mountMedia(client, lesson, isTeacher && lesson.state !== 'past');
  mountPanels(client, lesson, isTeacher);
  byId('lesson').hidden = false;
  if (isTeacher) await mountAnalytics(client, lesson);
  client.realtime.on('stream:updated', (stream) => {
    if (stream.id !== lesson.streamId) return;
    const state = stateOf(stream);
    showState(state);
    // Over: students no longer ask nor upvote (the teacher's Q&A is already read-only).
    if (state === 'past') byId<HTMLElementTagNameMap['onair-qna']>('qna').readonly = true;
  });
}

void guarded(async () => {
  const lessonId = new URLSearchParams(location.search).get('id');
  if (!lessonId) throw new AppError('NOT_FOUND', 'No lesson given', 404);
  const user = await api.me();
  if (!user) {
    location.assign('/');
    return;
  }
  await main(user, lessonId);
});
